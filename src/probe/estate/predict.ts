import { resolveZone, type Resolver, type ZoneResolution } from '../resolution/chain';
import type { VaultRecord } from '../types';
import { answerFor, type Answer } from './answer';
import type { EstateIndex } from './facts';

/**
 * How much is known of a VNet's resolution: observed (a probe runs there), queried (a probe asked its DNS server),
 * predicted (ARM describes every step), unknown (a DNS server ARM cannot describe, or a step that was not read).
 */
export type Coverage = 'observed' | 'queried' | 'predicted' | 'unknown';

/** A VNet's resolution of each privatelink zone, computed once per VNet and zone; each vault is then a lookup. */
export interface VnetPrediction {
  readonly vnetId: string;
  readonly coverage: Coverage;
  /** The resource IDs that decide how the VNet resolves the first zone (the vaults' zone). */
  readonly resolvedBy: readonly string[];
  /** The DNS server ARM cannot describe, where the chain ends at one. */
  readonly server?: string;
  /** Why the chain is unknown, where it is. */
  readonly reason?: string;
  /** The site (its location) that asked `server` directly: coverage `queried`. */
  readonly queriedBy?: string;
  readonly zones: ReadonlyMap<string, ZoneResolution>;
}

/** The names a rule must match for a zone: any vault host of its public suffix, and the privatelink name. */
export function namesOf(zoneName: string, publicSuffix: string): string[] {
  return [`*.${publicSuffix}`, `*.${zoneName}`];
}

/**
 * Predicts every VNet's resolution of each zone. `zones`: privatelink zone name → the public suffix of its vaults.
 * `observed`: the VNets where a probe runs (their coverage is observed; the prediction is still made, to be
 * compared with what the probe saw).
 */
export function predict(
  index: EstateIndex,
  zones: ReadonlyMap<string, string>,
  observed: ReadonlySet<string>,
): VnetPrediction[] {
  return index.facts.vnets.map((vnet) => {
    const resolutions = new Map<string, ZoneResolution>();
    for (const [zoneName, suffix] of zones)
      resolutions.set(zoneName, resolveZone(vnet.id, zoneName, namesOf(zoneName, suffix), index));
    const first = [...resolutions.values()][0];
    const r = first?.resolver;
    const coverage: Coverage = observed.has(vnet.id.toLowerCase())
      ? 'observed'
      : !r || r.kind === 'server' || r.kind === 'unknown'
        ? 'unknown'
        : 'predicted';
    return {
      vnetId: vnet.id,
      coverage,
      resolvedBy: first?.chain ?? [vnet.id],
      ...(r?.kind === 'server' ? { server: r.server } : {}),
      ...(r?.kind === 'unknown' ? { reason: r.reason } : {}),
      zones: resolutions,
    };
  });
}

/** The predicted answer for a vault (its privatelink label) in a VNet; unknown where its zone was not predicted. */
export function predictedAnswer(p: VnetPrediction, zoneName: string, label: string): Answer {
  const resolution = p.zones.get(zoneName);
  return resolution ? answerFor(resolution, label) : { kind: 'unknown', reason: `zone ${zoneName} not predicted` };
}

/**
 * Whether Key Vault publishes the vault's privatelink CNAME: only while one of its private endpoint connections is
 * Approved (FACTS.md). Without it the public name answers, whatever the zone holds. True where the connections were
 * not listed (nothing known against it).
 */
export function cnamePublished(vault: Pick<VaultRecord, 'connections' | 'connectionsListed'>): boolean {
  return vault.connectionsListed === false || vault.connections.some((c) => c.status?.toLowerCase() === 'approved');
}

export const PUBLIC_ANSWER: Answer = { kind: 'public' };

function resolverKey(r: Resolver): string {
  switch (r.kind) {
    case 'zone':
      return `zone|${r.zone.id}|${(r.link.resolutionPolicy ?? '').toLowerCase()}`;
    case 'public':
      return 'public';
    case 'server':
      return `server|${r.server}`;
    default:
      return `unknown|${r.reason}`;
  }
}

/**
 * The vaults' answers per resolver (a zone and its link's policy, the public chain, a server): VNets that end at the
 * same resolver share one list, filled once per vault, so each (VNet, vault) pair is an index lookup.
 */
export class AnswerLists {
  private readonly lists = new Map<string, (Answer | undefined)[]>();

  /** The list of the resolver `resolution` ends at; entry i is vault i's answer once asked (`answerFor`). */
  listFor(resolution: ZoneResolution): (Answer | undefined)[] {
    const key = resolverKey(resolution.resolver);
    let list = this.lists.get(key);
    if (!list) {
      list = [];
      this.lists.set(key, list);
    }
    return list;
  }
}
