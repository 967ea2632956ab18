import { commands } from '../commands';
import { finding, type Finding } from '../findings';
import type { CheckInput } from './check';

/** VAULT_URI_MISMATCH: ARM's vaultUri names another host than `<vault>.<cloud suffix>`; the probe did not use it. */
export function checkVaultUri({ expected }: CheckInput): Finding[] {
  const v = expected?.vault;
  if (!v?.uriHost) return [];
  return [
    finding(
      'VAULT_URI_MISMATCH',
      `ARM gives vault ${v.name} the URI host ${v.uriHost}, not ${v.host}: the probe checked ${v.host}, the name Key Vault serves, and ignored the other.`,
      { host: v.host, uriHost: v.uriHost },
      { resourceId: v.id, confirm: commands.showVault(v.id) },
    ),
  ];
}
