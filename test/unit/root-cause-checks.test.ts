import { checkInput, type Check } from '../../src/probe/checks';
import { checkAddressOwner } from '../../src/probe/checks/address-owner';
import { checkCustomDns } from '../../src/probe/checks/custom-dns';
import { checkPrivatelinkHost } from '../../src/probe/checks/privatelink-host';
import { checkZoneGroup } from '../../src/probe/checks/zone-group';
import { checkZoneLinks } from '../../src/probe/checks/zone-links';
import { servingVnets } from '../../src/probe/resolution';
import { checkZoneRecords } from '../../src/probe/checks/zone-records';
import type { ExpectedState, PrivateDnsZoneRecord, Site } from '../../src/probe/types';
import { commands } from '../../src/probe/commands';
import { CLOUD, endpoint, expected, observed, SUB } from './builders';

const ZONE = `/subscriptions/${SUB}/resourceGroups/dns/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net`;
const VNET = `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/spoke`;
const HUB = `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/hub`;

function zone(records: Record<string, string[]>, linkedTo: string[] = [VNET], policy?: string): PrivateDnsZoneRecord {
  return {
    id: ZONE,
    name: 'privatelink.vaultcore.azure.net',
    subscriptionId: SUB,
    resourceGroup: 'dns',
    links: linkedTo.map((v, i) => ({
      id: `${ZONE}/virtualNetworkLinks/l${i}`,
      name: `l${i}`,
      virtualNetworkId: v,
      resolutionPolicy: policy,
    })),
    aRecords: Object.entries(records).map(([name, ips]) => ({ id: `${ZONE}/A/${name}`, name, ips, ttl: 10 })),
  };
}

const base = expected([endpoint('pe1', '10.0.1.4')]);
const SPOKE = { id: VNET, addressPrefixes: ['10.0.0.0/16'], dnsServers: [], peerings: [] };
const withZone = (exp: ExpectedState, z: PrivateDnsZoneRecord[]): ExpectedState => ({ ...exp, zones: z });
const codes = (c: Check, i: Parameters<Check>[0]): string[] => c(i).map((f) => `${f.code}:${f.severity}`);
const input = (exp: ExpectedState | undefined, obs = observed(), extra: { site?: Site; configuredAs?: string } = {}) =>
  checkInput({ cloud: CLOUD, expected: exp, observed: obs, ...extra });

