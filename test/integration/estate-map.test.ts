import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { EstateReport } from '../../src/probe/estate';
import { ESTATE, ESTATE_DIAGNOSES, ESTATE_EXPECT, ESTATE_QUERIED } from '../lab/estate-scenarios';
import { Lab } from '../lab/lab';
import { ASSERTED_TELEMETRY, runLab } from './scenario-harness';
const REPO_ROOT = join(__dirname, '..', '..');

// issue 25: `kvprobe map` against the lab's ARM (real SDK clients over HTTPS), eleven VNets with their coverage,
// chain and diagnoses written out in estate-scenarios.ts.
const nameOf = (id: string): string => id.split('/').pop() ?? id;

function runMap(
  lab: Lab,
  output: 'json' | 'table' | 'html',
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const args = lab.cliArgs();
  args[0] = 'map';
  args.splice(args.indexOf('--output'), 2, '--output', output);
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'kvprobe'), ...args], {
      // The map resolves no name: no getaddrinfo stand-in (its preload lives in dist/).
      env: { ...lab.cliEnv(process.env), NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** Each VNet of a report as ESTATE_EXPECT declares it. */
function vnetsOf(report: EstateReport): Record<string, unknown> {
  return Object.fromEntries(
    report.vnets.map((v) => [
      nameOf(v.vnetId),
      {
        coverage: v.coverage,
        ...(v.queriedBy ? { queriedBy: v.queriedBy } : {}),
        chain: v.resolvedBy.map(nameOf),
        ...(v.server ? { server: v.server } : {}),
        ...v.counts,
        diagnoses: Object.fromEntries(
          v.results
            .filter((x) => x.diagnoses.length > 0)
            .map((x) => [x.vault, x.diagnoses.map((d) => `${d.code} ${nameOf(d.resourceId ?? '')}`)]),
        ),
      },
    ]),
  );
}

describe('kvprobe map: the estate scenario', () => {
  let lab: Lab;
  let report: EstateReport;
  let requests: number;

  beforeAll(async () => {
    lab = await Lab.start(ESTATE, 'loopback');
    const before = lab.arm.requests.length;
    const r = await runMap(lab, 'json');
    requests = lab.arm.requests.length - before;
    if (r.stdout.trim() === '') throw new Error(`kvprobe map printed nothing (exit ${r.code}): ${r.stderr}`);
    report = JSON.parse(r.stdout) as EstateReport;
  }, 60_000);
  afterAll(() => lab.stop());

  it('shows every VNet with its declared coverage, chain and counts', () => {
    expect(vnetsOf(report)).toEqual(ESTATE_EXPECT);
    expect(report.summary).toMatchObject({
      vnets: 11,
      vaults: 3,
      pairs: 33,
      status: { healthy: 14, unhealthy: 4, unknown: 6, unreachable: 9 },
      coverage: { observed: 1, queried: 0, predicted: 8, unknown: 2 },
    });
    expect(report.errors).toEqual([]);
    // The matrix: one character per vault (. healthy, x unhealthy, ? unknown, - unreachable by design).
    expect(report.vaultNames).toEqual(['kv-estate-a', 'kv-estate-b', 'kv-estate-c']);
    expect(Object.fromEntries(report.vnets.map((v) => [nameOf(v.vnetId), v.matrix]))).toEqual({
      'vnet-probe': '..-',
      'vnet-hub': '...',
      'spoke-ruleset': '..-',
      'spoke-linked': '...',
      'spoke-unlinked': 'xx-',
      'spoke-inbound': '..-',
      'spoke-firewall': '..-',
      'spoke-vm': '???',
      'spoke-onprem': '???',
      'spoke-badfwd': 'xx-',
      'vnet-edge': '---',
    });
  });

  it('aggregates by shared cause: one link to add per VNet, ranked by the pairs it breaks', () => {
    expect(
      report.diagnoses.map((d) => ({
        code: d.code,
        object: nameOf(d.resourceId ?? ''),
        vnets: d.vnets.map(nameOf),
        pairs: d.pairs,
      })),
    ).toEqual(ESTATE_DIAGNOSES);
    // The same diagnoses as a site's (`diagnose`): the object to fix in words, on the ranking and on each pair.
    expect(report.diagnoses.map((d) => d.object)).toEqual([
      'zone privatelink.vaultcore.azure.net (dns)',
      'zone privatelink.vaultcore.azure.net (dns)',
    ]);
    expect(report.vnets.find((v) => nameOf(v.vnetId) === 'spoke-unlinked')?.results[0]?.diagnoses).toEqual([
      expect.objectContaining({ code: 'ZONE_NOT_LINKED', object: 'zone privatelink.vaultcore.azure.net (dns)' }),
    ]);
    expect(report.diagnoses.map((d) => d.command)).toEqual([
      expect.stringMatching(/^az network private-dns link vnet create .* -v '?\S+\/virtualNetworks\/vnet-edge'? /),
      expect.stringMatching(/^az network private-dns link vnet create .* -v '?\S+\/virtualNetworks\/spoke-unlinked'? /),
    ]);
  });

  it('reads per run, not per VNet: one list per type and subscription', () => {
    expect(requests).toBeLessThanOrEqual(30);
  });

  it('prints the table and draws the HTML matrix', async () => {
    const table = await runMap(lab, 'table');
    expect(table.code).toBe(1);
    expect(table.stdout).toContain('ZONE_NOT_LINKED');
    expect(table.stdout).toMatch(/\nspoke-unlinked +x x -\n/);
    expect(table.stdout).toMatch(
      /spoke-firewall\s+predicted\s+2\s+0\s+0\s+1\s+spoke-firewall > fw-hub > policy-fw-hub > vnet-hub/,
    );
    const html = await runMap(lab, 'html');
    expect(html.stdout).toMatch(/^<!doctype html>/);
    expect((html.stdout.match(/<tr><th>[^<]+<\/th><td>/g) ?? []).length).toBe(11);
    expect(html.stdout).toContain('spoke-inbound</th><td>predicted</td>');
    // Each cell's title names its diagnoses (code and object), not "[object Object]".
    expect(html.stdout).toContain(
      'title="spoke-unlinked / kv-estate-a: unhealthy (ZONE_NOT_LINKED zone privatelink.vaultcore.azure.net (dns))"',
    );
  });

  it("the timer's estate pass (PROBE_ESTATE=on): one event per (VNet, diagnosis) and an estate heartbeat", () => {
    const run = runLab('estate', 'namespace');
    const events = run.timer?.events ?? [];
    const diagnoses = events.filter((e) => e['name'] === 'KvProbeEstateDiagnosis');
    expect(
      diagnoses.map((e) => {
        const p = e['properties'] as Record<string, string>;
        return `${p['code'] ?? ''} ${nameOf(p['vnetId'] ?? '')} ${nameOf(p['resourceId'] ?? '')}`;
      }),
    ).toEqual([
      // PROBE_ESTATE_QUERY_DNS=on (the lab serves spoke-vm's VM DNS server in the namespace): queried, and blamed.
      'CUSTOM_DNS_NOT_FORWARDING spoke-vm spoke-vm',
      'ZONE_NOT_LINKED spoke-badfwd privatelink.vaultcore.azure.net',
      'ZONE_NOT_LINKED spoke-unlinked privatelink.vaultcore.azure.net',
    ]);
    // Every property the estate alert and the workbook's Estate tab read, value by value (ASSERTED_TELEMETRY).
    const first = diagnoses[1] ?? {};
    expect(first['properties']).toEqual({
      location: expect.any(String),
      vnetId: expect.stringMatching(/\/virtualNetworks\/spoke-badfwd$/),
      code: 'ZONE_NOT_LINKED',
      severity: 'error',
      resourceId: expect.stringMatching(/\/privateDnsZones\/privatelink\.vaultcore\.azure\.net$/),
      object: 'zone privatelink.vaultcore.azure.net (dns)',
      command: expect.stringMatching(/^az network private-dns link vnet create .*vnet-edge/),
      vaults: 'kv-estate-a,kv-estate-b',
    });
    expect(Object.keys(first['properties'] as object).sort()).toEqual([...ASSERTED_TELEMETRY.estateDiagnosis].sort());
    expect(first['measurements']).toEqual({ vaults: 2, pairs: 2 });
    expect(Object.keys(first['measurements'] as object).sort()).toEqual(
      [...ASSERTED_TELEMETRY.estateDiagnosisMeasurements].sort(),
    );
    const heartbeat = events.find((e) => e['name'] === 'KvProbeEstateHeartbeat');
    expect(Object.keys(heartbeat?.['measurements'] ?? {}).sort()).toEqual(
      [...ASSERTED_TELEMETRY.estateHeartbeatMeasurements].sort(),
    );
    expect(heartbeat?.['measurements']).toMatchObject({
      vnets: 11,
      vaults: 3,
      pairs: 33,
      healthy: 14,
      unhealthy: 6,
      unknown: 3,
      unreachable: 10,
      observed: 1,
      queried: 1,
      predicted: 8,
      unknownCoverage: 1,
      diagnoses: 3,
    });
  }, 180_000);

  it('kvprobe map --query-dns: the VM DNS server the site reaches is asked (queried), the on-premises one is not', () => {
    const run = runLab('estate', 'namespace', undefined, process.env, 'map');
    const queried = JSON.parse(run.cli?.stdout ?? '') as EstateReport;
    expect(vnetsOf(queried)).toEqual({ ...ESTATE_EXPECT, 'spoke-vm': ESTATE_QUERIED });
    expect(queried.summary).toMatchObject({
      status: { healthy: 14, unhealthy: 6, unknown: 3, unreachable: 10 },
      coverage: { observed: 1, queried: 1, predicted: 8, unknown: 1 },
    });
    const blamed = queried.diagnoses.find((d) => d.code === 'CUSTOM_DNS_NOT_FORWARDING');
    expect(blamed).toMatchObject({
      object: 'VNet spoke-vm (network)',
      vnets: [expect.stringMatching(/\/virtualNetworks\/spoke-vm$/)],
      vaults: 2,
      pairs: 2,
      confirm: ["nslookup 'kv-estate-a.vault.azure.net' '10.10.0.53'"],
    });
  }, 180_000);
});
