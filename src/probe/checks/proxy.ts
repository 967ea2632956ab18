import { commands } from '../commands';
import { finding, type Finding } from '../findings';
import type { CheckInput } from './check';

/** PROXY_IN_PATH: an HTTP(S)_PROXY variable would carry traffic for the vault host. */
export function checkProxy({ expected, observed }: CheckInput): Finding[] {
  const p = observed.proxy;
  if (!p) return [];
  return [
    finding(
      'PROXY_IN_PATH',
      `${p.variable}=${p.value} would carry traffic for ${observed.host}${p.noProxy ? ` (NO_PROXY=${p.noProxy} does not exempt it)` : ' (NO_PROXY is not set)'}; a proxy connects from its own network and may rewrite the Host header or SNI.`,
      { variable: p.variable, proxy: p.value, noProxy: p.noProxy },
      {
        resourceId: expected?.vault.id,
        confirm: commands.proxyVariables(),
        remediation: `Add ${observed.host} (or .${observed.host.split('.').slice(1).join('.')}) to NO_PROXY for clients in this network, or make the proxy resolve the vault through the private zone and pass the Host through unchanged.`,
      },
    ),
  ];
}
