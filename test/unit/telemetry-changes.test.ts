import { ownDiagnoses } from './builders';
import type { Diagnosis } from '../../src/probe/diagnoses';
import type { ReportedFinding, RunReport, VaultResult } from '../../src/probe/report';
import { FindingChangeTracker, detailHash } from '../../src/telemetry/changes';
import { availabilityFor as recordOf, telemetryFor } from '../../src/telemetry/records';
import { stateOf } from '../../src/telemetry/state';
import { AVAILABILITY_DIMENSIONS, EVENTS } from '../../src/telemetry/schema';

const f = (
  code: ReportedFinding['code'],
  address = '10.0.0.9',
  severity: ReportedFinding['severity'] = 'error',
): ReportedFinding =>
  ({
    code,
    severity,
    title: 't',
    message: `${code} at ${address}`,
    remediation: 'a long static remediation text',
    resourceId: null,
    fix: [],
    confirm: [],
    explainedBy: null,
    details: { address },
  }) as unknown as ReportedFinding;

const result = (vault: string, findings: ReportedFinding[], status?: VaultResult['status']): VaultResult => ({
  vault,
  vaultId: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/${vault}`,
  scope: 'vault',
  host: `${vault}.vault.azure.net`,
  status: status ?? (findings.some((x) => x.severity === 'error') ? 'unhealthy' : 'healthy'),
  publicNetworkAccess: 'Disabled',
  expected: [{ ip: '10.0.0.4', privateEndpointId: 'pe', connectionStatus: 'Approved', provisioningState: 'Succeeded' }],
  resolved: {
    os: { addresses: [findings.length ? '10.0.0.9' : '10.0.0.4'], error: null },
    dns: { servers: [], cnames: [], addresses: [], ttl: 10, error: null },
  },
  dataplane: [],
  addressesHash: null,
  findings,
  diagnoses: ownDiagnoses(findings),
  timings: { totalMs: 12.6 },
});

/** The state record of a vault result, as sent when it is new. */
const availabilityFor = (ctx: { runId: string; location: string }, r: VaultResult): ReturnType<typeof recordOf> =>
  recordOf(ctx, { result: r, key: r.vault, state: stateOf(r), change: 'new', runs: 1 });

let runNo = 0;
const report = (results: VaultResult[], location = 'hub'): RunReport => ({
  location,
  runId: `run-${++runNo}`,
  startedAt: '2026-11-30T00:00:00.000Z',
  durationMs: 5,
  summary: { vaults: results.length, healthy: 0, unhealthy: 0, unknown: 0, skipped: 0 },
  results,
});

describe('telemetry on change', () => {
  test('new, silent while unchanged, refresh every N runs, changed on new details, resolved when gone', () => {
    const t = new FindingChangeTracker(3);
    const summary = (r: RunReport): string[] => {
      const s = t.next(r);
      return [
        ...s.send.map((x) => `${x.change}:${x.result.vault}:${x.diagnosis.code}`),
        ...s.resolved.map((x) => `resolved:${x.vault}:${x.code}`),
      ];
    };
    expect(summary(report([result('kv1', [f('DNS_PUBLIC_IP')]), result('kv2', [])]))).toEqual([
      'new:kv1:DNS_PUBLIC_IP',
    ]);
    expect(summary(report([result('kv1', [f('DNS_PUBLIC_IP')]), result('kv2', [])]))).toEqual([]);
    expect(summary(report([result('kv1', [f('DNS_PUBLIC_IP')]), result('kv2', [])]))).toEqual([]);
    expect(summary(report([result('kv1', [f('DNS_PUBLIC_IP')]), result('kv2', [])]))).toEqual([
      'refresh:kv1:DNS_PUBLIC_IP',
    ]);
    expect(summary(report([result('kv1', [f('DNS_PUBLIC_IP', '52.1.2.3')]), result('kv2', [])]))).toEqual([
      'changed:kv1:DNS_PUBLIC_IP',
    ]);
    expect(summary(report([result('kv1', []), result('kv2', [])]))).toEqual(['resolved:kv1:DNS_PUBLIC_IP']);
    expect(summary(report([result('kv1', []), result('kv2', [])]))).toEqual([]);
    expect(t.size).toBe(0);
  });

  test('an unknown result keeps earlier findings open; a vault out of the report resolves after N runs', () => {
    const t = new FindingChangeTracker(2);
    t.next(report([result('kv1', [f('ZONE_RECORD_STALE')]), result('kv2', [f('DNS_NXDOMAIN')])]));
    const unknown = t.next(
      report([result('kv1', [f('ARM_READ_FAILED')], 'unknown'), result('kv2', [f('DNS_NXDOMAIN')])]),
    );
    expect(unknown.resolved).toEqual([]);
    expect(unknown.send.map((s) => s.diagnosis.code)).toEqual(['ARM_READ_FAILED']);
    expect(t.next(report([result('kv1', [f('ZONE_RECORD_STALE')])])).resolved.map((r) => r.code)).toEqual([
      'ARM_READ_FAILED',
    ]);
    // kv2 is out of the report from run 3: kept through one absent run, resolved after two (refreshRuns).
    expect(
      t.next(report([result('kv1', [f('ZONE_RECORD_STALE')])])).resolved.map((r) => `${r.vault}:${r.code}`),
    ).toEqual(['kv2:DNS_NXDOMAIN']);
    expect(t.next(report([result('kv1', [f('ZONE_RECORD_STALE')])])).resolved).toEqual([]);
  });

  test('a restart (a new tracker) or an unconfirmed run (forget) sends everything again', () => {
    const t = new FindingChangeTracker(12);
    const r = (): RunReport => report([result('kv1', [f('DNS_PUBLIC_IP'), f('DATAPLANE_FORBIDDEN')])]);
    expect(t.next(r()).send).toHaveLength(2);
    expect(t.next(r()).send).toHaveLength(0);
    t.forget();
    expect(t.next(r()).send.map((s) => s.change)).toEqual(['new', 'new']);
    expect(new FindingChangeTracker(12).next(r()).send).toHaveLength(2);
    expect(() => new FindingChangeTracker(0)).toThrow(RangeError);
  });

  test('the detail hash ignores the message wording and follows severity, root object, details and explained codes', () => {
    const r = result('kv1', [f('DNS_PUBLIC_IP')]);
    const d = r.diagnoses[0] as Diagnosis;
    expect(detailHash(r, { ...d, message: 'other words' })).toBe(detailHash(r, d));
    expect(detailHash(r, { ...d, severity: 'warning' })).not.toBe(detailHash(r, d));
    expect(detailHash(r, { ...d, resourceId: '/subscriptions/s' })).not.toBe(detailHash(r, d));
    expect(detailHash(r, { ...d, explains: ['DATAPLANE_FORBIDDEN'] })).not.toBe(detailHash(r, d));
    expect(detailHash(result('kv1', [f('DNS_PUBLIC_IP', '52.1.1.1')]), d)).not.toBe(detailHash(r, d));
    expect(detailHash(r, d)).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('compact records', () => {
  test('a healthy state record carries status, addresses, why it was sent and its run count only', () => {
    const a = availabilityFor({ runId: '0123456789abcdef', location: 'hub' }, result('kv1', []));
    expect(a).toEqual({
      id: '01234567',
      name: 'kv1',
      duration: 13,
      success: true,
      runLocation: 'hub',
      message: 'healthy',
      properties: { status: 'healthy', change: 'new', runs: '1', addresses: '10.0.0.4' },
    });
  });

  test('a broken one adds its root cause, codes (errors first) and the expected addresses', () => {
    const a = availabilityFor(
      { runId: 'run-x', location: 'hub' },
      result('kv1', [f('DNS_RESOLVERS_DISAGREE', '1', 'warning'), f('DATAPLANE_UNREACHABLE'), f('ZONE_RECORD_STALE')]),
    );
    expect(a.properties).toEqual({
      status: 'unhealthy',
      cause: 'zone',
      codes: 'DATAPLANE_UNREACHABLE,ZONE_RECORD_STALE,DNS_RESOLVERS_DISAGREE',
      // The error diagnoses' objects; '' is the vault itself.
      objects: 'DATAPLANE_UNREACHABLE=,ZONE_RECORD_STALE=',
      addresses: '10.0.0.9',
      expected: '10.0.0.4',
      change: 'new',
      runs: '1',
    });
    expect(a.message).toBe('zone');
    expect(
      Object.keys(a.properties).every((k) => (Object.values(AVAILABILITY_DIMENSIONS) as string[]).includes(k)),
    ).toBe(true);
  });

  test('an unknown vault always has a cause, so the vault-unknown rule sees it even without an error finding', () => {
    const byWarning = availabilityFor(
      { runId: 'r', location: 'hub' },
      result('kv1', [f('ENDPOINT_READ_FAILED', '1', 'warning')], 'unknown'),
    );
    expect(byWarning.properties).toMatchObject({
      status: 'unknown',
      cause: 'inventory',
      codes: 'ENDPOINT_READ_FAILED',
    });
    const byDeadline = availabilityFor(
      { runId: 'r', location: 'hub' },
      result('kv1', [f('RUN_DEADLINE_EXCEEDED')], 'unknown'),
    );
    expect(byDeadline.properties['cause']).toBe('probe');
    expect(availabilityFor({ runId: 'r', location: 'hub' }, result('kv1', [], 'unknown')).properties['cause']).toBe(
      'inventory',
    );
    expect(
      availabilityFor({ runId: 'r', location: 'hub' }, result('kv1', [f('PROXY_IN_PATH', '1', 'warning')])).properties[
        'cause'
      ],
    ).toBeUndefined();
  });

  test('finding events carry the cause and the change, never the static remediation', () => {
    const { events } = telemetryFor(report([result('kv1', [f('CUSTOM_DNS_NOT_FORWARDING')])]), {
      vnetId: undefined,
      isPastDue: false,
      trigger: 'timer',
      version: '0',
    });
    const finding = events.find((e) => e.name === EVENTS.finding);
    expect(finding?.properties).toMatchObject({
      code: 'CUSTOM_DNS_NOT_FORWARDING',
      cause: 'dns',
      severity: 'error',
      change: 'new',
      location: 'hub',
    });
    expect(JSON.stringify(events)).not.toContain('static remediation');
  });
});
