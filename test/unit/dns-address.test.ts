import { checkInput } from '../../src/probe/checks';
import { checkDnsAddress } from '../../src/probe/checks/dns-address';
import type { ExpectedEndpoint, ExpectedState, PrivateDnsZoneRecord, Site } from '../../src/probe/types';
import { CLOUD, endpoint, expected, observed, SUB } from './builders';

/**
 * The DNS address check with a privatelink zone in view: which object a wrong answer points at, and the fix for a
 * public answer while a zone holds the right record. Written after `npm run mutate` found these lines covered by no
 * unit test; every expectation is a literal.
 */
const ZONE = `/subscriptions/${SUB}/resourceGroups/dns/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net`;
const VNET = `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/spoke`;
const VAULT = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1`;

const zone = (records: Record<string, string[]>): PrivateDnsZoneRecord => ({
  id: ZONE,
  name: 'privatelink.vaultcore.azure.net',
  subscriptionId: SUB,
  resourceGroup: 'dns',
  links: [],
  aRecords: Object.entries(records).map(([name, ips]) => ({ id: `${ZONE}/A/${name}`, name, ips, ttl: 10 })),
});
const withZone = (exp: ExpectedState, z: PrivateDnsZoneRecord[]): ExpectedState => ({ ...exp, zones: z });
const run = (exp: ExpectedState, os: string[], site?: Site) =>
  checkDnsAddress(checkInput({ cloud: CLOUD, expected: exp, observed: observed({ os }), ...(site ? { site } : {}) }));

describe('a wrong private answer, with the zone in view', () => {
  it("points at the zone's record when the record holds the wrong address", () => {
    const [f, ...rest] = run(withZone(expected([endpoint('pe1', '10.0.1.4')]), [zone({ kv1: ['10.0.1.9'] })]), [
      '10.0.1.9',
    ]);
    expect(rest).toEqual([]);
    expect([f?.code, f?.resourceId, f?.confirm, f?.fix]).toEqual([
      'DNS_PRIVATE_IP_MISMATCH',
      `${ZONE}/A/kv1`,
      ["nslookup 'kv1.vault.azure.net'"],
      undefined,
    ]);
    expect(f?.message).toBe(
      'kv1.vault.azure.net resolves (the OS resolver) to 10.0.1.9, which is not the IP of any private endpoint of this vault; expected 10.0.1.4.',
    );
  });

  it('points at the vault when the wrong address is its own endpoint, even if the record holds it', () => {
    const exp = expected([endpoint('pe1', '10.0.1.4'), endpoint('pe-old', '10.0.1.9', { status: 'Disconnected' })]);
    const [f] = run(withZone(exp, [zone({ kv1: ['10.0.1.9'] })]), ['10.0.1.9']);
    expect([f?.code, f?.resourceId]).toEqual(['DNS_PRIVATE_IP_MISMATCH', VAULT]);
  });

  it("points at the vault when the zone's record is another name's", () => {
    const [f] = run(withZone(expected([endpoint('pe1', '10.0.1.4')]), [zone({ kv2: ['10.0.1.9'] })]), ['10.0.1.9']);
    expect([f?.code, f?.resourceId]).toEqual(['DNS_PRIVATE_IP_MISMATCH', VAULT]);
  });
});

describe('a public answer while a zone in view holds the right record', () => {
  it('names the zone and the link command for the VNet the probe runs in', () => {
    const [f, ...rest] = run(
      withZone(expected([endpoint('pe1', '10.0.1.4')]), [zone({ kv1: ['10.0.1.4'] })]),
      ['20.1.2.3'],
      { vnetId: VNET },
    );
    expect(rest).toEqual([]);
    expect(f?.code).toBe('DNS_PUBLIC_IP');
    expect(f?.resourceId).toBe(ZONE);
    expect(f?.fix).toEqual([
      `az network private-dns link vnet create --subscription '${SUB}' -g 'dns' -z 'privatelink.vaultcore.azure.net' -n 'link-spoke' -v '${VNET}' -e false`,
    ]);
    expect(f?.confirm).toEqual([
      `az network private-dns link vnet list --subscription '${SUB}' -g 'dns' -z 'privatelink.vaultcore.azure.net' --query "[].{name:name, vnet:virtualNetwork.id, policy:resolutionPolicy}"`,
      "nslookup 'kv1.vault.azure.net'",
    ]);
    expect(f?.remediation).toBe(
      'Zone privatelink.vaultcore.azure.net (dns) holds the right record: link it to VNet spoke, or to the VNet of the DNS servers or resolver that VNet forwards to; a custom DNS server needs a conditional forwarder for vault.azure.net to 168.63.129.16.',
    );
  });

  it('without a known VNet: the link command and remediation ask for it', () => {
    const [f] = run(withZone(expected([endpoint('pe1', '10.0.1.4')]), [zone({ kv1: ['10.0.1.4'] })]), ['20.1.2.3']);
    expect(f?.fix).toEqual([
      `az network private-dns link vnet create --subscription '${SUB}' -g 'dns' -z 'privatelink.vaultcore.azure.net' -n 'link-<vnet-name>' -v '<clients-vnet-resource-id>' -e false`,
    ]);
    expect(f?.remediation).toBe(
      'Zone privatelink.vaultcore.azure.net (dns) holds the right record: link it to the VNet whose DNS this machine uses (give --vnet to name it), or to the VNet of the DNS servers or resolver that VNet forwards to; a custom DNS server needs a conditional forwarder for vault.azure.net to 168.63.129.16.',
    );
  });

  it('a zone whose record is stale is not the one to link: the finding points at the vault, no fix', () => {
    const [f] = run(withZone(expected([endpoint('pe1', '10.0.1.4')]), [zone({ kv1: ['10.0.1.9'] })]), ['20.1.2.3']);
    expect([f?.code, f?.resourceId, f?.fix, f?.confirm]).toEqual([
      'DNS_PUBLIC_IP',
      VAULT,
      undefined,
      ["nslookup 'kv1.vault.azure.net'"],
    ]);
  });
});

/** From the survivors of `npm run mutate`: messages and details of each finding, literal. */
describe('which resolver, which endpoint, which expectation the message names', () => {
  const PE = (name: string) =>
    `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/privateEndpoints/${name}`;
  const spoke = (over: Partial<Site> = {}): Site => ({
    vnetId: VNET,
    vnet: { id: VNET, addressPrefixes: ['10.0.0.0/16'], dnsServers: [], peerings: [] },
    ...over,
  });
  const seen = (exp: ExpectedState, o: { os: string[]; dns?: string[] }, site?: Site) =>
    checkDnsAddress(checkInput({ cloud: CLOUD, expected: exp, observed: observed(o), ...(site ? { site } : {}) }));

  it('an endpoint this VNet does not reach beside one it reaches, answered by DNS only', () => {
    const exp = expected([endpoint('pe1', '10.0.1.4'), endpoint('pe2', '10.5.1.4')]);
    expect(seen(exp, { os: ['10.0.1.4'], dns: ['10.5.1.4'] }, spoke())).toStrictEqual([
      {
        code: 'DNS_UNREACHED_ENDPOINT',
        severity: 'warning',
        message:
          'kv1.vault.azure.net resolves (DNS) to 10.5.1.4, the IP of private endpoint pe2 of this vault, which this VNet does not reach; expected 10.0.1.4.',
        remediation: expect.any(String) as string,
        details: { address: '10.5.1.4', privateEndpointId: PE('pe2'), expected: ['10.0.1.4'], resolver: 'dns' },
        resourceId: VAULT,
        confirm: ["nslookup 'kv1.vault.azure.net'"],
      },
    ]);
  });

  it('the only endpoint is out of reach: the expectation is named, and the reach that could not be read', () => {
    const site = spoke({
      connectivity: {
        networkManager: {
          site: {
            ok: false,
            error: { operation: 'x', resourceId: VNET, statusCode: 403, code: 'AuthorizationFailed', message: 'x' },
          },
          vnets: {},
        },
      },
    });
    const [f] = seen(expected([endpoint('pe2', '10.5.1.4')]), { os: ['10.5.1.4'] }, site);
    expect(f?.message).toBe(
      "kv1.vault.azure.net resolves (the OS resolver) to 10.5.1.4, the IP of private endpoint pe2 of this vault, which this VNet does not reach; expected the vault's unreachable answer. Reach not readable: this VNet's AVNM connectivity configurations (403 AuthorizationFailed).",
    );
  });

  it("the address of the vault's own Disconnected endpoint: named, with its states", () => {
    const exp = expected([endpoint('pe1', '10.0.1.4'), endpoint('pe-old', '10.0.1.9', { status: 'Disconnected' })]);
    const [f, ...rest] = seen(exp, { os: ['10.0.1.9'] }, spoke());
    expect(rest).toEqual([]);
    expect(f?.message).toBe(
      'kv1.vault.azure.net resolves (the OS resolver) to 10.0.1.9, which is private endpoint pe-old of this vault, whose connection is Disconnected / Succeeded; expected 10.0.1.4.',
    );
    expect(f?.details).toStrictEqual({
      address: '10.0.1.9',
      expected: ['10.0.1.4'],
      resolver: 'os',
      rule: 'rfc1918',
      belongsTo: 'private endpoint pe-old of this vault, whose connection is Disconnected / Succeeded',
      privateEndpointId: PE('pe-old'),
    });
  });

  it('an endpoint whose connection states are not given: Unknown / Unknown', () => {
    const old = endpoint('pe-old', '10.0.1.9');
    const unknown: ExpectedEndpoint = {
      ...old,
      connection: { ...old.connection, status: undefined, provisioningState: undefined },
      endpoint: old.endpoint && { ...old.endpoint, provisioningState: undefined },
    };
    const [f] = seen(expected([endpoint('pe1', '10.0.1.4'), unknown]), { os: ['10.0.1.9'] }, spoke());
    expect(f?.message).toBe(
      'kv1.vault.azure.net resolves (the OS resolver) to 10.0.1.9, which is private endpoint pe-old of this vault, whose connection is Unknown / Unknown; expected 10.0.1.4.',
    );
  });

  it('no usable endpoint: the address expected is none', () => {
    const [f] = seen(expected([endpoint('pe1', '10.0.1.4', { status: 'Pending' })]), { os: ['10.0.5.5'] }, spoke());
    expect(f?.message).toBe(
      'kv1.vault.azure.net resolves (the OS resolver) to 10.0.5.5, which is not the IP of any private endpoint of this vault; expected none.',
    );
  });

  it('a public answer without a known VNet: the reach is not claimed', () => {
    const [f] = seen(expected([endpoint('pe1', '10.0.1.4')]), { os: ['20.1.2.3'] });
    expect(f?.message).toBe(
      'kv1.vault.azure.net resolves (the OS resolver) to public address 20.1.2.3 although the vault has an approved private endpoint at 10.0.1.4.',
    );
  });
});

describe('which zone holds the right record for a public answer', () => {
  const linkFix = (exp: ExpectedState) => run(exp, ['20.1.2.3'], { vnetId: VNET })[0]?.resourceId;
  const one = expected([endpoint('pe1', '10.0.1.4')]);

  it('the vault record beside another name: held, the zone is the object', () => {
    expect(linkFix(withZone(one, [zone({ kv2: ['10.0.2.4'], kv1: ['10.0.1.4'] })]))).toBe(ZONE);
  });

  it('the right IP among others in the vault record: held', () => {
    expect(linkFix(withZone(one, [zone({ kv1: ['10.0.9.9', '10.0.1.4'] })]))).toBe(ZONE);
  });

  it('the right IP under another name only: not held, the vault is the object', () => {
    expect(linkFix(withZone(one, [zone({ kv2: ['10.0.1.4'] })]))).toBe(VAULT);
  });
});
