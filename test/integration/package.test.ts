import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FINDING_CODES } from '../../src/probe/findings';

const ROOT = resolve(__dirname, '..', '..');

/** What `npm pack` would ship: the CLI must find its finding pages in there, not in the repository. */
describe('the npm package ships what kvprobe explain reads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kvprobe-pack-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('packs bin, the compiled CLI and every finding page, and no tests', () => {
    const r = spawnSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(0);
    const [pack] = JSON.parse(r.stdout) as { filename: string; files: { path: string }[] }[];
    const files = new Set((pack?.files ?? []).map((f) => f.path));
    for (const f of [
      'bin/kvprobe',
      'dist/src/cli/main.js',
      'dist/src/cli/explain.js',
      'docs/findings/README.md',
      ...FINDING_CODES.map((c) => `docs/findings/${c}.md`),
    ]) {
      expect(files).toContain(f);
    }
    expect(
      [...files].filter((f) => f.startsWith('test/') || f.startsWith('dist/test/') || f.startsWith('src/')),
    ).toEqual([]);

    // Installed elsewhere (dependencies found through NODE_PATH), explain reads the pages from the package itself.
    const tar = spawnSync('tar', ['-xzf', join(dir, pack?.filename ?? ''), '-C', dir]);
    expect(tar.status).toBe(0);
    const page = spawnSync(process.execPath, [join(dir, 'package', 'bin', 'kvprobe'), 'explain', 'ZONE_RECORD_STALE'], {
      encoding: 'utf8',
      env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules') },
      cwd: dir,
      timeout: 30_000,
    });
    expect(page.stderr).toBe('');
    expect(page.status).toBe(0);
    expect(page.stdout.startsWith('ZONE_RECORD_STALE\n')).toBe(true);
  });
});
