import type { SiteExpectation } from './expectation';
import { tagValue } from './tags';
import type { VaultRecord } from './types';

/** The vault tag that names the sites which must probe a vault: site names separated by commas or spaces, `*` for all. */
export const SITE_TAG = 'kvprobe-sites';

/**
 * Which vaults of its inventory a deployed site probes (PROBE_SITE_SCOPE). private: the vaults it is expected to reach
 * privately, plus those named for it; all: every vault. The CLI and the HTTP trigger probe what they are asked and
 * carry no site scope.
 */
export interface SiteScope {
  readonly mode: 'private' | 'all';
  /** The site's name (PROBE_SITE), as the tag names it. */
  readonly site: string;
  /** PROBE_SITE_VAULTS, lower-cased. */
  readonly vaults: readonly string[];
}

/** How many vaults a site's run had in its inventory and how many it left out of its scope (the heartbeat's figures). */
export interface SiteScopeCount {
  readonly mode: SiteScope['mode'];
  /** Vaults discovered in scope, each with a private endpoint connection (and unreadable scopes), before the site scope. */
  readonly inventory: number;
  /** Left out: not reached privately from this site and not named for it. */
  readonly leftOut: number;
}

/** Why a vault is named for this site, or undefined. Pure: what the inventory listed decides, no read. */
export function namedForSite(vault: VaultRecord, scope: SiteScope): 'setting' | 'tag' | undefined {
  if (scope.vaults.includes(vault.name.toLowerCase())) return 'setting';
  const tag = tagValue(vault, SITE_TAG);
  if (tag === undefined) return undefined;
  const site = scope.site.toLowerCase();
  const names = tag
    .split(/[\s,;]+/)
    .map((n) => n.trim().toLowerCase())
    .filter(Boolean);
  return names.includes('*') || names.includes(site) ? 'tag' : undefined;
}

/**
 * Whether the site keeps a vault it was not asked for by name. A vault it reaches privately, and one whose expectation
 * is assumed (the site's VNet unknown or unreadable): a site that cannot tell must not drop a vault silently.
 */
export function keptBySite(expectation: SiteExpectation): boolean {
  return expectation.kind === 'private' || expectation.assumed;
}
