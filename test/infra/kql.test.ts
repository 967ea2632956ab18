import * as fs from 'node:fs';
import * as path from 'node:path';

import { EVENTS, FINDING_DIMENSIONS } from '../../src/telemetry/schema';
import { FINDING_CODES } from '../../src/probe/findings';
import { INFRA_DIR, filesUnder, repoRelative } from './support/paths';
import {
  analyzeKql,
  fillPlaceholders,
  fillWorkbookParameters,
  kqlErrors,
  schemaProblems,
  telemetryUse,
} from './support/kusto';
import { queriesOfWorkbook, type WorkbookQuery } from './support/workbook';
import { ASSERTED_TELEMETRY } from '../integration/scenario-harness';

/** Sample values for the placeholders Bicep substitutes (see infra/alerts/alerts.bicep, infra/monitoring/workbook.bicep). */
const SAMPLE_PLACEHOLDERS: Readonly<Record<string, string>> = {
  SITES: '["hub","spoke-1"]',
  LOOKBACK: '15m',
  INCLUDE_NO_PRIVATE_ENDPOINT: 'true',
};

const kqlFiles = filesUnder(INFRA_DIR, '.kql');
const WORKBOOK_FILE = path.join(INFRA_DIR, 'monitoring', 'probe-workbook.json');

/** The KQL of every query item of the workbook, with the workbook's placeholders filled as Bicep fills them. */
function workbookQueries(): WorkbookQuery[] {
  const escapedSites = JSON.stringify(SAMPLE_PLACEHOLDERS.SITES).slice(1, -1);
  const text = fillPlaceholders(fs.readFileSync(WORKBOOK_FILE, 'utf8'), {
    SITES: escapedSites,
    SITES_TEXT: 'hub, spoke-1',
    APP_INSIGHTS_ID: '/subscriptions/0/resourceGroups/rg/providers/Microsoft.Insights/components/appi',
  });
  return queriesOfWorkbook(JSON.parse(text) as unknown);
}

describe('alert queries (infra/**/*.kql)', () => {
  test('there are alert queries to check', () => {
    expect(kqlFiles.map(repoRelative)).toEqual(
      expect.arrayContaining([
        'infra/alerts/dns-drift.kql',
        'infra/alerts/endpoint-connection.kql',
        'infra/alerts/dataplane.kql',
        'infra/alerts/vault-unknown.kql',
        'infra/alerts/heartbeat-missing.kql',
      ]),
    );
  });

  describe.each(kqlFiles.map((file) => [repoRelative(file), file]))('%s', (_name, file) => {
    const text = fs.readFileSync(file, 'utf8');

    test('parses and binds with no error (placeholders filled with sample values)', () => {
      const errors = kqlErrors(fillPlaceholders(text, SAMPLE_PLACEHOLDERS));
      expect(errors).toEqual([]);
    });

    test('reads only event names, dimensions and finding codes the probe emits', () => {
      expect(schemaProblems(fillPlaceholders(text, SAMPLE_PLACEHOLDERS))).toEqual([]);
    });
  });

  test('the endpoint query parses with the placeholder set either way', () => {
    const text = fs.readFileSync(path.join(INFRA_DIR, 'alerts', 'endpoint-connection.kql'), 'utf8');
    for (const include of ['true', 'false']) {
      expect(kqlErrors(fillPlaceholders(text, { ...SAMPLE_PLACEHOLDERS, INCLUDE_NO_PRIVATE_ENDPOINT: include }))).toEqual([]);
    }
  });

  test('the finding queries cover the codes the issue names', () => {
    const used = (file: string): Set<string> => {
      const use = telemetryUse(fillPlaceholders(fs.readFileSync(path.join(INFRA_DIR, 'alerts', file), 'utf8'), SAMPLE_PLACEHOLDERS));
      const codes = new Set<string>(use.findingCodes);
      for (const prefix of use.codePrefixes) {
        FINDING_CODES.filter((c) => c.startsWith(prefix)).forEach((c) => codes.add(c));
      }
      return codes;
    };
    expect([...used('dns-drift.kql')].sort()).toEqual(FINDING_CODES.filter((c) => c.startsWith('DNS_')).sort());
    expect([...used('endpoint-connection.kql')].sort()).toEqual(
      ['NO_PRIVATE_ENDPOINT', 'PE_CONNECTION_NOT_APPROVED', 'PE_NOT_PROVISIONED'],
    );
    expect([...used('dataplane.kql')].sort()).toEqual(FINDING_CODES.filter((c) => c.startsWith('DATAPLANE_')).sort());
  });

  test('the heartbeat query left-joins the injected site list, so a site that never reported still yields a row', () => {
    const text = fs.readFileSync(path.join(INFRA_DIR, 'alerts', 'heartbeat-missing.kql'), 'utf8');
    expect(text).toMatch(/dynamic\(__SITES__\)/);
    expect(text).toMatch(/join\s+kind\s*=\s*leftouter/);
    expect(telemetryUse(fillPlaceholders(text, SAMPLE_PLACEHOLDERS)).eventNames).toEqual(new Set([EVENTS.heartbeat]));
  });
});

describe('workbook queries (infra/monitoring/probe-workbook.json)', () => {
  const queries = workbookQueries();

  test('has the status grid, recent findings and address views', () => {
    expect(queries.map((q) => q.name)).toEqual(
      expect.arrayContaining(['status-grid', 'recent-findings', 'addresses-grid', 'addresses-chart']),
    );
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
    ...kqlFiles.map((f): [string, string] => [repoRelative(f), fillPlaceholders(fs.readFileSync(f, 'utf8'), SAMPLE_PLACEHOLDERS)]),
    ...workbookQueries().map((q): [string, string] => [`workbook ${q.name}`, fillWorkbookParameters(q.query)]),
  ];

  test.each(sources)('%s', (_name, query) => {
    const use = telemetryUse(query);
    const asserted = new Set<string>();
    const assertedMeasurements = new Set<string>();
    if (use.tables.has('availabilityResults')) ASSERTED_TELEMETRY.availability.forEach((d) => asserted.add(d));
    if (use.eventNames.has(EVENTS.finding)) ASSERTED_TELEMETRY.finding.forEach((d) => asserted.add(d));
    if (use.eventNames.has(EVENTS.heartbeat)) {
      ASSERTED_TELEMETRY.heartbeat.forEach((d) => asserted.add(d));
      ASSERTED_TELEMETRY.heartbeatMeasurements.forEach((d) => assertedMeasurements.add(d));
    }
    expect([...use.dimensions].filter((d) => !asserted.has(d))).toEqual([]);
    expect([...use.measurements].filter((d) => !assertedMeasurements.has(d))).toEqual([]);
  });

  test('the queries read the properties the alerts route on', () => {
    const used = new Set(sources.flatMap(([, q]) => [...telemetryUse(q).dimensions]));
    for (const d of ['location', 'severity', 'runId', 'vault', 'code', 'status']) expect(used).toContain(d);
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
      expect.arrayContaining([expect.stringContaining('computed key'), expect.stringContaining('without naming a key')]),
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