describe('root-cause checks, one table per check', () => {
  const rows: [string, Check, Parameters<Check>[0], string[]][] = [
    // ZONE_RECORD_STALE / ZONE_RECORD_MISSING
    ['record right', checkZoneRecords, input(withZone(base, [zone({ kv1: ['10.0.1.4'] })])), []],
    [
      'record stale and the right IP missing',
      checkZoneRecords,
      input(withZone(base, [zone({ kv1: ['10.0.1.9'] })])),
      ['ZONE_RECORD_STALE:error', 'ZONE_RECORD_MISSING:error'],
    ],
    [
      'record holds the right IP and a stale one',
      checkZoneRecords,
      input(withZone(base, [zone({ kv1: ['10.0.1.4', '10.0.1.9'] })])),
      ['ZONE_RECORD_STALE:error'],
    ],
    [
      'no record for the vault',
      checkZoneRecords,
      input(withZone(base, [zone({ other: ['10.0.9.9'] })])),
      ['ZONE_RECORD_MISSING:error'],
    ],
    ['no zone in view: nothing to say', checkZoneRecords, input(withZone(base, [])), []],
    [
      'record of a pending endpoint of this vault is not stale',
      checkZoneRecords,
      input(withZone(expected([endpoint('pe1', '10.0.1.4', { status: 'Pending' })]), [zone({ kv1: ['10.0.1.4'] })])),
      [],
    ],
    // ZONE_NOT_LINKED / NXDOMAIN_SPLIT_BRAIN
    [
      'zone linked to this VNet',
      checkZoneLinks,
      input(withZone(base, [zone({ kv1: ['10.0.1.4'] })]), observed(), { site: { vnetId: VNET } }),
      [],
    ],
    // Resolution is right here: the zone is served from elsewhere (a resolver, a forwarder), not a fault.
    [
      'zone linked elsewhere, resolution right',
      checkZoneLinks,
      input(withZone(base, [zone({ kv1: ['10.0.1.4'] }, [HUB])]), observed(), { site: { vnetId: VNET, vnet: SPOKE } }),
      [],
    ],
    [
      'zone linked elsewhere, resolution drifted',
      checkZoneLinks,
      input(withZone(base, [zone({ kv1: ['10.0.1.4'] }, [HUB])]), observed({ os: ['20.1.1.1'] }), {
        site: { vnetId: VNET, vnet: SPOKE },
      }),
      ['ZONE_NOT_LINKED:error'],
    ],
    [
      'zone linked elsewhere, resolution drifted, VNet unread: not judged',
      checkZoneLinks,
      input(withZone(base, [zone({ kv1: ['10.0.1.4'] }, [HUB])]), observed({ os: ['20.1.1.1'] }), {
        site: { vnetId: VNET },
      }),
      [],
    ],
    [
      'zone linked to the hub whose resolver a forwarding ruleset of this VNet sends vault.azure.net to',
      checkZoneLinks,
      input(withZone(base, [zone({ kv1: ['10.0.1.4'] }, [HUB])]), observed({ os: ['20.1.1.1'] }), {
        site: {
          vnetId: VNET,
          vnet: SPOKE,
          rulesets: [
            {
              id: 'rs',
              linkedVnets: [VNET],
              rules: [{ name: 'kv', domainName: 'vault.azure.net.', targets: ['10.1.0.70'], enabled: true }],
            },
          ],
          inboundEndpoints: [{ id: 'in', ips: ['10.1.0.70'], virtualNetworkId: HUB }],
        },
      }),
      [],
    ],
    [
      'zone linked to the peered hub whose DNS servers this VNet uses',
      checkZoneLinks,
      input(withZone(base, [zone({ kv1: ['10.0.1.4'] }, [HUB])]), observed(), {
        site: {
          vnetId: VNET,
          vnet: {
            id: VNET,
            addressPrefixes: ['10.2.0.0/16'],
            dnsServers: ['10.1.0.4'],
            peerings: [{ remoteVirtualNetworkId: HUB, remoteAddressPrefixes: ['10.1.0.0/16'] }],
          },
        },
      }),
      [],
    ],
    [
      'no VNet given: links not judged',
      checkZoneLinks,
      input(withZone(base, [zone({ kv1: ['10.0.1.4'] }, [HUB])])),
      [],
    ],
    [
      'NXDOMAIN, no endpoint, linked zone without the record',
      checkZoneLinks,
      input(
        withZone(expected([], 'Enabled'), [zone({})]),
        observed({
          osError: { kind: 'NXDOMAIN', code: 'ENOTFOUND', message: '' },
          dnsError: { kind: 'NXDOMAIN', code: 'ENOTFOUND', message: '' },
        }),
        { site: { vnetId: VNET } },
      ),
      ['NXDOMAIN_SPLIT_BRAIN:error'],
    ],
    [
      'NXDOMAIN with a usable endpoint is a missing record, not split-brain',
      checkZoneLinks,
      input(withZone(base, [zone({})]), observed({ osError: { kind: 'NXDOMAIN', code: 'ENOTFOUND', message: '' } }), {
        site: { vnetId: VNET },
      }),
      [],
    ],
    // ZONE_GROUP_MISSING
    [
      'endpoint without zone group',
      checkZoneGroup,
      input({ ...base, endpoints: base.endpoints.map((e) => ({ ...e, zoneGroups: [] })) }),
      ['ZONE_GROUP_MISSING:warning'],
    ],
    [
      'endpoint with a zone group',
      checkZoneGroup,
      input({
        ...base,
        endpoints: base.endpoints.map((e) => ({ ...e, zoneGroups: [{ id: 'g', name: 'default', zoneIds: [ZONE] }] })),
      }),
      [],
    ],
    ['zone groups not read', checkZoneGroup, input(base), []],
    // ENDPOINT_BELONGS_TO_OTHER_RESOURCE
    [
      'address of another vault',
      checkAddressOwner,
      input({
        ...base,
        addressOwners: [
          {
            address: '10.0.1.9',
            privateEndpointId: 'pe-x',
            networkInterfaceId: 'nic-x',
            targetResourceIds: ['/subscriptions/s/resourceGroups/r/providers/Microsoft.KeyVault/vaults/kv-other'],
          },
        ],
      }),
      ['ENDPOINT_BELONGS_TO_OTHER_RESOURCE:error'],
    ],
    [
      'address of this vault (any casing)',
      checkAddressOwner,
      input({
        ...base,
        addressOwners: [
          {
            address: '10.0.1.4',
            privateEndpointId: 'pe1',
            networkInterfaceId: 'nic',
            targetResourceIds: [base.vault.id.toUpperCase()],
          },
        ],
      }),
      [],
    ],
    // CUSTOM_DNS_NOT_FORWARDING
    [
      'custom DNS answers the endpoint',
      checkCustomDns,
      input(base, { ...observed(), customDns: [{ server: '10.1.0.4', addresses: ['10.0.1.4'] }] }),
      [],
    ],
    [
      'custom DNS answers public',
      checkCustomDns,
      input(base, { ...observed(), customDns: [{ server: '10.1.0.4', addresses: ['20.1.1.1'] }] }),
      ['CUSTOM_DNS_NOT_FORWARDING:error'],
    ],
    [
      'custom DNS fails',
      checkCustomDns,
      input(base, {
        ...observed(),
        customDns: [{ server: '10.1.0.4', addresses: [], error: { kind: 'SERVFAIL', code: 'ESERVFAIL', message: '' } }],
      }),
      ['CUSTOM_DNS_NOT_FORWARDING:error'],
    ],
    // PRIVATELINK_HOST_IN_USE
    [
      'configured by privatelink name',
      checkPrivatelinkHost,
      input(base, observed(), { configuredAs: 'kv1.privatelink.vaultcore.azure.net' }),
      ['PRIVATELINK_HOST_IN_USE:warning'],
    ],
    ['configured by name', checkPrivatelinkHost, input(base), []],
  ];
  it.each(rows)('%s', (_n, check, i, want) => expect(codes(check, i)).toEqual(want));
});

