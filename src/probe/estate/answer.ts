import type { PrivateDnsZoneRecord } from '../types';
import type { ZoneResolution } from '../resolution/chain';

// What a vault's name resolves to from a VNet of the estate: the record of the zone a resolution reaches (moved out
// of the resolution module, which decides how a VNet resolves, not what a zone holds).

type ARecord = PrivateDnsZoneRecord['aRecords'][number];
const recordIndex = new WeakMap<PrivateDnsZoneRecord, Map<string, ARecord>>();

/** The zone's A records by lower-cased name, built once per zone record (thousands of vaults share a zone). */
export function recordsOf(zone: PrivateDnsZoneRecord): Map<string, ARecord> {
  let index = recordIndex.get(zone);
  if (!index) {
    index = new Map(zone.aRecords.map((a) => [a.name.toLowerCase(), a]));
    recordIndex.set(zone, index);
  }
  return index;
}

/** What a vault's name resolves to through a zone resolution. */
export type Answer =
  | { readonly kind: 'records'; readonly ips: readonly string[]; readonly recordId: string }
  | { readonly kind: 'nxdomain' }
  | { readonly kind: 'public' }
  | { readonly kind: 'server'; readonly server: string }
  | { readonly kind: 'unknown'; readonly reason: string };

/**
 * The answer for the vault whose privatelink label is `label`: the linked zone's record; without it NXDOMAIN, or
 * the public chain where the link's resolution policy is NxDomainRedirect (FACTS.md, private DNS fallback).
 */
export function answerFor(resolution: ZoneResolution, label: string): Answer {
  const r = resolution.resolver;
  if (r.kind === 'public') return PUBLIC;
  if (r.kind === 'server') return { kind: 'server', server: r.server };
  if (r.kind === 'unknown') return { kind: 'unknown', reason: r.reason };
  const record = recordsOf(r.zone).get(label.toLowerCase());
  if (record) {
    // One answer per record: an estate asks for each vault's from hundreds of VNets.
    let answer = answers.get(record);
    if (!answer) {
      answer = { kind: 'records', ips: record.ips, recordId: record.id };
      answers.set(record, answer);
    }
    return answer;
  }
  return (r.link.resolutionPolicy ?? '').toLowerCase() === 'nxdomainredirect' ? PUBLIC : NXDOMAIN;
}

const PUBLIC: Answer = { kind: 'public' };
const NXDOMAIN: Answer = { kind: 'nxdomain' };
const answers = new WeakMap<ARecord, Answer>();
