import { isPrivateAddress } from './ip';
import { resolvedAddresses, type VaultResult } from './report';

/**
 * Run-level hints: what the results say together that no single result does. Today one: the probe is evidently not
 * inside the VNet (a laptop, a build agent): no VNet was given, every vault it expects to be private resolved only to
 * public addresses, and there is at least one such vault. Each private vault then fails for the same reason, which
 * is no fault of the vault.
 */
export function runHints(results: readonly VaultResult[], vnetGiven: boolean): string[] {
  if (vnetGiven) return [];
  const privateVaults = results.filter((r) => r.expectation?.kind === 'private');
  const resolvedPublicly = (r: VaultResult): boolean => {
    const all = resolvedAddresses(r.resolved);
    return all.length > 0 && all.every((a) => !isPrivateAddress(a));
  };
  if (privateVaults.length === 0 || !privateVaults.every(resolvedPublicly)) return [];
  return [
    `Every vault with a private endpoint (${privateVaults.length}) resolved to a public address, and no --vnet was given: this machine looks to be outside the VNet (a laptop, a build agent), where private DNS zones do not answer. Run kvprobe from a machine in the VNet, or give --vnet <VNet resource ID> so the probe knows which VNet to judge; the findings below hold for this machine only.`,
  ];
}
