// A jest reporter that prints one line after jest's own summary: how many tests were skipped, and why. A suite
// skipped by test/support/environment.ts carries its reason in its title ("[skipped: needs <what>]"); any other
// skip (it.skip, describe.skip, it.todo) is counted as "skipped in the code". Under CI (CI set, not 0/false) any
// skipped test fails the run: every environment-dependent suite must run there.
'use strict';

const { writeSync } = require('node:fs');

const MARK = /\[skipped: needs ([^\]]+)\]/;

class SkipReporter {
  constructor(globalConfig) {
    this.error = undefined;
    // With -t, jest marks every test whose name does not match as skipped.
    this.filtered = !!globalConfig.testNamePattern;
  }

  onRunComplete(_contexts, results) {
    const reasons = new Map();
    for (const file of results.testResults) {
      for (const t of file.testResults) {
        if (t.status !== 'pending' && t.status !== 'skipped' && t.status !== 'todo') continue;
        const why = t.ancestorTitles.map((a) => MARK.exec(a)?.[1]).find((r) => r !== undefined);
        const reason = why
          ? `no ${why}`
          : t.status === 'todo'
            ? 'todo'
            : this.filtered
              ? 'not matching -t, or skipped in the code'
              : 'skipped in the code';
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      }
    }
    const total = [...reasons.values()].reduce((a, b) => a + b, 0);
    const parts = [...reasons].map(([reason, n]) => `${n} ${reason}`);
    const ci = process.env.CI;
    if (total > 0 && ci !== undefined && !['', '0', 'false'].includes(ci.toLowerCase())) {
      this.error = new Error(`${total} test(s) skipped under CI: ${parts.join('; ')}`);
    }
    const line = `Skipped: ${total} test${total === 1 ? '' : 's'}${total > 0 ? ` (${parts.join('; ')})` : ''}${this.error ? ', which fails the run under CI' : ''}\n`;
    // Jest's summary reporter always runs last: the line goes after its closing line, when the process exits.
    process.once('exit', () => writeSync(2, line));
  }

  getLastError() {
    return this.error;
  }
}

module.exports = SkipReporter;
