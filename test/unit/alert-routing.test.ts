import * as fs from 'node:fs';
import * as path from 'node:path';
import { FINDING_CAUSES, FINDING_CODES, FINDINGS, type FindingCause, type FindingInfo } from '../../src/probe/findings';
import {
  ALERT_OPT_INS,
  CAUSE_ROUTES,
  CAUSE_RULES,
  causesOf,
  MIN_RUNS_DEFAULTS,
  type CauseRuleKey,
} from '../../src/telemetry/alert-rules';
import { rootCause } from '../../src/telemetry/causes';
import { CAUSE, SEVERITY } from '../lab/finding-literals';

const RULES_FILE = path.resolve(__dirname, '..', '..', 'infra', 'alerts', 'cause-rules.json');
const deployed = (
  JSON.parse(fs.readFileSync(RULES_FILE, 'utf8')) as {
    rules: { key: string; causes: string[]; severity: number; minRuns: string; title: string }[];
  }
).rules;

describe('routing by cause', () => {
  test('every error code reaches exactly one alert rule (by its cause), and so does every other code', () => {
    const rulesOf = (code: (typeof FINDING_CODES)[number]): string[] =>
      deployed.filter((r) => r.causes.includes(CAUSE[code])).map((r) => r.key);
    const errors = FINDING_CODES.filter((c) => SEVERITY[c] === 'error');
    expect(errors.length).toBeGreaterThan(15);
    for (const code of FINDING_CODES) {
      expect({ code, rules: rulesOf(code) }).toEqual({ code, rules: [CAUSE_ROUTES[CAUSE[code]]] });
    }
  });

  test('the codes the old prefix rules missed now alert', () => {
    for (const code of [
      'ZONE_RECORD_STALE',
      'ZONE_RECORD_MISSING',
      'ZONE_NOT_LINKED',
      'ENDPOINT_BELONGS_TO_OTHER_RESOURCE',
      'CUSTOM_DNS_NOT_FORWARDING',
      'NXDOMAIN_SPLIT_BRAIN',
    ] as const) {
      expect(deployed.filter((r) => r.causes.includes(CAUSE[code]))).toHaveLength(1);
    }
  });

  test('infra/alerts/cause-rules.json is the table of src/telemetry/alert-rules.ts', () => {
    const fromTs = (Object.keys(CAUSE_RULES) as CauseRuleKey[]).map((key) => ({
      key,
      causes: causesOf(key),
      ...CAUSE_RULES[key],
    }));
    expect(deployed.map((r) => ({ ...r, causes: [...r.causes].sort() }))).toEqual(
      fromTs.map((r) => ({ ...r, causes: [...r.causes].sort() })),
    );
    expect(deployed.flatMap((r) => r.causes).sort()).toEqual([...FINDING_CAUSES].sort());
  });

  test('a finding without a cause, or a cause without a route, does not compile', () => {
    // @ts-expect-error: cause is required
    const noCause: FindingInfo = { severity: 'error', title: 't', when: 'w', remediation: 'r' };
    // @ts-expect-error: every cause needs a route
    const missing = { inventory: 'vault-unknown' } satisfies Record<FindingCause, CauseRuleKey>;
    expect([noCause, missing]).toHaveLength(2);
  });

  test('the root cause is the most upstream cause among error findings; warnings do not count', () => {
    expect(
      rootCause([
        { code: 'DATAPLANE_UNREACHABLE', severity: 'error' },
        { code: 'ZONE_RECORD_STALE', severity: 'error' },
        { code: 'DNS_PRIVATE_IP_MISMATCH', severity: 'error' },
      ]),
    ).toBe('zone');
    expect(
      rootCause([
        { code: 'DNS_PUBLIC_IP', severity: 'error' },
        { code: 'PE_CONNECTION_NOT_APPROVED', severity: 'error' },
      ]),
    ).toBe('endpoint');
    expect(
      rootCause([
        { code: 'ARM_READ_FAILED', severity: 'error' },
        { code: 'RUN_DEADLINE_EXCEEDED', severity: 'error' },
      ]),
    ).toBe('inventory');
    expect(
      rootCause([
        { code: 'PE_CONNECTION_NOT_APPROVED', severity: 'warning' },
        { code: 'DNS_RESOLVERS_DISAGREE', severity: 'warning' },
      ]),
    ).toBeUndefined();
    expect(rootCause([])).toBeUndefined();
  });
});

describe('docs/DESIGN.md alerts table', () => {
  const readme = fs.readFileSync(path.resolve(__dirname, '..', '..', 'docs', 'DESIGN.md'), 'utf8');
  const rows = new Map(
    [
      ...readme.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \| (error|warning|info) \| `([a-z]+)` \| `([a-z-]+)` \| Sev (\d)/gm),
    ].map((m) => [m[1], { severity: m[2], cause: m[3], rule: m[4], alert: Number(m[5]) }]),
  );

  test('has one row per code with its severity, cause, rule and alert severity from the tables', () => {
    expect([...rows.keys()].sort()).toEqual([...FINDING_CODES].sort());
    for (const code of FINDING_CODES) {
      const rule = CAUSE_ROUTES[FINDINGS[code].cause];
      expect({ code, ...rows.get(code) }).toEqual({
        code,
        severity: FINDINGS[code].severity,
        cause: FINDINGS[code].cause,
        rule,
        alert: CAUSE_RULES[rule].severity,
      });
    }
  });
});

describe('what the docs/DESIGN.md alerts table reads from alert-rules.ts', () => {
  const infra = (...parts: string[]): string =>
    fs.readFileSync(path.resolve(__dirname, '..', '..', 'infra', ...parts), 'utf8');

  test("MIN_RUNS_DEFAULTS are the deployment's defaults (infra/main.bicep)", () => {
    const main = infra('main.bicep');
    for (const [param, runs] of Object.entries(MIN_RUNS_DEFAULTS)) {
      expect([param, new RegExp(`^param ${param} int = (\\d+)$`, 'm').exec(main)?.[1]]).toEqual([param, String(runs)]);
    }
  });

  test('ALERT_OPT_INS are the codes cause.kql names, each with a parameter main.bicep passes to alerts.bicep', () => {
    const kql = infra('alerts', 'cause.kql');
    expect(Object.keys(ALERT_OPT_INS)).toEqual(FINDING_CODES.filter((c) => kql.includes(`'${c}'`)));
    for (const { parameter } of Object.values(ALERT_OPT_INS)) {
      expect(infra('main.bicep')).toMatch(new RegExp(`^param ${parameter} bool`, 'm'));
      expect(infra('main.bicep')).toContain(`${parameter}: ${parameter}`);
      expect(infra('alerts', 'alerts.bicep')).toMatch(new RegExp(`^param ${parameter} bool`, 'm'));
    }
  });
});
