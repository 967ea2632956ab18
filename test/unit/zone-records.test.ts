import { checkInput } from '../../src/probe/checks';
import { checkZoneRecords } from '../../src/probe/checks/zone-records';
import type { ExpectedState, PrivateDnsZoneRecord } from '../../src/probe/types';
import { CLOUD, endpoint, expected, observed, SUB } from './builders';

/**
 * The stale-record findings beyond the table in root-cause-checks.test.ts: whom a stale address belongs to, and the
 * remediation for several wrong addresses. Written after `npm run mutate` found these lines covered by no unit test;
 * every expectation is a literal.
 */
const ZONE = `/subscriptions/${SUB}/resourceGroups/dns/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net`;
const OTHER_PE = `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/privateEndpoints/pe-sql`;
const OTHER_NIC = `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/networkInterfaces/pe-sql.nic`;
const SQL = `/subscriptions/${SUB}/resourceGroups/db/providers/Microsoft.Sql/servers/sql1`;

const zone = (ips: string[]): PrivateDnsZoneRecord => ({
  id: ZONE,
  name: 'privatelink.vaultcore.azure.net',
  subscriptionId: SUB,
  resourceGroup: 'dns',
  links: [],
  aRecords: [{ id: `${ZONE}/A/kv1`, name: 'kv1', ips, ttl: 10 }],
});
const run = (exp: ExpectedState) => checkZoneRecords(checkInput({ cloud: CLOUD, expected: exp, observed: observed() }));
const base = expected([endpoint('pe1', '10.0.1.4')]);

describe('a stale address in the vault record', () => {
  it('names the endpoint, NIC and resource it belongs to when another endpoint in scope holds it', () => {
    const exp: ExpectedState = {
      ...base,
      zones: [zone(['10.0.1.4', '10.0.1.9'])],
      addressOwners: [
        { address: '10.0.1.9', privateEndpointId: OTHER_PE, networkInterfaceId: OTHER_NIC, targetResourceIds: [SQL] },
      ],
    };
    const [f, ...rest] = run(exp);
    expect(rest).toEqual([]);
    expect(f?.message).toBe(
      'Zone privatelink.vaultcore.azure.net (dns) has A record kv1 -> 10.0.1.9, which is no private endpoint NIC of vault kv1: it belongs to private endpoint pe-sql (NIC pe-sql.nic) of sql1.',
    );
    expect(f?.details).toEqual({
      zone: ZONE,
      record: `${ZONE}/A/kv1`,
      address: '10.0.1.9',
      belongsTo: 'private endpoint pe-sql (NIC pe-sql.nic) of sql1',
    });
    expect(f?.remediation).toBe(
      "Replace the wrong address in record set kv1 of privatelink.vaultcore.azure.net (10.0.1.9) with the IP of the vault's approved endpoint, or delete the record and let the endpoint's DNS zone group re-create it.",
    );
    expect(f?.confirm).toEqual([`az network private-dns record-set a show --ids '${ZONE}/A/kv1'`]);
  });

  it('an owner endpoint that connects to nothing known: "another resource"', () => {
    const exp: ExpectedState = {
      ...base,
      zones: [zone(['10.0.1.4', '10.0.1.9'])],
      addressOwners: [
        { address: '10.0.1.9', privateEndpointId: OTHER_PE, networkInterfaceId: OTHER_NIC, targetResourceIds: [] },
      ],
    };
    expect(run(exp)[0]?.details).toEqual({
      zone: ZONE,
      record: `${ZONE}/A/kv1`,
      address: '10.0.1.9',
      belongsTo: 'private endpoint pe-sql (NIC pe-sql.nic) of another resource',
    });
  });

  it('two wrong addresses and the right one missing: one finding each, the same whole-set fix, add first', () => {
    const found = run({ ...base, zones: [zone(['10.0.1.8', '10.0.1.9'])] });
    expect(found.map((f) => [f.code, f.details])).toEqual([
      ['ZONE_RECORD_STALE', { zone: ZONE, record: `${ZONE}/A/kv1`, address: '10.0.1.8' }],
      ['ZONE_RECORD_STALE', { zone: ZONE, record: `${ZONE}/A/kv1`, address: '10.0.1.9' }],
      [
        'ZONE_RECORD_MISSING',
        {
          address: '10.0.1.4',
          privateEndpointId: `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/privateEndpoints/pe1`,
          zones: [ZONE],
          record: 'kv1',
        },
      ],
    ]);
    const [first, second] = found;
    expect(first?.remediation).toBe(
      "Replace the wrong addresses in record set kv1 of privatelink.vaultcore.azure.net (10.0.1.8, 10.0.1.9) with the IP of the vault's approved endpoint (10.0.1.4), or delete the record and let the endpoint's DNS zone group re-create it. Add 10.0.1.4 first, then remove 10.0.1.8, 10.0.1.9: removing the last address deletes the record set, and clients would get NXDOMAIN in between.",
    );
    const args = `--subscription '${SUB}' -g 'dns' -z 'privatelink.vaultcore.azure.net' -n 'kv1'`;
    expect(first?.fix).toEqual([
      `az network private-dns record-set a add-record ${args} -a '10.0.1.4'`,
      `az network private-dns record-set a remove-record ${args} -a '10.0.1.8'`,
      `az network private-dns record-set a remove-record ${args} -a '10.0.1.9'`,
    ]);
    expect(second?.fix).toEqual(first?.fix);
  });
});