describe('root-cause findings name the object and the command', () => {
  it('a stale record: the record set, and the remove-record command', () => {
    const [stale] = checkZoneRecords(input(withZone(base, [zone({ kv1: ['10.0.1.9'] })])));
    expect(stale?.resourceId).toBe(`${ZONE}/A/kv1`);
    expect(stale?.command).toBe(
      `az network private-dns record-set a remove-record --subscription ${SUB} -g dns -z privatelink.vaultcore.azure.net -n kv1 -a 10.0.1.9`,
    );
  });

  it("Managed HSM commands name its group id and zone config, not the vault's", () => {
    const hsmId = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/managedHSMs/hsm1`;
    expect(commands.createEndpoint(hsmId, 'hsm1', VNET)).toBe(
      `az network private-endpoint create --subscription ${SUB} -g net -n pe-hsm1 --vnet-name spoke --subnet <subnet> --private-connection-resource-id ${hsmId} --group-id managedhsm --connection-name hsm1`,
    );
    const hsmZone = `/subscriptions/${SUB}/resourceGroups/dns/providers/Microsoft.Network/privateDnsZones/privatelink.managedhsm.azure.net`;
    expect(
      commands.createZoneGroup(
        `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/privateEndpoints/pe1`,
        hsmZone,
      ),
    ).toContain('--zone-name managedhsm');
    expect(commands.createEndpoint(base.vault.id, 'kv1', VNET)).toContain('--group-id vault ');
  });

  it('an unlinked zone: the zone, and the link command for this VNet', () => {
    const [f] = checkZoneLinks(
      input(withZone(base, [zone({ kv1: ['10.0.1.4'] }, [HUB])]), observed({ os: ['20.1.1.1'] }), {
        site: { vnetId: VNET, vnet: SPOKE },
      }),
    );
    expect(f?.resourceId).toBe(ZONE);
    expect(f?.command).toBe(
      `az network private-dns link vnet create --subscription ${SUB} -g dns -z privatelink.vaultcore.azure.net -n link-spoke -v ${VNET} -e false`,
    );
  });

  it('servingVnets adds the peered VNet that holds a custom DNS server', () => {
    expect(
      servingVnets(
        {
          vnetId: VNET,
          vnet: {
            id: VNET,
            addressPrefixes: [],
            dnsServers: ['10.1.0.4', '192.168.0.1'],
            peerings: [{ remoteVirtualNetworkId: HUB, remoteAddressPrefixes: ['10.1.0.0/24'] }],
          },
        },
        [],
      ),
    ).toEqual([VNET.toLowerCase(), HUB.toLowerCase()]);
  });
});
