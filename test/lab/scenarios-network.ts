import type { FindingCode } from '../../src/probe/findings';
import type { Severity, VaultStatus } from '../../src/probe/types';
import { SUB_APP, SUB_NET, type Scenario, type ScenarioExpectation } from './scenario';
import { REACH_SCENARIOS } from './scenarios-reach';

/**
 * Issue 20: the network features real estates use, each a healthy topology and its broken twin. Severities are
 * written here as literals, never read from the findings table.
 */
const expectation = (
  status: VaultStatus,
  found: readonly (readonly [FindingCode, Severity])[],
): ScenarioExpectation => ({ status, codes: found.map((f) => f[0]), severities: found.map((f) => f[1]) });
const ok = expectation('healthy', []);
const E = 'error' as const;
const W = 'warning' as const;
const I = 'info' as const;

/** Issue 20 item 7: the smaller truths. */
const SMALLER_TRUTHS: readonly Scenario[] = [
  {
    name: 'endpoint-read-foreign-denied',
    description:
      "A vault with its endpoint here and a second one in the network team's subscription, outside the scope, whose read ARM refuses (403): named as foreign, left out; the vault stays healthy.",
    topology: { name: 'endpoint-read-out-of-scope' },
    subscriptions: [SUB_APP],
    vaults: [
      {
        name: 'kv-netsub',
        endpoints: [
          { name: 'pe-netsub-here', ip: '10.90.2.4' },
          { name: 'pe-netsub-far', ip: '10.91.2.4', subscription: SUB_NET, zoneGroup: false },
        ],
      },
    ],
    probeVnet: {},
    faults: { arm: [{ path: `/subscriptions/${SUB_NET}/.*/privateEndpoints`, kind: 'status', status: 403 }] },
    expect: { 'kv-netsub': expectation('healthy', [['FOREIGN_ENDPOINT', I]]) },
  },
  {
    name: 'endpoint-read-timeout-out-of-scope',
    description:
      "Twin: the read of the endpoint in the network team's subscription times out: a transient fault, not a foreign endpoint. The vault is unknown (ENDPOINT_READ_FAILED) and no DNS finding judges its addresses.",
    topology: { name: 'endpoint-read-out-of-scope', twin: true },
    subscriptions: [SUB_APP],
    vaults: [
      {
        name: 'kv-netsub-x',
        endpoints: [
          { name: 'pe-netsubx-here', ip: '10.90.3.4' },
          { name: 'pe-netsubx-far', ip: '10.91.3.4', subscription: SUB_NET, zoneGroup: false },
        ],
      },
    ],
    probeVnet: {},
    faults: { arm: [{ path: `/subscriptions/${SUB_NET}/.*/privateEndpoints`, kind: 'hang' }] },
    timeoutMs: 1500,
    expect: { 'kv-netsub-x': expectation('unknown', [['ENDPOINT_READ_FAILED', W]]) },
  },
  {
    name: 'privatelink-cname-pending',
    description:
      'A vault whose only connection is Pending: Key Vault publishes no privatelink CNAME until one is Approved, so the public chain answers. The pending connection is the cause; no DNS_NO_PRIVATELINK_CNAME beside it.',
    topology: { name: 'privatelink-cname-approved', twin: true },
    vaults: [
      {
        name: 'kv-cname-pending',
        endpoints: [{ name: 'pe-cname-pending', ip: '10.90.4.4', status: 'Pending' }],
        dns: { kind: 'public-no-cname' },
      },
    ],
    probeVnet: {},
    expect: {
      'kv-cname-pending': expectation('unhealthy', [
        ['PE_CONNECTION_NOT_APPROVED', E],
        ['DATAPLANE_FORBIDDEN', E],
      ]),
    },
  },
  {
    name: 'privatelink-cname-approved',
    description:
      'The same vault once its connection is Approved: the privatelink CNAME is there, and so is the record.',
    topology: { name: 'privatelink-cname-approved' },
    vaults: [{ name: 'kv-cname-ok', endpoints: [{ name: 'pe-cname-ok', ip: '10.90.5.4' }] }],
    probeVnet: {},
    expect: { 'kv-cname-ok': ok },
  },
  {
    name: 'hsm-without-role',
    description:
      'A healthy Managed HSM the probe holds no local role on: its authenticated read gets the HSM refusal, a top-level AccessDenied with no inner error, which is authorization past an accepted network path.',
    topology: { name: 'hsm-without-role' },
    vaults: [{ name: 'contoso-hsm4', kind: 'managedHsm', endpoints: [{ name: 'pe-hsm4', ip: '10.90.6.4' }] }],
    probeVnet: {},
    expect: { 'contoso-hsm4': ok },
  },
  {
    name: 'hsm-without-role-public-dns',
    description:
      "Twin: the HSM's privatelink zone is not linked here, so its name resolves publicly and its public access (disabled) refuses the path.",
    topology: { name: 'hsm-without-role', twin: true },
    vaults: [
      {
        name: 'contoso-hsm5',
        kind: 'managedHsm',
        endpoints: [{ name: 'pe-hsm5', ip: '10.90.7.4' }],
        dns: { kind: 'public' },
      },
    ],
    probeVnet: { zoneLinked: false },
    expect: {
      'contoso-hsm5': expectation('unhealthy', [
        ['DNS_PUBLIC_IP', E],
        ['ZONE_NOT_LINKED', E],
        ['DATAPLANE_FORBIDDEN', E],
      ]),
    },
  },
];

