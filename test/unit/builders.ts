import { cloudProfile } from '../../src/probe/clouds';
import { objectOf, type Diagnosis } from '../../src/probe/diagnoses';
import type { ReportedFinding } from '../../src/probe/report';
import { checkInput, type CheckInput } from '../../src/probe/checks';
import type { Observer } from '../../src/probe/observer';
import type { ProbeRequest } from '../../src/probe/pipeline';
import type {
  DataplaneObservation,
  ExpectedEndpoint,
  ExpectedState,
  ObservedState,
  Site,
  VaultConnection,
  VaultRecord,
} from '../../src/probe/types';

export const SUB = '11111111-1111-1111-1111-111111111111';
export const CLOUD = cloudProfile('AzureCloud');
export const HOST = 'kv1.vault.azure.net';
export const PL = 'kv1.privatelink.vaultcore.azure.net';

export const peId = (name: string): string =>
  `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/privateEndpoints/${name}`;

/** An endpoint of kv1 with one NIC IP; healthy unless told otherwise. */
export function endpoint(
  name: string,
  ip: string,
  o: Partial<{ status: string; provisioning: string; peProvisioning: string; peStatus: string; fqdns: string[] }> = {},
): ExpectedEndpoint {
  const connection: VaultConnection = {
    id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1/privateEndpointConnections/${name}-conn`,
    privateEndpointId: peId(name),
    status: o.status ?? 'Approved',
    provisioningState: o.provisioning ?? 'Succeeded',
  };
  return {
    connection,
    endpoint: {
      id: peId(name),
      name,
      provisioningState: o.peProvisioning ?? 'Succeeded',
      subnetId: undefined,
      connections: [
        {
          name: `${name}-plsc`,
          approval: 'auto',
          privateLinkServiceId: undefined,
          status: o.peStatus ?? o.status ?? 'Approved',
          provisioningState: 'Succeeded',
          description: undefined,
        },
      ],
      networkInterfaceIds: [`${peId(name)}.nic`],
      customDnsConfigs: [],
    },
    networkInterfaces: [
      { id: `${peId(name)}.nic`, ipConfigurations: [{ privateIpAddress: ip, fqdns: o.fqdns ?? [HOST] }] },
    ],
    errors: [],
  };
}

export function expected(endpoints: ExpectedEndpoint[], publicNetworkAccess = 'Disabled'): ExpectedState {
  return {
    vault: {
      id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1`,
      name: 'kv1',
      subscriptionId: SUB,
      resourceGroup: 'rg',
      host: HOST,
      publicNetworkAccess,
      connections: endpoints.map((e) => e.connection),
    },
    endpoints,
  };
}

/** A healthy answer over private link through endpoint `pe` (default pe1), in the header's current form. */
export function healthyPlane(address: string, pe = 'pe1'): DataplaneObservation {
  return {
    address,
    status: 200,
    networkInfo: `conn_type=PrivateLink;private_endpoint=${peId(pe)};addr=10.0.0.4;act_addr_fam=InterNetworkV6;`,
    tcpConnectionForbidden: false,
    timings: { totalMs: 3 },
  };
}

export function observed(
  o: Partial<{
    os: string[];
    dns: string[];
    cnames: string[];
    osError: ObservedState['dns']['os']['error'];
    dnsError: ObservedState['dns']['dns']['error'];
    dataplane: DataplaneObservation[];
    proxy: ObservedState['proxy'];
  }> = {},
): ObservedState {
  const os = o.os ?? ['10.0.1.4'];
  const dns = o.dns ?? os;
  return {
    host: HOST,
    dns: {
      os: { addresses: o.osError ? [] : os, ...(o.osError ? { error: o.osError } : {}), durationMs: 1 },
      dns: {
        servers: ['127.0.0.1:53'],
        cnames: o.cnames ?? [PL],
        addresses: o.dnsError ? [] : dns,
        ...(o.dnsError ? { error: o.dnsError } : {}),
        durationMs: 1,
      },
    },
    dataplane: o.dataplane ?? os.map((a) => healthyPlane(a)),
    dataplaneSkipped: false,
    proxy: o.proxy,
  };
}

/** The checks' input, judged from `site` when given (else no VNet is known: the expectation is assumed). */
export function input(exp: ExpectedState | undefined, obs: ObservedState, site?: Site): CheckInput {
  return checkInput({ cloud: CLOUD, expected: exp, observed: obs, ...(site ? { site } : {}) });
}

/** A run's request over SUB: data plane on, 200 ms steps, 4 vaults at once, unless told otherwise. */
export const probeRequest = (over: Partial<ProbeRequest> = {}): ProbeRequest => ({
  cloud: CLOUD,
  location: 't',
  subscriptions: [SUB],
  targets: [],
  dataplane: true,
  timeoutMs: 200,
  concurrency: 4,
  ...over,
});

/** A vault of SUB as an inventory lists it: one approved connection without an endpoint ID, unless told otherwise. */
export const vaultRecord = (name: string, extra: Partial<VaultRecord> = {}): VaultRecord => ({
  id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/${name}`,
  name,
  subscriptionId: SUB,
  resourceGroup: 'rg',
  host: `${name}.vault.azure.net`,
  publicNetworkAccess: 'Disabled',
  connections: [{ id: 'c', privateEndpointId: undefined, status: 'Approved', provisioningState: 'Succeeded' }],
  ...extra,
});

/** Both resolvers answer 10.0.0.4 at once, and the data plane answers 200. */
export const quietObserver = (over: Partial<Observer> = {}): Observer => ({
  resolveOs: async () => ({ addresses: ['10.0.0.4'], durationMs: 1 }),
  resolveDns: async () => ({ servers: [], cnames: [], addresses: ['10.0.0.4'], durationMs: 1 }),
  probeDataplane: async (_h, address) => ({
    address,
    status: 200,
    tcpConnectionForbidden: false,
    timings: { totalMs: 1 },
  }),
  proxyFor: () => undefined,
  ...over,
});

/**
 * Each finding as a diagnosis of its own (its root, explaining nothing): the diagnoses a telemetry test's result
 * carries when the test is about what is sent, not about which finding explains which (test/unit/diagnoses.test.ts).
 */
export const ownDiagnoses = (findings: readonly ReportedFinding[]): Diagnosis[] =>
  findings.map((f, i) => ({
    code: f.code,
    severity: f.severity,
    title: f.title,
    message: f.message,
    remediation: f.remediation,
    resourceId: f.resourceId,
    object: objectOf(f.code, f.resourceId),
    fix: f.fix,
    confirm: f.confirm,
    explains: [],
    root: i,
    explained: [],
  }));
