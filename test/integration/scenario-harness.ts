import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FLUSH_TIMEOUT_MS } from '../../src/functions/probe-timer';
import type { FindingCause, FindingCode } from '../../src/probe/findings';
import type { Diagnosis } from '../../src/probe/diagnoses';
import type { ReportedFinding, VaultResult } from '../../src/probe/report';
import {
  AVAILABILITY_DIMENSIONS,
  EVENTS,
  FINDING_DIMENSIONS,
  HEARTBEAT_DIMENSIONS,
  SNAPSHOT_DIMENSIONS,
} from '../../src/telemetry/schema';
import { VERSION } from '../../src/version';
import { MONITOR_AUDIENCES } from '../lab/ingestion-sink';
import { actionAllowed } from '../lab/arm-operations';
import { PROBE_ROLE_ACTIONS, type LabMode } from '../lab/lab';
import type { LabRun } from '../lab/run';
import { compileScenario, vaultId, type ExpectedDiagnosis, type Scenario } from '../lab/scenario';
import { DIAGNOSES } from '../lab/scenario-diagnoses';
import { CAUSE, CAUSE_ORDER } from '../lab/finding-literals';
import { commandViolations } from './command-safety';

const ROOT = resolve(__dirname, '..', '..');
const RUNNER = join(ROOT, 'dist', 'test', 'lab', 'run.js');

/** Runs one scenario through the CLI process and the timer handler, in a network namespace the runner makes. */
export function runLab(
  name: string,
  mode: LabMode = 'namespace',
  inventory?: string,
  env: NodeJS.ProcessEnv = process.env,
  entry: 'cli' | 'both' | 'map' = 'both',
): LabRun {
  if (!existsSync(RUNNER))
    throw new Error(`${RUNNER} is missing: npm test builds it (npm run build) before jest runs.`);
  const r = spawnSync(
    process.execPath,
    [RUNNER, '--scenario', name, '--entry', entry, '--mode', mode, ...(inventory ? ['--inventory', inventory] : [])],
    {
      encoding: 'utf8',
      timeout: 170_000,
      maxBuffer: 64 * 1024 * 1024,
      env,
    },
  );
  if (r.status !== 0) throw new Error(`lab runner exited ${r.status}: ${r.stderr}`);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as LabRun;
}

/**
 * The telemetry properties assertScenario checks at the sink, value by value, written out: each list is the exact set
 * of keys of the object the received properties are compared with (toEqual) below, so a property the probe adds,
 * drops or renames fails every scenario until it is asserted here. test/infra/kql.test.ts checks that every property
 * the alert and workbook queries read is in these lists: a query can only rely on what a scenario proved arrives.
 */
export const ASSERTED_TELEMETRY = {
  availability: [
    'status',
    'codes',
    'objects',
    'owner',
    'addresses',
    'cause',
    'expected',
    'expectation',
    'addrHash',
    'change',
    'runs',
  ],
  finding: [
    'vault',
    'vaultId',
    'location',
    'code',
    'cause',
    'severity',
    'change',
    'detailHash',
    'message',
    'resourceId',
    'command',
    'explains',
    'runId',
  ],
  heartbeat: [
    'location',
    'vnetId',
    'runId',
    'isPastDue',
    'trigger',
    'version',
    'azureDns',
    'stateHash',
    'changed',
    'snapshot',
    'siteScope',
  ],
  heartbeatMeasurements: [
    'vaults',
    'healthy',
    'unhealthy',
    'unknown',
    'skipped',
    'inventory',
    'outOfScope',
    'durationMs',
    'overlappingRunsSkipped',
    'findingEvents',
    'resolvedEvents',
    'stateRecords',
    'discoverMs',
    'probeMs',
    'reportMs',
  ],
  snapshot: ['location', 'runId', 'part', 'states'],
  // issue 25: the estate pass's events (test/integration/estate-map.test.ts asserts them).
  estateDiagnosis: ['location', 'vnetId', 'code', 'severity', 'resourceId', 'object', 'command', 'vaults'],
  estateDiagnosisMeasurements: ['vaults', 'pairs'],
  estateHeartbeatMeasurements: [
    'vnets',
    'vaults',
    'pairs',
    'healthy',
    'unhealthy',
    'unknown',
    'unreachable',
    'observed',
    'queried',
    'predicted',
    'unknownCoverage',
    'diagnoses',
    'readErrors',
    'droppedEvents',
  ],
} as const;

