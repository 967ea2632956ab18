import { probeDataplaneAt } from '../../src/adapters/dataplane';
import { AuthReadGate } from '../../src/probe/auth-read-gate';
import { cloudProfile } from '../../src/probe/clouds';
import { parseConnectTo } from '../../src/probe/connect-to';
import type { Inventory } from '../../src/probe/inventory';
import type { Observer } from '../../src/probe/observer';
import { runProbe } from '../../src/probe/pipeline';
import type { NetworkInterfaceRecord, PrivateEndpointRecord, VaultRecord } from '../../src/probe/types';
import { DataplaneEmulator } from '../lab/dataplane-emulator';
import type { LabPki } from '../lab/tls';
import { mintLabToken } from '../lab/tokens';
import { emptyInventory } from '../support/empty-inventory';
import { useLabPki } from './lab-fixtures';

/**
 * The audit-quiet authenticated read (issue 23): 24 timer runs, 5 minutes apart, through the real pipeline and the
 * real data-plane adapter against the lab's Key Vault data plane, which logs every request. The default period is an
 * hour; the resolved addresses change before run 18 and the expectation (a second approved endpoint) before run 21.
 * Only the resolvers and ARM are plain data here: this file is about what reaches the vault.
 */

const SUB = '11111111-1111-1111-1111-111111111111';
const HOST = 'kv1.vault.azure.net';
const PE = (n: number): string =>
  `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/privateEndpoints/pe${n}`;
const RUN_MS = 5 * 60_000;
const HOUR_MS = 60 * 60_000;

const labPki = useLabPki();
let pki: LabPki;
let dp: DataplaneEmulator;

beforeAll(async () => {
  pki = labPki();
  dp = await DataplaneEmulator.start({
    pki,
    vaults: [{ host: HOST, publicNetworkAccess: 'Disabled' }],
    endpoints: [
      {
        represents: '10.0.1.4',
        kind: 'private',
        servesHost: HOST,
        privateEndpointId: PE(1),
        clientAddress: '10.0.0.9',
      },
      {
        represents: '10.0.1.5',
        kind: 'private',
        servesHost: HOST,
        privateEndpointId: PE(2),
        clientAddress: '10.0.0.9',
      },
    ],
  });
});

afterAll(async () => {
  await dp.stop();
});

/** The world the runs see; each run may change it. */
interface World {
  address: string;
  endpoints: number[];
}

function inventory(world: World): Inventory {
  const vault = (): VaultRecord => ({
    id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1`,
    name: 'kv1',
    subscriptionId: SUB,
    resourceGroup: 'rg',
    host: HOST,
    publicNetworkAccess: 'Disabled',
    connections: world.endpoints.map((n) => ({
      id: `c${n}`,
      privateEndpointId: PE(n),
      status: 'Approved',
      provisioningState: 'Succeeded',
    })),
  });
  return {
    ...emptyInventory(),
    listVaults: async () => [vault()],
    getVault: async () => vault(),
    getPrivateEndpoint: async (id): Promise<PrivateEndpointRecord> => ({
      id,
      name: id.split('/').pop() ?? '',
      provisioningState: 'Succeeded',
      subnetId: undefined,
      connections: [],
      networkInterfaceIds: [`${id}.nic`],
      customDnsConfigs: [],
    }),
    getNetworkInterface: async (id): Promise<NetworkInterfaceRecord> => ({
      id,
      ipConfigurations: [{ privateIpAddress: `10.0.1.${Number(/pe(\d+)/.exec(id)?.[1] ?? 0) + 3}`, fqdns: [] }],
    }),
    listVirtualHubs: async () => [],
    listEffectiveConnectivityConfigurations: async () => [],
  };
}

function observer(world: World): Observer {
  return {
    resolveOs: async () => ({ addresses: [world.address], durationMs: 1 }),
    resolveDns: async () => ({
      servers: [],
      cnames: ['kv1.privatelink.vaultcore.azure.net'],
      addresses: [world.address],
      durationMs: 1,
    }),
    probeDataplane: (host, address, signal, auth) => {
      const listener = dp.listenerFor(address);
      const rule = parseConnectTo(`${address}:443:${listener.host}:${listener.port}`);
      return probeDataplaneAt(host, address, [rule], signal, auth);
    },
    proxyFor: () => undefined,
  };
}

const reads = (): number => dp.requests.filter((r) => r.path === '/secrets').length;

async function runs(gate: AuthReadGate | undefined, clock: { now: number }): Promise<number[]> {
  const world: World = { address: '10.0.1.4', endpoints: [1] };
  const readRuns: number[] = [];
  for (let run = 0; run < 24; run++) {
    clock.now = run * RUN_MS;
    if (run === 18) world.address = '10.0.1.5';
    if (run === 21) world.endpoints = [1, 2];
    const before = reads();
    const report = await runProbe(
      {
        cloud: cloudProfile('AzureCloud'),
        location: 'spoke-001',
        subscriptions: [SUB],
        targets: [],
        dataplane: true,
        dataplaneAuth: true,
        timeoutMs: 5000,
        concurrency: 1,
      },
      {
        inventory: inventory(world),
        observer: observer(world),
        dataplaneTokens: { get: async (aud) => mintLabToken({ aud }) },
        ...(gate ? { authReadGate: gate } : {}),
      },
    );
    if (reads() > before) readRuns.push(run);
    // Every run carries the read's answer: sent now, or the last one with when it was read.
    const answer = report.results[0]?.dataplane[0]?.authenticated;
    expect([run, answer?.status, answer?.errorCode]).toEqual([run, 403, 'Forbidden']);
    expect([run, answer?.readAt === undefined]).toEqual([run, reads() > before]);
  }
  return readRuns;
}

describe('audit-quiet authenticated read over 24 runs, 5 minutes apart', () => {
  it('reads at most hourly, and at once when the addresses or the expectation change: 4 reads instead of 24', async () => {
    const clock = { now: 0 };
    const readRuns = await runs(new AuthReadGate(HOUR_MS, () => clock.now), clock);
    // Run 0: first sight. Run 12: the hour is over. Run 18: the resolved address changed. Run 21: the expectation
    // changed (a second approved endpoint).
    expect(readRuns).toEqual([0, 12, 18, 21]);
    // Audit entries per vault per hour at this site: 2 in the first hour (runs 0-11: 1), 24 without the gate.
  });

  it('without the gate (the CLI, the HTTP trigger, period 0) every run reads: 24 entries in 2 hours', async () => {
    const clock = { now: 0 };
    expect(await runs(undefined, clock)).toHaveLength(24);
    expect(await runs(new AuthReadGate(0, () => clock.now), clock)).toHaveLength(24);
  });
});
