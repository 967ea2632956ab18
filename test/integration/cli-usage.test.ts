import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { parseCommand } from '../../src/cli/args';
import { ArmEmulator } from '../lab/arm-emulator';
import { createLabPki } from '../lab/tls';

const ROOT = resolve(__dirname, '..', '..');

/**
 * Every flag `kvprobe check` accepts, read from the parser's own definition: the options it hands to node:util's
 * parseArgs (derived from the settings table, src/settings/), captured as it parses.
 */
function parserFlags(): string[] {
  // The module object itself (not an import namespace, whose properties cannot be redefined).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const util = require('node:util') as typeof import('node:util');
  const spy = jest.spyOn(util, 'parseArgs');
  try {
    parseCommand(['check', '--help']);
    const config = spy.mock.calls[0]?.[0];
    return Object.entries(config?.options ?? {}).flatMap(([name, o]) => [
      `--${name}`,
      ...(o.short ? [`-${o.short}`] : []),
    ]);
  } finally {
    spy.mockRestore();
  }
}
const SUB = '4b1f7a2e-6c3d-4e5f-8a9b-0c1d2e3f4a5b';

/**
 * The CLI under test gets only what each test gives it, never the developer's environment (a token, a proxy,
 * NO_COLOR, NODE_OPTIONS). The outer environment of this file is made hostile to prove it: a CLI that inherited it
 * would fail to start.
 */
const cleanEnv = (extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv => ({
  PATH: process.env['PATH'] ?? '',
  ...extra,
});
process.env['NODE_OPTIONS'] = '--require /nonexistent/kvprobe-cli-usage-leak.js';
process.env['KVPROBE_ACCESS_TOKEN'] = 'leaked-outer-token';
process.env['HTTPS_PROXY'] = 'http://127.0.0.1:9';

describe('kvprobe usage errors: exit 2, nothing sent', () => {
  const pki = createLabPki();
  let arm: ArmEmulator;
  beforeAll(async () => {
    arm = await ArmEmulator.start({ pki });
  });
  afterAll(() => arm.stop());

  const run = (args: string[]) =>
    spawnSync(process.execPath, [join(ROOT, 'bin', 'kvprobe'), ...args], {
      encoding: 'utf8',
      env: cleanEnv({ NODE_EXTRA_CA_CERTS: pki.caCertPath, KVPROBE_ACCESS_TOKEN: 'x' }),
      timeout: 30_000,
    });

  it.each([
    [['check', '--subscription', SUB, '--vault', 'bad--name'], '--vault "bad--name" is not a valid Key Vault name'],
    [['check', '--vault', 'kv1'], '--vault kv1 is a name: give --subscription to search'],
    [
      [
        'check',
        '--subscription',
        SUB,
        '--vault',
        '/subscriptions/x/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1',
      ],
      '--vault "/subscriptions/x/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1" has subscription "x", which is not a GUID.',
    ],
    [
      ['check', '--subscription', SUB, '--timeout', '0'],
      '--timeout "0" is not allowed: use a whole number from 100 to 120000.',
    ],
    [['check', '--subscription', SUB, '--cloud', 'AzureGermanCloud'], '--cloud "AzureGermanCloud" is not allowed'],
  ])('%j', (args, message) => {
    const before = arm.requests.length;
    const r = run([...args, '--arm-endpoint', arm.url]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`kvprobe: error: ${message}`);
    expect(arm.requests.length).toBe(before);
  });

  it('--help documents every flag the parser accepts and exits 0', () => {
    const flags = parserFlags();
    expect(flags.length).toBeGreaterThanOrEqual(17);
    const r = run(['check', '--help']);
    expect(r.status).toBe(0);
    // Each flag at the start of a help line (after indentation), as its own word.
    const undocumented = flags.filter(
      (flag) => !new RegExp(`^\\s+(?:-\\w, )?${flag.replace(/[-]/g, '\\-')}(?:[ ,]|$)`, 'm').test(r.stdout),
    );
    expect(undocumented).toEqual([]);
  });
});

describe('kvprobe habits, as a shell user meets them (issue 14)', () => {
  const bin = (args: string[], env: NodeJS.ProcessEnv = cleanEnv()) =>
    spawnSync(process.execPath, [join(ROOT, 'bin', 'kvprobe'), ...args], { encoding: 'utf8', env, timeout: 30_000 });
  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

  it('kvprobe alone: usage on stderr, exit 2', () => {
    const r = bin([]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Usage: kvprobe <command> [options]');
  });

  it.each([['--version'], ['version']])('kvprobe %s prints the version', (arg) => {
    const r = bin([arg]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`kvprobe ${version}\n`);
  });

  it('--help documents exit codes 0 to 4', () => {
    const r = bin(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^ {2}4 {2}internal error/m);
  });

  it('explain prints a page from the shipped docs; an unknown code exits 2', () => {
    const page = bin(['explain', 'zone_not_linked']);
    expect(page.status).toBe(0);
    expect(page.stdout.startsWith('ZONE_NOT_LINKED\n===============\n')).toBe(true);
    expect(page.stdout).toContain('Confirm by hand');
    const list = bin(['explain']);
    expect(list.stdout).toMatch(/^ZONE_NOT_LINKED +error +The zone with the right record/m);
    const bad = bin(['explain', 'NOPE']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('kvprobe: error: "NOPE" is not a finding code.');
  });

  it('an internal error exits 4 and says it is a bug', () => {
    // A preload that breaks the CLI's own module: stands in for a bug in kvprobe.
    const r = spawnSync(
      process.execPath,
      [
        '-e',
        `require(${JSON.stringify(join(ROOT, 'dist', 'src', 'cli', 'main.js'))}); const m = require(${JSON.stringify(join(ROOT, 'dist', 'src', 'cli', 'explain.js'))}); m.renderCodeList = () => { throw new Error('boom'); }; require(${JSON.stringify(join(ROOT, 'dist', 'src', 'cli', 'main.js'))}).run();`,
        '--',
        'kvprobe',
        'explain',
      ],
      {
        encoding: 'utf8',
        timeout: 30_000,
        env: cleanEnv(),
      },
    );
    expect(r.status).toBe(4);
    expect(r.stderr).toContain('kvprobe: internal error (a bug: please report it with this message): Error: boom');
  });
});
