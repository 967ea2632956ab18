import type { InvocationContext } from '@azure/functions';
import type { TelemetryPublisher } from '../adapters/app-insights';
import { readAppSettings, type AppSettings } from '../config';
import { SnapshotCache } from '../probe/batched-inventory';
import type { NetworkReads } from '../probe/estate';
import type { ProbeDeps } from '../probe/pipeline';
import { resolvedAddresses, type RunReport } from '../probe/report';

/** What the triggers need from the outside world; tests build it from their own env. */
export interface TriggerRuntime {
  settings(opts: { requireScope: boolean }): AppSettings;
  /** The run's deps; `network`: the estate pass's bulk reads (the engine's deps have it). */
  probeDeps(
    settings: AppSettings,
    overrides?: { targetCount?: number },
  ): ProbeDeps & { readonly network?: NetworkReads };
  publisher(settings: AppSettings): TelemetryPublisher | undefined;
}

/*
 * The Azure SDKs and the App Insights SDK take most of the app's load time. The host loads this module to index
 * the functions, so they are required at the first invocation instead: indexing stays fast, and a run pays once.
 */
function engine(): typeof import('../engine') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../engine') as typeof import('../engine');
}

function appInsights(): typeof import('../adapters/app-insights') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../adapters/app-insights') as typeof import('../adapters/app-insights');
}

/** The runtime for an env: settings parsed once per scope requirement, one telemetry client per process. */
export function createRuntime(env: Readonly<Record<string, string | undefined>>): TriggerRuntime {
  const cache = new Map<boolean, AppSettings>();
  let publisher: TelemetryPublisher | undefined;
  // Kept across timer runs in this process: when ARM throttles a list, the last good one is used and reported.
  const snapshots = new SnapshotCache();
  return {
    settings({ requireScope }) {
      let s = cache.get(requireScope);
      if (!s) {
        s = readAppSettings(env, { requireScope });
        cache.set(requireScope, s);
      }
      return s;
    },
    probeDeps(settings, overrides) {
      return engine().probeDepsFor(settings, env, {
        cache: snapshots,
        ...(overrides?.targetCount !== undefined ? { targetCount: overrides.targetCount } : {}),
      });
    },
    publisher(settings) {
      if (!settings.connectionString) return undefined;
      publisher ??= appInsights().createAppInsightsPublisher(settings.connectionString, settings.authenticationString);
      return publisher;
    },
  };
}

/** One log line per vault, so results survive even when telemetry cannot be delivered. */
export function logResults(context: InvocationContext, report: RunReport): void {
  for (const r of report.results) {
    const line = JSON.stringify({
      kvprobe: 'result',
      runId: report.runId,
      location: report.location,
      vault: r.vault,
      vaultId: r.vaultId,
      status: r.status,
      addresses: resolvedAddresses(r.resolved),
      findings: r.findings.map((f) => ({ code: f.code, severity: f.severity, message: f.message })),
    });
    if (r.status === 'healthy') context.log(line);
    else context.warn(line);
  }
}