/**
 * Findings that carry no resourceId by design. Every other finding of a vault ARM knows (a result with a vaultId)
 * that exists in the lab must name a resource the lab holds; a vault the probe could not find or read, or one
 * given by the ID of a deleted vault, has nothing to point at.
 */
const NO_RESOURCE_ID: Partial<Record<FindingCode, string>> = {
  VAULT_NOT_FOUND: 'a vault given by name that no subscription in scope holds has no resource to name',
};

type Row = { status: string; codes: string[]; severities: string[] };

/** The vault's diagnoses as the scenario declares them, in literals; a scenario vault without them fails. */
export function declaredDiagnoses(scenario: Scenario, key: string): readonly ExpectedDiagnosis[] {
  const declared = DIAGNOSES[scenario.name]?.[key];
  if (declared === undefined)
    throw new Error(`${scenario.name}/${key} declares no diagnoses: add them to test/lab/scenario-diagnoses.ts`);
  return declared;
}

type DiagnosisView = Pick<Diagnosis, 'code' | 'severity' | 'resourceId' | 'explains'> & { fix?: readonly string[] };

/** Each reported diagnosis against its declaration: code, severity, explained codes, root object, fix commands. */
export function assertDiagnoses(
  got: readonly DiagnosisView[],
  want: readonly ExpectedDiagnosis[],
  where: string,
): void {
  const shape = (d: { code: string; severity: string; explains: readonly string[] }) => ({
    code: d.code,
    severity: d.severity,
    explains: [...d.explains],
  });
  expect({ where, diagnoses: got.map(shape) }).toEqual({ where, diagnoses: want.map(shape) });
  want.forEach((w, i) => {
    const g = got[i] as DiagnosisView;
    const id = g.resourceId;
    if (w.resourceId === null)
      expect({ where, code: w.code, resourceId: id }).toEqual({ where, code: w.code, resourceId: null });
    else if (typeof w.resourceId === 'string')
      expect({ where, code: w.code, resourceId: id?.toLowerCase() }).toEqual({
        where,
        code: w.code,
        resourceId: w.resourceId.toLowerCase(),
      });
    else
      expect(`${where} ${w.code} ${String(id)}`).toMatch(
        new RegExp(`^${where} ${w.code} ${w.resourceId.source}$`, w.resourceId.flags),
      );
    if (g.fix === undefined) return;
    expect({ where, code: w.code, fixes: g.fix.length }).toEqual({ where, code: w.code, fixes: w.fix.length });
    w.fix.forEach((f, j) => {
      const c = g.fix?.[j] ?? '';
      if (typeof f === 'string') expect(c).toBe(f);
      else expect(c).toMatch(f);
    });
  });
}

/**
 * The diagnoses that make a vault not healthy, as the state record's `objects` lists them: its error diagnoses (all of
 * them for an unknown vault).
 */
function countedDiagnoses(status: string, declared: readonly ExpectedDiagnosis[]): readonly ExpectedDiagnosis[] {
  const errors = declared.filter((d) => d.severity === 'error');
  return errors.length > 0 || status !== 'unknown' ? errors : declared;
}

/** The vault's cause as the alerts route it: the most upstream cause of its counted diagnoses (literal tables). */
function expectedCause(status: string, declared: readonly ExpectedDiagnosis[]): FindingCause | '' {
  const counted = countedDiagnoses(status, declared);
  return CAUSE_ORDER.find((c) => counted.some((d) => CAUSE[d.code] === c)) ?? (status === 'unknown' ? 'inventory' : '');
}