/** Issue 20 items 1 and 3: service endpoints per subnet, and the `conn_type=Subnet` arrival. */
const KV_SE = ['Microsoft.KeyVault'];
const SERVICE_ENDPOINTS: readonly Scenario[] = [
  {
    name: 'service-endpoint-own-subnet',
    description:
      "Public access behind the vault firewall, whose VNet rule names this site's own subnet, which has the Microsoft.KeyVault service endpoint; the only private endpoint is elsewhere. Public through the service endpoint is right here, and Key Vault sees conn_type=Subnet.",
    topology: { name: 'service-endpoint' },
    vaults: [
      {
        name: 'kv-svcep-own',
        publicNetworkAccess: 'Enabled',
        firewall: { defaultAction: 'Deny', vnetRules: ['vnet-probe/apps'] },
        endpoints: [{ name: 'pe-svcep-own', ip: '10.92.2.4', vnet: 'vnet-other', zone: 'dns-other' }],
        dns: { kind: 'public' },
      },
    ],
    probeVnet: { zoneLinked: false, passSubnet: true, subnets: [{ name: 'apps', serviceEndpoints: KV_SE }] },
    expect: { 'kv-svcep-own': ok },
  },
  {
    name: 'service-endpoint-peer-subnet-only',
    description:
      "Twin: the vault's VNet rule names a subnet of the peered hub, not this site's, and this subnet has no service endpoint: the firewall keeps this site out, unreachable by design (a peer's rule never admits it).",
    topology: { name: 'service-endpoint', twin: true },
    vaults: [
      {
        name: 'kv-svcep-peer',
        publicNetworkAccess: 'Enabled',
        firewall: { defaultAction: 'Deny', vnetRules: ['vnet-hub/apps'] },
        endpoints: [{ name: 'pe-svcep-peer', ip: '10.92.3.4', vnet: 'vnet-other', zone: 'dns-other' }],
        dns: { kind: 'public' },
      },
    ],
    probeVnet: {
      zoneLinked: false,
      passSubnet: true,
      addressPrefixes: ['10.93.0.0/16'],
      peers: [{ name: 'vnet-hub', addressPrefixes: ['10.94.0.0/16'] }],
    },
    expect: { 'kv-svcep-peer': expectation('healthy', [['VAULT_UNREACHABLE_BY_DESIGN', W]]) },
  },
  {
    name: 'service-endpoint-bypasses-private-endpoint',
    description:
      "The vault has a private endpoint in this VNet, but the zone is not linked here: clients resolve the public name and reach the vault over this subnet's service endpoint (conn_type=Subnet), bypassing the private endpoint.",
    topology: { name: 'service-endpoint-private', twin: true },
    vaults: [
      {
        name: 'kv-svcep-bypass',
        publicNetworkAccess: 'Enabled',
        firewall: { defaultAction: 'Deny', vnetRules: ['vnet-probe/apps'] },
        endpoints: [{ name: 'pe-svcep-bypass', ip: '10.0.92.4' }],
        dns: { kind: 'public' },
      },
    ],
    probeVnet: { zoneLinked: false, passSubnet: true, subnets: [{ name: 'apps', serviceEndpoints: KV_SE }] },
    expect: {
      'kv-svcep-bypass': expectation('unhealthy', [
        ['DNS_PUBLIC_IP', E],
        ['ZONE_NOT_LINKED', E],
        ['DATAPLANE_NOT_PRIVATE', E],
      ]),
    },
  },
  {
    name: 'service-endpoint-legacy-header-ambiguous',
    description:
      'The same bypass behind a front end that sends the older header (addr only, no conn_type): the private addr could be private link or the service endpoint, and the finding says it is ambiguous.',
    topology: { name: 'service-endpoint-private', twin: true },
    vaults: [
      {
        name: 'kv-svcep-legacy',
        publicNetworkAccess: 'Enabled',
        firewall: { defaultAction: 'Deny', vnetRules: ['vnet-probe/apps'] },
        endpoints: [{ name: 'pe-svcep-legacy', ip: '10.0.93.4' }],
        dns: { kind: 'public' },
        networkInfoForm: 'legacy',
      },
    ],
    probeVnet: { zoneLinked: false, passSubnet: true, subnets: [{ name: 'apps', serviceEndpoints: KV_SE }] },
    expect: {
      'kv-svcep-legacy': expectation('unhealthy', [
        ['DNS_PUBLIC_IP', E],
        ['ZONE_NOT_LINKED', E],
        ['DATAPLANE_NOT_PRIVATE', W],
      ]),
    },
  },
  {
    name: 'service-endpoint-private-healthy',
    description:
      'A subnet with the Key Vault service endpoint and a private endpoint in its VNet, the zone linked: DNS answers the private endpoint and the connection arrives over private link (the service endpoint does not take traffic to a private endpoint IP).',
    topology: { name: 'service-endpoint-private' },
    vaults: [
      {
        name: 'kv-svcep-pl',
        publicNetworkAccess: 'Enabled',
        firewall: { defaultAction: 'Deny', vnetRules: ['vnet-probe/apps'] },
        endpoints: [{ name: 'pe-svcep-pl', ip: '10.0.94.4' }],
      },
    ],
    probeVnet: { passSubnet: true, subnets: [{ name: 'apps', serviceEndpoints: KV_SE }] },
    expect: { 'kv-svcep-pl': ok },
  },
];

/** Every issue 20 scenario, in the catalogue after the others. */
export const NETWORK_SCENARIOS: readonly Scenario[] = [...SMALLER_TRUTHS, ...SERVICE_ENDPOINTS, ...REACH_SCENARIOS];
