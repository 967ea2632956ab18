import type { PrivateZone } from '@azure/arm-privatedns';
import type { Vault } from '@azure/arm-keyvault';
import { mapPrivateDnsZone, mapVault } from '../../src/adapters/arm-mappers';
import { mapRecordSetWire, mapVaultWire } from '../../src/adapters/arm-wire-mappers';
import { checkInput } from '../../src/probe/checks';
import { checkZoneRecords } from '../../src/probe/checks/zone-records';
import { BudgetedReader, checkVaultValues, isComplete } from '../../src/probe/pipeline';
import { readDnsState } from '../../src/probe/pipeline/dns-state';
import type { ExpectedState, PrivateDnsZoneRecord } from '../../src/probe/types';
import { InventoryError } from '../../src/probe/inventory';
import { emptyInventory } from '../support/empty-inventory';
import { CLOUD, endpoint, expected, observed, SUB } from './builders';

/**
 * A record set the probe cannot read (its `aRecords` is no list) and a zone it cannot read (issue 22, found by the
 * ARM payload fuzzing): the vault whose record it is gets ARM_READ_FAILED and status unknown; a neighbour's record
 * in the same zone is still read; and no address is reported missing that an unread record set or zone may hold.
 * Literal data throughout.
 */
const ZONE = `/subscriptions/${SUB}/resourceGroups/dns/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net`;
const OTHER_ZONE = `/subscriptions/${SUB}/resourceGroups/dns2/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net`;
const zoneOf = (over: Partial<PrivateDnsZoneRecord> = {}): PrivateDnsZoneRecord => ({
  id: ZONE,
  name: 'privatelink.vaultcore.azure.net',
  subscriptionId: SUB,
  resourceGroup: 'dns',
  links: [],
  aRecords: [],
  ...over,
});
const base = expected([endpoint('pe1', '10.0.1.4')]);
const run = (exp: ExpectedState) => checkZoneRecords(checkInput({ cloud: CLOUD, expected: exp, observed: observed() }));

describe('a record set whose aRecords is no list', () => {
  it('is kept as unreadable by name; its neighbours in the zone are read (wire JSON)', () => {
    const zone: PrivateZone = { id: ZONE, name: 'privatelink.vaultcore.azure.net' };
    const rows = [
      { id: `${ZONE}/A/kv1`, name: 'kv1', properties: { ttl: 10, aRecords: 'x' } },
      { id: `${ZONE}/A/kv2`, name: 'kv2', properties: { ttl: 10, aRecords: [{ ipv4Address: '10.0.2.4' }] } },
      { id: `${ZONE}/A/kv3`, name: 'kv3', properties: { ttl: 10, aRecords: [{ ipv4Address: 7 }, 5] } },
      { id: `${ZONE}/A/kv4`, name: 'kv4', properties: { ttl: 10, aRecords: null } },
    ];
    expect(mapPrivateDnsZone(zone, rows.map(mapRecordSetWire), [])).toEqual({
      id: ZONE,
      name: 'privatelink.vaultcore.azure.net',
      subscriptionId: SUB,
      resourceGroup: 'dns',
      links: [],
      aRecords: [
        { id: `${ZONE}/A/kv2`, name: 'kv2', ips: ['10.0.2.4'], ttl: 10 },
        { id: `${ZONE}/A/kv3`, name: 'kv3', ips: [], ttl: 10 },
      ],
      unreadableRecords: [{ id: `${ZONE}/A/kv1`, name: 'kv1' }],
    });
  });

  it('gives its vault ARM_READ_FAILED naming the record set, not ZONE_RECORD_MISSING, and leaves it unknown', () => {
    const exp: ExpectedState = {
      ...base,
      zones: [zoneOf({ unreadableRecords: [{ id: `${ZONE}/A/kv1`, name: 'kv1' }] })],
    };
    expect(run(exp).map((f) => [f.code, f.message, f.details, f.resourceId, f.confirm])).toEqual([
      [
        'ARM_READ_FAILED',
        'A record set kv1 of zone privatelink.vaultcore.azure.net (dns) could not be read: its aRecords is not a list, so which addresses it gives vault kv1 is unknown.',
        { operation: 'read A record set', resourceId: `${ZONE}/A/kv1` },
        `${ZONE}/A/kv1`,
        [`az network private-dns record-set a show --ids '${ZONE}/A/kv1'`],
      ],
    ]);
    expect(isComplete(exp)).toBe(false);
  });

  it("another vault's unreadable record set changes nothing for this one", () => {
    const exp: ExpectedState = {
      ...base,
      zones: [
        zoneOf({
          aRecords: [{ id: `${ZONE}/A/kv1`, name: 'kv1', ips: ['10.0.1.4'], ttl: 10 }],
          unreadableRecords: [{ id: `${ZONE}/A/kv2`, name: 'kv2' }],
        }),
      ],
    };
    expect(run(exp)).toEqual([]);
    expect(isComplete(exp)).toBe(true);
    // The same zone without the vault's record: it is missing, as before.
    const missing = { ...exp, zones: [zoneOf({ unreadableRecords: [{ id: `${ZONE}/A/kv2`, name: 'kv2' }] })] };
    expect(run(missing).map((f) => f.code)).toEqual(['ZONE_RECORD_MISSING']);
  });
});

