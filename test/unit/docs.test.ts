import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FINDING_CODES } from '../../src/probe/findings';
import { ALL_SCENARIOS } from '../lab/scenarios';

const ROOT = join(__dirname, '..', '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const design = readFileSync(join(ROOT, 'docs', 'DESIGN.md'), 'utf8');

describe('documentation stays in step with the code', () => {
  it.each(FINDING_CODES)('%s has a docs page with every section, linked from the README', (code) => {
    const page = join(ROOT, 'docs', 'findings', `${code}.md`);
    expect(existsSync(page)).toBe(true);
    const text = readFileSync(page, 'utf8');
    expect(text.startsWith(`# ${code}\n`)).toBe(true);
    for (const h of ['## What the probe saw', '## Confirm by hand', '## Fix', '## Reproduce in the lab'])
      expect(text).toContain(h);
    expect(readme).toContain(`(docs/findings/${code}.md)`);
  });

  it.each(ALL_SCENARIOS.map((s) => s.name))('docs/DESIGN.md lists scenario %s', (name) => {
    expect(design).toContain(`| \`${name}\` |`);
  });

  it('every finding code is produced by at least one lab scenario', () => {
    const produced = new Set(ALL_SCENARIOS.flatMap((s) => Object.values(s.expect).flatMap((e) => e.codes)));
    expect(FINDING_CODES.filter((c) => !produced.has(c))).toEqual([]);
  });

  it('the README names the test command that .ci/run calls', () => {
    expect(readme).toContain('npm test');
    expect(readFileSync(join(ROOT, '.ci', 'run'), 'utf8')).toMatch(/^npm test$/m);
  });
});
