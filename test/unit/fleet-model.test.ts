import {
  ARM_READ_BUCKET,
  SITES_REACHING_EACH_VAULT,
  peakReadsPerMinute,
  sizingRow,
  startSeconds,
  throttledReads,
} from '../lab/fleet-model';

const FIGURES = {
  measuredAt: '2026-12-07',
  machine: 'test',
  subscriptions: 20,
  armReadsPerRun: { '100': 102, '1500': 103, '5000': 106 },
  siteScope: {
    mix: { reached: 4, publicElsewhere: 4, disabledElsewhere: 8 },
    all: { probed: 16, armRequests: 39, dnsQueries: 76, connections: 16, authenticatedReads: 8 },
    private: { probed: 4, armRequests: 39, dnsQueries: 16, connections: 8, authenticatedReads: 4 },
  },
} as const;
const INGESTION = { measuredAt: '2026-12-07', bytesPerHealthyVaultRun: 18 };

describe('fleet model', () => {
  it('ARM read budget: 250 at once, 25 per second (the documented token bucket)', () => {
    expect(ARM_READ_BUCKET).toEqual({ size: 250, refillPerSecond: 25 });
    // 300 reads in one second: 50 refused; the same 300 spread one per second: none.
    expect(throttledReads([0], 300, 300)).toBe(2 * 50 + 0 * 25);
    expect(
      throttledReads(
        Array.from({ length: 300 }, (_, i) => i),
        1,
        300,
      ),
    ).toBe(0);
  });

  it('300 sites, 6 reads each per subscription: all at second 0 are refused by the thousand, spread by name none', () => {
    const burst = startSeconds(300, 300, false);
    const spread = startSeconds(300, 300, true);
    // 1,800 in one second against 250 tokens, then 1,800 again after 275 s of refill (bucket full again).
    expect(throttledReads(burst, 6, 300)).toBe(2 * (1800 - 250));
    expect(throttledReads(spread, 6, 300)).toBe(0);
    expect(peakReadsPerMinute(burst, 6)).toBe(1800);
    expect(peakReadsPerMinute(spread, 6)).toBeLessThan(500);
  });

  it('sizing: 300 sites and 1,500 vaults', () => {
    // One authenticated read per probed vault and hour (4 reads for the 4 reached vaults, as measured).
    expect(SITES_REACHING_EACH_VAULT).toBe(3);
    expect(sizingRow(FIGURES, INGESTION, 300, 1500)).toEqual({
      sites: 300,
      vaults: 1500,
      armReadsPerRun: 30_900,
      auditEntriesPerHour: 450_000,
      auditEntriesPerHourDefault: 4_500,
      ingestionGbPerMonth: (300 * 1500 * 8640 * 18) / 1e9,
      executionsPerMonth: 2_592_000,
    });
    // Fewer sites than reach a vault: each reads it.
    expect(sizingRow(FIGURES, INGESTION, 2, 100).auditEntriesPerHourDefault).toBe(200);
    expect(() => sizingRow(FIGURES, INGESTION, 10, 7)).toThrow(/no ARM reads for 7 vaults/);
  });
});
