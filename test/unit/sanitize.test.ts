import { renderTable } from '../../src/cli/render';
import { finding } from '../../src/probe/findings';
import { reportFinding, type RunReport } from '../../src/probe/report';
import { cleanText, cutCodePoints, redactUrlCredentials } from '../../src/probe/sanitize';

const HOSTILE =
  '\u001b[2J\u001b[1;1HDenied.\r\n1 probed: 1 healthy, 0 unhealthy, 0 unknown\u0007\u202eevil\u001b]0;title\u0007';

describe('untrusted text', () => {
  it.each([
    [
      'escape sequences go whole, CR/LF and BEL become spaces',
      HOSTILE,
      'Denied. 1 probed: 1 healthy, 0 unhealthy, 0 unknown evil',
    ],
    [
      'plain text is kept',
      'This TCP connection does not allow access to kv1.vault.azure.net.',
      'This TCP connection does not allow access to kv1.vault.azure.net.',
    ],
    ['tabs and NUL become spaces', 'a\tb\u0000c', 'a b c'],
  ])('%s', (_name, input, want) => {
    expect(cleanText(input)).toBe(want);
  });

  it('caps at 500 characters by default, with an ellipsis', () => {
    const out = cleanText('A'.repeat(60_000));
    expect(out).toHaveLength(500);
    expect(out.endsWith('…')).toBe(true);
  });

  it.each([
    ['http://user:pass@proxy:3128', 'http://***@proxy:3128'],
    [
      'HTTPS_PROXY=https://token@10.0.0.1:8080 and http://a:b@c/',
      'HTTPS_PROXY=https://***@10.0.0.1:8080 and http://***@c/',
    ],
    ['http://proxy:3128', 'http://proxy:3128'],
  ])('redacts URL credentials: %s', (input, want) => {
    expect(redactUrlCredentials(input)).toBe(want);
  });

  it('a finding built from server text carries none of its control characters, in message or details', () => {
    const f = finding('DATAPLANE_FORBIDDEN', `Key Vault answered 403: ${HOSTILE}${'A'.repeat(60_000)}`, {
      address: '10.0.0.4',
      status: 403,
      request: 'authenticated',
      serverMessage: HOSTILE + 'B'.repeat(60_000),
    });
    const text = JSON.stringify(reportFinding(f));
    expect(text).not.toMatch(/\\u00(0|1)[0-9a-f]|\\r|\\n|\\u202e/i);
    expect(f.message.length).toBeLessThanOrEqual(1500);
    expect(f.details.serverMessage?.length).toBeLessThanOrEqual(500);
  });

  it('the table prints no control character, whatever reached the report', () => {
    const report: RunReport = {
      location: 'lab\u001b[31m',
      runId: 'r',
      startedAt: '2026-01-01T00:00:00.000Z',
      durationMs: 1,
      summary: { vaults: 1, healthy: 0, unhealthy: 1, unknown: 0, skipped: 0 },
      results: [
        {
          vault: 'kv\r\nforged',
          vaultId: null,
          scope: 'vault',
          host: 'kv.vault.azure.net',
          status: 'unhealthy',
          publicNetworkAccess: null,
          expected: [],
          resolved: {
            os: { addresses: [], error: 'x\u001b[2J' },
            dns: { servers: [], cnames: [], addresses: [], ttl: null, error: null },
          },
          dataplane: [],
          addressesHash: null,
          findings: [{ ...reportFinding(finding('RUN_DEADLINE_EXCEEDED', 'm', { deadlineMs: 1 })), message: HOSTILE }],
          diagnoses: [],
          timings: {},
        },
      ],
    };
    const table = renderTable(report);
    // eslint-disable-next-line no-control-regex
    expect(table.replace(/\n/g, '')).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
    expect(table).not.toMatch(/^1 probed: 1 healthy/m);
  });
});

describe('invisible and reordering characters (issue 21)', () => {
  it.each([
    ['U+00AD soft hyphen', '\u00ad'],
    ['U+061C Arabic letter mark', '\u061c'],
    ['U+180E Mongolian vowel separator', '\u180e'],
    ['U+200B zero-width space', '\u200b'],
    ['U+200F right-to-left mark', '\u200f'],
    ['U+202A left-to-right embedding', '\u202a'],
    ['U+202E right-to-left override', '\u202e'],
    ['U+2066 left-to-right isolate', '\u2066'],
    ['U+2069 pop directional isolate', '\u2069'],
    ['U+FFF9 interlinear annotation anchor', '\ufff9'],
    ['U+FFFB interlinear annotation terminator', '\ufffb'],
    ['U+E0000 (tag range start)', '\u{e0000}'],
    ['U+E0041 tag latin capital A', '\u{e0041}'],
    ['U+E007F cancel tag', '\u{e007f}'],
  ])('%s is stripped', (_name, ch) => {
    expect(cleanText(`kv${ch}${ch}1`)).toBe('kv 1');
  });

  it('keeps what looks close but is visible: U+00AC, U+2070, U+FFFC, U+E0080 and emoji', () => {
    const kept = '\u00ac\u2070\ufffc\u{e0080}\u{1f511}';
    expect(cleanText(kept)).toBe(kept);
  });

  it('cuts on code-point boundaries: never half of a surrogate pair', () => {
    const key = '\u{1f511}';
    for (let max = 2; max <= 12; max++) {
      const out = cleanText(`a${key.repeat(10)}`, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(out)).toBe(false);
    }
    expect(cutCodePoints(`a${key}`, 2)).toBe('a');
    expect(cutCodePoints(`ab${key}`, 4)).toBe(`ab${key}`);
  });
});
