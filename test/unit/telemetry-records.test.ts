import { ownDiagnoses } from './builders';
import { telemetryFor } from '../../src/telemetry/records';
import {
  AVAILABILITY_DIMENSIONS,
  EVENTS,
  FINDING_DIMENSIONS,
  HEARTBEAT_DIMENSIONS,
  HEARTBEAT_MEASUREMENTS,
} from '../../src/telemetry/schema';
import type { ReportedFinding, RunReport, VaultResult } from '../../src/probe/report';

const SUB_A = '11111111-1111-4111-8111-111111111111';
const SUB_B = '22222222-2222-4222-8222-222222222222';
const idOf = (sub: string): string =>
  `/subscriptions/${sub}/resourceGroups/apps/providers/Microsoft.KeyVault/vaults/kv-same`;

const finding: ReportedFinding = {
  code: 'ZONE_RECORD_STALE',
  severity: 'error',
  title: 't',
  message: 'Zone privatelink.vaultcore.azure.net has A record kv-same -> 10.0.0.9, which is no private endpoint NIC.',
  remediation: 'Remove 10.0.0.9.',
  resourceId: `/subscriptions/${SUB_A}/resourceGroups/dns/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net/A/kv-same`,
  fix: ['az network private-dns record-set a remove-record …'],
  confirm: [],
  explainedBy: null,
  details: { zone: 'z', record: 'r', address: '10.0.0.9' },
};

/** What the stale record explains: the resolver's answer at the wrong address. */
const explained: ReportedFinding = {
  code: 'DNS_PRIVATE_IP_MISMATCH',
  severity: 'error',
  title: 't',
  message: 'kv-same resolves to 10.0.0.9, expected 10.0.0.4.',
  remediation: 'r',
  resourceId: null,
  fix: [],
  confirm: ['nslookup kv-same.vault.azure.net'],
  explainedBy: 'ZONE_RECORD_STALE',
  details: { address: '10.0.0.9', zones: [] },
};

function result(sub: string, findings: ReportedFinding[]): VaultResult {
  return {
    vault: 'kv-same',
    vaultId: idOf(sub),
    scope: 'vault',
    host: 'kv-same.vault.azure.net',
    status: findings.length > 0 ? 'unhealthy' : 'healthy',
    publicNetworkAccess: 'Disabled',
    expected: [],
    resolved: {
      os: { addresses: ['10.0.0.9'], error: null },
      dns: { servers: ['10.0.0.53'], cnames: [], addresses: ['10.0.0.9', '10.0.0.4'], ttl: 10, error: null },
    },
    dataplane: [],
    addressesHash: 'abcdef0123456789',
    findings,
    // One diagnosis: the stale record, explaining the mismatch.
    diagnoses: ownDiagnoses(findings.slice(0, 1)).map((d) => ({
      ...d,
      explains: ['DNS_PRIVATE_IP_MISMATCH'],
      explained: [1],
    })),
    timings: { totalMs: 42 },
  };
}

const report: RunReport = {
  location: 'hub-westeurope',
  runId: '3f1c2d4e-0000-4000-8000-000000000001',
  startedAt: '2026-11-30T04:00:00.000Z',
  durationMs: 1234,
  summary: { vaults: 2, healthy: 1, unhealthy: 1, unknown: 0, skipped: 3 },
  timings: { discoverMs: 10.2, probeMs: 19.6, reportMs: 3, expectedMaxMs: 4 },
  results: [result(SUB_A, [finding, explained]), result(SUB_B, [])],
};

