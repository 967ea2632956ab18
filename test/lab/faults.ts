import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ForeignOrigin, hostileVaultList, repeatingSkipToken, type HostileKind } from './hostile-arm';
import { inLabNamespace, Lab } from './lab';
import { runCli, runInNamespace, runTimer, type CliOutcome, type TimerOutcome } from './run';
import { scenarioByName } from './scenarios';
import type { Scenario } from './scenario';

/**
 * The fault suite of issue 11: one case per failure that was seen, each through the CLI process and the timer
 * handler, inside a network namespace the runner makes. Prints one JSON line per case with the figures the README
 * quotes: wall time against the deadline, and peak RSS.
 */
export interface FaultCase {
  readonly name: string;
  /** The point the case proves. */
  readonly item: string;
  readonly scenario: string;
  readonly deadlineMs: number;
  readonly timeoutMs?: number;
  readonly inventory?: string;
  readonly hostile?: HostileKind;
  readonly repeatingSkipToken?: boolean;
  /** Changes the lab after it started: ARM resources, DNS answers, environment. */
  readonly setup?: (lab: Lab) => void;
  readonly env?: Readonly<Record<string, string>>;
  /** issue 21: also run the CLI with --output table (what a person sees). */
  readonly table?: boolean;
}

const VNET_SCENARIO = 'custom-dns-not-forwarding';

export const FAULT_CASES: readonly FaultCase[] = [
  {
    name: 'page-2-hangs',
    item: '1 deadline',
    scenario: 'healthy',
    deadlineMs: 5000,
    timeoutMs: 1000,
    hostile: 'page-2-hangs',
  },
  { name: 'self-next-link', item: '2 paging', scenario: 'healthy', deadlineMs: 20_000, hostile: 'self-next-link' },
  {
    name: 'repeating-skiptoken',
    item: '2 paging',
    scenario: 'healthy',
    deadlineMs: 20_000,
    inventory: 'resource-graph',
    repeatingSkipToken: true,
  },
  {
    name: 'foreign-next-link',
    item: '2 token origin',
    scenario: 'healthy',
    deadlineMs: 20_000,
    hostile: 'foreign-next-link',
  },
  {
    name: 'gzip-bomb',
    item: '3 body cap',
    scenario: 'healthy',
    deadlineMs: 30_000,
    timeoutMs: 20_000,
    hostile: 'gzip-bomb',
  },
  {
    name: 'huge-body',
    item: '3 body cap',
    scenario: 'healthy',
    deadlineMs: 30_000,
    timeoutMs: 20_000,
    hostile: 'huge-body',
  },
  {
    name: 'hostile-error-text',
    item: '9 untrusted text',
    scenario: 'healthy',
    deadlineMs: 20_000,
    hostile: 'hostile-error-text',
  },
  {
    name: 'invented-vault-uri',
    item: '10 hosts from names',
    scenario: 'healthy',
    deadlineMs: 20_000,
    hostile: 'invented-vault-uri',
  },
  {
    name: 'bad-vnet-dns-server',
    item: '4 isolation',
    scenario: VNET_SCENARIO,
    deadlineMs: 20_000,
    setup: (lab) => {
      const id = lab.compiled.vnetId ?? '';
      const vnet = lab.arm.get(id);
      const props = (vnet?.['properties'] ?? {}) as Record<string, unknown>;
      const servers = ((props['dhcpOptions'] as { dnsServers?: string[] } | undefined)?.dnsServers ?? []).slice();
      lab.arm.put({
        ...(vnet ?? { id }),
        id,
        properties: { ...props, dhcpOptions: { dnsServers: ['not-an-ip', '[::::]', ...servers] } },
      });
    },
  },
  {
    name: 'dns-fan-out',
    item: '5 fan-out',
    scenario: 'healthy',
    deadlineMs: 30_000,
    setup: (lab) => {
      const a = Array.from({ length: 1000 }, (_, i) => `10.77.${Math.floor(i / 250)}.${(i % 250) + 1}`);
      lab.dns.set('kv-healthy.privatelink.vaultcore.azure.net', { a, ttl: 60 });
    },
  },
  {
    // getaddrinfo stuck behind a resolver that never answers (30 s per try, 5 tries): the report must be printed
    // by the deadline and the CLI must exit right after, while its lookups still hold thread-pool threads.
    name: 'hung-os-resolver',
    item: '6 resolver',
    scenario: 'healthy',
    deadlineMs: 5000,
    timeoutMs: 1000,
    setup: (lab) => {
      lab.dns.set('kv-healthy.vault.azure.net', { silent: true });
      // /etc/resolv.conf is the lab's own file, bind-mounted into this namespace (lab.ts): rewritten in place.
      writeFileSync('/etc/resolv.conf', 'nameserver 127.0.0.1\noptions timeout:30 attempts:5\n');
    },
  },
  {
    name: 'proxy-credentials',
    item: '8 secrets',
    scenario: 'proxy-in-path',
    deadlineMs: 20_000,
    env: { HTTPS_PROXY: 'http://probe-user:S3cr3t-proxy-pass@10.10.7.200:3128' },
  },
  {
    // issue 21: a new user without az login, a managed identity or a token setting.
    name: 'no-credential',
    item: '21.7 no credential',
    scenario: 'healthy',
    deadlineMs: 20_000,
    env: { KVPROBE_ACCESS_TOKEN: '', IDENTITY_ENDPOINT: '', IDENTITY_HEADER: '', AZURE_CLIENT_ID: '' },
    table: true,
  },
  {
    // issue 21: a static data-plane token, expired, for the vault audience: the CLI names it in its finding; the
    // Functions app refuses the setting outright (no run, a heartbeat that says why).
    name: 'static-token',
    item: '21.2 static tokens',
    scenario: 'healthy',
    deadlineMs: 20_000,
    env: {
      KVPROBE_DATAPLANE_TOKEN: `eyJ0eXAiOiJKV1QifQ.${Buffer.from(JSON.stringify({ aud: 'https://vault.azure.net', exp: 1 })).toString('base64url')}.expired-secret`,
    },
  },
];

