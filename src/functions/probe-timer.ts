import { app, type InvocationContext, type Timer } from '@azure/functions';
import { DEFAULTS, probeRequestFor, scheduleProblem } from '../config';
import { runProbe } from '../probe/pipeline';
import { FindingChangeTracker } from '../telemetry/changes';
import { telemetryFor } from '../telemetry/records';
import { VERSION } from '../version';
import { estatePass } from './estate-pass';
import { createRuntime, logResults, type TriggerRuntime } from './runtime';

/**
 * How long a run waits for telemetry to reach ingestion before it gives up (results are logged anyway). Above the
 * exporter's 10 s per-request bound (INGESTION_REQUEST_TIMEOUT_MS in adapters/app-insights.ts), so a POST that hangs
 * has ended, and its items are on disk for the SDK to retry, before the handler returns.
 */
export const FLUSH_TIMEOUT_MS = 15_000;

/**
 * The scheduled probe: every vault in scope, one availability result each, the findings that appeared, changed or are
 * due for a refresh, the ones that went away, and a heartbeat. The change state lives in this handler's closure, for
 * the life of the process.
 */
export function createTimerHandler(runtime: TriggerRuntime) {
  // One run at a time per process: a run that overran its schedule must not pile a second one onto the same
  // resolver threads and sockets. Refused runs are logged, and counted in the next heartbeat.
  let running = false;
  let refused = 0;
  const state: { changes?: FindingChangeTracker } = {};
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
  state: { changes?: FindingChangeTracker },
): Promise<void> {
  {
    const settings = runtime.settings({ requireScope: true });
    const changes = (state.changes ??= new FindingChangeTracker(settings.findingRefreshRuns));
    if (timer.isPastDue) context.warn('kvprobe: this run is past due (the previous one overran or the host was down).');
    const report = await runProbe(probeRequestFor(settings), runtime.probeDeps(settings));
    logResults(context, report);
    const s = report.summary;
    context.log(
      `kvprobe: run ${report.runId} at ${report.location}: ${s.vaults} vaults, ${s.healthy} healthy, ${s.unhealthy} unhealthy, ${s.unknown} unknown, ${s.skipped} skipped in ${Math.round(report.durationMs)} ms`,
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
      ),
    );
    const flushed = await publisher.flush(FLUSH_TIMEOUT_MS);
    if (!flushed) {
      // Unconfirmed: send every finding again next run rather than risk a gap (duplicates are cheaper than silence).
      changes.forget();
      context.warn(
        `kvprobe: telemetry for run ${report.runId} was not confirmed within ${FLUSH_TIMEOUT_MS} ms; the SDK keeps retrying, and every result is in the log above.`,
      );
    }
  }
}

/** The schedule the host registers: PROBE_SCHEDULE when valid; an invalid one fails every run with its reason. */
export function timerSchedule(env: Readonly<Record<string, string | undefined>>): string {
  const value = env['PROBE_SCHEDULE']?.trim();
  return value && !scheduleProblem(value, 'PROBE_SCHEDULE') ? value : DEFAULTS.schedule;
}

export function registerTimer(
  env: Readonly<Record<string, string | undefined>>,
  runtime: TriggerRuntime = createRuntime(env),
): void {
  app.timer('probeTimer', { schedule: timerSchedule(env), runOnStartup: false, handler: createTimerHandler(runtime) });
}
