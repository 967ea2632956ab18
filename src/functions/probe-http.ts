import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { ConfigError, HTTP_DEADLINE_MAX_MS, parseSubscription, probeRequestFor } from '../config';
import { vaultNameProblem } from '../probe/names';
import { runProbe } from '../probe/pipeline';
import { prefersHtml } from '../report-html/negotiate';
import { HTML_REPORT_CSP, renderHtmlReport } from '../report-html/page';
import { VERSION } from '../version';
import { createRuntime, logResults, type TriggerRuntime } from './runtime';

/** What a 429 asks the caller to wait. */
export const HTTP_RETRY_AFTER_SECONDS = 10;

function problem(status: number, message: string): HttpResponseInit {
  return { status, jsonBody: { error: { status, message } } };
}

/**
 * GET /api/vaults/{name}/probe[?subscription=<id>]: probes one vault now and returns its result, as JSON (the
 * contract), or as the HTML report when the request asks for text/html first (a browser).
 */
export function createHttpHandler(runtime: TriggerRuntime) {
  let running = 0;
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
      if (error instanceof ConfigError) return problem(500, `The probe is misconfigured: ${error.problems.join(' ')}`);
      throw error;
    }
    if (sub !== null) {
      const parsed = parseSubscription(sub.trim(), 'subscription');
      if (typeof parsed !== 'string') return problem(400, parsed.problem);
      // The caller holds a function key, not the probe's identity: it may only look where the app is set to.
      if (!settings.httpSubscriptions.includes(parsed)) {
        return problem(
          403,
          `Subscription ${parsed} is not in scope of this probe: it takes PROBE_SUBSCRIPTIONS and PROBE_HTTP_SUBSCRIPTIONS only.`,
        );
      }
      subscriptions = [parsed];
    } else {
      subscriptions = settings.subscriptions;
    }
    if (subscriptions.length === 0) {
      return problem(400, 'No subscription in scope: pass ?subscription=<id> or set PROBE_SUBSCRIPTIONS.');
    }
    if (running >= settings.httpConcurrency) {
      return {
        ...problem(
          429,
          `${running} probes are running, the most this instance runs at once (PROBE_HTTP_CONCURRENCY); retry shortly.`,
        ),
        headers: { 'Retry-After': String(HTTP_RETRY_AFTER_SECONDS) },
      };
    }
    running++;
    let report;
    try {
      const deadlineMs = Math.min(settings.deadlineMs, HTTP_DEADLINE_MAX_MS);
      report = await runProbe(
        probeRequestFor(settings, { subscriptions, targets: [{ kind: 'name', name }], deadlineMs }),
        runtime.probeDeps(settings, { targetCount: 1 }),
      );
    } finally {
      running--;
    }
    logResults(context, report);
    const result = report.results[0];
    if (!result) return problem(500, 'The probe returned no result.');
    if (result.findings.some((f) => f.code === 'VAULT_NOT_FOUND')) {
      return problem(404, `Vault "${name}" was not found in subscription(s) ${subscriptions.join(', ')}.`);
    }
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
        },
      };
    }
    return {
      status,
      jsonBody: { location: report.location, runId: report.runId, ...result },
      headers: { vary: 'Accept' },
    };
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
