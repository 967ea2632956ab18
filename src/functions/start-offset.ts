/**
 * Where in each interval a site's timer fires. Every site used to fire at second 0 of every 5th minute, so 300
 * sites sharing one identity sent their ARM reads in the same second. Each site now starts at an offset within the
 * interval derived from its name: stable across restarts and redeploys, spread like random across sites.
 */

/** 32-bit FNV-1a of the UTF-8 bytes, then murmur3's finaliser so that names differing in one digit land far apart. */
export function nameHash(name: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(name, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The site's start offset, in whole seconds from 0 to intervalSeconds - 1. */
export function siteOffsetSeconds(site: string, intervalSeconds: number): number {
  return nameHash(site.trim().toLowerCase()) % intervalSeconds;
}

/**
 * The interval of a plain "every N minutes" schedule (seconds 0, minutes `*` or `*` + `/N` with N dividing 60, the
 * rest `*`; or hourly `0 0 * * * *`), in seconds; undefined for any other schedule, which is left as it is.
 */
export function plainIntervalSeconds(schedule: string): number | undefined {
  const s = schedule.trim().replace(/\s+/g, ' ');
  if (s === '0 * * * * *') return 60;
  if (s === '0 0 * * * *') return 3600;
  const m = /^0 \*\/(\d+) \* \* \* \*$/.exec(s);
  const n = m ? Number(m[1]) : NaN;
  return Number.isInteger(n) && n >= 1 && n <= 30 && 60 % n === 0 ? n * 60 : undefined;
}

/** The schedule shifted by `offsetSeconds` within its interval; other schedules come back unchanged. */
export function offsetSchedule(schedule: string, offsetSeconds: number): string {
  const interval = plainIntervalSeconds(schedule);
  if (interval === undefined) return schedule;
  const offset = ((Math.trunc(offsetSeconds) % interval) + interval) % interval;
  const second = offset % 60;
  const minute = Math.floor(offset / 60);
  if (interval === 60) return `${second} * * * * *`;
  if (interval === 3600) return `${second} ${minute} * * * *`;
  return `${second} ${minute}-59/${interval / 60} * * * *`;
}

/**
 * The schedule a site registers: `PROBE_SCHEDULE` shifted by `PROBE_START_OFFSET` (`auto`: from the site name,
 * `off`: none, or a number of seconds).
 */
export function siteSchedule(schedule: string, startOffset: 'auto' | 'off' | number, site: string): string {
  if (startOffset === 'off') return schedule;
  const interval = plainIntervalSeconds(schedule);
  if (interval === undefined) return schedule;
  return offsetSchedule(schedule, startOffset === 'auto' ? siteOffsetSeconds(site, interval) : startOffset);
}