/** The declared diagnoses' codes, errors first, each once: the state's `codes`. */
const stateCodes = (declared: readonly ExpectedDiagnosis[]): string =>
  [
    ...new Set(
      [...declared].sort((x, y) => Number(y.severity === 'error') - Number(x.severity === 'error')).map((d) => d.code),
    ),
  ].join(',');

/**
 * A vault's owner key as the scenario states it: the value of its tag named kvprobe-owner in any case, trimmed and in
 * lower case; undefined when it has none (written here from the scenario, not read from src/probe/owner-tag.ts).
 */
function scenarioOwner(scenario: Scenario, vault: string): string | undefined {
  const tags = scenario.vaults.find((v) => v.name === vault)?.tags ?? {};
  const value = Object.entries(tags)
    .find(([k]) => /^kvprobe-owner$/i.test(k))?.[1]
    ?.trim()
    .toLowerCase();
  return value ? value : undefined;
}

/**
 * The state's `objects` against the declarations: one `CODE=object` per counted diagnosis, in order, the object being
 * the declared root resource ID, '' (the vault itself) or, for a root that is no ARM resource, words.
 */
function assertObjects(objects: string, vaultId: string, counted: readonly ExpectedDiagnosis[], where: string): void {
  const pairs = objects === '' ? [] : objects.split(',').map((x) => x.split('='));
  const unique = [...new Map(counted.map((d) => [`${d.code}|${String(d.resourceId)}`, d])).values()];
  expect({ where, codes: pairs.map(([c]) => c) }).toEqual({ where, codes: unique.map((d) => d.code) });
  pairs.forEach(([, object = ''], i) => {
    const d = unique[i] as ExpectedDiagnosis;
    const id = d.resourceId;
    if (object === '')
      expect({
        where,
        root:
          id === null ||
          String(id).toLowerCase() === vaultId.toLowerCase() ||
          (id instanceof RegExp && id.test(vaultId)),
      }).toEqual({ where, root: true });
    else if (!object.startsWith('/'))
      expect({ where, object }).toEqual({ where, object: expect.stringMatching(/^[^,;|=]+$/) });
    else if (typeof id === 'string') expect({ where, object }).toEqual({ where, object: id });
    else expect({ where, object }).toEqual({ where, object: expect.stringMatching(id ?? /^$/) });
  });
}

function props(e: Record<string, unknown>): Record<string, string> {
  return (e['properties'] ?? {}) as Record<string, string>;
}

/** The vault ID a scenario's expectation key must be reported under (undefined: a vault no subscription holds). */
function expectedVaultId(scenario: Scenario, key: string): string | undefined {
  if (/^[0-9a-f-]{36}$/i.test(key)) return `/subscriptions/${key}`;
  const v = scenario.vaults.find((x) => x.name === key);
  return v ? vaultId(v, scenario) : undefined;
}

/** Every resource ID the lab serves: stored resources, the children embedded in them, subscriptions, resource groups. */
function labResourceIds(scenario: Scenario): Set<string> {
  const compiled = compileScenario(scenario);
  const ids = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === 'object' && value !== null) {
      const id = (value as Record<string, unknown>)['id'];
      if (typeof id === 'string' && id.startsWith('/subscriptions/')) ids.add(id.toLowerCase());
      Object.values(value).forEach(walk);
    }
  };
  walk(compiled.resources);
  for (const sub of compiled.subscriptions) ids.add(`/subscriptions/${sub}`.toLowerCase());
  return ids;
}

/** Operations of a run that OPERATION_ACTIONS does not list, or whose action the probe's role does not grant. */
export function uncoveredOperations(run: LabRun): string[] {
  const out = new Set<string>();
  for (const c of run.armCalls) {
    if (c.operation === undefined) continue; // answered by a fault before ARM looked at it
    if (c.action === undefined) out.add(`${c.operation}: not in OPERATION_ACTIONS (test/lab/arm-operations.ts)`);
    else if (c.action !== null && !actionAllowed(PROBE_ROLE_ACTIONS, c.action))
      out.add(`${c.operation}: ${c.action} is not in infra/roles/probe-reader-actions.json`);
  }
  return [...out];
}

