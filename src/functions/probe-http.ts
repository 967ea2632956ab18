import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { ConfigError, HTTP_DEADLINE_MAX_MS, parseSubscription, probeRequestFor } from '../config';
import { vaultNameProblem } from '../probe/names';
import { runProbe } from '../probe/pipeline';
import type { RunReport } from '../probe/report';
import { prefersHtml } from '../report-html/negotiate';
import { HTML_REPORT_CSP, renderHtmlReport } from '../report-html/page';
import { VERSION } from '../version';
import { AnswerCache, SlidingWindow } from './http-limits';
import { createRuntime, logResults, type TriggerRuntime } from './runtime';

/** What a 429 for too many probes at once asks the caller to wait. */
export const HTTP_RETRY_AFTER_SECONDS = 10;

/** The rule a 403 or 404 names: what the trigger may look at, never which subscriptions that is. */
const SCOPE_RULE =
  'this probe looks only at vaults that ARM lists in its scope (PROBE_SUBSCRIPTIONS, or a ?subscription= named in PROBE_HTTP_SUBSCRIPTIONS)';

function problem(status: number, message: string, headers?: Record<string, string>): HttpResponseInit {
  return { status, jsonBody: { error: { status, message } }, ...(headers ? { headers } : {}) };
}

/** A vault's answer as the trigger keeps it: the one-vault report, or the 404 for a name out of scope. */
type Answer = { readonly kind: 'report'; readonly report: RunReport } | { readonly kind: 'not-found' };

/**
 * GET /api/vaults/{name}/probe[?subscription=<id>]: probes one vault now and returns its result, as JSON (the
 * contract), or as the HTML report when the request asks for text/html first (a browser). The vault is looked up in
 * ARM within the scope first: a name outside it answers 404 before any DNS lookup, connection or token request. A
 * question asked again within PROBE_HTTP_CACHE_SECONDS gets the same answer with its age; fresh probes are limited
 * to PROBE_HTTP_PROBES_PER_MINUTE per instance (429 with Retry-After beyond).
 */
export function createHttpHandler(runtime: TriggerRuntime, now: () => number = Date.now) {
  let running = 0;
  let limits: { cache: AnswerCache<Answer>; window: SlidingWindow } | undefined;
  // One probe per question at a time: callers asking the same while it runs share its answer.
  const inflight = new Map<string, Promise<Answer>>();
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const name = request.params['name'] ?? '';
    const nameIssue = vaultNameProblem(name);
    if (nameIssue) return problem(400, `"${name}" is not a valid Key Vault name: it ${nameIssue}.`);
    const sub = request.query.get('subscription');
    let subscriptions: readonly string[];
    let settings;
    try {
      settings = runtime.settings({ requireScope: false });
    } catch (error) {
      // Names and what is wrong only: a setting's value may hold a secret (a URL's user:password, a token).
      if (error instanceof ConfigError) return problem(500, `The probe is misconfigured: ${error.quiet.join(' ')}`);
      throw error;
    }
    limits ??= {
      cache: new AnswerCache<Answer>(settings.httpCacheSeconds * 1000),
      window: new SlidingWindow(settings.httpProbesPerMinute),
    };
    if (sub !== null) {
      const parsed = parseSubscription(sub.trim(), 'subscription');
      if (typeof parsed !== 'string') return problem(400, parsed.problem);
      // The caller holds a function key, not the probe's identity: it may only look where the app is set to.
      if (!settings.httpSubscriptions.includes(parsed)) {
        return problem(403, `Vault "${name}" was not probed: the ?subscription= given is out of scope; ${SCOPE_RULE}.`);
      }
      subscriptions = [parsed];
    } else {
      subscriptions = settings.subscriptions;
    }
    if (subscriptions.length === 0) {
      return problem(400, 'No subscription in scope: pass ?subscription=<id> or set PROBE_SUBSCRIPTIONS.');
    }
    const key = `${name.toLowerCase()}|${subscriptions.join(',')}`;
    const t = now();
    const cached = limits.cache.get(key, t);
    let answer: Answer;
    let ageSeconds = 0;
    if (cached) {
      answer = cached.value;
      ageSeconds = Math.floor((t - cached.at) / 1000);
    } else {
      let pending = inflight.get(key);
      if (!pending) {
        if (running >= settings.httpConcurrency) {
          return problem(
            429,
            `${running} probes are running, the most this instance runs at once (PROBE_HTTP_CONCURRENCY); retry shortly.`,
            { 'Retry-After': String(HTTP_RETRY_AFTER_SECONDS) },
          );
        }
        const slot = limits.window.take(t);
        if (!slot.ok) {
          return problem(
            429,
            `This instance started its ${settings.httpProbesPerMinute} fresh probes of the last minute (PROBE_HTTP_PROBES_PER_MINUTE); retry in ${slot.retryAfterSeconds} s, or within PROBE_HTTP_CACHE_SECONDS of an earlier answer for the same vault.`,
            { 'Retry-After': String(slot.retryAfterSeconds) },
          );
        }
        const settled = settings;
        const cache = limits.cache;
        pending = probe(runtime, settled, name, subscriptions).then((a) => {
          cache.set(key, a, now());
          return a;
        });
        const mine = pending;
        running++;
        inflight.set(key, mine);
        try {
          answer = await mine;
        } finally {
          running--;
          if (inflight.get(key) === mine) inflight.delete(key);
        }
        if (answer.kind === 'report') logResults(context, answer.report);
      } else {
        answer = await pending;
      }
    }
    return respond(request, name, answer, ageSeconds);
  };
}

async function probe(
  runtime: TriggerRuntime,
  settings: ReturnType<TriggerRuntime['settings']>,
  name: string,
  subscriptions: readonly string[],
): Promise<Answer> {
  const deadlineMs = Math.min(settings.deadlineMs, HTTP_DEADLINE_MAX_MS);
  const report = await runProbe(
    probeRequestFor(settings, {
      subscriptions,
      targets: [{ kind: 'name', name }],
      deadlineMs,
      networkOnlyInScope: true,
    }),
    runtime.probeDeps(settings, { targetCount: 1 }),
  );
  const result = report.results[0];
  if (result?.findings.some((f) => f.code === 'VAULT_NOT_FOUND')) return { kind: 'not-found' };
  return { kind: 'report', report };
}

function respond(request: HttpRequest, name: string, answer: Answer, ageSeconds: number): HttpResponseInit {
  const age = { Age: String(ageSeconds) };
  if (answer.kind === 'not-found') {
    return problem(
      404,
      `Vault "${name}" was not found: ${SCOPE_RULE}. Nothing was resolved or asked on its name.`,
      age,
    );
  }
  const { report } = answer;
  const result = report.results[0];
  if (!result) return problem(500, 'The probe returned no result.');
  const status = result.status === 'healthy' ? 200 : 503;
  if (prefersHtml(request.headers.get('accept'))) {
    return {
      status,
      body: renderHtmlReport({ ...report, results: [result] }, { version: VERSION }),
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': HTML_REPORT_CSP,
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
        vary: 'Accept',
        ...age,
      },
    };
  }
  return {
    status,
    jsonBody: { location: report.location, runId: report.runId, ageSeconds, ...result },
    headers: { vary: 'Accept', ...age },
  };
}

export function registerHttp(
  env: Readonly<Record<string, string | undefined>>,
  runtime: TriggerRuntime = createRuntime(env),
): void {
  app.http('probeVault', {
    route: 'vaults/{name}/probe',
    methods: ['GET'],
    authLevel: 'function',
    handler: createHttpHandler(runtime),
  });
}
