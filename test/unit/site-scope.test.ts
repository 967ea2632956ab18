import type { SiteExpectation } from '../../src/probe/expectation';
import { keptBySite, namedForSite, type SiteScope } from '../../src/probe/site-scope';
import type { VaultRecord } from '../../src/probe/types';

const vault = (name: string, tags?: Record<string, string>): VaultRecord => ({
  id: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/${name}`,
  name,
  subscriptionId: 's',
  resourceGroup: 'rg',
  host: `${name}.vault.azure.net`,
  publicNetworkAccess: 'Disabled',
  connections: [],
  ...(tags ? { tags } : {}),
});
const scope: SiteScope = { mode: 'private', site: 'Spoke-042', vaults: ['kv-named'] };

describe('namedForSite: what names a vault for a site, from what the inventory listed', () => {
  it.each<[string, VaultRecord, 'setting' | 'tag' | undefined]>([
    ['PROBE_SITE_VAULTS, any case', vault('KV-Named'), 'setting'],
    ['no tag, not listed', vault('kv-other'), undefined],
    [
      'the tag names this site, any case, among others',
      vault('kv-a', { 'kvprobe-sites': 'spoke-001, SPOKE-042' }),
      'tag',
    ],
    ['spaces and semicolons separate names too', vault('kv-b', { 'kvprobe-sites': 'spoke-001 spoke-042;x' }), 'tag'],
    ['`*` names every site', vault('kv-c', { 'kvprobe-sites': '*' }), 'tag'],
    ['the tag name in any case', vault('kv-d', { 'KvProbe-Sites': 'spoke-042' }), 'tag'],
    ['the tag names other sites only', vault('kv-e', { 'kvprobe-sites': 'spoke-0421,spoke-04' }), undefined],
    ['another tag naming the site', vault('kv-f', { sites: 'spoke-042' }), undefined],
    ['an empty tag', vault('kv-g', { 'kvprobe-sites': '' }), undefined],
  ])('%s', (_case, v, want) => {
    expect(namedForSite(v, scope)).toBe(want);
  });
});

describe('keptBySite: a vault not named for the site stays when the site reaches it privately or cannot tell', () => {
  const e = (kind: SiteExpectation['kind'], assumed: boolean): SiteExpectation => ({
    kind,
    assumed,
    endpoints: [],
    ips: [],
    unreachedIps: [],
    publicAccess: 'disabled',
    basis: [],
  });
  it.each<[SiteExpectation['kind'], boolean, boolean]>([
    ['private', false, true],
    ['private', true, true],
    ['public', false, false],
    ['unreachable', false, false],
    ['unreachable', true, true],
  ])('%s (assumed %s): kept %s', (kind, assumed, kept) => {
    expect(keptBySite(e(kind, assumed))).toBe(kept);
  });
});
