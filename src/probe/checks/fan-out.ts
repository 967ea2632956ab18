import { commands } from '../commands';
import { finding, type Finding } from '../findings';
import type { CheckInput } from './check';

/** How many of the addresses that were not probed a finding names; the count is always given. */
const NAMED = 64;

/** DATAPLANE_FANOUT_CAPPED: the name resolved to more addresses than the data plane is probed on. */
export function checkFanOut({ expected, observed }: CheckInput): Finding[] {
  const rest = observed.dataplaneNotProbed ?? [];
  if (rest.length === 0) return [];
  const probed = observed.dataplane.filter((o) => !o.via).map((o) => o.address);
  return [
    finding(
      'DATAPLANE_FANOUT_CAPPED',
      `${observed.host} resolves to ${probed.length + rest.length} addresses; the data plane was probed on the first ${probed.length} only.`,
      { host: observed.host, total: probed.length + rest.length, probed, notProbed: rest.slice(0, NAMED) },
      { resourceId: expected?.vault.id, confirm: commands.nslookup(observed.host) },
    ),
  ];
}