describe('a zone that could not be read', () => {
  it('no ZONE_RECORD_MISSING while a zone or a subscription’s zones went unread', () => {
    expect(run({ ...base, zones: [zoneOf()], unreadZones: [OTHER_ZONE] })).toEqual([]);
    expect(run({ ...base, zones: [zoneOf()], unreadZones: [`/subscriptions/${SUB}`] })).toEqual([]);
    expect(run({ ...base, zones: [zoneOf()] }).map((f) => f.code)).toEqual(['ZONE_RECORD_MISSING']);
  });

  it('readDnsState names the zones and subscriptions it could not read, and keeps the ones it read', async () => {
    const exp: ExpectedState = {
      ...base,
      endpoints: base.endpoints.map((e) => ({
        ...e,
        zoneGroups: [{ id: 'g', name: 'default', zoneIds: [ZONE, OTHER_ZONE] }],
      })),
    };
    const inv = {
      ...emptyInventory(),
      getPrivateDnsZone: (id: string) =>
        id === ZONE.toLowerCase()
          ? Promise.resolve(zoneOf())
          : Promise.reject(new InventoryError('Forbidden', 'get private DNS zone', id, 403, 'AuthorizationFailed')),
      listPrivateDnsZones: (sub: string) =>
        sub === 'other'
          ? Promise.reject(new InventoryError('Forbidden', 'list private DNS zones', sub, 403, 'AuthorizationFailed'))
          : Promise.resolve([]),
    };
    const req = {
      cloud: CLOUD,
      location: 't',
      subscriptions: [SUB, 'other'],
      targets: [],
      dataplane: false,
      timeoutMs: 1000,
      concurrency: 1,
    };
    const state = await readDnsState(
      exp,
      'privatelink.vaultcore.azure.net',
      req,
      new BudgetedReader(inv, new AbortController().signal, 1000),
    );
    expect(state.zones).toEqual([zoneOf()]);
    expect(state.unreadZones).toEqual([OTHER_ZONE.toLowerCase(), '/subscriptions/other']);
  });
});

describe('a private endpoint connection item that is no object', () => {
  const VAULT = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1`;
  const PE = `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/privateEndpoints/pe1`;
  const good = {
    id: `${VAULT}/privateEndpointConnections/pe1-conn`,
    properties: {
      privateEndpoint: { id: PE },
      privateLinkServiceConnectionState: { status: 'Approved' },
      provisioningState: 'Succeeded',
    },
  };

  it('is kept as ARM gave it by the wire mapper, and checkVaultValues names it: no made-up connection', () => {
    const row = { id: VAULT, name: 'kv1', properties: { privateEndpointConnections: [good, null, 5] } };
    const v = mapVaultWire(row, 'vault.azure.net');
    expect(v.connections).toEqual([
      {
        id: `${VAULT}/privateEndpointConnections/pe1-conn`,
        privateEndpointId: PE,
        status: 'Approved',
        provisioningState: 'Succeeded',
      },
      null,
      5,
    ]);
    expect(() => checkVaultValues(v)).toThrow(
      'ARM gave properties.privateEndpointConnections[1] = null (null) for vault kv1',
    );
  });

  it('an item the SDK read as empty (every field undefined) fails the SDK-path mapper, so the page is read raw', () => {
    const vault = { id: VAULT, name: 'kv1', properties: { privateEndpointConnections: [{ id: undefined }] } };
    expect(() => mapVault(vault as unknown as Vault, 'vault.azure.net')).toThrow(
      'a private endpoint connection item has no field the probe can read',
    );
  });
});
