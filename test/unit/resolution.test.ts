import {
  azureDnsServes,
  forwardingRulesFor,
  linkTo,
  ruleApplies,
  servingVnets,
  vnetsOfServer,
  type ResolutionView,
} from '../../src/probe/resolution';
import type { ForwardingRulesetRecord, PrivateDnsZoneRecord, VirtualNetworkRecord } from '../../src/probe/types';

// The one module that says how a VNet resolves a name: plain data in, plain data out.
const net = (name: string): string =>
  `/subscriptions/s/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/${name}`;
const SPOKE = net('Spoke');
const HUB = net('hub');
const PEER = net('peer');
const ZONE = 'privatelink.vaultcore.azure.net';

const vnet = (o: Partial<VirtualNetworkRecord> = {}): VirtualNetworkRecord => ({
  id: SPOKE,
  addressPrefixes: ['10.2.0.0/16'],
  dnsServers: [],
  peerings: [{ remoteVirtualNetworkId: PEER, remoteAddressPrefixes: ['10.3.0.0/16'] }],
  ...o,
});
const ruleset = (rules: [string, string[], boolean?][]): ForwardingRulesetRecord => ({
  id: 'rs',
  linkedVnets: [SPOKE],
  rules: rules.map(([domainName, targets, enabled], i) => ({
    name: `r${i}`,
    domainName,
    targets,
    enabled: enabled ?? true,
  })),
});
const zone = (linked: string[]): PrivateDnsZoneRecord => ({
  id: 'z',
  name: ZONE,
  subscriptionId: 's',
  resourceGroup: 'dns',
  links: linked.map((v, i) => ({ id: `l${i}`, name: `l${i}`, virtualNetworkId: v, resolutionPolicy: undefined })),
  aRecords: [],
});
const inbound = [{ id: 'in', ips: ['10.1.0.70'], virtualNetworkId: HUB }];

describe('ruleApplies: a forwarding rule domain against a name', () => {
  it.each([
    ['vault.azure.net.', 'kv1.vault.azure.net', true],
    ['vault.azure.net', 'KV1.Vault.Azure.Net.', true],
    ['vault.azure.net.', 'vault.azure.net', true],
    ['azure.net.', 'kv1.vault.azure.net', true],
    // issue 20: a wildcard rule does not apply to Azure's reserved domains; it does to every other name.
    ['.', 'kv1.vault.azure.net', false],
    ['.', 'kv1.privatelink.vaultcore.azure.net', false],
    ['.', 'kv1.blob.core.windows.net', false],
    // Named by the resolver page's "Rule processing" (Azure Government's zones).
    ['.', 'kv1.blob.core.usgovcloudapi.net', false],
    ['.', 'x.windowsazure.us', false],
    ['.', 'app.corp.contoso.com', true],
    ['vault.azure.net.', 'kv1.myvault.azure.net', false],
    ['privatelink.vaultcore.azure.net.', 'kv1.vault.azure.net', false],
  ])('%s applies to %s: %s', (domain, name, want) => {
    expect(ruleApplies(domain, name)).toBe(want);
  });
});

describe('forwardingRulesFor', () => {
  it('keeps the enabled rules that apply, with their ruleset', () => {
    const rs = ruleset([
      ['vault.azure.net.', ['10.1.0.70']],
      ['vault.azure.net.', ['10.9.9.9'], false],
      ['blob.core.windows.net.', ['10.1.0.71']],
    ]);
    expect(forwardingRulesFor([rs], 'kv1.vault.azure.net')).toEqual([
      { name: 'r0', domainName: 'vault.azure.net.', targets: ['10.1.0.70'], enabled: true, rulesetId: 'rs' },
    ]);
    expect(forwardingRulesFor([rs], 'kv1.blob.core.windows.net').map((r) => r.name)).toEqual(['r2']);
    expect(forwardingRulesFor([], 'kv1.vault.azure.net')).toEqual([]);
  });
});

describe('the VNets that answer for a DNS server', () => {
  it('an inbound endpoint first, then the VNet itself, then the peer holding the address', () => {
    const view: ResolutionView = { vnetId: SPOKE, vnet: vnet(), inboundEndpoints: inbound };
    expect(vnetsOfServer('10.1.0.70', view)).toEqual([HUB.toLowerCase()]);
    expect(vnetsOfServer('10.2.0.4', view)).toEqual([SPOKE.toLowerCase()]);
    expect(vnetsOfServer('10.3.0.4', view)).toEqual([PEER.toLowerCase()]);
    expect(vnetsOfServer('192.168.0.1', view)).toEqual([]);
    expect(vnetsOfServer('10.2.0.4', { vnetId: SPOKE })).toEqual([]);
  });
});

describe('servingVnets', () => {
  const names = ['kv1.vault.azure.net', `kv1.${ZONE}`];

  it('Azure-provided DNS, no ruleset: the VNet alone', () => {
    expect(servingVnets({ vnetId: SPOKE, vnet: vnet() }, names)).toEqual([SPOKE.toLowerCase()]);
  });

  it('a ruleset forwarding vault.azure.net to an inbound endpoint adds the resolver VNet', () => {
    const view: ResolutionView = {
      vnetId: SPOKE,
      vnet: vnet(),
      rulesets: [ruleset([['vault.azure.net.', ['10.1.0.70']]])],
      inboundEndpoints: inbound,
    };
    expect(servingVnets(view, names)).toEqual([SPOKE.toLowerCase(), HUB.toLowerCase()]);
    // A rule for another domain, or a disabled one, sends nothing there.
    for (const rules of [[['blob.core.windows.net.', ['10.1.0.70']]], [['vault.azure.net.', ['10.1.0.70'], false]]])
      expect(servingVnets({ ...view, rulesets: [ruleset(rules as [string, string[], boolean?][])] }, names)).toEqual([
        SPOKE.toLowerCase(),
      ]);
  });

  it('custom DNS at an inbound endpoint or in a peer adds that VNet, once', () => {
    const view: ResolutionView = {
      vnetId: SPOKE,
      vnet: vnet({ dnsServers: ['10.1.0.70', '10.3.0.4', '10.3.0.5'] }),
      inboundEndpoints: inbound,
    };
    expect(servingVnets(view, names)).toEqual([SPOKE.toLowerCase(), HUB.toLowerCase(), PEER.toLowerCase()]);
  });
});

describe('linkTo and azureDnsServes', () => {
  it('finds the link to one of the VNets, case-insensitively', () => {
    expect(linkTo(zone([HUB]), [HUB.toLowerCase()])?.id).toBe('l0');
    expect(linkTo(zone([HUB]), [SPOKE.toLowerCase()])).toBeUndefined();
  });

  it('Azure DNS answers as the VNet resolves with Azure-provided DNS, or where the zone is linked to it', () => {
    expect(azureDnsServes({ vnetId: SPOKE, vnet: vnet() }, [], ZONE)).toBe(true);
    const custom = { vnetId: SPOKE, vnet: vnet({ dnsServers: ['10.3.0.4'] }) };
    expect(azureDnsServes(custom, [zone([HUB])], ZONE)).toBe(false);
    expect(azureDnsServes(custom, [zone([SPOKE.toLowerCase()])], ZONE)).toBe(true);
    expect(azureDnsServes(custom, [{ ...zone([SPOKE]), name: 'privatelink.managedhsm.azure.net' }], ZONE)).toBe(false);
    expect(azureDnsServes({ vnetId: SPOKE }, [], ZONE)).toBeUndefined();
  });
});
