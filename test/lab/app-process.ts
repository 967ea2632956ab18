import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { HttpRequest, InvocationContext, type HttpResponseInit, type Timer } from '@azure/functions';
import { osLookupsInFlight } from '../../src/adapters/dns';
import { probeRequestFor } from '../../src/config';
import { createHttpHandler } from '../../src/functions/probe-http';
import { createTimerHandler } from '../../src/functions/probe-timer';
import { createRuntime } from '../../src/functions/runtime';
import { runProbe } from '../../src/probe/pipeline';
import { VERSION } from '../../src/version';
import { legacyTelemetryFor } from './legacy-telemetry';
import { installLoopbackGetaddrinfo } from './loopback-getaddrinfo';
import { timerCall } from './timer-call';
import { trustLabCa } from './tls';

/**
 * The Functions app's process, as the host starts a worker: its environment is the app settings (and what node
 * needs), given by the parent through spawn's `env` (app-host.ts); nothing here writes process.env. @azure/identity
 * reads IDENTITY_ENDPOINT from that environment, as in Azure. What only the lab needs (its CA, loopback name
 * resolution) comes as the one argument, never as a setting the app could see.
 *
 * One handler for the process's life, so its state (what telemetry already said) carries over between invocations
 * as in a host: each line on standard input invokes it once and gets one JSON line back. The process stays up until
 * its input closes: telemetry that ingestion refused is re-sent from here on the SDK's own schedule.
 */
export interface AppInvocation {
  readonly entry: 'timer' | 'http';
  readonly invocationId: string;
  readonly caCertPath: string;
  /** Loopback mode: the lab's hosts entries (JSON) and DNS server, for the getaddrinfo stand-in. */
  readonly loopback?: { readonly hosts: string; readonly dns: string };
  /** timer: send what the version before issue 12 sent (every finding every run), for the bench's before/after. */
  readonly legacy?: boolean;
  /** http: the vault in the route and the optional ?subscription=. */
  readonly vault?: string;
  readonly subscription?: string;
  /** issue 21, http: call the handler this many times in a row, cycling through `vaults` (default: `vault`). */
  readonly loop?: { readonly calls: number; readonly vaults?: readonly string[] };
}

export type AppOutcome =
  | {
      readonly entry: 'timer';
      readonly logs: readonly string[];
      readonly durationMs: number;
      readonly error: string | undefined;
      /** This process's peak resident set so far, MiB. */
      readonly peakRssMiB: number;
      /** The probe's getaddrinfo calls still holding a thread-pool thread when the handler returned. */
      readonly osLookupsInFlight: number;
    }
  | {
      readonly entry: 'http';
      readonly status: number;
      readonly body: unknown;
      /** A loop's answers: how many of each status, and of those the cache answered (Age above 0 or a repeat). */
      readonly statuses?: Readonly<Record<string, number>>;
      readonly retryAfter?: readonly string[];
    };

type TimerHandler = (timer: Timer, context: InvocationContext) => Promise<void>;

/** The timer before issue 12: the same probe and publisher, the former records. */
function legacyTimer(env: NodeJS.ProcessEnv): TimerHandler {
  const runtime = createRuntime(env);
  return async (timer) => {
    const appSettings = runtime.settings({ requireScope: true });
    const report = await runProbe(probeRequestFor(appSettings), runtime.probeDeps(appSettings));
    const publisher = runtime.publisher(appSettings);
    publisher?.publish(
      legacyTelemetryFor(report, {
        vnetId: appSettings.vnetId,
        isPastDue: timer.isPastDue,
        trigger: 'timer',
        version: VERSION,
      }),
    );
    await publisher?.flush(15_000);
  };
}

function timerEntry(inv: AppInvocation): () => Promise<AppOutcome> {
  const handler = inv.legacy ? legacyTimer(process.env) : createTimerHandler(createRuntime(process.env));
  return async () => {
    const { context, timer, logs } = timerCall(inv.invocationId);
    const t0 = performance.now();
    let error: string | undefined;
    try {
      await handler(timer, context);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    const durationMs = Math.round(performance.now() - t0);
    return {
      entry: 'timer',
      logs,
      durationMs,
      error,
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      osLookupsInFlight: osLookupsInFlight(),
    };
  };
}

function httpEntry(inv: AppInvocation): () => Promise<AppOutcome> {
  // The HTTP trigger probes the vault in its route, never the timer's list.
  const handler = createHttpHandler(createRuntime({ ...process.env, PROBE_VAULTS: '' }));
  const query = inv.subscription ? `?subscription=${encodeURIComponent(inv.subscription)}` : '';
  const call = async (vault: string): Promise<HttpResponseInit> => {
    const request = new HttpRequest({
      method: 'GET',
      url: `https://lab.azurewebsites.net/api/vaults/${vault}/probe${query}`,
      params: { name: vault },
    });
    const context = new InvocationContext({
      functionName: 'probeVault',
      invocationId: inv.invocationId,
      logHandler: () => undefined,
    });
    return handler(request, context);
  };
  return async () => {
    const vaults = inv.loop?.vaults ?? [inv.vault ?? ''];
    const calls = inv.loop?.calls ?? 1;
    const statuses: Record<string, number> = {};
    const retryAfter = new Set<string>();
    let last: HttpResponseInit = {};
    for (let i = 0; i < calls; i++) {
      last = await call(vaults[i % vaults.length] ?? '');
      const status = String(last.status ?? 200);
      statuses[status] = (statuses[status] ?? 0) + 1;
      const ra = (last.headers as Record<string, string> | undefined)?.['Retry-After'];
      if (ra) retryAfter.add(ra);
    }
    return {
      entry: 'http',
      status: last.status ?? 200,
      body: last.jsonBody,
      ...(inv.loop ? { statuses, retryAfter: [...retryAfter] } : {}),
    };
  };
}

async function main(arg: string | undefined): Promise<void> {
  const inv = JSON.parse(arg ?? '{}') as AppInvocation;
  trustLabCa(readFileSync(inv.caCertPath, 'utf8'));
  if (inv.loopback) installLoopbackGetaddrinfo(inv.loopback.hosts, inv.loopback.dns);
  const invoke = inv.entry === 'timer' ? timerEntry(inv) : httpEntry(inv);
  // One invocation at a time, in the order asked, as the host runs one timer at a time.
  for await (const _line of createInterface({ input: process.stdin })) {
    const outcome = await invoke();
    await new Promise<void>((done) => process.stdout.write(JSON.stringify(outcome) + '\n', () => done()));
  }
}

if (require.main === module) {
  main(process.argv[2]).then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`app-process: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
