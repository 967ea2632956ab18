import { telemetryFor } from '../../src/telemetry/records';
import { AVAILABILITY_DIMENSIONS, EVENTS, FINDING_DIMENSIONS, HEARTBEAT_DIMENSIONS, HEARTBEAT_MEASUREMENTS } from '../../src/telemetry/schema';
import type { ReportedFinding, RunReport, VaultResult } from '../../src/probe/report';

const SUB_A = '11111111-1111-4111-8111-111111111111';
const SUB_B = '22222222-2222-4222-8222-222222222222';
const idOf = (sub: string): string => `/subscriptions/${sub}/resourceGroups/apps/providers/Microsoft.KeyVault/vaults/kv-same`;

const finding: ReportedFinding = {
  code: 'ZONE_RECORD_STALE',
  severity: 'error',
  title: 't',
  message: 'Zone privatelink.vaultcore.azure.net has A record kv-same -> 10.0.0.9, which is no private endpoint NIC.',
  remediation: 'Remove 10.0.0.9.',
  resourceId: `/subscriptions/${SUB_A}/resourceGroups/dns/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net/A/kv-same`,
  command: 'az network private-dns record-set a remove-record …',
  details: { zone: 'z', record: 'r', address: '10.0.0.9' },
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
    resolved: { os: { addresses: ['10.0.0.9'], error: null }, dns: { servers: ['10.0.0.53'], cnames: [], addresses: ['10.0.0.9', '10.0.0.4'], ttl: 10, error: null } },
    dataplane: [],
    addressesHash: 'abcdef0123456789',
    findings,
    timings: { totalMs: 42 },
  };
}

const report: RunReport = {
  location: 'hub-westeurope',
  runId: '3f1c2d4e-0000-4000-8000-000000000001',
  startedAt: '2026-11-30T04:00:00.000Z',
  durationMs: 1234,
  summary: { vaults: 2, healthy: 1, unhealthy: 1, unknown: 0, skipped: 3 },
  results: [result(SUB_A, [finding]), result(SUB_B, [])],
};

describe('telemetryFor: what the alerts and the workbook read', () => {
  const meta = { vnetId: '/subscriptions/x/resourceGroups/n/providers/Microsoft.Network/virtualNetworks/hub', isPastDue: true, trigger: 'timer' as const, version: '9.9.9' };
  const { availability, events } = telemetryFor(report, meta);

  it('one availability result per vault ID, even when two vaults share a name', () => {
    expect(availability.map((a) => a.properties[AVAILABILITY_DIMENSIONS.vaultId])).toEqual([idOf(SUB_A), idOf(SUB_B)]);
    expect(new Set(availability.map((a) => a.id)).size).toBe(2);
    expect(availability[0]).toMatchObject({ name: 'kv-same', success: false, runLocation: 'hub-westeurope', duration: 42, message: finding.message });
    expect(availability[1]).toMatchObject({ success: true, message: 'healthy' });
    expect(availability[0]?.properties).toEqual({
      vault: 'kv-same',
      vaultId: idOf(SUB_A),
      host: 'kv-same.vault.azure.net',
      location: 'hub-westeurope',
      status: 'unhealthy',
      findingCodes: 'ZONE_RECORD_STALE',
      addresses: '10.0.0.9,10.0.0.4',
      addressesHash: 'abcdef0123456789',
      runId: report.runId,
    } satisfies Record<(typeof AVAILABILITY_DIMENSIONS)[keyof typeof AVAILABILITY_DIMENSIONS], string>);
  });

  it('one finding event per finding, with the resource to change and the command', () => {
    const findings = events.filter((e) => e.name === EVENTS.finding);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.properties).toEqual({
      vault: 'kv-same',
      vaultId: idOf(SUB_A),
      host: 'kv-same.vault.azure.net',
      location: 'hub-westeurope',
      code: 'ZONE_RECORD_STALE',
      severity: 'error',
      addresses: '10.0.0.9,10.0.0.4',
      message: finding.message,
      remediation: finding.remediation,
      resourceId: finding.resourceId ?? '',
      command: finding.command ?? '',
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
    } satisfies Record<(typeof HEARTBEAT_DIMENSIONS)[keyof typeof HEARTBEAT_DIMENSIONS], string>);
    expect(hb[0]?.measurements).toEqual({ vaults: 2, healthy: 1, unhealthy: 1, unknown: 0, skipped: 3, durationMs: 1234 } satisfies Record<(typeof HEARTBEAT_MEASUREMENTS)[keyof typeof HEARTBEAT_MEASUREMENTS], number>);
  });

  it('an unset VNet is an empty vnetId, not a missing property', () => {
    const hb = telemetryFor(report, { ...meta, vnetId: undefined }).events.find((e) => e.name === EVENTS.heartbeat);
    expect(hb?.properties[HEARTBEAT_DIMENSIONS.vnetId]).toBe('');
  });
});
