import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { RunReport } from '../../src/probe/report';
import { describeWhere, missingScript } from '../support/environment';

const ROOT = resolve(__dirname, '..', '..');
// The compiled lab: its loopback mode preloads dist/test/lab/loopback-getaddrinfo.js into the CLI.
/* eslint-disable @typescript-eslint/no-require-imports -- dist/ is only known at run time */
const { Lab } = require(join(ROOT, 'dist', 'test', 'lab', 'lab.js')) as typeof import('../lab/lab');
const { scenarioByName } = require(
  join(ROOT, 'dist', 'test', 'lab', 'scenarios.js'),
) as typeof import('../lab/scenarios');
/* eslint-enable @typescript-eslint/no-require-imports */

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The progress line as a person sees it: the CLI runs under `script` (util-linux), which gives it a pseudo-terminal
 * for stderr, while stdout goes to a file. Loopback mode, 50 vaults.
 */
describeWhere(missingScript(), 'progress on a terminal, and only there', () => {
  let lab: import('../lab/lab').Lab;
  const dir = mkdtempSync(join(tmpdir(), 'kvprobe-tty-'));
  beforeAll(async () => {
    lab = await Lab.start(scenarioByName('subscription-50'), 'loopback');
  }, 60_000);
  afterAll(async () => {
    await lab?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const bin = join(ROOT, 'bin', 'kvprobe');

  // The lab's servers live in this process: children are awaited, never run synchronously.
  function run(cmd: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return new Promise((done) => {
      const child = spawn(cmd, args, { env: lab.cliEnv(process.env), stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (status) => done({ status, stdout, stderr }));
    });
  }

  async function underPty(extra: string[]): Promise<{ terminal: string; stdout: string; status: number | null }> {
    const out = join(dir, `out-${extra.length}.json`);
    const log = join(dir, `log-${extra.length}.txt`);
    const command = `exec ${quote(process.execPath)} ${[bin, ...lab.cliArgs(), ...extra].map(quote).join(' ')} > ${quote(out)}`;
    const r = await run('script', ['-q', '-e', '-c', command, log]);
    const raw = readFileSync(log, 'utf8');
    // What the terminal received between script's own first and last lines.
    const terminal = raw.split('\n').slice(1, -2).join('\n');
    return { terminal, stdout: readFileSync(out, 'utf8'), status: r.status };
  }

  it('draws the phase, n/N and the elapsed time in place on stderr, and erases it; stdout is the same JSON', async () => {
    const r = await underPty([]);
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as RunReport;
    expect(report.results.length).toBeGreaterThan(40);
    expect(r.stdout).not.toContain('kvprobe: probing');
    const total = report.results.length;
    // Each frame starts by going back to the start of the line and erasing it: redrawn in place, never scrolled.
    const frames = r.terminal.split('\r\u001b[2K').filter((f) => f.length > 0);
    expect(frames[0]).toMatch(/^kvprobe: listing vaults · \d+\.\d s$/);
    expect(frames).toContain(
      frames.find((f) => new RegExp(`^kvprobe: probing ${total}/${total} vaults · \\d+\\.\\d s$`).test(f)),
    );
    expect(
      frames.some(
        (f) => /^kvprobe: probing \d+\/\d+ vaults · \d+\.\d s$/.test(f) && !f.startsWith(`kvprobe: probing ${total}/`),
      ),
    ).toBe(true);
    expect(r.terminal).not.toContain('\n');
    // The last thing written is the erase: the shell prompt comes back on a clean line.
    expect(r.terminal.trimEnd().endsWith('\r\u001b[2K')).toBe(true);
  });

  it('draws nothing with --quiet', async () => {
    const r = await underPty(['--quiet']);
    expect(r.terminal.trim()).toBe('');
    expect((JSON.parse(r.stdout) as RunReport).results.length).toBeGreaterThan(40);
  });

  it('writes nothing on stderr when it is not a terminal', async () => {
    const r = await run(process.execPath, [bin, ...lab.cliArgs()]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
    expect((JSON.parse(r.stdout) as RunReport).results.length).toBeGreaterThan(40);
  });
});
