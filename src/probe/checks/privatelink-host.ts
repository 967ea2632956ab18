import { commands } from '../commands';
import { finding, type Finding } from '../findings';
import type { CheckInput } from './check';

/** PRIVATELINK_HOST_IN_USE: the configuration names the vault by its privatelink host. */
export function checkPrivatelinkHost({ expected, observed, configuredAs }: CheckInput): Finding[] {
  if (!configuredAs) return [];
  return [
    finding(
      'PRIVATELINK_HOST_IN_USE',
      `The vault was configured as ${configuredAs}; clients must use ${observed.host}: the privatelink name fails TLS name checks and Key Vault's Host check.`,
      { host: configuredAs, where: 'configuration' },
      {
        resourceId: expected?.vault.id,
        confirm: commands.curlHealth(observed.host, observed.dns.os.addresses[0] ?? '<endpoint ip>'),
      },
    ),
  ];
}
