import { renderEstateHtml } from '../../src/report-html/estate';
import type { EstateReport } from '../../src/probe/estate';

const vnetId = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/spoke-7';
const zoneId =
  '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net';

const report: EstateReport = {
  kind: 'estate',
  generatedAt: '2026-12-07T00:00:00.000Z',
  location: 'lab',
  summary: {
    vnets: 1,
    vaults: 2,
    pairs: 2,
    status: { healthy: 1, unhealthy: 1, unknown: 0, unreachable: 0 },
    coverage: { observed: 0, queried: 0, predicted: 1, unknown: 0 },
    diagnoses: 1,
  },
  diagnoses: [],
  vaultNames: ['kv-a', 'kv-b'],
  vnets: [
    {
      vnetId,
      coverage: 'predicted',
      resolvedBy: [vnetId],
      counts: { healthy: 1, unhealthy: 1, unknown: 0, unreachable: 0 },
      matrix: 'x.',
      results: [
        {
          vault: 'kv-a',
          vaultId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-a',
          status: 'unhealthy',
          diagnoses: [
            { code: 'ZONE_NOT_LINKED', resourceId: zoneId, object: 'link spoke-7 to privatelink.vaultcore.azure.net' },
          ],
        },
      ],
    },
  ],
  errors: [],
};

describe('the estate HTML matrix', () => {
  it("titles a broken cell with each diagnosis' code and the object to fix", () => {
    const html = renderEstateHtml(report);
    expect(html).toContain(
      'spoke-7 / kv-a: unhealthy (ZONE_NOT_LINKED link spoke-7 to privatelink.vaultcore.azure.net)',
    );
    expect(html).not.toContain('[object Object]');
    expect(html).toContain('spoke-7 / kv-b: healthy"');
  });
});
