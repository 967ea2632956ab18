import { checkInput } from '../../src/probe/checks';
import { checkZoneRecords } from '../../src/probe/checks/zone-records';
import type { ExpectedEndpoint, ExpectedState, PrivateDnsZoneRecord, Site } from '../../src/probe/types';
import { CLOUD, endpoint, expected, observed, peId, SUB } from './builders';

/**
 * ZONE_RECORD_STALE and ZONE_RECORD_MISSING beyond zone-records.test.ts: which endpoints count as missing, where the
 * missing addresses are added when several record sets are stale, the owner of a stale address, and the
 * NxDomainRedirect link that explains a public answer. Written from `npm run mutate`'s survivors; literal expectations.
 */
const zoneId = (name: string, rg = 'dns') =>
  `/subscriptions/${SUB}/resourceGroups/${rg}/providers/Microsoft.Network/privateDnsZones/${name}`;
const PL = 'privatelink.vaultcore.azure.net';
const A = zoneId(PL);
const B = zoneId(PL, 'dns-b');
const VNET = `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/spoke`;

const zone = (id: string, records: Record<string, string[]>, links: PrivateDnsZoneRecord['links'] = []) => ({
  id,
  name: PL,
  subscriptionId: SUB,
  resourceGroup: id.split('/')[4] ?? '',
  links,
  aRecords: Object.entries(records).map(([name, ips]) => ({ id: `${id}/A/${name}`, name, ips, ttl: 10 })),
});
const run = (eps: ExpectedEndpoint[], zones: PrivateDnsZoneRecord[], extra: Partial<ExpectedState> = {}, site?: Site) =>
  checkZoneRecords(
    checkInput({
      cloud: CLOUD,
      expected: { ...expected(eps), zones, ...extra },
      observed: observed(),
      ...(site ? { site } : {}),
    }),
  );
const add = (id: string, ip: string) =>
  `az network private-dns record-set a add-record --subscription '${SUB}' -g '${id.split('/')[4] ?? ''}' -z '${PL}' -n 'kv1' -a '${ip}'`;
const remove = (id: string, ip: string) =>
  `az network private-dns record-set a remove-record --subscription '${SUB}' -g '${id.split('/')[4] ?? ''}' -z '${PL}' -n 'kv1' -a '${ip}'`;

describe('which endpoints are missing from the record', () => {
  it('a Pending endpoint, an IPv6 address and an address already recorded are not missing', () => {
    const v6 = endpoint('pe6', 'fd00::4');
    const found = run(
      [endpoint('pe1', '10.0.1.4'), endpoint('pe2', '10.0.1.5', { status: 'Pending' }), v6],
      [zone(A, { kv1: ['10.0.1.4'] })],
    );
    expect(found).toEqual([]);
  });

  it('missing from two zones: named once per address, the first zone as the object, both zones in the message', () => {
    const found = run([endpoint('pe1', '10.0.1.4')], [zone(A, { kv2: ['10.0.2.4'] }), zone(B, {})]);
    expect(found).toStrictEqual([
      {
        code: 'ZONE_RECORD_MISSING',
        severity: 'error',
        message: `Approved private endpoint pe1 of vault kv1 has IP 10.0.1.4, but no A record kv1 in ${PL} (dns), ${PL} (dns-b) points at it.`,
        remediation: expect.any(String) as string,
        details: { address: '10.0.1.4', privateEndpointId: peId('pe1'), zones: [A, B], record: 'kv1' },
        resourceId: A,
        fix: [add(A, '10.0.1.4')],
        confirm: ["nslookup 'kv1.vault.azure.net'"],
      },
    ]);
  });
});

