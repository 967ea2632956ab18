import { checkInput } from '../../src/probe/checks';
import { checkZoneLinks } from '../../src/probe/checks/zone-links';
import type { ObservedState, PrivateDnsZoneRecord, Site } from '../../src/probe/types';
import { CLOUD, endpoint, expected, observed, SUB } from './builders';

/**
 * When ZONE_NOT_LINKED is raised and when not, beyond zone-links-rule.test.ts: which answers count as drifted, which
 * zones hold the right record, the VNet named where queries end at a server ARM does not describe, a zone linked to no
 * VNet, a resolution loop, and NXDOMAIN_SPLIT_BRAIN. Written from `npm run mutate`'s survivors; literal expectations.
 */
const ZONE = `/subscriptions/${SUB}/resourceGroups/dns/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net`;
const VNET = `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/spoke`;
const HUB = `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/hub`;
const HUB_LINK = `${ZONE}/virtualNetworkLinks/hub`;

const zoneWith = (
  records: { name: string; ips: string[] }[],
  links: PrivateDnsZoneRecord['links'] = [
    { id: HUB_LINK, name: 'hub', virtualNetworkId: HUB, resolutionPolicy: undefined },
  ],
): PrivateDnsZoneRecord => ({
  id: ZONE,
  name: 'privatelink.vaultcore.azure.net',
  subscriptionId: SUB,
  resourceGroup: 'dns',
  links,
  aRecords: records.map((r) => ({ id: `${ZONE}/A/${r.name}`, ...r, ttl: 10 })),
});
const RIGHT = zoneWith([{ name: 'kv1', ips: ['10.0.1.4'] }]);
const spoke = (over: Partial<Site> = {}): Site => ({
  vnetId: VNET,
  vnet: { id: VNET, addressPrefixes: ['10.0.0.0/16'], dnsServers: [], peerings: [] },
  ...over,
});
const run = (obs: ObservedState, zones: PrivateDnsZoneRecord[] = [RIGHT], site: Site = spoke(), approved = true) =>
  checkZoneLinks(
    checkInput({
      cloud: CLOUD,
      expected: {
        ...expected(approved ? [endpoint('pe1', '10.0.1.4')] : []),
        zones,
      },
      observed: obs,
      site,
    }),
  );

const NOT_LINKED_HERE = {
  code: 'ZONE_NOT_LINKED',
  severity: 'error',
  remediation: 'Link the zone to this VNet, or to the VNet whose DNS servers this VNet uses.',
  message: `Zone privatelink.vaultcore.azure.net (dns) holds the right record for kv1.vault.azure.net but is not linked to this VNet (${VNET}); it is linked to ${HUB}.`,
  details: { zone: ZONE, vnetId: VNET, linkedVnets: [HUB] },
  resourceId: ZONE,
  fix: [
    `az network private-dns link vnet create --subscription '${SUB}' -g 'dns' -z 'privatelink.vaultcore.azure.net' -n 'link-spoke' -v '${VNET}' -e false`,
  ],
  confirm: [
    `az network private-dns link vnet list --subscription '${SUB}' -g 'dns' -z 'privatelink.vaultcore.azure.net' --query "[].{name:name, vnet:virtualNetwork.id, policy:resolutionPolicy}"`,
  ],
};

describe('ZONE_NOT_LINKED: which answers have drifted', () => {
  it('both resolvers answer the endpoint IP: nothing to link, whatever the zone links', () => {
    expect(run(observed({ os: ['10.0.1.4'] }))).toEqual([]);
  });

  it('the OS resolver failed while DNS answered right: drifted', () => {
    const f = run(observed({ osError: { kind: 'SERVFAIL', code: 'ESERVFAIL', message: 'x' }, dns: ['10.0.1.4'] }));
    expect(f.map((x) => x.message)).toEqual([NOT_LINKED_HERE.message]);
  });

  it('DNS failed while the OS resolver answered right: drifted', () => {
    const f = run(observed({ os: ['10.0.1.4'], dnsError: { kind: 'SERVFAIL', code: 'ESERVFAIL', message: 'x' } }));
    expect(f.map((x) => x.message)).toEqual([NOT_LINKED_HERE.message]);
  });

  it('no address and no error: drifted', () => {
    const f = run(observed({ os: [], dns: [] }));
    expect(f.map((x) => x.message)).toEqual([NOT_LINKED_HERE.message]);
  });

  it('one resolver answers right and the other a public address: drifted', () => {
    const f = run(observed({ os: ['10.0.1.4'], dns: ['20.1.2.3'] }));
    expect(f).toEqual([expect.objectContaining(NOT_LINKED_HERE)]);
  });
});