/** The lab's identities did the work: tokens from its endpoint for the app's identity, the developer's for the CLI. */
export function assertIdentity(scenario: Scenario, run: LabRun): void {
  const { probe, developer } = run.principals;
  // The app asked its managed identity endpoint, correctly, for the identity AZURE_CLIENT_ID names.
  expect(run.identityLog.length).toBeGreaterThan(0);
  // Tokens for a refused audience (a scenario without a data-plane token) are refused; every other is issued.
  const refused = new Set((scenario.identity?.refuse ?? []).map((r) => r.replace(/\/$/, '')));
  for (const r of run.identityLog) {
    if (refused.has((r.resource ?? '').replace(/\/$/, '')))
      expect(r).toMatchObject({ headerOk: true, status: 400, clientId: probe });
    else
      expect(r).toMatchObject({
        headerOk: true,
        status: 200,
        clientId: probe,
        issuedTo: probe,
        apiVersion: '2019-08-01',
      });
  }
  // The data plane's own audience was asked for wherever the data plane was probed (the authenticated read).
  const dataplaneAudiences = new Set(
    run.identityLog.map((r) => r.resource).filter((a) => /^https:\/\/(vault|managedhsm)\./.test(a ?? '')),
  );
  if ((run.cli?.report?.results ?? []).some((r) => r.dataplane.length > 0))
    expect(dataplaneAudiences.size).toBeGreaterThan(0);
  const audiences = new Set(run.identityLog.map((r) => r.resource));
  expect(audiences.has(run.armAudience)).toBe(true);
  if (!scenario.faults?.ingestionDown)
    expect([...audiences].some((a) => MONITOR_AUDIENCES.includes(a ?? ''))).toBe(true);

  // ARM saw only the two principals' tokens: the app's from its identity, the CLI's own (KVPROBE_ACCESS_TOKEN).
  const callers = new Set(run.armCalls.map((c) => c.principal));
  expect([...callers].filter((c) => c !== probe && c !== developer)).toEqual([]);
  expect(run.armCalls.filter((c) => c.principal === probe).length).toBeGreaterThan(0);
  expect(run.armCalls.filter((c) => c.principal === developer).length).toBeGreaterThan(0);
  // A 401 or 403 only where the scenario put one: a fault of that status on that path (a foreign tenant's
  // subscription), or a subscription the probe may not read.
  const faulted = (c: { path: string }, status: number): boolean =>
    (scenario.faults?.arm ?? []).some(
      (f) => f.kind === 'status' && f.status === status && new RegExp(f.path, 'i').test(decodeURIComponent(c.path)),
    );
  expect(run.armCalls.filter((c) => c.status === 401 && !faulted(c, 401))).toEqual([]);
  if (!scenario.unreadableSubscriptions?.length)
    expect(run.armCalls.filter((c) => c.status === 403 && !faulted(c, 403))).toEqual([]);
  // Every ARM operation performed is one the lab knows (arm-operations.ts) and the custom role covers.
  expect(uncoveredOperations(run)).toEqual([]);

  // Ingestion is Entra-only: every post carried the app identity's token for the monitoring audience.
  for (const p of run.sinkPostLog) {
    expect(p.bearerFor).toBe(probe);
    expect(MONITOR_AUDIENCES).toContain(p.audience);
  }
}

function assertFindingFields(r: VaultResult, f: ReportedFinding, ids: Set<string>, where: string): void {
  if (NO_RESOURCE_ID[f.code] === undefined && r.vaultId !== null && ids.has(r.vaultId.toLowerCase())) {
    if (f.resourceId === null || !ids.has(f.resourceId.toLowerCase())) {
      throw new Error(
        `${where}: ${f.code} names resourceId ${String(f.resourceId)}, which is not a resource of the lab`,
      );
    }
  }
  expect(f.fix.length + f.confirm.length > 0 ? 'command' : `${where}: ${f.code} has no command`).toBe('command');
}

/**
 * Asserts one scenario through both entry points: statuses, codes and severities per vault ID; every finding's
 * resourceId and command; the managed identity at work; every telemetry property the alerts read, at the sink.
 */
