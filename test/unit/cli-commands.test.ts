import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT_CODES_HELP, MAIN_HELP, parseCommand, scopeFromEnvironment, type CheckOptions } from '../../src/cli/args';
import { findingCode, findingsDir, renderCodeList, renderCodePage, suggestCodes } from '../../src/cli/explain';
import { renderInline, renderMarkdown, visibleLength, wrap } from '../../src/cli/markdown';
import { main, type CliIo } from '../../src/cli/main';
import { ConfigError } from '../../src/config';
import { FINDING_CODES, FINDINGS } from '../../src/probe/findings';
import { VERSION } from '../../src/version';
import { SEVERITY } from '../lab/finding-literals';

const SUB = '4b1f7a2e-6c3d-4e5f-8a9b-0c1d2e3f4a5b';
const plain = { color: false, width: 80 };
const color = { color: true, width: 80 };

function io(overrides: Partial<CliIo> = {}): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: {}, out, err, ...overrides };
}

describe('command line habits', () => {
  it.each([
    [[], 'usage'],
    [['help'], 'help'],
    [['--help'], 'help'],
    [['-h'], 'help'],
    [['--version'], 'version'],
    [['-V'], 'version'],
    [['version'], 'version'],
    [['explain'], 'explain'],
    [['explain', 'DNS_PUBLIC_IP'], 'explain'],
    [['explain', '--help'], 'help'],
    [['check', '--help'], 'help'],
  ])('%j is %s', (argv, kind) => {
    expect(parseCommand(argv).kind).toBe(kind);
  });

  it.each([
    [['frob'], 'Unknown command "frob": use one of check, map, explain, version, help.'],
    [
      ['--vault', 'kv1'],
      'Unknown option "--vault" before the command: put options after a command, e.g. "kvprobe check --vault".',
    ],
    [['version', 'x'], 'Unexpected argument "x": "version" takes none.'],
    [['explain', 'A', 'B'], 'Unexpected argument "B": explain takes one finding code.'],
    [['explain', '--verbose'], 'Unknown option "--verbose": explain takes only a finding code.'],
    [
      ['check', '--subscription', SUB, '--output', 'xml'],
      '--output "xml" is not allowed: use one of table, json, html.',
    ],
  ])('%j is refused: %s', (argv, message) => {
    let error: unknown;
    try {
      parseCommand(argv);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([message]);
  });

  it('takes --output html and -q', () => {
    const p = parseCommand(['check', '--subscription', SUB, '--output', 'html', '-q']);
    expect(p.kind === 'check' && p.options.output).toBe('html');
    expect(p.kind === 'check' && p.options.quiet).toBe(true);
    const q = parseCommand(['check', '--subscription', SUB]);
    expect(q.kind === 'check' && q.options.quiet).toBe(false);
  });

  it('documents the exit codes 0 to 4 in both helps', () => {
    for (const code of [0, 1, 2, 3, 4]) expect(EXIT_CODES_HELP).toMatch(new RegExp(`^  ${code}  `, 'm'));
    expect(MAIN_HELP).toContain(EXIT_CODES_HELP);
    const check = parseCommand(['check', '--help']);
    expect(check.kind === 'help' && check.text).toContain(EXIT_CODES_HELP);
  });

  it('kvprobe alone: usage on stderr, exit 2, nothing on stdout', async () => {
    const t = io();
    expect(await main([], t)).toBe(2);
    expect(t.out).toEqual([]);
    expect(t.err.join('')).toBe(MAIN_HELP);
  });

  it('--version prints the package version on stdout', async () => {
    const t = io();
    expect(await main(['--version'], t)).toBe(0);
    expect(t.out.join('')).toBe(`kvprobe ${VERSION}\n`);
  });
});

describe('default scope', () => {
  const check = (argv: string[]): CheckOptions => {
    const p = parseCommand(['check', ...argv]);
    if (p.kind !== 'check') throw new Error('expected check');
    return p.options;
  };

  it.each([
    [[], true],
    [['--subscription', SUB], false],
    [['--vault', `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1`], false],
    [['--management-group', 'mg-prod'], false],
  ])('%j: default scope %s', (argv, expected) => {
    expect(check(argv).defaultScope).toBe(expected);
  });

  it('takes every readable subscription without AZURE_SUBSCRIPTION_ID', () => {
    const o = scopeFromEnvironment(check([]), {});
    expect(o).toMatchObject({ defaultScope: true, subscriptions: [], scopeFrom: 'identity' });
  });

  it('narrows to AZURE_SUBSCRIPTION_ID when set', () => {
    const o = scopeFromEnvironment(check([]), { AZURE_SUBSCRIPTION_ID: SUB.toUpperCase() });
    expect(o).toMatchObject({ defaultScope: false, subscriptions: [SUB], scopeFrom: 'AZURE_SUBSCRIPTION_ID' });
  });

  it('lets flags win over AZURE_SUBSCRIPTION_ID', () => {
    const other = '11111111-2222-3333-4444-555555555555';
    expect(scopeFromEnvironment(check(['--subscription', SUB]), { AZURE_SUBSCRIPTION_ID: other })).toMatchObject({
      subscriptions: [SUB],
      scopeFrom: 'flags',
    });
  });

  it('refuses an AZURE_SUBSCRIPTION_ID that is not a GUID, naming it', () => {
    let error: unknown;
    try {
      scopeFromEnvironment(check([]), { AZURE_SUBSCRIPTION_ID: 'prod' });
    } catch (e) {
      error = e;
    }
    expect((error as ConfigError).problems).toEqual([
      'AZURE_SUBSCRIPTION_ID "prod" is not a subscription ID: expected a GUID such as 00000000-0000-0000-0000-000000000000. Unset it to probe every subscription this identity can read.',
    ]);
  });
});

describe('explain', () => {
  it('finds pages beside the package, compiled or not', () => {
    expect(findingsDir()).toBe(join(__dirname, '..', '..', 'docs', 'findings'));
    expect(findingsDir(join(__dirname, '..', '..', 'dist', 'src', 'cli'))).toBe(
      join(__dirname, '..', '..', 'docs', 'findings'),
    );
    expect(findingsDir('/')).toBeUndefined();
  });

  it.each([
    ['DNS_PUBLIC_IP', 'DNS_PUBLIC_IP'],
    ['dns_public_ip', 'DNS_PUBLIC_IP'],
    ['dns-public-ip', 'DNS_PUBLIC_IP'],
    [' ZONE_NOT_LINKED ', 'ZONE_NOT_LINKED'],
    ['DNS_PUBLIC', undefined],
  ])('%j is code %s', (input, code) => {
    expect(findingCode(input)).toBe(code);
  });

  it.each([
    ['DNS_PUBLC_IP', ['DNS_PUBLIC_IP']],
    ['ZONE_RECORD', ['ZONE_RECORD_STALE', 'ZONE_RECORD_MISSING']],
    ['banana', []],
  ])('suggests for %j: %j', (input, codes) => {
    expect(suggestCodes(input)).toEqual(codes);
  });

  it('lists every code with its severity and title, one line each', () => {
    const text = renderCodeList(plain);
    // The severity is the literal one (test/lab/finding-literals.ts): a severity changed in src/ fails here. The
    // title is what the renderer must copy from the table.
    for (const code of FINDING_CODES)
      expect(text).toMatch(
        new RegExp(`^${code} +${SEVERITY[code]} +${FINDINGS[code].title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'),
      );
  });

  it.each(FINDING_CODES.map((c) => [c]))('renders the page of %s for a terminal', (code) => {
    const text = renderCodePage(code, plain);
    const source = readFileSync(join(__dirname, '..', '..', 'docs', 'findings', `${code}.md`), 'utf8');
    expect(text.startsWith(`${code}\n${'='.repeat(code.length)}\n`)).toBe(true);
    // No Markdown syntax left outside code: no bold markers, no link targets, no fences.
    const prose = text.split('\n').filter((l) => !l.startsWith('    '));
    expect(prose.join('\n')).not.toMatch(/\*\*|\]\(|```/);
    // Prose wraps at the width; only code blocks and tables may run longer.
    const codeLines = new Set(source.split('\n').map((l) => l.trim()));
    for (const line of prose)
      if (visibleLength(line) > 80 && !line.includes('  ')) expect(codeLines.has(line.trim())).toBe(true);
  });

  it('says so when the page is missing from the installation', () => {
    expect(() => renderCodePage('DNS_PUBLIC_IP', plain, '/nonexistent')).toThrow(
      'the page of DNS_PUBLIC_IP is missing from this installation',
    );
  });

  it('unknown code: exit 2 with a suggestion on stderr', async () => {
    const t = io();
    expect(await main(['explain', 'DNS_NXDOMAN'], t)).toBe(2);
    expect(t.out).toEqual([]);
    expect(t.err.join('')).toBe(
      'kvprobe: error: "DNS_NXDOMAN" is not a finding code. Did you mean DNS_NXDOMAIN?\nRun "kvprobe explain" for the list of codes.\n',
    );
  });

  it('colours only a terminal, and never with NO_COLOR', async () => {
    const esc = '\u001b[';
    const tty = io({ stdoutIsTTY: true });
    await main(['explain', 'DNS_PUBLIC_IP'], tty);
    expect(tty.out.join('')).toContain(esc);
    const pipe = io({ stdoutIsTTY: false });
    await main(['explain', 'DNS_PUBLIC_IP'], pipe);
    expect(pipe.out.join('')).not.toContain(esc);
    const noColor = io({ stdoutIsTTY: true, env: { NO_COLOR: '1' } });
    await main(['explain', 'DNS_PUBLIC_IP'], noColor);
    expect(noColor.out.join('')).not.toContain(esc);
  });
});

describe('Markdown for the terminal', () => {
  it.each([
    ['run `dig x`', plain, 'run `dig x`'],
    ['run `dig x`', color, 'run \u001b[36mdig x\u001b[39m'],
    ['**Severity:** error', plain, 'Severity: error'],
    ['**Severity:** error', color, '\u001b[1mSeverity:\u001b[22m error'],
    ['see [DNS_FAILURE](DNS_FAILURE.md)', plain, 'see DNS_FAILURE'],
    ['see [the docs](https://learn.microsoft.com/x)', plain, 'see the docs (https://learn.microsoft.com/x)'],
    ['`**not bold**`', plain, '`**not bold**`'],
  ])('%j → %j', (input, style, output) => {
    expect(renderInline(input, style)).toBe(output);
  });

  it('wraps by visible width, with a hanging indent', () => {
    expect(wrap('aaa bbb ccc ddd', 9, '- ', '  ')).toEqual(['- aaa bbb', '  ccc ddd']);
    expect(wrap('\u001b[1maaa\u001b[22m bbb', 7)).toEqual(['\u001b[1maaa\u001b[22m bbb']);
    expect(wrap('averyveryverylongword x', 5)).toEqual(['averyveryverylongword', 'x']);
  });

  it('renders headings, lists, quotes, fences and tables', () => {
    const md = [
      '# Title',
      'Text.',
      '## Part',
      '- one',
      '1. first',
      '> Note `x`',
      '```',
      'az keyvault show',
      '```',
      '| a | bb |',
      '|---|---|',
      '| ccc | d |',
    ].join('\n');
    expect(renderMarkdown(md, plain)).toBe(
      [
        'Title',
        '=====',
        'Text.',
        '',
        'Part',
        '----',
        '- one',
        '1. first',
        '| Note `x`',
        '    az keyvault show',
        'a    bb',
        'ccc  d',
        '',
      ].join('\n'),
    );
  });
});
