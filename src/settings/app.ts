import {
  DATAPLANE_AUTH_PERIOD_RANGE,
  DEFAULTS,
  FINDING_REFRESH_RANGE,
  HTTP_CACHE_SECONDS_RANGE,
  HTTP_CONCURRENCY_RANGE,
  HTTP_DEADLINE_MAX_MS,
  HTTP_PROBES_PER_MINUTE_RANGE,
} from './defaults';
import { range, setting } from './setting';
import * as t from './types';

/** Settings of the Functions app only (no flag). */
export const APP = {
  schedule: setting({
    env: 'PROBE_SCHEDULE',
    parse: t.schedule(DEFAULTS.schedule),
    default: DEFAULTS.schedule,
    readme: { default: `\`${DEFAULTS.schedule}\``, allowed: 'a six-field NCRONTAB expression' },
  }),
  startOffset: setting({
    env: 'PROBE_START_OFFSET',
    parse: t.startOffset,
    default: 'auto',
    readme: {
      default: '`auto`',
      allowed:
        "`auto`, `off`, or seconds 0–3599 (app setting only): where in each `PROBE_SCHEDULE` interval this site's timer starts. `auto` derives a stable offset from the site name, so sites sharing one identity do not all read ARM in the same second; applies to plain `0 */N * * * *` (N dividing 60) and hourly schedules",
    },
  }),
  dataplaneAuthPeriod: setting({
    env: 'PROBE_DATAPLANE_AUTH_PERIOD',
    parse: t.int(DATAPLANE_AUTH_PERIOD_RANGE),
    default: String(DEFAULTS.dataplaneAuthPeriodMinutes),
    readme: {
      default: `\`${DEFAULTS.dataplaneAuthPeriodMinutes}\``,
      allowed: `${range(DATAPLANE_AUTH_PERIOD_RANGE)} minutes (app setting only; 0: every run): the timer sends each vault's authenticated read at most once per this period, and at once when the vault's resolved addresses, an address's network-info header or the site's expectation change; in between, the last answer stands (\`readAt\` in the JSON). One denied audit entry per vault, address and site per period`,
    },
  }),
  siteScope: setting({
    env: 'PROBE_SITE_SCOPE',
    parse: t.oneOf(['private', 'all'], 'private or all'),
    default: 'private',
    readme: {
      default: '`private`',
      allowed:
        '`private`, `all` (app setting only): which vaults of the inventory the timer probes. `private`: those with an endpoint this site reaches (in its VNet, a peer, a route, Virtual WAN or AVNM), those the expectation cannot place (no VNet record), and those named for the site by `PROBE_SITE_VAULTS` or the vault tag `kvprobe-sites`; the others cost only the ARM reads that decided it. `all`: every vault. Vaults named in `PROBE_VAULTS` are always probed',
    },
  }),
  siteVaults: setting({
    env: 'PROBE_SITE_VAULTS',
    list: true,
    parse: t.vaultName,
    readme: {
      default: '(empty)',
      allowed:
        "vault names, comma-separated (app setting only): probed by this site under `PROBE_SITE_SCOPE=private` even where it does not reach them privately, like a vault tagged `kvprobe-sites` with this site's name (or `*`)",
    },
  }),
  findingRefreshRuns: setting({
    env: 'PROBE_FINDING_REFRESH_RUNS',
    parse: t.int(FINDING_REFRESH_RANGE),
    default: String(DEFAULTS.findingRefreshRuns),
    readme: {
      default: `\`${DEFAULTS.findingRefreshRuns}\``,
      allowed: `${range(FINDING_REFRESH_RANGE)} (app setting only, no CLI flag): the timer sends a finding event per diagnosis when it appears or changes, and again every this many runs while it lasts (12 runs = 1 hour at 5 minutes); a \`KvProbeFindingResolved\` event when it disappears; also the period of the state snapshots. The state lives in the process: after a restart every open diagnosis is sent once more`,
    },
  }),
  estate: setting({
    env: 'PROBE_ESTATE',
    parse: t.oneOf(['on', 'off'], 'on or off'),
    default: 'off',
    readme: {
      default: '`off`',
      allowed:
        "`on`, `off` (app setting only): after each run, map the estate as `kvprobe map` does (every VNet in scope predicted and judged from ARM, this site's VNet observed), log it and send `KvProbeEstateDiagnosis` events and a `KvProbeEstateHeartbeat`. Turn it on at one site: the others would repeat its work",
    },
  }),
  estateQueryDns: setting({
    env: 'PROBE_ESTATE_QUERY_DNS',
    section: 'Network',
    parse: t.oneOf(['on', 'off'], 'on or off'),
    default: 'off',
    flags: [
      {
        name: 'query-dns',
        usage: '--query-dns',
        switchValue: 'on',
        help: [
          'kvprobe map: ask the DNS servers ARM cannot describe (a VM, on-premises) that this machine',
          "reaches (its --vnet's address space or a connected peer's); their VNets are then queried.",
        ],
      },
    ],
    readme: {
      default: '`off`',
      allowed:
        "`on`, `off`: with `PROBE_ESTATE=on` (or `kvprobe map --query-dns`), ask each VNet's DNS server that ARM cannot describe (a VM, on-premises) directly where this site reaches it (its VNet's address space or a connected peer's): that VNet's coverage is `queried`, with `queriedBy` this site, and a wrong answer is `CUSTOM_DNS_NOT_FORWARDING` on that VNet. Other such servers stay `unknown`",
    },
  }),
  connectionString: setting({
    env: 'APPLICATIONINSIGHTS_CONNECTION_STRING',
    parse: t.connectionString,
    readme: {
      default: '(empty: results go to the function log only)',
      allowed: 'an Application Insights connection string',
    },
  }),
  authenticationString: setting({
    env: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING',
    parse: t.authenticationString,
    readme: {
      default: '(empty: key-based ingestion)',
      allowed:
        "`Authorization=AAD` or `Authorization=AAD;ClientId=<id>`: send telemetry with a managed identity's Entra token",
    },
  }),
  httpSubscriptions: setting({
    env: 'PROBE_HTTP_SUBSCRIPTIONS',
    list: true,
    parse: t.subscription,
    readme: {
      default: '(empty)',
      allowed:
        "subscription GUIDs, comma-separated, that the HTTP trigger's `?subscription=` may name besides `PROBE_SUBSCRIPTIONS`; any other answers 403",
    },
  }),
  httpConcurrency: setting({
    env: 'PROBE_HTTP_CONCURRENCY',
    parse: t.int(HTTP_CONCURRENCY_RANGE),
    default: String(DEFAULTS.httpConcurrency),
    readme: {
      default: `\`${DEFAULTS.httpConcurrency}\``,
      allowed: `${range(HTTP_CONCURRENCY_RANGE)}: HTTP probes run at once per instance; more are answered 429 with \`Retry-After: 10\`. HTTP probes use \`PROBE_RUN_DEADLINE_MS\` capped at ${HTTP_DEADLINE_MAX_MS}, below the front end's 230 s`,
    },
  }),
  httpCacheSeconds: setting({
    env: 'PROBE_HTTP_CACHE_SECONDS',
    parse: t.int(HTTP_CACHE_SECONDS_RANGE),
    default: String(DEFAULTS.httpCacheSeconds),
    readme: {
      default: `\`${DEFAULTS.httpCacheSeconds}\``,
      allowed: `${range(HTTP_CACHE_SECONDS_RANGE)}: the HTTP trigger answers the same vault (and \`?subscription=\`) from its last result this long, per instance, with the result's age in \`ageSeconds\` and the \`Age\` header; 0 turns the cache off`,
    },
  }),
  httpProbesPerMinute: setting({
    env: 'PROBE_HTTP_PROBES_PER_MINUTE',
    parse: t.int(HTTP_PROBES_PER_MINUTE_RANGE),
    default: String(DEFAULTS.httpProbesPerMinute),
    readme: {
      default: `\`${DEFAULTS.httpProbesPerMinute}\``,
      allowed: `${range(HTTP_PROBES_PER_MINUTE_RANGE)}: fresh HTTP probes (not answered from the cache) started per instance in any 60 s; more are answered 429 with \`Retry-After\` set to when the next one may start`,
    },
  }),
} as const;
