import { availableParallelism, loadavg } from 'node:os';
import { staticTokenCredential } from '../../src/adapters/credential';
import { createProbeDeps } from '../../src/engine';
import { cloudProfile } from '../../src/probe/clouds';
import { runMap } from '../../src/probe/estate';
import { ArmEmulator } from './arm-emulator';
import { compileScenario, labVnetId, SUB_APP, type Scenario, type ScenarioVault } from './scenario';
import { createLabPki, trustLabCa } from './tls';
import { ESTATE_BUDGET, type EstateRunFigures } from './figures';

/**
 * `npm run bench` (issue 25): `kvprobe map` over an estate of `vnets` VNets and `vaults` vaults in one
 * subscription, the lab's ARM in another process. A hub with a DNS Private Resolver and an Azure Firewall with DNS
 * proxy, the vaults' endpoints in the hub; the spokes peered with it, in turn linked to the ruleset, using the inbound
 * endpoint, using the firewall, or linked to the zone; one spoke in 50 not linked at all, one in 100 on a VM's DNS.
 */
export function estateBenchScenario(vnets: number, vaults: number): Scenario {
  const list: ScenarioVault[] = Array.from({ length: vaults }, (_, i) => ({
    name: `kv-estate-${String(i).padStart(5, '0')}`,
    endpoints: [
      {
        name: `pe-estate-${i}`,
        ip: `10.${100 + Math.floor(i / 65536)}.${Math.floor(i / 256) % 256}.${i % 256}`,
        vnet: 'vnet-hub',
      },
    ],
  }));
  const spokes = Array.from({ length: Math.max(0, vnets - 2) }, (_, i) => `spoke-${String(i).padStart(4, '0')}`);
  const kind = (i: number): 'ruleset' | 'inbound' | 'firewall' | 'linked' | 'unlinked' | 'vm' =>
    i % 100 === 99
      ? 'vm'
      : i % 50 === 49
        ? 'unlinked'
        : ((['ruleset', 'inbound', 'firewall', 'linked'] as const)[i % 4] ?? 'ruleset');
  return {
    name: `bench-estate-${vnets}-${vaults}`,
    description: 'estate benchmark',
    vaults: list,
    probeVnet: {
      addressPrefixes: ['10.11.0.0/16'],
      zoneLinked: false,
      zoneLinkedTo: ['vnet-hub', ...spokes.filter((_, i) => kind(i) === 'linked')],
      peers: [{ name: 'vnet-hub', addressPrefixes: ['10.96.0.0/11'] }],
      privateResolver: { vnet: 'vnet-hub', inboundIp: '10.96.0.70' },
    },
    estate: {
      vnets: [
        { name: 'vnet-hub', addressPrefixes: ['10.96.0.0/11'], peers: ['vnet-probe'] },
        ...spokes.map((name, i) => ({
          name,
          addressPrefixes: [`10.${12 + Math.floor(i / 256)}.${i % 256}.0/24`],
          peers: ['vnet-hub'],
          ...(kind(i) === 'inbound' ? { dnsServers: ['10.96.0.70'] } : {}),
          ...(kind(i) === 'firewall' ? { dnsServers: ['10.96.1.4'] } : {}),
          ...(kind(i) === 'vm' ? { dnsServers: ['10.250.0.4'] } : {}),
        })),
      ],
      rulesetLinks: spokes.filter((_, i) => kind(i) === 'ruleset'),
      firewalls: [{ name: 'fw-hub', vnet: 'vnet-hub', privateIp: '10.96.1.4', dnsProxy: true }],
    },
    expect: {},
  };
}

/** One measured map, as docs/measurements/estate.json records it. */
export type EstateBenchRun = EstateRunFigures;

