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
  // Beyond the judged addresses too: the count is the resolvers' whole answer.
  const total = observed.addressesLeftOut?.total ?? probed.length + rest.length;
  return [
    finding(
      'DATAPLANE_FANOUT_CAPPED',
      `${observed.host} resolves to ${total} addresses; the data plane was probed on the first ${probed.length} only.`,
      { host: observed.host, total, probed, notProbed: rest.slice(0, NAMED) },
      { resourceId: expected?.vault.id, confirm: commands.nslookup(observed.host) },
    ),
  ];
}

/** DNS_ADDRESSES_CAPPED: the name resolved to more distinct addresses than are judged; says how many were left out. */
export function checkAddressCap({ expected, observed }: CheckInput): Finding[] {
  const cap = observed.addressesLeftOut;
  if (!cap) return [];
  const leftOut = cap.total - cap.judged;
  return [
    finding(
      'DNS_ADDRESSES_CAPPED',
      `${observed.host} resolves to ${cap.total} addresses; the first ${cap.judged} were judged and ${leftOut} left out.`,
      { host: observed.host, total: cap.total, judged: cap.judged, leftOut, sample: [...cap.sample] },
      { resourceId: expected?.vault.id, confirm: commands.nslookup(observed.host) },
    ),
  ];
}
