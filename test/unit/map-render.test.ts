import { renderEstateTable } from '../../src/cli/map-render';
import type { EstateReport } from '../../src/probe/estate';

const vnet = (name: string): string =>
  `/subscriptions/s/resourceGroups/network/providers/Microsoft.Network/virtualNetworks/${name}`;

const report = (fix: string[], confirm: string[]): EstateReport => ({
  kind: 'estate',
  generatedAt: '2026-12-07T00:00:00.000Z',
  location: 'lab',
  summary: {
    vnets: 1,
    vaults: 1,
    pairs: 1,
    status: { healthy: 0, unhealthy: 1, unknown: 0, unreachable: 0 },
    coverage: { observed: 0, queried: 1, predicted: 0, unknown: 0 },
    diagnoses: 1,
  },
  diagnoses: [
    {
      code: 'CUSTOM_DNS_NOT_FORWARDING',
      severity: 'error',
      title: 'title',
      message: 'Custom DNS server 10.10.0.53 answers a public address.',
      resourceId: vnet('spoke-vm'),
      object: 'VNet spoke-vm (network)',
      fix,
      confirm,
      command: fix.length > 0 ? fix.join('\n') : (confirm[0] ?? null),
      vnets: [vnet('spoke-vm')],
      sampleVaults: ['kv-a'],
      vaults: 1,
      pairs: 1,
    },
  ],
  vaultNames: ['kv-a'],
  vnets: [],
  errors: [],
});

describe("kvprobe map's table", () => {
  it('marks a diagnosis with only reads as checks, never as a fix', () => {
    const text = renderEstateTable(report([], ["nslookup 'kv-a.vault.azure.net' '10.10.0.53'"]));
    expect(text).toContain("   check: nslookup 'kv-a.vault.azure.net' '10.10.0.53'");
    expect(text).not.toMatch(/(fix|run): nslookup/);
  });

  it('numbers the commands that change something, then the reads', () => {
    const text = renderEstateTable(report(['az one', 'az two'], ['az show']));
    expect(text).toContain('   run 1: az one\n   run 2: az two\n   check: az show');
  });
});
