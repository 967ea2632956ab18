import { DEFAULTS, FINDING_REFRESH_RANGE, HTTP_CONCURRENCY_RANGE, HTTP_DEADLINE_MAX_MS } from './defaults';
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
  findingRefreshRuns: setting({
    env: 'PROBE_FINDING_REFRESH_RUNS',
    parse: t.int(FINDING_REFRESH_RANGE),
    default: String(DEFAULTS.findingRefreshRuns),
    readme: {
      default: `\`${DEFAULTS.findingRefreshRuns}\``,
      allowed: `${range(FINDING_REFRESH_RANGE)} (app setting only, no CLI flag): the timer sends a finding event when a finding appears or changes, and again every this many runs while it lasts (12 runs = 1 hour at 5 minutes); a \`KvProbeFindingResolved\` event when it disappears. The state lives in the process: after a restart every open finding is sent once more`,
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
} as const;
