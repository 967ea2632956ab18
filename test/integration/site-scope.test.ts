import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
// The compiled lab, in loopback mode, in this process; the timer runs in the Functions app's own process (run.ts).
// The path is only known at run time (dist/), so these are require() calls typed by the sources they were built from.
/* eslint-disable @typescript-eslint/no-require-imports */
const { Lab } = require(join(ROOT, 'dist', 'test', 'lab', 'lab.js')) as typeof import('../lab/lab');
const { SITE_SCOPE_SCENARIO } = require(
  join(ROOT, 'dist', 'test', 'lab', 'scenarios.js'),
) as typeof import('../lab/scenarios');
const { runTimer } = require(join(ROOT, 'dist', 'test', 'lab', 'run.js')) as typeof import('../lab/run');
/* eslint-enable @typescript-eslint/no-require-imports */

type Lab = import('../lab/lab').Lab;
type Scenario = import('../lab/scenario').Scenario;

/**
 * issue 23: the timer's default site scope, through the real timer handler in the app's own process against the lab.
 * The lab logs every ARM request, DNS query and data-plane request: a vault left out of the scope must appear in the
 * ARM log only, with the reads that decided it (its endpoint and the endpoint's NIC), and nowhere else.
 */
const LEFT_OUT = ['kv-scope-theirs', 'kv-scope-away'];
const PROBED = ['kv-scope-here', 'kv-scope-named', 'kv-scope-tagged'];
/** The lab's application subscription, where the scenario's endpoints live, and the NIC suffix of each endpoint. */
const SUB = '4b1f7a2e-6c3d-4e5f-8a9b-0c1d2e3f4a5b';
const IP: Record<string, string> = { 'kv-scope-theirs': '10-70-9-6', 'kv-scope-away': '10-70-9-7' };

interface Observed {
  readonly vaults: string[];
  readonly heartbeat: { properties: Record<string, string>; measurements: Record<string, number> };
  readonly logs: readonly string[];
  /** By vault: the ARM paths that name it or its endpoint, the DNS names asked, the data-plane requests. */
  readonly arm: (vault: string) => string[];
  readonly dns: (vault: string) => number;
  readonly dataplane: (vault: string) => { requests: number; authenticated: number };
  readonly connections: number;
}

async function observe(scenario: Scenario, inventory?: string): Promise<Observed> {
  const lab: Lab = await Lab.start(scenario, 'loopback');
  if (inventory) lab.inventory = inventory;
  try {
    const timer = await runTimer(lab);
    if (timer.error) throw new Error(`the timer failed: ${timer.error}`);
    const heartbeat = timer.events.find((e) => e['name'] === 'KvProbeHeartbeat') ?? {};
    const arm = lab.arm.requests.map((r) => r.path.toLowerCase());
    const dns = lab.dns.queries.map((q) => q.name.toLowerCase());
    const dp = [...lab.dataplane.requests];
    const names = (r: { sni?: string; host?: string }): string => `${r.sni ?? ''} ${r.host ?? ''}`.toLowerCase();
    return {
      // The timer logs one result line per vault it probed (healthy ones send no state record).
      vaults: timer.logs.flatMap((l) => /"kvprobe":"result".*?"vault":"([^"]+)"/.exec(l)?.slice(1) ?? []).sort(),
      heartbeat: {
        properties: (heartbeat['properties'] ?? {}) as Record<string, string>,
        measurements: (heartbeat['measurements'] ?? {}) as Record<string, number>,
      },
      logs: timer.logs,
      arm: (vault) => arm.filter((p) => p.includes(`/${vault}`) || p.includes(`/pe-${vault}`)),
      dns: (vault) => dns.filter((n) => n.startsWith(`${vault}.`)).length,
      dataplane: (vault) => {
        const mine = dp.filter((r) => names(r).includes(`${vault}.`));
        return { requests: mine.length, authenticated: mine.filter((r) => r.audience !== undefined).length };
      },
      connections: lab.dataplane.connections,
    };
  } finally {
    await lab.stop();
  }
}

describe('the timer probes what its site reaches privately, and the vaults named for it (PROBE_SITE_SCOPE=private)', () => {
  // The timer's own choice here (auto: batched lists), each vault read on its own, and Resource Graph (its tags).
  let scoped: Observed;
  let perVault: Observed;
  let graph: Observed;
  let all: Observed;
  beforeAll(async () => {
    scoped = await observe(SITE_SCOPE_SCENARIO);
    perVault = await observe(SITE_SCOPE_SCENARIO, 'per-vault');
    graph = await observe(SITE_SCOPE_SCENARIO, 'resource-graph');
    all = await observe({ ...SITE_SCOPE_SCENARIO, env: { ...SITE_SCOPE_SCENARIO.env, PROBE_SITE_SCOPE: 'all' } });
  }, 170_000);

  it('probes the reached vault, the one PROBE_SITE_VAULTS names and the one tagged for this site; not the others', () => {
    expect(scoped.vaults).toEqual([...PROBED].sort());
    expect(perVault.vaults).toEqual([...PROBED].sort());
    // Resource Graph's rows carry the tags too (the query projects them).
    expect(graph.vaults).toEqual([...PROBED].sort());
    expect(all.vaults).toEqual([...PROBED, ...LEFT_OUT].sort());
  });

  it('counts the inventory, the vaults probed and those left out in the heartbeat, and says so in the log', () => {
    expect(scoped.heartbeat.properties['siteScope']).toBe('private');
    expect(scoped.heartbeat.measurements).toMatchObject({ inventory: 5, vaults: 3, outOfScope: 2 });
    expect(all.heartbeat.properties['siteScope']).toBe('all');
    expect(all.heartbeat.measurements).toMatchObject({ inventory: 5, vaults: 5, outOfScope: 0 });
    expect(scoped.logs.join('\n')).toContain("2 of 5 left out of this site's scope (PROBE_SITE_SCOPE=private)");
  });

  it.each(LEFT_OUT)('%s costs the ARM reads that decided it and nothing else', (vault) => {
    // Batched: the subscription's lists, shared with every vault, decided it: no read of its own.
    expect(scoped.arm(vault)).toEqual([]);
    // Read vault by vault: its endpoint and the endpoint's NIC, what tells where the endpoint is; no zone group,
    // zone or perimeter read.
    expect(perVault.arm(vault)).toEqual([
      `/subscriptions/${SUB}/resourcegroups/network/providers/microsoft.network/privateendpoints/pe-${vault}`,
      `/subscriptions/${SUB}/resourcegroups/network/providers/microsoft.network/networkinterfaces/pe-${vault}.nic.${IP[vault]}`,
    ]);
    for (const run of [scoped, perVault, graph]) {
      expect(run.dns(vault)).toBe(0);
      expect(run.dataplane(vault)).toEqual({ requests: 0, authenticated: 0 });
    }
  });

  it.each(LEFT_OUT)('with PROBE_SITE_SCOPE=all, %s is resolved, connected to and read with a token', (vault) => {
    // What the default saves: the same vault under `all` (public access on) costs DNS, TLS and an audit entry.
    expect(all.dns(vault)).toBeGreaterThan(0);
    expect(all.dataplane(vault).requests).toBeGreaterThan(0);
    expect(all.dataplane(vault).authenticated).toBeGreaterThan(0);
    expect(all.connections).toBeGreaterThan(scoped.connections);
  });
});