describe('telemetryFor: what the alerts and the workbook read', () => {
  const meta = {
    vnetId: '/subscriptions/x/resourceGroups/n/providers/Microsoft.Network/virtualNetworks/hub',
    isPastDue: true,
    trigger: 'timer' as const,
    version: '9.9.9',
  };
  const { availability, events } = telemetryFor(report, meta);

  it('a fresh process sends a snapshot: a state record for the vault that is not healthy, every vault packed', () => {
    expect(availability.map((a) => a.name)).toEqual(['kv-same']);
    // The run's short ID: the records of one run share it, and `name` with `location` tells them apart.
    expect(availability.map((a) => a.id)).toEqual([report.runId.slice(0, 8)]);
    expect(availability[0]).toMatchObject({
      name: 'kv-same',
      success: false,
      runLocation: 'hub-westeurope',
      duration: 42,
      message: 'zone',
    });
    expect(availability[0]?.properties).toEqual({
      status: 'unhealthy',
      cause: 'zone',
      codes: 'ZONE_RECORD_STALE',
      objects: `ZONE_RECORD_STALE=${finding.resourceId ?? ''}`,
      addresses: '10.0.0.4,10.0.0.9',
      addrHash: 'abcdef01',
      change: 'new',
      runs: '1',
    } satisfies Partial<Record<(typeof AVAILABILITY_DIMENSIONS)[keyof typeof AVAILABILITY_DIMENSIONS], string>>);
    const snapshot = events.filter((e) => e.name === EVENTS.snapshot);
    expect(snapshot.map((e) => e.properties)).toEqual([
      {
        location: 'hub-westeurope',
        runId: report.runId,
        part: '1/1',
        states: `kv-same|unhealthy|zone|ZONE_RECORD_STALE|abcdef01||1|ZONE_RECORD_STALE=${finding.resourceId ?? ''};kv-same|healthy|||abcdef01||1|`,
      },
    ]);
  });

  it('one finding event per diagnosis, not per finding: its cause, root object, fix and the codes it explains', () => {
    const findings = events.filter((e) => e.name === EVENTS.finding);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.properties).toEqual({
      vault: 'kv-same',
      vaultId: idOf(SUB_A),
      location: 'hub-westeurope',
      code: 'ZONE_RECORD_STALE',
      cause: 'zone',
      severity: 'error',
      change: 'new',
      detailHash: expect.stringMatching(/^[0-9a-f]{16}$/) as unknown as string,
      message: finding.message,
      resourceId: finding.resourceId ?? '',
      command: finding.fix[0] ?? '',
      explains: 'DNS_PRIVATE_IP_MISMATCH',
      runId: report.runId,
    } satisfies Record<(typeof FINDING_DIMENSIONS)[keyof typeof FINDING_DIMENSIONS], string>);
  });

  it.each([
    [true, 'true'],
    [false, 'false'],
  ])('one heartbeat per run, isPastDue %s, with the run meta and the summary', (isPastDue, text) => {
    const hb = telemetryFor(report, { ...meta, isPastDue }).events.filter((e) => e.name === EVENTS.heartbeat);
    expect(hb).toHaveLength(1);
    expect(hb[0]?.properties).toEqual({
      location: 'hub-westeurope',
      vnetId: meta.vnetId,
      runId: report.runId,
      isPastDue: text,
      trigger: 'timer',
      version: '9.9.9',
      azureDns: 'off',
      stateHash: expect.stringMatching(/^[0-9a-f]{16}$/) as unknown as string,
      changed: 'true',
      snapshot: 'true',
      siteScope: 'asked',
    } satisfies Record<(typeof HEARTBEAT_DIMENSIONS)[keyof typeof HEARTBEAT_DIMENSIONS], string>);
    expect(hb[0]?.measurements).toEqual({
      vaults: 2,
      healthy: 1,
      unhealthy: 1,
      unknown: 0,
      skipped: 3,
      inventory: 2,
      outOfScope: 0,
      durationMs: 1234,
      findingEvents: 1,
      resolvedEvents: 0,
      overlappingRunsSkipped: 0,
      stateRecords: 1,
      discoverMs: 10,
      probeMs: 20,
      reportMs: 3,
    } satisfies Record<(typeof HEARTBEAT_MEASUREMENTS)[keyof typeof HEARTBEAT_MEASUREMENTS], number>);
  });

  it("a site's scope: the inventory, the vaults left out and the mode, beside the vaults probed", () => {
    const scoped = { ...report, siteScope: { mode: 'private' as const, inventory: 40, leftOut: 38 } };
    const hb = telemetryFor(scoped, meta).events.find((e) => e.name === EVENTS.heartbeat);
    expect(hb?.properties[HEARTBEAT_DIMENSIONS.siteScope]).toBe('private');
    expect(hb?.measurements).toMatchObject({ vaults: 2, inventory: 40, outOfScope: 38 });
  });

  it('an unset VNet is an empty vnetId, not a missing property', () => {
    const hb = telemetryFor(report, { ...meta, vnetId: undefined }).events.find((e) => e.name === EVENTS.heartbeat);
    expect(hb?.properties[HEARTBEAT_DIMENSIONS.vnetId]).toBe('');
  });
});
