import { readFileSync } from 'node:fs';
import { HttpRequest, InvocationContext, type Timer } from '@azure/functions';
import { createHttpHandler } from '../../src/functions/probe-http';
import { createTimerHandler } from '../../src/functions/probe-timer';
import { createRuntime } from '../../src/functions/runtime';
import { installLoopbackGetaddrinfo } from './loopback-getaddrinfo';
import { trustLabCa } from './tls';

/**
 * The Functions app's process for one invocation, as the host starts a worker: its environment is the app settings
 * (and what node needs), given by the parent through spawn's `env`; nothing here writes process.env. @azure/identity
 * reads IDENTITY_ENDPOINT from that environment, as in Azure. What only the lab needs (its CA, loopback name
 * resolution) comes as the one argument, never as a setting the app could see.
 *
 * Prints one JSON line with the outcome, then stays up until its standard input closes: telemetry that ingestion
 * refused is re-sent from this process on the SDK's own schedule, while the parent waits at the sink.
 */
export interface AppInvocation {
  readonly entry: 'timer' | 'http';
  readonly invocationId: string;
  readonly caCertPath: string;
  /** Loopback mode: the lab's hosts entries (JSON) and DNS server, for the getaddrinfo stand-in. */
  readonly loopback?: { readonly hosts: string; readonly dns: string };
  /** http: the vault in the route and the optional ?subscription=. */
  readonly vault?: string;
  readonly subscription?: string;
}

export type AppOutcome =
  | {
      readonly entry: 'timer';
      readonly logs: readonly string[];
      readonly durationMs: number;
      readonly error: string | undefined;
      /** This process's peak resident set, MiB. */
      readonly peakRssMiB: number;
    }
  | { readonly entry: 'http'; readonly status: number; readonly body: unknown };

async function timer(inv: AppInvocation): Promise<AppOutcome> {
  const logs: string[] = [];
  const context = new InvocationContext({
    functionName: 'probeTimer',
    invocationId: inv.invocationId,
    logHandler: (level, ...args) => logs.push(`${level}: ${args.map(String).join(' ')}`),
  });
  const t: Timer = {
    isPastDue: false,
    schedule: { adjustForDST: false },
    scheduleStatus: {
      last: new Date(0).toISOString(),
      next: new Date().toISOString(),
      lastUpdated: new Date().toISOString(),
    },
  };
  const t0 = performance.now();
  let error: string | undefined;
  try {
    await createTimerHandler(createRuntime(process.env))(t, context);
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  const durationMs = Math.round(performance.now() - t0);
  return { entry: 'timer', logs, durationMs, error, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) };
}

async function http(inv: AppInvocation): Promise<AppOutcome> {
  const vault = inv.vault ?? '';
  const query = inv.subscription ? `?subscription=${encodeURIComponent(inv.subscription)}` : '';
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
  // The HTTP trigger probes the vault in its route, never the timer's list.
  const response = await createHttpHandler(createRuntime({ ...process.env, PROBE_VAULTS: '' }))(request, context);
  return { entry: 'http', status: response.status ?? 200, body: response.jsonBody };
}

async function main(arg: string | undefined): Promise<void> {
  const inv = JSON.parse(arg ?? '{}') as AppInvocation;
  trustLabCa(readFileSync(inv.caCertPath, 'utf8'));
  if (inv.loopback) installLoopbackGetaddrinfo(inv.loopback.hosts, inv.loopback.dns);
  const outcome = inv.entry === 'timer' ? await timer(inv) : await http(inv);
  await new Promise<void>((done) => process.stdout.write(JSON.stringify(outcome) + '\n', () => done()));
  process.stdin.resume();
  await new Promise<void>((done) => process.stdin.once('end', done).once('close', done));
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
