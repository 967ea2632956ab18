import { execFileSync, spawnSync } from 'node:child_process';

/**
 * Tests that need something of the machine (network namespaces, util-linux `script`, Chromium, the Bicep CLI) go
 * through `describeWhere`. On a developer's machine a missing need skips the suite, with the reason in its title,
 * where test/support/skip-reporter.js finds it and prints a summary line after jest's own. Under CI (`CI` set and not
 * `0`/`false`: `.ci/run` exports `CI=true`) a missing need is a failing test instead, so CI never skips silently.
 */
export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env['CI'];
  return ci !== undefined && !['', '0', 'false'].includes(ci.toLowerCase());
}

/** The text the skip reporter looks for in a skipped suite's title. */
export const SKIP_MARK = 'skipped: needs';

/**
 * `describe(title, body)` when `missing` is undefined. Otherwise, outside CI, a skipped suite titled
 * "title [skipped: needs <missing>]"; under CI, a suite with one test that fails naming what is missing.
 */
export function describeWhere(missing: string | undefined, title: string, body: () => void): void {
  if (missing === undefined) {
    describe(title, body);
  } else if (inCi()) {
    describe(title, () => {
      it(`has what it needs (required under CI)`, () => {
        throw new Error(`${title}: CI lacks ${missing}; .ci/run must provide it`);
      });
    });
  } else {
    describe.skip(`${title} [${SKIP_MARK} ${missing}]`, body);
  }
}

let namespaces: boolean | undefined;

/** Undefined when `unshare -rnm` and `ip` work here (Linux with unprivileged user namespaces), else what is missing. */
export function missingNamespaces(): string | undefined {
  if (namespaces === undefined) {
    try {
      execFileSync('unshare', ['-rnm', 'true'], { stdio: 'ignore' });
      execFileSync('ip', ['-V'], { stdio: 'ignore' });
      namespaces = true;
    } catch {
      namespaces = false;
    }
  }
  return namespaces ? undefined : 'network namespaces (unshare -rnm and ip)';
}

/** Undefined when util-linux `script` runs here, else what is missing. */
export function missingScript(): string | undefined {
  return spawnSync('script', ['--version']).status === 0 ? undefined : 'util-linux script (a pseudo-terminal)';
}