/** The lab's ARM for the estate, in its own process (see bench.ts `--serve`). */
export async function serveEstate(vnets: number, vaults: number, latencyMs: number, pageSize: number): Promise<void> {
  const pki = createLabPki();
  const compiled = compileScenario(estateBenchScenario(vnets, vaults));
  const arm = await ArmEmulator.start({ pki, pageSize, latencyMs });
  for (const s of compiled.subscriptions) arm.addSubscription(s);
  for (const r of compiled.resources) arm.put(r);
  process.stdout.write(
    JSON.stringify({ armUrl: arm.url, dns: '', caPem: pki.caPem, token: arm.trustedToken() }) + '\n',
  );
  process.stdin.on('data', (d: Buffer) => {
    if (d.toString().includes('count'))
      process.stdout.write(JSON.stringify({ armRequests: arm.requests.length }) + '\n');
  });
  await new Promise<void>((done) => process.stdin.on('end', done));
  await arm.stop();
}

/** One measured map: the estate in this process, ARM in the server process. */
export async function oneEstate(
  server: {
    endpoints: { armUrl: string; caPem: string; token: string };
    count: () => Promise<{ armRequests: number }>;
    stop: () => void;
  },
  vnets: number,
  vaults: number,
  concurrency: number,
  timeoutMs: number,
): Promise<EstateBenchRun> {
  trustLabCa(server.endpoints.caPem);
  const cloud = cloudProfile('AzureCloud', server.endpoints.armUrl);
  const deps = createProbeDeps({
    inventory: 'batched',
    cloud,
    dnsServers: [],
    connectTo: [],
    timeoutMs,
    env: {},
    credential: staticTokenCredential(server.endpoints.token),
  });
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const report = await runMap(
    { cloud, location: 'bench', subscriptions: [SUB_APP], targets: [], dataplane: false, timeoutMs, concurrency },
    deps,
    { observedVnets: [labVnetId(estateBenchScenario(0, 0), 'vnet-probe')] },
  );
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const { armRequests } = await server.count();
  server.stop();
  return {
    vnets,
    vaults,
    armRequests,
    wallMs: Math.round(wallMs),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    pairs: report.summary.pairs,
    unhealthy: report.summary.status.unhealthy,
    diagnoses: report.summary.diagnoses,
    loadAverage: Math.round((loadavg()[0] ?? 0) * 10) / 10,
  };
}

/** The per-site run the estate is compared with: the batched check of as many vaults, same bench run. */
export interface PerSiteFigure {
  readonly vaults: number;
  readonly subscriptions: number;
  readonly wallMs: number;
  readonly armRequests: number;
}

export function estateTable(r: EstateBenchRun, perSite?: PerSiteFigure): string {
  const ratio = perSite
    ? [
        `Against the per-site run of ${perSite.vaults} vaults (batched, ${perSite.subscriptions} subscription${perSite.subscriptions === 1 ? '' : 's'}) in this bench run: wall ${(r.wallMs / Math.max(1, perSite.wallMs)).toFixed(2)}x (${r.wallMs} / ${perSite.wallMs} ms), ARM requests ${r.armRequests} / ${perSite.armRequests}, for ${r.vnets}x the VNets.`,
      ]
    : [];
  return [
    `Estate map (kvprobe map): ${r.vnets} VNets x ${r.vaults} vaults = ${r.pairs} pairs in one subscription.`,
    '',
    '| VNets | vaults | ARM req | budget | wall ms | CPU ms | budget | peak RSS MB | budget | unhealthy pairs | diagnoses |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${r.vnets} | ${r.vaults} | ${r.armRequests} | ${ESTATE_BUDGET.armRequests} | ${r.wallMs} | ${r.cpuMs} | ${ESTATE_BUDGET.wallMs} | ${r.peakRssMb} | ${ESTATE_BUDGET.peakRssMb} | ${r.unhealthy} | ${r.diagnoses} |`,
    `Load average when the map ended: ${r.loadAverage.toFixed(1)} on ${availableParallelism()} cores.`,
    ...ratio,
    '',
  ].join('\n');
}
