import { checkInput } from '../../src/probe/checks';
import { checkSiteReach } from '../../src/probe/checks/site-reach';
import type { ExpectedEndpoint, ExpectedState, Site } from '../../src/probe/types';
import { CLOUD, endpoint, expected, observed, SUB } from './builders';

/**
 * VAULT_UNREACHABLE_BY_DESIGN, exactly: the endpoints named, why the public path is closed, and the endpoint to
 * create in this VNet. Mutants of it survived or had no covering unit test in `npm run mutate`; literal expectations.
 */
const net = (name: string): string =>
  `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/${name}`;
const SITE = net('spoke-a');
const FAR = net('spoke-b');
const VAULT = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1`;
const placed = (name: string, ip: string): ExpectedEndpoint => {
  const e = endpoint(name, ip);
  return { ...e, endpoint: e.endpoint ? { ...e.endpoint, subnetId: `${FAR}/subnets/pe` } : undefined };
};
const site: Site = {
  vnetId: SITE,
  vnet: { id: SITE, location: 'westeurope', addressPrefixes: ['10.1.0.0/16'], dnsServers: [], peerings: [] },
};
const run = (exp: ExpectedState, s: Site | null = site) =>
  checkSiteReach(
    checkInput({ cloud: CLOUD, expected: exp, observed: observed({ os: ['10.2.2.4'] }), ...(s ? { site: s } : {}) }),
  );

describe('VAULT_UNREACHABLE_BY_DESIGN', () => {
  it('endpoints only in a VNet this site does not reach, public access disabled', () => {
    const [f, ...rest] = run(expected([placed('pe-b', '10.2.2.4'), placed('pe-c', '10.2.2.5')]));
    expect(rest).toEqual([]);
    expect([f?.code, f?.severity, f?.resourceId]).toEqual(['VAULT_UNREACHABLE_BY_DESIGN', 'warning', VAULT]);
    expect(f?.message).toBe(
      'This VNet cannot use vault kv1: none of its private endpoints (pe-b, pe-c) is in this VNet, a peered one or one it reaches through Virtual WAN, AVNM or a route, and public network access is disabled.',
    );
    expect(f?.details).toEqual({
      publicAccess: 'disabled',
      vnetId: SITE,
      endpoints: [
        `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/privateEndpoints/pe-b`,
        `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/privateEndpoints/pe-c`,
      ],
    });
    expect(f?.fix).toEqual([
      `az network private-endpoint create --subscription '${SUB}' -g 'net' -n 'pe-kv1' --vnet-name 'spoke-a' --subnet '<subnet>' --private-connection-resource-id '${VAULT}' --group-id vault --connection-name 'kv1'`,
    ]);
  });

  it('no VNet known, no connection, or an endpoint this site reaches: nothing', () => {
    expect(run(expected([placed('pe-b', '10.2.2.4')]), null)).toEqual([]);
    expect(run(expected([]))).toEqual([]);
    const near = endpoint('pe-a', '10.1.2.4');
    const here: ExpectedEndpoint = {
      ...near,
      endpoint: near.endpoint ? { ...near.endpoint, subnetId: `${SITE}/subnets/pe` } : undefined,
    };
    expect(run(expected([here, placed('pe-b', '10.2.2.4')]))).toEqual([]);
  });
});
