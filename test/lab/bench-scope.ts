/**
 * What the timer's site scope saves (issue 23), measured by `npm run bench:fleet`: one timer run in the app's own
 * process against the lab (loopback), over vaults of three kinds, under PROBE_SITE_SCOPE=all and =private, counting
 * from the lab's logs the ARM requests, DNS queries, data-plane connections and authenticated reads (each one denied
 * audit entry in the vault's log). The figures go to test/lab/fleet-figures.json as `siteScope`.
 */
import { Lab } from './lab';
import { runTimer } from './run';
import type { Scenario, ScenarioVault } from './scenario';

/** How many vaults of each kind the measured site sees. */
export const SCOPE_MIX = { reached: 4, publicElsewhere: 4, disabledElsewhere: 8 } as const;

export interface ScopeCounts {
  readonly probed: number;
  readonly armRequests: number;
  readonly dnsQueries: number;
  readonly connections: number;
  readonly authenticatedReads: number;
}

export interface ScopeFigures {
  readonly mix: typeof SCOPE_MIX;
  readonly all: ScopeCounts;
  readonly private: ScopeCounts;
}

const pad = (i: number): string => String(i).padStart(2, '0');

function scopeScenario(): Scenario {
  const elsewhere = (name: string, n: number, publicNetworkAccess: 'Enabled' | 'Disabled'): ScenarioVault => ({
    name,
    publicNetworkAccess,
    endpoints: [{ name: `pe-${name}`, ip: `10.70.${n}.4`, vnet: 'vnet-other', zone: 'dns-other' }],
    dns: { kind: 'public' },
  });
  return {
    name: 'bench-site-scope',
    description: 'Vaults this site reaches privately, public vaults reached elsewhere, private-only vaults elsewhere.',
    vaults: [
      ...Array.from({ length: SCOPE_MIX.reached }, (_, i) => ({
        name: `kv-reach-${pad(i)}`,
        endpoints: [{ name: `pe-kv-reach-${pad(i)}`, ip: `10.89.${i}.4` }],
      })),
      ...Array.from({ length: SCOPE_MIX.publicElsewhere }, (_, i) => elsewhere(`kv-pub-${pad(i)}`, i, 'Enabled')),
      ...Array.from({ length: SCOPE_MIX.disabledElsewhere }, (_, i) =>
        elsewhere(`kv-off-${pad(i)}`, 100 + i, 'Disabled'),
      ),
    ],
    probeVnet: {},
    expect: {},
  };
}

async function count(scope: 'all' | 'private'): Promise<ScopeCounts> {
  const base = scopeScenario();
  const lab = await Lab.start({ ...base, env: { PROBE_SITE_SCOPE: scope } }, 'loopback');
  try {
    const timer = await runTimer(lab);
    if (timer.error) throw new Error(`the timer failed: ${timer.error}`);
    const heartbeat = timer.events.find((e) => e['name'] === 'KvProbeHeartbeat');
    const measurements = (heartbeat?.['measurements'] ?? {}) as Record<string, number>;
    return {
      probed: measurements['vaults'] ?? -1,
      armRequests: lab.arm.requests.length,
      dnsQueries: lab.dns.queries.length,
      connections: lab.dataplane.connections,
      authenticatedReads: lab.dataplane.requests.filter((r) => r.audience !== undefined).length,
    };
  } finally {
    await lab.stop();
  }
}

/** One timer run under each scope, one after the other. */
export async function measureScope(): Promise<ScopeFigures> {
  const all = await count('all');
  const scoped = await count('private');
  return { mix: SCOPE_MIX, all, private: scoped };
}
