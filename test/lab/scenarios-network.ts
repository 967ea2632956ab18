import type { FindingCode } from '../../src/probe/findings';
import type { Severity, VaultStatus } from '../../src/probe/types';
import { SUB_APP, SUB_NET, type Scenario, type ScenarioExpectation } from './scenario';

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
    description: 'The same vault once its connection is Approved: the privatelink CNAME is there, and so is the record.',
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

/** Every issue 20 scenario, in the catalogue after the others. */
export const NETWORK_SCENARIOS: readonly Scenario[] = [...SMALLER_TRUTHS];
