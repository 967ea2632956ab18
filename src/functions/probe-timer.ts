import { app, type InvocationContext, type Timer } from '@azure/functions';
import { randomUUID } from 'node:crypto';
import { ConfigError, DEFAULTS, probeRequestFor, scheduleProblem, startOffsetOf } from '../config';
import { AuthenticatedReadWatch } from '../probe/auth-watch';
import { AuthReadGate } from '../probe/auth-read-gate';
import { runProbe } from '../probe/pipeline';
import type { RunReport } from '../probe/report';
import { FindingChangeTracker } from '../telemetry/changes';
import { StateTracker } from '../telemetry/state';
import { configErrorHeartbeat, telemetryFor } from '../telemetry/records';
import { VERSION } from '../version';
import { estatePass } from './estate-pass';
import { createRuntime, logResults, type TriggerRuntime } from './runtime';
import { siteSchedule } from './start-offset';

/**
 * How long a run waits for telemetry to reach ingestion before it gives up (results are logged anyway). Above the
 * exporter's 10 s per-request bound (INGESTION_REQUEST_TIMEOUT_MS in adapters/app-insights.ts), so a POST that hangs
 * has ended, and its items are on disk for the SDK to retry, before the handler returns.
 */
export const FLUSH_TIMEOUT_MS = 15_000;

/**
 * The scheduled probe: every vault in scope; the vault states that appeared or changed (all of them in a snapshot), the
 * findings that appeared, changed or are due for a refresh, the ones that went away, and the run record (heartbeat). The change state lives in this handler's closure, for
 * the life of the process.
 */
/** The log line's word on the site scope: how many vaults of the inventory this site left out, if any. */
function outOfScope(report: RunReport): string {
  const scope = report.siteScope;
  return scope && scope.leftOut > 0
    ? `, ${scope.leftOut} of ${scope.inventory} left out of this site's scope (PROBE_SITE_SCOPE=${scope.mode})`
    : '';
}

export function createTimerHandler(runtime: TriggerRuntime) {
  // One run at a time per process: a run that overran its schedule must not pile a second one onto the same
  // resolver threads and sockets. Refused runs are logged, and counted in the next heartbeat.
  let running = false;
  let refused = 0;
  const state: TelemetryState = {};
  const takeRefused = (): number => {
    const n = refused;
    refused = 0;
    return n;
  };
  return async (timer: Timer, context: InvocationContext): Promise<void> => {
    if (running) {
      refused++;
      context.warn(
        `kvprobe: the previous run is still going; this one is skipped (${refused} skipped since the last heartbeat).`,
      );
      return;
    }
    running = true;
    try {
      // Read when the heartbeat is built, at the end of the run: the refusals happen while a run is going.
      await runOnce(runtime, timer, context, takeRefused, state);
    } finally {
      running = false;
    }
  };
}

