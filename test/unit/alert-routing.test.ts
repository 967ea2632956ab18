import * as fs from 'node:fs';
import * as path from 'node:path';
import { FINDING_CAUSES, FINDING_CODES, type FindingCause, type FindingInfo } from '../../src/probe/findings';
import {
  ALERT_OPT_INS,
  CAUSE_ROUTES,
  CAUSE_RULES,
  causesOf,
  MIN_RUNS_DEFAULTS,
  type CauseRuleKey,
} from '../../src/telemetry/alert-rules';
import type { ReportedFinding, VaultResult } from '../../src/probe/report';
import type { VaultStatus } from '../../src/probe/types';
import { stateOf } from '../../src/telemetry/state';
import { ownDiagnoses } from './builders';
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

  test("a vault's route is the most upstream cause among its error diagnoses; warnings and explained findings do not count", () => {
    const r = (
      findings: [ReportedFinding['code'], ReportedFinding['severity']][],
      status: VaultStatus = 'unhealthy',
    ) => {
      const fs = findings.map(([code, severity]) => ({
        code,
        severity,
        title: '',
        message: '',
        remediation: '',
        resourceId: null,
        fix: [],
        confirm: [],
        explainedBy: null,
        details: {},
      }));
      return stateOf({
        vault: 'kv',
        vaultId: null,
        status,
        findings: fs,
        diagnoses: ownDiagnoses(fs),
      } as unknown as VaultResult);
    };
    expect(
      r([
        ['DATAPLANE_UNREACHABLE', 'error'],
        ['ZONE_RECORD_STALE', 'error'],
        ['DNS_PRIVATE_IP_MISMATCH', 'error'],
      ]).cause,
    ).toBe('zone');
    expect(
      r([
        ['DNS_PUBLIC_IP', 'error'],
        ['PE_CONNECTION_NOT_APPROVED', 'error'],
      ]).cause,
    ).toBe('endpoint');
    expect(
      r(
        [
          ['ARM_READ_FAILED', 'error'],
          ['RUN_DEADLINE_EXCEEDED', 'error'],
        ],
        'unknown',
      ).cause,
    ).toBe('inventory');
    expect(
      r(
        [
          ['PE_CONNECTION_NOT_APPROVED', 'warning'],
          ['DNS_RESOLVERS_DISAGREE', 'warning'],
        ],
        'healthy',
      ).cause,
    ).toBe('');
    expect(r([], 'healthy').cause).toBe('');
    // A finding another one explains is no diagnosis of its own: only the diagnoses count.
    const fs = [
      { code: 'DNS_PRIVATE_IP_MISMATCH', severity: 'error', resourceId: null, fix: [], confirm: [], details: {} },
      { code: 'ZONE_RECORD_STALE', severity: 'error', resourceId: null, fix: [], confirm: [], details: {} },
    ] as unknown as ReportedFinding[];
    const onlyDns = stateOf({
      vault: 'kv',
      vaultId: null,
      status: 'unhealthy',
      findings: fs,
      diagnoses: ownDiagnoses(fs.slice(0, 1)),
    } as unknown as VaultResult);
    expect([onlyDns.cause, onlyDns.codes]).toEqual(['dns', 'DNS_PRIVATE_IP_MISMATCH']);
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
      // Severity and cause from the literal tables, so a change to the product's table fails here too.
      const rule = CAUSE_ROUTES[CAUSE[code]];
      expect({ code, ...rows.get(code) }).toEqual({
        code,
        severity: SEVERITY[code],
        cause: CAUSE[code],
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
