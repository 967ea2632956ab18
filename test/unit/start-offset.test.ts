import { timerSchedule } from '../../src/functions/probe-timer';
import {
  nameHash,
  offsetSchedule,
  plainIntervalSeconds,
  siteOffsetSeconds,
  siteSchedule,
} from '../../src/functions/start-offset';

/** Pairs of sites that start in the same second: the sum over seconds of k(k-1)/2. */
function collidingPairs(offsets: readonly number[]): number {
  const perSecond = new Map<number, number>();
  for (const o of offsets) perSecond.set(o, (perSecond.get(o) ?? 0) + 1);
  return [...perSecond.values()].reduce((sum, k) => sum + (k * (k - 1)) / 2, 0);
}

/**
 * What chance gives: n sites placed uniformly at random in `slots` seconds share a second in n(n-1)/(2·slots) pairs
 * on average, with about that much variance (nearly Poisson). Allowed: the mean plus three standard deviations.
 */
function chanceBound(n: number, slots: number): { mean: number; bound: number } {
  const mean = (n * (n - 1)) / (2 * slots);
  return { mean, bound: mean + 3 * Math.sqrt(mean) };
}

/** Names as a landing zone spells them: numbered spokes, regional spokes, application names. */
const NAMING_SCHEMES: Record<string, string[]> = {
  'spoke-001..spoke-300': Array.from({ length: 300 }, (_, i) => `spoke-${String(i + 1).padStart(3, '0')}`),
  'lz-<region>-<n>': Array.from(
    { length: 300 },
    (_, i) => `lz-${['weu', 'neu', 'sdc', 'eus2', 'cus', 'uks'][i % 6] ?? ''}-${Math.floor(i / 6) + 1}`,
  ),
  'app<n>-prod / app<n>-dev': Array.from(
    { length: 300 },
    (_, i) => `app${Math.floor(i / 2)}-${i % 2 ? 'dev' : 'prod'}`,
  ),
};

describe('per-site start offset', () => {
  it('is stable: the same name gives the same offset, case and surrounding blanks aside', () => {
    expect(siteOffsetSeconds('spoke-042', 300)).toBe(siteOffsetSeconds('spoke-042', 300));
    expect(siteOffsetSeconds(' Spoke-042 ', 300)).toBe(siteOffsetSeconds('spoke-042', 300));
    // Pinned: a change of the derivation would move every deployed site's schedule.
    expect(nameHash('spoke-001')).toBe(nameHash('spoke-001'));
    expect(siteOffsetSeconds('hub', 300)).toBe(nameHash('hub') % 300);
  });

  it.each(Object.entries(NAMING_SCHEMES))(
    '300 sites named %s share a start second no more often than chance at 5 minutes',
    (_scheme, names) => {
      expect(new Set(names).size).toBe(300);
      const offsets = names.map((n) => siteOffsetSeconds(n, 300));
      const { mean, bound } = chanceBound(300, 300);
      expect(mean).toBeCloseTo(149.5, 1);
      expect(collidingPairs(offsets)).toBeLessThanOrEqual(Math.floor(bound)); // 186
      // And they spread over the whole interval: every minute of the five gets sites.
      expect(new Set(offsets.map((o) => Math.floor(o / 60))).size).toBe(5);
    },
  );

  it('the collision count can fail: a derivation from the characters alone piles the numbered spokes up', () => {
    const names = NAMING_SCHEMES['spoke-001..spoke-300'] ?? [];
    const charSum = (n: string): number => [...n].reduce((s, c) => s + c.charCodeAt(0), 0) % 300;
    expect(collidingPairs(names.map(charSum))).toBeGreaterThan(chanceBound(300, 300).bound);
    // Every site at second 0, as before: 44,850 pairs.
    expect(collidingPairs(names.map(() => 0))).toBe(44_850);
  });

  it('shifts plain schedules within their interval and leaves the others alone', () => {
    expect(plainIntervalSeconds('0 */5 * * * *')).toBe(300);
    expect(plainIntervalSeconds('0 * * * * *')).toBe(60);
    expect(plainIntervalSeconds('0 0 * * * *')).toBe(3600);
    expect(plainIntervalSeconds('0 */7 * * * *')).toBeUndefined();
    expect(plainIntervalSeconds('30 */5 * * * *')).toBeUndefined();
    expect(offsetSchedule('0 */5 * * * *', 0)).toBe('0 0-59/5 * * * *');
    expect(offsetSchedule('0 */5 * * * *', 187)).toBe('7 3-59/5 * * * *');
    expect(offsetSchedule('0 */15 * * * *', 899)).toBe('59 14-59/15 * * * *');
    expect(offsetSchedule('0 * * * * *', 42)).toBe('42 * * * * *');
    expect(offsetSchedule('0 0 * * * *', 3599)).toBe('59 59 * * * *');
    expect(offsetSchedule('0 */7 * * * *', 100)).toBe('0 */7 * * * *');
    expect(offsetSchedule('15 2 * * * *', 100)).toBe('15 2 * * * *');
  });

  it('registers the shifted schedule: auto from the site name, off, or given seconds', () => {
    const auto = siteOffsetSeconds('spoke-007', 300);
    const expected = `${auto % 60} ${Math.floor(auto / 60)}-59/5 * * * *`;
    expect(timerSchedule({ PROBE_LOCATION: 'spoke-007' })).toBe(expected);
    expect(timerSchedule({ WEBSITE_SITE_NAME: 'spoke-007' })).toBe(expected);
    expect(timerSchedule({ PROBE_SITE: 'spoke-007', PROBE_LOCATION: 'other' })).toBe(expected);
    expect(timerSchedule({ PROBE_LOCATION: 'spoke-007', PROBE_START_OFFSET: 'off' })).toBe('0 */5 * * * *');
    expect(timerSchedule({ PROBE_START_OFFSET: '61', PROBE_SCHEDULE: '0 */2 * * * *' })).toBe('1 1-59/2 * * * *');
    expect(siteSchedule('0 */10 * * * *', 'off', 'x')).toBe('0 */10 * * * *');
  });
});