async function runOnce(
  runtime: TriggerRuntime,
  timer: Timer,
  context: InvocationContext,
  takeRefused: () => number,
  state: TelemetryState,
): Promise<void> {
  {
    let settings;
    try {
      settings = runtime.settings({ requireScope: true });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      await reportConfigError(runtime, timer, context, error);
      return;
    }
    const changes = (state.changes ??= new FindingChangeTracker(settings.findingRefreshRuns));
    // The snapshot period is the finding refresh period: hourly at the default 12 runs of 5 minutes.
    const states = (state.states ??= new StateTracker(settings.findingRefreshRuns));
    const authReadGate = (state.authReadGate ??= new AuthReadGate(settings.dataplaneAuthPeriodMinutes * 60_000));
    for (const w of settings.warnings ?? []) context.warn(`kvprobe: ${w}`);
    if (timer.isPastDue) context.warn('kvprobe: this run is past due (the previous one overran or the host was down).');
    // A vault whose authenticated read worked in an earlier run and is lost now is routed to the probe's own alert.
    const auth = (state.auth ??= new AuthenticatedReadWatch());
    const report = auth.next(
      await runProbe(
        probeRequestFor(settings, {
          siteScope: { mode: settings.siteScope, site: settings.location, vaults: settings.siteVaults },
        }),
        { ...runtime.probeDeps(settings), authReadGate },
      ),
    );
    logResults(context, report);
    const s = report.summary;
    context.log(
      `kvprobe: run ${report.runId} at ${report.location}: ${s.vaults} vaults, ${s.healthy} healthy, ${s.unhealthy} unhealthy, ${s.unknown} unknown, ${s.skipped} skipped${outOfScope(report)} in ${Math.round(report.durationMs)} ms`,
    );
    const publisher = runtime.publisher(settings);
    if (settings.estate)
      await estatePass(
        settings,
        runtime.probeDeps(settings),
        context,
        publisher ? (events) => publisher.publish({ availability: [], events }) : undefined,
        VERSION,
      );
    if (!publisher) {
      context.warn('kvprobe: APPLICATIONINSIGHTS_CONNECTION_STRING is not set; results are in the function log only.');
      return;
    }
    publisher.publish(
      telemetryFor(
        report,
        {
          vnetId: settings.vnetId,
          isPastDue: timer.isPastDue,
          trigger: 'timer',
          version: VERSION,
          overlappingRunsSkipped: takeRefused(),
        },
        changes.next(report),
        states.next(report),
      ),
    );
    const flushed = await publisher.flush(FLUSH_TIMEOUT_MS);
    states.confirm(flushed);
    if (!flushed) {
      // Unconfirmed: send every finding again next run rather than risk a gap (duplicates are cheaper than silence);
      // the state tracker sends again the states the run carried (a snapshot in full).
      changes.forget();
      context.warn(
        `kvprobe: telemetry for run ${report.runId} was not confirmed within ${FLUSH_TIMEOUT_MS} ms; the SDK keeps retrying, and every result is in the log above.`,
      );
    }
  }
}

/** What the timer keeps between runs in the process: lost on restart, so the first run sends a snapshot. */
interface TelemetryState {
  changes?: FindingChangeTracker;
  states?: StateTracker;
  auth?: AuthenticatedReadWatch;
  /** Which authenticated reads each vault had, and when (PROBE_DATAPLANE_AUTH_PERIOD). */
  authReadGate?: AuthReadGate;
}

/**
 * No run is made with refused settings: the log names them and what is wrong, and so does a heartbeat (when the
 * telemetry settings themselves are usable), which the heartbeat-missing alert does not count.
 */
async function reportConfigError(
  runtime: TriggerRuntime,
  timer: Timer,
  context: InvocationContext,
  error: ConfigError,
): Promise<void> {
  context.error(`kvprobe: no run: the settings are refused: ${error.quiet.join(' ')}`);
  const fallback = runtime.fallback?.();
  const publisher = fallback ? runtime.publisher(fallback) : undefined;
  if (!fallback || !publisher) return;
  publisher.publish({
    availability: [],
    events: [
      configErrorHeartbeat(fallback.location, randomUUID(), error.quiet, {
        isPastDue: timer.isPastDue,
        version: VERSION,
      }),
    ],
  });
  await publisher.flush(FLUSH_TIMEOUT_MS);
}

/**
 * The schedule the host registers: PROBE_SCHEDULE when valid, shifted within its interval by PROBE_START_OFFSET
 * (default: an offset derived from the site name). An invalid value fails every run with its reason.
 */
export function timerSchedule(env: Readonly<Record<string, string | undefined>>): string {
  const get = (name: string): string | undefined => env[name]?.trim() || undefined;
  const value = get('PROBE_SCHEDULE');
  const base = value && !scheduleProblem(value, 'PROBE_SCHEDULE') ? value : DEFAULTS.schedule;
  const site = get('PROBE_SITE') ?? get('PROBE_LOCATION') ?? get('WEBSITE_SITE_NAME') ?? 'local';
  return siteSchedule(base, startOffsetOf(get('PROBE_START_OFFSET') ?? 'auto') ?? 'auto', site);
}

export function registerTimer(
  env: Readonly<Record<string, string | undefined>>,
  runtime: TriggerRuntime = createRuntime(env),
): void {
  app.timer('probeTimer', { schedule: timerSchedule(env), runOnStartup: false, handler: createTimerHandler(runtime) });
}
