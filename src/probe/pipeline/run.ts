import { randomUUID } from 'node:crypto';
import { AzureDnsGate } from '../azure-dns-gate';
import { vaultHostname } from '../clouds';
import { mapLimit, settleBy, since } from '../concurrency';
import { finding, type Finding } from '../findings';
import { runHints } from '../hints';
import { reportFindings, summarize, type RunReport, type VaultResult } from '../report';
import { discover } from './discover';
import { identify } from './identify';
import { emptyResult, probeOne, stepFailedResult } from './probe-one';
import { BudgetedReader, inventoryBudget } from './reader';
import { slowestVault, StageClock } from './timing';
import type { Discovered, Discovery, LeftOut, ProbeDeps, ProbeRequest, ProgressEvent } from './types';

/** The result of a vault the run did not finish before its deadline: unknown, never dropped. */
function deadlineResult(item: Discovered, deadlineMs: number, partial: VaultResult | undefined): VaultResult {
  const reported = reportFindings([
    finding(
      'RUN_DEADLINE_EXCEEDED',
      `The run's deadline of ${deadlineMs} ms passed before this vault was ${partial ? 'finished' : 'reached'}.`,
      { deadlineMs },
      {
        resourceId: identify(item).vaultId ?? undefined,
        fix: "az functionapp config appsettings set -g '<resource-group>' -n '<function-app>' --settings 'PROBE_RUN_DEADLINE_MS=<ms>' 'PROBE_CONCURRENCY=<n>'",
      },
    ),
  ]);
  const base: VaultResult = partial ?? emptyResult(item);
  // Step failures caused by the deadline say nothing about the vault: keep only the deadline finding.
  return { ...base, status: 'unknown', ...reported };
}

/** How long after the deadline the run waits for stages still settling before it reports them unknown. */
export const DEADLINE_GRACE_MS = 1000;

/** What discovery would have tried, when it did not finish by the deadline: each target, or each subscription. */
function undiscovered(req: ProbeRequest): Discovered[] {
  if (req.targets.length > 0) {
    return req.targets.map((t) => ({
      kind: 'unreadable',
      scope: 'vault',
      label: t.name,
      vaultId: t.kind === 'id' ? t.id : null,
      host: vaultHostname(t.name, req.cloud),
      findings: [],
    }));
  }
  const subs = req.subscriptions.length > 0 ? req.subscriptions : ['scope'];
  return subs.map((sub) => ({
    kind: 'unreadable',
    scope: 'subscription',
    label: sub,
    vaultId: sub === 'scope' ? null : `/subscriptions/${sub}`,
    host: null,
    findings: [],
  }));
}

function unreadableScope(req: ProbeRequest, error: unknown): Discovered {
  const failed = stepFailedResult(
    { kind: 'unreadable', scope: 'subscription', label: 'scope', vaultId: null, host: null, findings: [] },
    'discover',
    error,
  );
  return {
    kind: 'unreadable',
    scope: 'subscription',
    label: req.subscriptions.join(',') || 'scope',
    vaultId: null,
    host: null,
    findings: failed.findings.map(toFinding),
  };
}

function toFinding(f: VaultResult['findings'][number]): Finding {
  return finding('PROBE_STEP_FAILED', f.message, f.details as { stage: string; error: string }, {
    confirm: f.confirm,
  });
}

/** The whole pipeline: discover → expected → observed → compare → report. */
export async function runProbe(
  req: ProbeRequest,
  deps: ProbeDeps,
  signal: AbortSignal = new AbortController().signal,
): Promise<RunReport> {
  const startedAt = new Date();
  const t0 = performance.now();
  const clock = new StageClock();
  const runSignal = req.deadlineMs ? AbortSignal.any([signal, AbortSignal.timeout(req.deadlineMs)]) : signal;
  deps.bindRun?.(runSignal);
  const deadlineMs = req.deadlineMs ?? 0;
  const tell = (event: ProgressEvent): void => {
    try {
      deps.progress?.(event);
    } catch {
      // Progress is for the eyes only; it never changes a run.
    }
  };
  tell({ phase: 'listing' });
  // The last bound on the run: whatever a stage does, every item has a result DEADLINE_GRACE_MS after the deadline.
  const discovery = await clock.time('discover', () =>
    settleBy(
      discover(req, new BudgetedReader(deps.inventory, runSignal, inventoryBudget(req.timeoutMs))).catch(
        (error: unknown): Discovery => ({ items: [unreadableScope(req, error)], skipped: 0 }),
      ),
      runSignal,
      DEADLINE_GRACE_MS,
      () => ({ items: undiscovered(req), skipped: 0 }),
    ),
  );
  const { discoverMs } = clock.timings();
  // A management group's subscriptions, resolved by discovery, scope the zone and address-owner lookups too.
  const scoped: ProbeRequest =
    discovery.subscriptions && req.subscriptions.length === 0
      ? { ...req, subscriptions: discovery.subscriptions }
      : req;
  const reader = new BudgetedReader(deps.inventory, runSignal, inventoryBudget(scoped.timeoutMs));
  const gate = req.azureDns ? new AzureDnsGate(req.azureDns) : undefined;
  const total = discovery.items.length;
  let done = 0;
  tell({ phase: 'probing', done, total });
  const finished = new Array<VaultResult | LeftOut | undefined>(discovery.items.length);
  const all = mapLimit(discovery.items, req.concurrency, async (item, i): Promise<VaultResult | LeftOut> => {
    if (runSignal.aborted) {
      tell({ phase: 'probing', done: ++done, total });
      return (finished[i] = deadlineResult(item, deadlineMs, undefined));
    }
    const r = await probeOne(item, scoped, deps, reader, runSignal, gate);
    tell({ phase: 'probing', done: ++done, total });
    if ('leftOut' in r) return (finished[i] = r);
    return (finished[i] = runSignal.aborted && !signal.aborted ? deadlineResult(item, deadlineMs, r) : r);
  });
  const settled = await clock.time('probe', () =>
    settleBy(all, runSignal, DEADLINE_GRACE_MS, () =>
      discovery.items.map((item, i) => finished[i] ?? deadlineResult(item, deadlineMs, undefined)),
    ),
  );
  const results = settled.filter((r): r is VaultResult => !('leftOut' in r));
  tell({ phase: 'reporting' });
  const report = clock.timeSync('report', () => {
    const inventory = deps.inventory.describe();
    return {
      location: req.location,
      runId: randomUUID(),
      startedAt: startedAt.toISOString(),
      durationMs: since(t0),
      summary: summarize(results, discovery.skipped),
      ...(req.siteScope
        ? { siteScope: { mode: req.siteScope.mode, inventory: total, leftOut: total - results.length } }
        : {}),
      ...(gate ? { azureDns: gate.summary() } : {}),
      inventory: { source: inventory.source, fromCache: [...inventory.fromCache] },
      hints: runHints(results, req.vnetId !== undefined),
      results: results.map((r) => ({ ...r, timings: { discoverMs: discoverMs ?? 0, ...r.timings } })),
    };
  });
  return { ...report, timings: { ...clock.timings(), ...slowestVault(results, ['expected', 'observed', 'compare']) } };
}
