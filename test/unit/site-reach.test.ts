import { checkInput, type CheckInput } from '../../src/probe/checks';
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

/** From the survivors of `npm run mutate`: each reason the public path is closed, and what was not counted. */
describe('VAULT_UNREACHABLE_BY_DESIGN: why, in words', () => {
  const judged = (exp: ExpectedState, over: Partial<NonNullable<CheckInput['expectation']>>, s: Site = site) => {
    const base = checkInput({ cloud: CLOUD, expected: exp, observed: observed({ os: ['10.2.2.4'] }), site: s });
    if (!base.expectation) throw new Error('no expectation');
    return checkSiteReach({ ...base, expectation: { ...base.expectation, ...over } });
  };
  const far = expected([placed('pe-b', '10.2.2.4')]);
  const message = (why: string) =>
    `This VNet cannot use vault kv1: none of its private endpoints (pe-b) is in this VNet, a peered one or one it reaches through Virtual WAN, AVNM or a route, and ${why}.`;

  it('a perimeter that admits no inbound rule for this site: named with its basis line', () => {
    const [f] = judged(far, {
      publicAccess: 'perimeter-denies',
      basis: ['Virtual WAN: not connected', 'perimeter nsp-1 (Enforced): no inbound rule admits 10.1.0.0/16'],
    });
    expect(f?.message).toBe(
      message(
        'its network security perimeter is enforced and no inbound rule admits this site (perimeter nsp-1 (Enforced): no inbound rule admits 10.1.0.0/16)',
      ),
    );
    expect(f?.details).toMatchObject({ publicAccess: 'perimeter-denies' });
  });

  it('a perimeter without a basis line: the word perimeter', () => {
    const [f] = judged(far, { publicAccess: 'perimeter-denies', basis: ['the perimeter line is missing'] });
    expect(f?.message).toBe(
      message('its network security perimeter is enforced and no inbound rule admits this site (perimeter)'),
    );
  });

  it('a firewall that denies by default: the service endpoint rule it lacks', () => {
    const [f] = judged(far, { publicAccess: 'firewall-denies' });
    expect(f?.message).toBe(
      message(
        "the vault firewall denies by default and no VNet rule names this site's subnet with a Key Vault service endpoint",
      ),
    );
  });

  it('routes that drop the traffic, and reach that could not be read, each listed', () => {
    const withGaps: Site = {
      ...site,
      connectivity: {
        virtualWan: [
          {
            subscriptionId: SUB,
            hubs: {
              ok: false,
              error: { operation: 'x', resourceId: 'x', statusCode: 403, code: 'Denied', message: 'x' },
            },
          },
        ],
        networkManager: {
          site: {
            ok: false,
            error: { operation: 'x', resourceId: 'x', statusCode: 500, code: undefined, message: 'x' },
          },
          vnets: {},
        },
      },
    };
    const [f] = judged(
      expected([placed('pe-b', '10.2.2.4'), placed('pe-c', '10.2.2.5')]),
      {
        blocked: [
          { privateEndpointId: `${VAULT}x/pe-b`, route: 'rt-a/drop-b' },
          { privateEndpointId: `${VAULT}x/pe-c`, route: 'rt-a/drop-c' },
        ],
      },
      withGaps,
    );
    expect(f?.message).toBe(
      `This VNet cannot use vault kv1: none of its private endpoints (pe-b, pe-c) is in this VNet, a peered one or one it reaches through Virtual WAN, AVNM or a route, and public network access is disabled. Routes with next hop None drop the traffic: pe-b by rt-a/drop-b; pe-c by rt-a/drop-c. Not readable, so not counted: the Virtual WAN hubs of subscription ${SUB} (403 Denied); this VNet's AVNM connectivity configurations (500).`,
    );
    expect(f?.details).toMatchObject({ routes: ['rt-a/drop-b', 'rt-a/drop-c'] });
  });

  it('connections whose endpoint IDs are not given: none readable', () => {
    const e = placed('pe-b', '10.2.2.4');
    const [f] = judged(expected([{ ...e, connection: { ...e.connection, privateEndpointId: undefined } }]), {});
    expect(f?.message).toBe(
      'This VNet cannot use vault kv1: none of its private endpoints (none readable) is in this VNet, a peered one or one it reaches through Virtual WAN, AVNM or a route, and public network access is disabled.',
    );
    expect(f?.details).toMatchObject({ endpoints: [] });
  });
});
