import { checkInput } from '../../src/probe/checks';
import { checkDnsResolution } from '../../src/probe/checks/dns-resolution';
import { checkPrivatelinkHost } from '../../src/probe/checks/privatelink-host';
import { checkProxy } from '../../src/probe/checks/proxy';
import { checkZoneGroup } from '../../src/probe/checks/zone-group';
import type { ExpectedState, ObservedState } from '../../src/probe/types';
import { CLOUD, endpoint, expected, observed, peId, SUB } from './builders';

/**
 * The exact findings of four small checks (PROXY_IN_PATH, PRIVATELINK_HOST_IN_USE, ZONE_GROUP_MISSING, DNS_NXDOMAIN
 * and DNS_FAILURE): their messages, details and commands. `npm run mutate` found their texts and details unchecked
 * (mutants of them survived); every expectation is a literal.
 */
const VAULT = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1`;
const ZONE = `/subscriptions/${SUB}/resourceGroups/dns/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net`;
const vault = expected([endpoint('pe1', '10.0.1.4')]);
const run = <T>(
  check: (i: ReturnType<typeof checkInput>) => T,
  exp: ExpectedState | undefined,
  obs: ObservedState = observed(),
  configuredAs?: string,
): T => check(checkInput({ cloud: CLOUD, expected: exp, observed: obs, ...(configuredAs ? { configuredAs } : {}) }));

describe('PROXY_IN_PATH', () => {
  it('a proxy whose NO_PROXY does not exempt the vault', () => {
    const obs = { ...observed(), proxy: { variable: 'HTTPS_PROXY', value: 'http://proxy:3128', noProxy: 'localhost' } };
    const [f, ...rest] = run(checkProxy, vault, obs);
    expect(rest).toEqual([]);
    expect(f?.message).toBe(
      'HTTPS_PROXY=http://proxy:3128 would carry traffic for kv1.vault.azure.net (NO_PROXY=localhost does not exempt it); a proxy connects from its own network and may rewrite the Host header or SNI.',
    );
    expect(f?.details).toEqual({ variable: 'HTTPS_PROXY', proxy: 'http://proxy:3128', noProxy: 'localhost' });
    expect([f?.resourceId, f?.confirm]).toEqual([VAULT, ['env | grep -i _proxy']]);
    expect(f?.remediation).toBe(
      'Add kv1.vault.azure.net (or .vault.azure.net) to NO_PROXY for clients in this network, or make the proxy resolve the vault through the private zone and pass the Host through unchanged.',
    );
  });

  it('without NO_PROXY, and without a proxy', () => {
    const obs = { ...observed(), proxy: { variable: 'https_proxy', value: 'http://p:8080', noProxy: undefined } };
    expect(run(checkProxy, vault, obs)[0]?.message).toBe(
      'https_proxy=http://p:8080 would carry traffic for kv1.vault.azure.net (NO_PROXY is not set); a proxy connects from its own network and may rewrite the Host header or SNI.',
    );
    expect(run(checkProxy, vault)).toEqual([]);
  });
});

describe('PRIVATELINK_HOST_IN_USE', () => {
  it('names both names, and curls the right one at the address the OS resolver gave', () => {
    const [f, ...rest] = run(checkPrivatelinkHost, vault, observed(), 'kv1.privatelink.vaultcore.azure.net');
    expect(rest).toEqual([]);
    expect(f?.message).toBe(
      "The vault was configured as kv1.privatelink.vaultcore.azure.net; clients must use kv1.vault.azure.net: the privatelink name fails TLS name checks and Key Vault's Host check.",
    );
    expect(f?.details).toEqual({ host: 'kv1.privatelink.vaultcore.azure.net', where: 'configuration' });
    expect(f?.confirm).toEqual([
      "curl -sv --resolve 'kv1.vault.azure.net:443:10.0.1.4' 'https://kv1.vault.azure.net/healthstatus'",
    ]);
    expect(f?.resourceId).toBe(VAULT);
  });

  it('no address resolved: a placeholder; configured by its own name: nothing', () => {
    const [f] = run(checkPrivatelinkHost, vault, observed({ os: [] }), 'kv1.privatelink.vaultcore.azure.net');
    expect(f?.confirm).toEqual([
      "curl -sv --resolve 'kv1.vault.azure.net:443:<endpoint ip>' 'https://kv1.vault.azure.net/healthstatus'",
    ]);
    expect(run(checkPrivatelinkHost, vault)).toEqual([]);
  });
});

describe('ZONE_GROUP_MISSING', () => {
  const noGroup = (exp: ExpectedState): ExpectedState => ({
    ...exp,
    endpoints: exp.endpoints.map((e) => ({ ...e, zoneGroups: [] })),
  });

  it('names the endpoint and creates the group for the zone in view', () => {
    const [f, ...rest] = run(checkZoneGroup, {
      ...noGroup(vault),
      zones: [
        {
          id: ZONE,
          name: 'privatelink.vaultcore.azure.net',
          subscriptionId: SUB,
          resourceGroup: 'dns',
          links: [],
          aRecords: [],
        },
      ],
    });
    expect(rest).toEqual([]);
    expect(f?.message).toBe(
      'Private endpoint pe1 of vault kv1 has no DNS zone group: its A record is kept by hand, and goes stale when the endpoint is re-created.',
    );
    expect([f?.resourceId, f?.details]).toEqual([peId('pe1'), { privateEndpointId: peId('pe1') }]);
    expect(f?.fix).toEqual([
      `az network private-endpoint dns-zone-group create --subscription '${SUB}' -g 'net' --endpoint-name 'pe1' -n 'default' --private-dns-zone '${ZONE}' --zone-name vaultcore`,
    ]);
  });

  it('no zone in view: a placeholder for the vault zone, or for the Managed HSM zone', () => {
    expect(run(checkZoneGroup, noGroup(vault))[0]?.fix).toEqual([
      `az network private-endpoint dns-zone-group create --subscription '${SUB}' -g 'net' --endpoint-name 'pe1' -n 'default' --private-dns-zone '<privatelink.vaultcore.azure.net zone resource ID>' --zone-name vaultcore`,
    ]);
    const hsm = noGroup({ ...vault, vault: { ...vault.vault, kind: 'managedHsm' } });
    expect(run(checkZoneGroup, hsm)[0]?.fix).toEqual([
      `az network private-endpoint dns-zone-group create --subscription '${SUB}' -g 'net' --endpoint-name 'pe1' -n 'default' --private-dns-zone '<privatelink.managedhsm.azure.net zone resource ID>' --zone-name managedhsm`,
    ]);
  });

  it('zone groups not read, or one present: nothing', () => {
    expect(run(checkZoneGroup, vault)).toEqual([]);
  });
});

describe('DNS_NXDOMAIN and DNS_FAILURE', () => {
  it('each resolver that failed, with its servers and the command to ask it again', () => {
    const obs = observed({
      osError: { kind: 'NXDOMAIN', code: 'ENOTFOUND', message: 'x' },
      dnsError: { kind: 'TIMEOUT', code: 'ETIMEOUT', message: 'x' },
    });
    const found = run(checkDnsResolution, vault, obs);
    expect(found.map((f) => [f.code, f.message, f.details, f.confirm, f.resourceId])).toEqual([
      [
        'DNS_NXDOMAIN',
        'The OS resolver (getaddrinfo) answered NXDOMAIN for kv1.vault.azure.net.',
        { resolver: 'os', host: 'kv1.vault.azure.net' },
        ["getent ahosts 'kv1.vault.azure.net'"],
        VAULT,
      ],
      [
        'DNS_FAILURE',
        'DNS (servers 127.0.0.1:53) could not resolve kv1.vault.azure.net: TIMEOUT (ETIMEOUT).',
        { resolver: 'dns', host: 'kv1.vault.azure.net', errorKind: 'TIMEOUT', errorCode: 'ETIMEOUT' },
        ["nslookup 'kv1.vault.azure.net' '127.0.0.1:53'"],
        VAULT,
      ],
    ]);
  });

  it('DNS without a known server: no server named, nslookup on its own', () => {
    const base = observed({ dnsError: { kind: 'NXDOMAIN', code: 'ENOTFOUND', message: 'x' } });
    const obs: ObservedState = { ...base, dns: { ...base.dns, dns: { ...base.dns.dns, servers: [] } } };
    const [f] = run(checkDnsResolution, vault, obs);
    expect([f?.message, f?.confirm]).toEqual([
      'DNS answered NXDOMAIN for kv1.vault.azure.net.',
      ["nslookup 'kv1.vault.azure.net'"],
    ]);
  });
});