describe('ZONE_NOT_LINKED: which zone holds the right record', () => {
  const drifted = observed({ os: ['20.1.2.3'] });

  it('a record of the vault with another IP: the zone does not hold the right record', () => {
    expect(run(drifted, [zoneWith([{ name: 'kv1', ips: ['10.0.9.9'] }])])).toEqual([]);
  });

  it('another name with the right IP: the zone does not hold the vault record', () => {
    expect(run(drifted, [zoneWith([{ name: 'kv2', ips: ['10.0.1.4'] }])])).toEqual([]);
  });

  it('the vault record beside other records, and with the right IP among others: held', () => {
    const zone = zoneWith([
      { name: 'kv2', ips: ['10.0.2.4'] },
      { name: 'kv1', ips: ['10.0.9.9', '10.0.1.4'] },
    ]);
    expect(run(drifted, [zone]).map((f) => f.resourceId)).toEqual([ZONE]);
  });

  it('a zone linked to no VNet says so', () => {
    const [f] = run(drifted, [zoneWith([{ name: 'kv1', ips: ['10.0.1.4'] }], [])]);
    expect(f?.message).toBe(
      `Zone privatelink.vaultcore.azure.net (dns) holds the right record for kv1.vault.azure.net but is not linked to this VNet (${VNET}); it is linked to no VNet.`,
    );
    expect(f?.details).toEqual({ zone: ZONE, vnetId: VNET, linkedVnets: [] });
  });
});

describe('ZONE_NOT_LINKED: where the link belongs', () => {
  const drifted = observed({ os: ['20.1.2.3'] });

  it('custom DNS at a server ARM does not describe: the link is asked for this VNet, named as read', () => {
    const site = spoke({
      vnet: { id: VNET, addressPrefixes: ['10.0.0.0/16'], dnsServers: ['192.168.7.7'], peerings: [] },
    });
    expect(run(drifted, [RIGHT], site)).toEqual([NOT_LINKED_HERE]);
  });

  it('a resolution loop: no zone link would be reached, so none is asked for', () => {
    const ruleset = `/subscriptions/${SUB}/resourceGroups/dns/providers/Microsoft.Network/dnsForwardingRulesets/rs-hub`;
    const site = spoke({
      vnet: { id: VNET, addressPrefixes: ['10.0.0.0/16'], dnsServers: ['10.9.0.4'], peerings: [] },
      inboundEndpoints: [{ id: `${HUB}/inbound`, ips: ['10.9.0.4'], virtualNetworkId: HUB }],
      resolverRulesets: [
        {
          id: ruleset,
          rules: [{ name: 'vaultcore', domainName: 'vaultcore.azure.net.', targets: ['10.9.0.4:53'], enabled: true }],
          linkedVnets: [HUB],
        },
      ],
    });
    expect(run(drifted, [zoneWith([{ name: 'kv1', ips: ['10.0.1.4'] }], [])], site)).toEqual([]);
  });
});

describe('NXDOMAIN_SPLIT_BRAIN', () => {
  const LINK = `${ZONE}/virtualNetworkLinks/spoke`;
  const linkedHere = (records: { name: string; ips: string[] }[], resolutionPolicy?: string) =>
    zoneWith(records, [{ id: LINK, name: 'spoke', virtualNetworkId: VNET, resolutionPolicy }]);
  const nx = observed({
    osError: { kind: 'NXDOMAIN', code: 'ENOTFOUND', message: 'x' },
    dnsError: { kind: 'NXDOMAIN', code: 'ENOTFOUND', message: 'x' },
  });

  it('a zone linked here without the vault record swallows the public name', () => {
    expect(run(nx, [linkedHere([{ name: 'kv2', ips: ['10.0.2.4'] }])], spoke(), false)).toEqual([
      {
        code: 'NXDOMAIN_SPLIT_BRAIN',
        severity: 'error',
        remediation:
          "Add the record, or set the zone link's resolution policy to NxDomainRedirect so names the zone lacks fall back to public resolution.",
        message: `kv1.vault.azure.net is NXDOMAIN here: zone privatelink.vaultcore.azure.net (dns) is linked to this VNet by spoke (resolution policy Default) and has no record kv1, so Azure DNS answers for the zone instead of falling back to the public name.`,
        details: { zone: ZONE, vnetId: VNET, linkId: LINK, record: 'kv1' },
        resourceId: LINK,
        fix: [
          `az network private-dns link vnet update --subscription '${SUB}' -g 'dns' -z 'privatelink.vaultcore.azure.net' -n 'spoke' --resolution-policy NxDomainRedirect`,
        ],
        confirm: NOT_LINKED_HERE.confirm,
      },
    ]);
  });

  it('the zone holds the vault record: the NXDOMAIN is not the zone swallowing it', () => {
    expect(run(nx, [linkedHere([{ name: 'kv1', ips: ['10.0.1.4'] }])], spoke(), false)).toEqual([]);
  });
});