describe('the fix of stale record sets: the missing addresses go into the first stale one only', () => {
  const eps = [endpoint('pe1', '10.0.1.4'), endpoint('pe2', '10.0.1.5')];

  it('a right record set before a stale one: the adds go to the stale one', () => {
    const found = run(eps, [zone(A, { kv1: ['10.0.1.4'] }), zone(B, { kv1: ['10.0.1.9'] })]);
    const stale = found.filter((f) => f.code === 'ZONE_RECORD_STALE');
    expect(stale.map((f) => [f.resourceId, f.fix])).toEqual([
      [`${B}/A/kv1`, [add(B, '10.0.1.5'), remove(B, '10.0.1.9')]],
    ]);
    expect(stale[0]?.remediation).toBe(
      `Replace the wrong address in record set kv1 of ${PL} (10.0.1.9) with the IP of the vault's approved endpoint (10.0.1.5), or delete the record and let the endpoint's DNS zone group re-create it. Add 10.0.1.5 first, then remove 10.0.1.9: removing the last address deletes the record set, and clients would get NXDOMAIN in between.`,
    );
  });

  it('two stale record sets: the second only removes, and says nothing of an order', () => {
    const found = run(eps, [zone(A, { kv1: ['10.0.1.8', '10.0.1.9'] }), zone(B, { kv1: ['10.0.1.7'] })]);
    const stale = found.filter((f) => f.code === 'ZONE_RECORD_STALE');
    expect(stale.map((f) => f.fix)).toEqual([
      [add(A, '10.0.1.4'), add(A, '10.0.1.5'), remove(A, '10.0.1.8'), remove(A, '10.0.1.9')],
      [add(A, '10.0.1.4'), add(A, '10.0.1.5'), remove(A, '10.0.1.8'), remove(A, '10.0.1.9')],
      [remove(B, '10.0.1.7')],
    ]);
    expect(stale[0]?.remediation).toBe(
      `Replace the wrong addresses in record set kv1 of ${PL} (10.0.1.8, 10.0.1.9) with the IP of the vault's approved endpoint (10.0.1.4, 10.0.1.5), or delete the record and let the endpoint's DNS zone group re-create it. Add 10.0.1.4, 10.0.1.5 first, then remove 10.0.1.8, 10.0.1.9: removing the last address deletes the record set, and clients would get NXDOMAIN in between.`,
    );
    expect(stale[2]?.remediation).toBe(
      `Replace the wrong address in record set kv1 of ${PL} (10.0.1.7) with the IP of the vault's approved endpoint (10.0.1.4, 10.0.1.5), or delete the record and let the endpoint's DNS zone group re-create it.`,
    );
  });
});

describe('the owner of a stale address', () => {
  const owner = (address: string, targets: string[]) => ({
    address,
    privateEndpointId: peId('pe-x'),
    networkInterfaceId: `${peId('pe-x')}.nic`,
    targetResourceIds: targets,
  });

  it('an owner of another address is not named; one serving nothing readable is another resource', () => {
    const z = [zone(A, { kv1: ['10.0.1.4', '10.0.1.9'] })];
    const eps = [endpoint('pe1', '10.0.1.4')];
    expect(run(eps, z, { addressOwners: [owner('10.0.1.8', ['/x/st1'])] })[0]?.message).toBe(
      `Zone ${PL} (dns) has A record kv1 -> 10.0.1.9, which is no private endpoint NIC of vault kv1.`,
    );
    const [f] = run(eps, z, { addressOwners: [owner('10.0.1.9', [])] });
    expect(f?.message).toBe(
      `Zone ${PL} (dns) has A record kv1 -> 10.0.1.9, which is no private endpoint NIC of vault kv1: it belongs to private endpoint pe-x (NIC pe-x.nic) of another resource.`,
    );
  });
});

describe('ZONE_RECORD_MISSING behind a link with NxDomainRedirect', () => {
  const site: Site = {
    vnetId: VNET,
    vnet: { id: VNET, addressPrefixes: ['10.0.0.0/16'], dnsServers: [], peerings: [] },
  };
  const link = (policy: string | undefined) => [
    { id: `${A}/virtualNetworkLinks/spoke`, name: 'spoke', virtualNetworkId: VNET, resolutionPolicy: policy },
  ];
  const missing = (zones: PrivateDnsZoneRecord[]) =>
    run([endpoint('pe1', '10.0.1.4')], zones, {}, site).filter((f) => f.code === 'ZONE_RECORD_MISSING');

  it('the zone linked here with NxDomainRedirect (any case) lacks the name: the public answer is explained', () => {
    const [f] = missing([zone(A, {}, link('nxDomainRedirect'))]);
    expect(f?.message).toBe(
      `Approved private endpoint pe1 of vault kv1 has IP 10.0.1.4, but no A record kv1 in ${PL} (dns) points at it. Zone link spoke has resolution policy NxDomainRedirect, so this VNet gets the public answer instead.`,
    );
    expect(f?.details).toStrictEqual({
      address: '10.0.1.4',
      privateEndpointId: peId('pe1'),
      zones: [A],
      record: 'kv1',
      fallbackLink: `${A}/virtualNetworkLinks/spoke`,
    });
  });

  it('a Default policy, or a zone that holds the name (with a stale address): no fallback named', () => {
    expect(missing([zone(A, {}, link('Default'))])[0]?.details).not.toHaveProperty('fallbackLink');
    expect(missing([zone(A, { kv1: ['10.0.1.9'] }, link('NxDomainRedirect'))])[0]?.details).not.toHaveProperty(
      'fallbackLink',
    );
  });

  it('a zone linked here lacking the name beside one that holds it elsewhere: the lacking one is the fallback', () => {
    const other = zone(
      B,
      { kv2: ['10.0.2.4'] },
      link('NxDomainRedirect').map((l) => ({ ...l, id: `${B}/virtualNetworkLinks/spoke` })),
    );
    const [f] = missing([zone(A, { kv1: ['10.0.1.9'] }), other]);
    expect(f?.details).toMatchObject({ fallbackLink: `${B}/virtualNetworkLinks/spoke` });
  });
});