export function assertScenario(scenario: Scenario, run: LabRun, mode: LabMode = 'namespace'): void {
  expect(run.mode).toBe(mode);
  const keys = Object.keys(scenario.expect);
  const want: Record<string, Row> = Object.fromEntries(
    Object.entries(scenario.expect).map(([k, v]) => [
      k,
      { status: v.status, codes: [...v.codes], severities: [...v.severities] },
    ]),
  );
  if (scenario.noCredential) {
    // issue 21: nothing had a credential: no token was issued, nothing reached ARM.
    expect(run.identityLog).toEqual([]);
    expect(run.armCalls).toEqual([]);
  } else assertIdentity(scenario, run);

  // The CLI process: one result per vault ID, each matched to its expectation.
  const cli = run.cli;
  expect(cli?.stderr).toBe('');
  const report = cli?.report;
  expect(report).toBeDefined();
  const results: readonly VaultResult[] = report?.results ?? [];
  expect(results).toHaveLength(keys.length);
  const reportedIds = results.map((r) => r.vaultId).filter((id): id is string => id !== null);
  expect(new Set(reportedIds.map((id) => id.toLowerCase())).size).toBe(reportedIds.length);
  const ids = labResourceIds(scenario);
  const byKey = new Map<string, VaultResult>();
  for (const key of keys) {
    const wantId = expectedVaultId(scenario, key);
    // By vault ID; by name only where the probe could not learn the ID (not found, ARM unreadable: then unknown).
    const matches = results.filter((r) =>
      wantId !== undefined && r.vaultId !== null ? r.vaultId.toLowerCase() === wantId.toLowerCase() : r.vault === key,
    );
    expect(matches.map((r) => r.vault)).toEqual([key]);
    const r = matches[0] as VaultResult;
    if (r.vaultId === null) expect(r.status).toBe('unknown');
    byKey.set(key, r);
    expect({
      status: r.status,
      codes: r.findings.map((f) => f.code),
      severities: r.findings.map((f) => f.severity),
    }).toEqual(want[key]);
    for (const f of r.findings) assertFindingFields(r, f, ids, `${scenario.name}/${key}`);
    assertDiagnoses(r.diagnoses, declaredDiagnoses(scenario, key), `${scenario.name}/${key}`);
  }
  // No command of any vault is unsafe to paste or harmful to run (test/integration/command-safety.ts).
  expect(results.flatMap((r) => commandViolations(scenario, r))).toEqual([]);
  expect(report?.summary.skipped).toBe(scenario.expectSkipped ?? 0);
  const statuses = Object.values(want).map((w) => w.status);
  const wantExit = statuses.includes('unhealthy') ? 1 : statuses.includes('unknown') ? 3 : 0;
  expect(cli?.exitCode).toBe(wantExit);

  // The timer handler's function log: one result line per vault ID.
  const timer = run.timer;
  expect(timer?.error).toBeUndefined();
  const logged = new Map<string, Row>();
  /** What the timer's run resolved per vault (its log line): the telemetry of the same run must say the same. */
  const loggedAddresses = new Map<string, string>();
  const loggedDiagnoses = new Map<string, readonly DiagnosisView[]>();
  for (const line of timer?.logs ?? []) {
    const json = line.slice(line.indexOf('{'));
    if (!json.startsWith('{"kvprobe":"result"')) continue;
    const r = JSON.parse(json) as {
      vault: string;
      vaultId: string | null;
      status: string;
      addresses: string[];
      findings: { code: string; severity: string }[];
      diagnoses: DiagnosisView[];
    };
    const key = r.vaultId ?? r.vault;
    loggedAddresses.set(key, r.addresses.join(','));
    loggedDiagnoses.set(key, r.diagnoses);
    expect(logged.has(key)).toBe(false);
    logged.set(key, {
      status: r.status,
      codes: r.findings.map((f) => f.code),
      severities: r.findings.map((f) => f.severity),
    });
  }
  expect(logged.size).toBe(keys.length);
  for (const key of keys) {
    const id = byKey.get(key)?.vaultId ?? key;
    expect(logged.get(id)).toEqual(want[key]);
    // The timer's own run states the same diagnoses as the CLI's.
    assertDiagnoses(loggedDiagnoses.get(id) ?? [], declaredDiagnoses(scenario, key), `${scenario.name}/${key} (timer)`);
  }

  const faults = scenario.faults;
  if (faults?.ingestionDown) {
    // Nothing listens: the SDK never got a connection, and the run still ended well within the flush timeout.
    expect(run.sinkPosts).toBe(0);
    expect(timer?.availability).toEqual([]);
    expect(timer?.durationMs).toBeLessThan(FLUSH_TIMEOUT_MS + 5000);
    return;
  }
  // One finding event per diagnosis (not per finding), in a fresh process: as many as the scenario declares.
  const findingCount = keys.reduce((n, key) => n + declaredDiagnoses(scenario, key).length, 0);
  if (faults?.ingestion) {
    // Ingestion refused every post: the SDK did offer each result, finding and heartbeat, none was accepted, and the
    // run ended well within the flush timeout instead of hanging on the failing endpoint.
    expect(run.sinkPostLog.every((p) => p.status === faults.ingestion?.status)).toBe(true);
    expect(new Set(run.sinkOffered.availability)).toEqual(
      new Set(results.filter((r) => r.status !== 'healthy').map((r) => r.vault)),
    );
    expect(run.sinkOffered.events.filter((e) => e === EVENTS.finding).length).toBeGreaterThanOrEqual(findingCount);
    expect(run.sinkOffered.events).toContain(EVENTS.heartbeat);
    expect(timer?.availability).toEqual([]);
    expect(timer?.durationMs).toBeLessThan(FLUSH_TIMEOUT_MS + 5000);
    return;
  }
  if (faults?.ingestionOutage) {
    // The outage happened as scripted, then the SDK delivered (asserted below: everything, exactly once).
    const statuses = run.sinkPostLog.map((p) => p.status);
    const scripted = faults.ingestionOutage.flatMap((s) => ('status' in s ? [s.status] : []));
    expect(statuses.slice(0, scripted.length)).toEqual(scripted);
    expect(statuses.at(-1)).toBe(200);
    const refused = faults.ingestionOutage.find((s) => 'refuseMs' in s);
    if (refused && 'refuseMs' in refused) {
      expect(run.sinkRefusals).toBe(1);
      const gap = (run.sinkPostTimes[scripted.length] ?? 0) - (run.sinkPostTimes[scripted.length - 1] ?? 0);
      expect(gap).toBeGreaterThanOrEqual(refused.refuseMs - 50);
    }
  }

  // Application Insights, as the alerts read it: every property of the schema, value by value.
  const availability = timer?.availability ?? [];
  const events = timer?.events ?? [];
  const heartbeats = events.filter((x) => x['name'] === EVENTS.heartbeat);
  expect(heartbeats).toHaveLength(1);
  const heartbeat = heartbeats[0] ?? {};
  const runId = props(heartbeat)[HEARTBEAT_DIMENSIONS.runId] ?? '';
  expect(runId).toMatch(/^[0-9a-f-]{36}$/);
  const hb: Record<(typeof ASSERTED_TELEMETRY.heartbeat)[number], string> = {
    location: 'lab',
    vnetId: compileScenario(scenario).siteId ?? '',
    runId,
    isPastDue: 'false',
    trigger: 'timer',
    version: VERSION,
    azureDns: scenario.azureDns ? expect.stringMatching(/^(asked|stopped)$/) : 'off',
    // The first run of a process is a snapshot, and everything in it is new.
    stateHash: expect.stringMatching(/^[0-9a-f]{16}$/),
    changed: 'true',
    snapshot: 'true',
    // The lab's timer probes every vault of the inventory (Lab.appSettings: PROBE_SITE_SCOPE=all, and why).
    siteScope: 'all',
  };
  expect(props(heartbeat)).toEqual(hb);
  const m = heartbeat['measurements'] as Record<string, number> | undefined;
  const count = (s: string): number => statuses.filter((x) => x === s).length;
  expect(Object.keys(m ?? {}).sort()).toEqual([...ASSERTED_TELEMETRY.heartbeatMeasurements].sort());
  const measured: Record<(typeof ASSERTED_TELEMETRY.heartbeatMeasurements)[number], unknown> = {
    vaults: keys.length,
    healthy: count('healthy'),
    unhealthy: count('unhealthy'),
    unknown: count('unknown'),
    skipped: scenario.expectSkipped ?? 0,
    inventory: keys.length,
    outOfScope: 0,
    durationMs: expect.any(Number),
    // One run in a fresh process: nothing overlapped, every finding is new, nothing resolved.
    overlappingRunsSkipped: 0,
    findingEvents: findingCount,
    resolvedEvents: 0,
    // The first run's snapshot carries a state record for each vault that is not healthy.
    stateRecords: statuses.filter((x) => x !== 'healthy').length,
    discoverMs: expect.any(Number),
    probeMs: expect.any(Number),
    reportMs: expect.any(Number),
  };
  expect(m).toEqual(measured);
  expect(m?.['durationMs']).toBeGreaterThan(0);

  // A snapshot: every vault's state packed, and a state record for each vault that is not healthy.
  const snapshots = events.filter((x) => x['name'] === EVENTS.snapshot);
  snapshots.forEach((x, i) =>
    expect(props(x)).toEqual({
      location: 'lab',
      runId,
      part: `${i + 1}/${snapshots.length}`,
      states: expect.any(String),
    } satisfies Record<(typeof ASSERTED_TELEMETRY.snapshot)[number], unknown>),
  );
  const packed = snapshots
    .flatMap((x) => (props(x)[SNAPSHOT_DIMENSIONS.states] ?? '').split(';'))
    .map((entry) => entry.split('|'));
  expect(packed.map((e) => e[0]).sort()).toEqual(results.map((r) => r.vault).sort());
  expect(availability).toHaveLength(results.filter((r) => r.status !== 'healthy').length);
  const findingEvents = events.filter((x) => x['name'] === EVENTS.finding);
  // One run of a fresh process sends every finding (change "new"); nothing was open before, so nothing resolved.
  expect(findingEvents).toHaveLength(findingCount);
  expect(events.filter((x) => x['name'] === EVENTS.resolved)).toEqual([]);
  for (const key of keys) {
    const r = byKey.get(key) as VaultResult;
    const id = r.vaultId ?? '';
    const w = want[key] as Row;
    const entry = packed.find((e) => e[0] === key) ?? [];
    expect(entry[1]).toBe(w.status);
    expect(entry[5]).toBe(r.expectation ? `${r.expectation.assumed ? '~' : ''}${r.expectation.kind}` : '');
    // The state record carries the vault's name, not its ID: as many as the results of that name not healthy.
    const mine = availability.filter((a) => a['name'] === key);
    expect(mine).toHaveLength(results.filter((x) => x.vault === key && x.status !== 'healthy').length);
    // A healthy vault has no cause; its codes (warnings, info) are in its snapshot entry all the same. Every field
    // of the state is asserted against the declared diagnoses (test/lab/scenario-diagnoses.ts).
    const declared = declaredDiagnoses(scenario, key);
    const counted = countedDiagnoses(w.status, declared);
    const where = `${scenario.name}/${key} (telemetry)`;
    assertObjects(entry[7] ?? '', id, counted, `${where} snapshot`);
    // The owner key, from the scenario's literal tags: in the CLI's JSON, and the 9th field of the snapshot entry
    // (absent when untagged).
    const owner = scenarioOwner(scenario, key);
    expect({ where, owner: r.owner, entry: entry[8] }).toEqual({ where, owner, entry: owner });
    if (w.status === 'healthy') expect(entry.slice(2, 4)).toEqual(['', stateCodes(declared)]);
    else {
      const a = mine[0] ?? {};
      const p = props(a);
      expect([entry[2], entry[3], entry[7]]).toEqual([
        p[AVAILABILITY_DIMENSIONS.cause] ?? '',
        p[AVAILABILITY_DIMENSIONS.codes] ?? '',
        p[AVAILABILITY_DIMENSIONS.objects] ?? '',
      ]);
      const resolved = loggedAddresses.get(r.vaultId ?? key) ?? '';
      const expectedIps = [...new Set(r.expected.flatMap((e) => (e.ip ? [e.ip] : [])))];
      const cause = expectedCause(w.status, declared);
      // Every key of the list is asserted: a value, or undefined where the property must be absent (toEqual treats an
      // undefined property as a missing one).
      const av: Record<(typeof ASSERTED_TELEMETRY.availability)[number], unknown> = {
        status: w.status,
        codes: stateCodes(declared) || undefined,
        // Checked pair by pair against the declarations above (assertObjects).
        objects: counted.length > 0 ? p[AVAILABILITY_DIMENSIONS.objects] : undefined,
        owner,
        addresses: resolved ? expect.any(String) : undefined,
        // The cause, from the literal tables: there exactly when something is wrong.
        cause: cause || undefined,
        expected: p[AVAILABILITY_DIMENSIONS.expected],
        // This site's expectation, as the CLI's JSON states it: the kind, `~` when assumed.
        expectation: r.expectation ? `${r.expectation.assumed ? '~' : ''}${r.expectation.kind}` : undefined,
        // The hash of what the timer resolved (its run may stop at another point than the CLI's, e.g. a deadline).
        addrHash: resolved ? expect.stringMatching(/^[0-9a-f]{8}$/) : undefined,
        change: 'new',
        runs: '1',
      };
      expect(p).toEqual(av);
      if (counted.length > 0) expect(p[AVAILABILITY_DIMENSIONS.objects]).toBeDefined();
      if (resolved)
        expect(new Set((p[AVAILABILITY_DIMENSIONS.addresses] ?? '').split(','))).toEqual(new Set(resolved.split(',')));
      // `expected` only where it differs from what resolved, and then exactly this site's expected addresses.
      if (p[AVAILABILITY_DIMENSIONS.expected] !== undefined)
        expect(new Set((p[AVAILABILITY_DIMENSIONS.expected] ?? '').split(','))).toEqual(new Set(expectedIps));
      expect(a['success']).toBe(w.status === 'healthy');
      expect(a['runLocation']).toBe('lab');
      expect(a['id']).toBe(runId.slice(0, 8));
    }

    // One finding event per diagnosis: its root code and severity (declared), the root object and the fix the CLI's
    // JSON reported (checked against the declarations above), and the codes it explains.
    const fe = findingEvents.filter(
      (e) => props(e)[FINDING_DIMENSIONS.vaultId] === id && props(e)[FINDING_DIMENSIONS.vault] === key,
    );
    expect(fe.map((e) => [props(e)[FINDING_DIMENSIONS.code], props(e)[FINDING_DIMENSIONS.severity]])).toEqual(
      declared.map((d) => [d.code, d.severity]),
    );
    fe.forEach((e, i) => {
      const d = declared[i] as ExpectedDiagnosis;
      const reported = r.diagnoses[i] as Diagnosis;
      const command = reported.fix.length > 0 ? reported.fix.join('\n') : reported.confirm[0];
      const fp: Record<(typeof ASSERTED_TELEMETRY.finding)[number], unknown> = {
        vault: key,
        vaultId: id,
        location: 'lab',
        code: d.code,
        cause: CAUSE[d.code],
        severity: d.severity,
        change: 'new',
        detailHash: expect.stringMatching(/^[0-9a-f]{16}$/),
        message: expect.stringMatching(/\S/),
        resourceId: reported.resourceId && reported.resourceId !== r.vaultId ? reported.resourceId : undefined,
        command,
        explains: d.explains.length > 0 ? d.explains.join(',') : undefined,
        runId,
      };
      expect(props(e)).toEqual(fp);
    });
  }
}
