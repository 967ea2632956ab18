import * as fs from 'node:fs';
import * as path from 'node:path';

import { EVENTS, FINDING_DIMENSIONS } from '../../src/telemetry/schema';
import { FINDING_CAUSES } from '../../src/probe/findings';
import { INFRA_DIR, filesUnder, repoRelative } from './support/paths';
import {
  analyzeKql,
  fillPlaceholders,
  fillWorkbookParameters,
  kqlErrors,
  resultColumns,
  schemaProblems,
  telemetryUse,
} from './support/kusto';
import { queriesOfWorkbook, type WorkbookQuery } from './support/workbook';
import { ASSERTED_TELEMETRY } from '../integration/scenario-harness';

const VAULT_STATE_FILE = path.join(INFRA_DIR, 'monitoring', 'vault-state.kql');

/** Sample values for the placeholders Bicep substitutes (see infra/alerts/alerts.bicep, infra/monitoring/workbook.bicep). */
const SAMPLE_PLACEHOLDERS: Readonly<Record<string, string>> = {
  SITES: '["hub","spoke-1"]',
  LOOKBACK: '15m',
  INCLUDE_NO_PRIVATE_ENDPOINT: 'true',
  CAUSES: '["zone"]',
  MIN_RUNS: '2',
  OWNER_RULE: 'True',
  OWNED_VAULTS: '["kv-payments"]',
  OWNER_TAGS: '["payments"]',
  STATE_LOOKBACK: '125m',
  // The state rebuild as alerts.bicep puts it in front of cause.kql: with its lookback filled.
  VAULT_STATE: fillPlaceholders(fs.readFileSync(VAULT_STATE_FILE, 'utf8'), { STATE_LOOKBACK: '125m' }),
};

/** Queries over the vaults' own logs run in Log Analytics workspaces, not on Application Insights. */
const WORKSPACE_QUERIES = new Set(['infra/alerts/denied-requests.kql', 'infra/monitoring/denied-requests-panel.kql']);
const scopeOf = (file: string): 'workspace' | 'appinsights' =>
  WORKSPACE_QUERIES.has(repoRelative(file)) ? 'workspace' : 'appinsights';

const kqlFiles = filesUnder(INFRA_DIR, '.kql');
const WORKBOOK_FILE = path.join(INFRA_DIR, 'monitoring', 'probe-workbook.json');

/** The KQL of every query item of the workbook, with the workbook's placeholders filled as Bicep fills them. */
function workbookQueries(): WorkbookQuery[] {
  const escapedSites = JSON.stringify(SAMPLE_PLACEHOLDERS.SITES).slice(1, -1);
  const text = fillPlaceholders(fs.readFileSync(WORKBOOK_FILE, 'utf8'), {
    SITES: escapedSites,
    SITES_TEXT: 'hub, spoke-1',
    // As workbook.bicep puts it in: JSON-escaped, inside the query strings.
    VAULT_STATE: JSON.stringify(SAMPLE_PLACEHOLDERS.VAULT_STATE).slice(1, -1),
    APP_INSIGHTS_ID: '/subscriptions/0/resourceGroups/rg/providers/Microsoft.Insights/components/appi',
  });
  return queriesOfWorkbook(JSON.parse(text) as unknown);
}