export interface FaultOutcome {
  readonly name: string;
  readonly item: string;
  readonly deadlineMs: number;
  readonly cli: CliOutcome & { readonly wallMs: number; readonly peakRssMiB: number | undefined };
  readonly timer: TimerOutcome & { readonly processPeakRssMiB: number };
  readonly cliTable?: CliOutcome;
  readonly foreignRequests?: number;
  readonly foreignTokens?: number;
}

function trace(text: string): void {
  if (process.env['KVPROBE_FAULT_TRACE']) process.stderr.write(`faults: ${text}\n`);
}

/** Runs one case; must run inside the lab's namespace. */
export async function runFaultCase(c: FaultCase): Promise<FaultOutcome> {
  const base = scenarioByName(c.scenario);
  const scenario: Scenario = {
    ...base,
    deadlineMs: c.deadlineMs,
    ...(c.timeoutMs ? { timeoutMs: c.timeoutMs } : {}),
    env: { ...(base.env ?? {}), ...(c.env ?? {}) },
  };
  const lab = await Lab.start(scenario, 'namespace');
  const scratch = mkdtempSync(join(tmpdir(), 'kvprobe-fault-'));
  const foreign = c.hostile === 'foreign-next-link' ? await ForeignOrigin.start(lab.pki) : undefined;
  try {
    if (c.inventory) lab.inventory = c.inventory;
    const vaults = lab.compiled.resources.filter((r) => /\/providers\/Microsoft\.KeyVault\/vaults\/[^/]+$/i.test(r.id));
    if (c.hostile) lab.arm.addFault(hostileVaultList(c.hostile, lab.arm, vaults, foreign));
    if (c.repeatingSkipToken) lab.arm.addFault(repeatingSkipToken());
    c.setup?.(lab);
    const rssFile = join(scratch, 'rss');
    const t0 = performance.now();
    const cli = await runCli(lab, [], 'json', {
      KVPROBE_RSS_FILE: rssFile,
      NODE_OPTIONS: `--require ${join(__dirname, 'report-rss.js')}`,
    });
    trace(`cli done in ${Math.round(performance.now() - t0)} ms`);
    const wallMs = Math.round(performance.now() - t0);
    let peakRssMiB: number | undefined;
    try {
      // bin/kvprobe and the probe's own process both report: the larger is the probe's.
      peakRssMiB = Math.max(...readFileSync(rssFile, 'utf8').trim().split('\n').map(Number));
    } catch {
      peakRssMiB = undefined;
    }
    const cliTable = c.table ? await runCli(lab, [], 'table') : undefined;
    const timer = await runTimer(lab);
    trace(`timer done in ${timer.durationMs} ms`);
    return {
      name: c.name,
      item: c.item,
      deadlineMs: c.deadlineMs,
      cli: { ...cli, wallMs, peakRssMiB },
      ...(cliTable ? { cliTable } : {}),
      // The app's own process: the timer runs there, apart from the lab.
      timer: { ...timer, processPeakRssMiB: timer.peakRssMiB },
      ...(foreign
        ? {
            foreignRequests: foreign.requests.length,
            foreignTokens: foreign.requests.filter((r) => r.authorization).length,
          }
        : {}),
    };
  } finally {
    await foreign?.stop();
    await lab.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** `node dist/test/lab/faults.js --case <name>`: one FaultOutcome as JSON. */
async function main(argv: readonly string[]): Promise<number> {
  const name = argv[argv.indexOf('--case') + 1];
  const c = FAULT_CASES.find((x) => x.name === name);
  if (!c) {
    process.stderr.write(`faults: --case must be one of: ${FAULT_CASES.map((x) => x.name).join(', ')}\n`);
    return 2;
  }
  if (!inLabNamespace()) {
    const r = runInNamespace(__filename, argv);
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    // The inner runner ends itself with SIGKILL once its line is out (a stuck getaddrinfo would hold a normal exit).
    return r.status ?? (r.stdout.trim().startsWith('{') ? 0 : 1);
  }
  process.stdout.write(JSON.stringify(await runFaultCase(c)) + '\n');
  return -1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.stdout.write('', () => (code === -1 ? process.kill(process.pid, 'SIGKILL') : process.exit(code))),
    (error: unknown) => {
      process.stderr.write(`faults: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