describe('alert queries (infra/**/*.kql)', () => {
  test('there are alert queries to check', () => {
    expect(kqlFiles.map(repoRelative)).toEqual(
      expect.arrayContaining([
        'infra/alerts/cause.kql',
        'infra/alerts/heartbeat-missing.kql',
        'infra/alerts/denied-requests.kql',
        'infra/monitoring/denied-requests-panel.kql',
      ]),
    );
  });

  describe.each(kqlFiles.map((file) => [repoRelative(file), file]))('%s', (_name, file) => {
    const text = fs.readFileSync(file, 'utf8');
    const fill = (query: string): string =>
      scopeOf(file) === 'workspace' ? fillWorkbookParameters(query) : fillPlaceholders(query, SAMPLE_PLACEHOLDERS);

    test('parses and binds with no error (placeholders filled with sample values)', () => {
      const errors = kqlErrors(fill(text), scopeOf(file));
      expect(errors).toEqual([]);
    });

    if (scopeOf(file) === 'appinsights') {
      test('reads only event names, dimensions and finding codes the probe emits, and no code prefix', () => {
        expect(schemaProblems(fill(text))).toEqual([]);
      });
    }
  });

  test('the cause query parses for every rule of cause-rules.json, with the options either way', () => {
    const text = fs.readFileSync(path.join(INFRA_DIR, 'alerts', 'cause.kql'), 'utf8');
    const rules = (
      JSON.parse(fs.readFileSync(path.join(INFRA_DIR, 'alerts', 'cause-rules.json'), 'utf8')) as {
        rules: { causes: string[] }[];
      }
    ).rules;
    for (const rule of rules) {
      for (const include of ['true', 'false']) {
        const query = fillPlaceholders(text, {
          ...SAMPLE_PLACEHOLDERS,
          CAUSES: JSON.stringify(rule.causes),
          INCLUDE_NO_PRIVATE_ENDPOINT: include,
        });
        expect(kqlErrors(query)).toEqual([]);
        expect(schemaProblems(query)).toEqual([]);
      }
    }
  });

  test('the cause query selects by cause, never by finding code or prefix (NO_PRIVATE_ENDPOINT is an opt-in warning)', () => {
    const use = telemetryUse(
      fillPlaceholders(fs.readFileSync(path.join(INFRA_DIR, 'alerts', 'cause.kql'), 'utf8'), SAMPLE_PLACEHOLDERS),
    );
    expect([...use.codePrefixes]).toEqual([]);
    expect([...use.findingCodes]).toEqual(['NO_PRIVATE_ENDPOINT']);
    // The state rebuild's (the run records', the snapshots' and the state records'), and the finding events' fix.
    expect(use.dimensions).toEqual(
      new Set([
        'location',
        'runId',
        'snapshot',
        'states',
        'status',
        'cause',
        'codes',
        'addrHash',
        'expectation',
        'runs',
        'objects',
        'owner',
        'change',
        'vault',
        'code',
        'command',
      ]),
    );
  });

  test("the cause query's causeOrder is FINDING_CAUSES, most upstream first: an object goes to one rule", () => {
    const text = fs.readFileSync(path.join(INFRA_DIR, 'alerts', 'cause.kql'), 'utf8');
    const order = /let causeOrder = dynamic\((\[[^\]]*\])\);/.exec(text)?.[1] ?? '[]';
    expect(JSON.parse(order.replace(/'/g, '"'))).toEqual([...FINDING_CAUSES]);
  });

  test('the state rebuild binds against the schema and returns one typed row per site and vault', () => {
    const query = fillPlaceholders(fs.readFileSync(VAULT_STATE_FILE, 'utf8'), { STATE_LOOKBACK: '125m' });
    expect(kqlErrors(query)).toEqual([]);
    expect(resultColumns(query)).toEqual([
      'site:string',
      'vault:string',
      'status:string',
      'cause:string',
      'codes:string',
      'addrHash:string',
      'expectation:string',
      'objects:string',
      'owner:string',
      'runs:long',
      'recordTime:datetime',
    ]);
    const use = telemetryUse(query);
    expect(use.eventNames).toEqual(new Set([EVENTS.heartbeat, EVENTS.snapshot]));
    expect(use.tables).toEqual(new Set(['customEvents', 'availabilityResults']));
  });

  test("the workbook's Current state tab reads the state rebuild, and binds", () => {
    const tab = workbookQueries().filter((q) => ['status-grid', 'broken-by-cause', 'state-table'].includes(q.name));
    expect(tab.map((q) => q.name)).toEqual(['status-grid', 'broken-by-cause', 'state-table']);
    for (const q of tab) {
      expect(q.query).toContain('let vaultState = (lookback: timespan)');
      expect({ name: q.name, errors: kqlErrors(fillWorkbookParameters(q.query)) }).toEqual({
        name: q.name,
        errors: [],
      });
    }
  });

  test('the heartbeat query left-joins the injected site list, so a site that never reported still yields a row', () => {
    const text = fs.readFileSync(path.join(INFRA_DIR, 'alerts', 'heartbeat-missing.kql'), 'utf8');
    expect(text).toMatch(/dynamic\(__SITES__\)/);
    expect(text).toMatch(/join\s+kind\s*=\s*leftouter/);
    expect(telemetryUse(fillPlaceholders(text, SAMPLE_PLACEHOLDERS)).eventNames).toEqual(new Set([EVENTS.heartbeat]));
  });

  test('the denied-requests queries read both collection modes of the Key Vault audit logs, and only them', () => {
    for (const file of ['alerts/denied-requests.kql', 'monitoring/denied-requests-panel.kql']) {
      const text = fs.readFileSync(path.join(INFRA_DIR, file), 'utf8');
      expect(text).toMatch(/union isfuzzy=true/);
      expect(text).toContain('AZKVAuditLogs');
      expect(text).toMatch(/AzureDiagnostics[\s\S]*Category == 'AuditEvent'/);
      // isfuzzy hides a table the analyzer does not know, so bind once without it: a misspelt table or a column of
      // the wrong table fails here, and the same text fails on Application Insights' tables.
      const strict = fillWorkbookParameters(text.replace(/^union isfuzzy=true$/m, 'union'));
      expect(kqlErrors(strict, 'workspace')).toEqual([]);
      expect(kqlErrors(strict, 'appinsights').length).toBeGreaterThan(0);
    }
  });
});

describe('workbook queries (infra/monitoring/probe-workbook.json)', () => {
  const queries = workbookQueries();

  test('has the status grid, broken-by-cause, open findings and address views', () => {
    expect(queries.map((q) => q.name)).toEqual(
      expect.arrayContaining([
        'status-grid',
        'broken-by-cause',
        'recent-findings',
        'addresses-grid',
        'addresses-chart',
      ]),
    );
  });

  test("expected addresses are per site: never borrowed from another site's healthy run", () => {
    const grid = queries.find((q) => q.name === 'addresses-grid')?.query ?? '';
    expect(grid).toContain("customDimensions['expected']");
    expect(grid).toMatch(/by vault, site, resolvedAddresses/);
    expect(grid).not.toMatch(/status == 'healthy'/);
  });

  describe.each(queries.map((q) => [q.name, q.query]))('%s', (_name, query) => {
    test('parses and binds with no error', () => {
      expect(kqlErrors(fillWorkbookParameters(query))).toEqual([]);
    });

    test('reads only event names, dimensions and measurements the probe emits', () => {
      expect(schemaProblems(fillWorkbookParameters(query))).toEqual([]);
    });
  });
});

describe('what the alerts read is what the lab scenarios assert at the ingestion sink', () => {
  // The scenario harness asserts, value by value, every property in ASSERTED_TELEMETRY (taken from the schema
  // module). Here: every property the alert and workbook queries read is among them, for the telemetry it reads.
  const sources: [string, string][] = [
    ...kqlFiles.map((f): [string, string] => [
      repoRelative(f),
      fillPlaceholders(fs.readFileSync(f, 'utf8'), SAMPLE_PLACEHOLDERS),
    ]),
    ...workbookQueries().map((q): [string, string] => [`workbook ${q.name}`, fillWorkbookParameters(q.query)]),
    // issue 25: the Estate tab workbook.bicep adds.
    ...queriesOfWorkbook(
      (
        JSON.parse(fs.readFileSync(path.join(INFRA_DIR, 'estate', 'estate-workbook-tab.json'), 'utf8')) as {
          group: unknown;
        }
      ).group,
    ).map((q): [string, string] => [`workbook ${q.name}`, fillWorkbookParameters(q.query)]),
  ];

  test.each(sources)('%s', (_name, query) => {
    const use = telemetryUse(query);
    const asserted = new Set<string>();
    const assertedMeasurements = new Set<string>();
    if (use.tables.has('availabilityResults')) ASSERTED_TELEMETRY.availability.forEach((d) => asserted.add(d));
    if (use.eventNames.has(EVENTS.finding)) ASSERTED_TELEMETRY.finding.forEach((d) => asserted.add(d));
    if (use.eventNames.has(EVENTS.snapshot)) ASSERTED_TELEMETRY.snapshot.forEach((d) => asserted.add(d));
    if (use.eventNames.has(EVENTS.heartbeat)) {
      ASSERTED_TELEMETRY.heartbeat.forEach((d) => asserted.add(d));
      ASSERTED_TELEMETRY.heartbeatMeasurements.forEach((d) => assertedMeasurements.add(d));
    }
    if (use.eventNames.has(EVENTS.estateDiagnosis)) {
      ASSERTED_TELEMETRY.estateDiagnosis.forEach((d) => asserted.add(d));
      ASSERTED_TELEMETRY.estateDiagnosisMeasurements.forEach((d) => assertedMeasurements.add(d));
    }
    if (use.eventNames.has(EVENTS.estateHeartbeat)) {
      asserted.add('location');
      ASSERTED_TELEMETRY.estateHeartbeatMeasurements.forEach((d) => assertedMeasurements.add(d));
    }
    expect([...use.dimensions].filter((d) => !asserted.has(d))).toEqual([]);
    expect([...use.measurements].filter((d) => !assertedMeasurements.has(d))).toEqual([]);
  });

  test('the queries read the properties the alerts route on', () => {
    const used = new Set(sources.flatMap(([, q]) => [...telemetryUse(q).dimensions]));
    for (const d of ['location', 'severity', 'cause', 'vault', 'code', 'status']) expect(used).toContain(d);
  });
});

describe('the checks themselves can fail', () => {
  test('a malformed query gets an error diagnostic', () => {
    const errors = kqlErrors("customEvents | where name == 'KvProbeFinding' | summarize by | where");
    expect(errors.length).toBeGreaterThan(0);
  });

  test('a column that does not exist is an error', () => {
    const errors = kqlErrors("customEvents | where name == 'KvProbeFinding' | project customDimensions, vaultName");
    expect(errors.map((e) => e.code)).toContain('KS142');
  });

  test('a workspace table name is an error: the rules query the Application Insights resource', () => {
    expect(kqlErrors("AppEvents | where Name == 'KvProbeFinding'").length).toBeGreaterThan(0);
  });

  test('an unknown dimension is rejected', () => {
    const problems = schemaProblems(
      `customEvents | where name == '${EVENTS.finding}' | extend v = tostring(customDimensions['vaultName'])`,
    );
    expect(problems).toEqual([expect.stringContaining("unknown dimension 'vaultName'")]);
  });

  test('a dimension of another event is rejected', () => {
    const problems = schemaProblems(
      `customEvents | where name == '${EVENTS.heartbeat}' | extend c = tostring(customDimensions.${FINDING_DIMENSIONS.code})`,
    );
    expect(problems).toEqual([expect.stringContaining("unknown dimension 'code'")]);
  });

  test('a code prefix is rejected even when codes have it: alerts select by cause', () => {
    expect(
      schemaProblems(
        "customEvents | where name == 'KvProbeFinding' | where tostring(customDimensions['code']) startswith 'DNS_'",
      ),
    ).toEqual([expect.stringContaining("selects finding codes by the prefix 'DNS_'")]);
  });

  test('an unknown cause is rejected', () => {
    expect(schemaProblems("availabilityResults | where tostring(customDimensions['cause']) == 'network'")).toEqual([
      expect.stringContaining(`cause compared with 'network', not one of ${FINDING_CAUSES.join(', ')}`),
    ]);
  });

  test('a column the audit tables do not document is an error', () => {
    expect(kqlErrors('AZKVAuditLogs | where CallerIPAddress == "10.0.0.1"', 'workspace').map((e) => e.code)).toContain(
      'KS142',
    );
    expect(
      kqlErrors('AzureDiagnostics | where isAddressAuthorized_b == false', 'workspace').map((e) => e.code),
    ).toContain('KS142');
  });

  test('an unknown event name, finding code, code prefix and severity are rejected', () => {
    const problems = schemaProblems(
      "customEvents | where name == 'KvProbeFindings' | where tostring(customDimensions['code']) in ('DNS_WRONG_IP') or tostring(customDimensions['code']) startswith 'TLS_' | where tostring(customDimensions['severity']) == 'critical'",
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining("unknown event name 'KvProbeFindings'"),
        expect.stringContaining("unknown finding code 'DNS_WRONG_IP'"),
        expect.stringContaining("no finding code starts with 'TLS_'"),
        expect.stringContaining("severity compared with 'critical'"),
      ]),
    );
  });

  test('a dimension read by a computed key or the whole bag is rejected', () => {
    const problems = schemaProblems(
      `customEvents | where name == '${EVENTS.finding}' | extend k = 'vault' | extend v = customDimensions[k] | project customDimensions`,
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('computed key'),
        expect.stringContaining('without naming a key'),
      ]),
    );
  });

  test('an unknown placeholder or workbook parameter is rejected', () => {
    expect(() => fillPlaceholders('print x = __NOPE__', SAMPLE_PLACEHOLDERS)).toThrow('__NOPE__');
    expect(() => fillWorkbookParameters('print x = {Vault}')).toThrow('{Vault}');
  });

  test('diagnostics say where they are', () => {
    const [first] = analyzeKql('availabilityResults | where nosuchcolumn == 1');
    expect(first?.near).toContain('nosuchcolumn');
  });
});
