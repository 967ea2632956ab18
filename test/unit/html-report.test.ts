import { escapeHtml } from '../../src/report-html/escape';
import { diagnose } from '../../src/probe/diagnoses';
import { renderHtmlReport, HTML_REPORT_CSP, DRAW_HEALTHY_UP_TO } from '../../src/report-html/page';
import { armName, expectedPath, observedPath, privatelinkName, vaultPaths } from '../../src/report-html/path-model';
import { breakText, renderPathSvg } from '../../src/report-html/svg';
import type { ReportedFinding, RunReport, VaultResult } from '../../src/probe/report';

const SUB = '/subscriptions/4b1f7a2e-6c3d-4e5f-8a9b-0c1d2e3f4a5b';
const pe = (name: string) => `${SUB}/resourceGroups/network/providers/Microsoft.Network/privateEndpoints/${name}`;
const kv = (name: string) => `${SUB}/resourceGroups/apps/providers/Microsoft.KeyVault/vaults/${name}`;

function f(
  code: ReportedFinding['code'],
  details: Record<string, unknown>,
  extra: Partial<ReportedFinding> = {},
): ReportedFinding {
  return {
    code,
    severity: 'error',
    title: `title of ${code}`,
    message: `message of ${code}`,
    remediation: 'fix it',
    resourceId: null,
    fix: [],
    confirm: [],
    explainedBy: null,
    details,
    ...extra,
  };
}

function vault(name: string, over: Partial<VaultResult> = {}): VaultResult {
  return {
    vault: name,
    vaultId: kv(name),
    scope: 'vault',
    host: `${name}.vault.azure.net`,
    status: 'healthy',
    publicNetworkAccess: 'Disabled',
    expected: [
      {
        ip: '10.0.0.5',
        privateEndpointId: pe(`pe-${name}`),
        connectionStatus: 'Approved',
        provisioningState: 'Succeeded',
      },
    ],
    resolved: {
      os: { addresses: ['10.0.0.5'], error: null },
      dns: {
        servers: ['10.0.0.2'],
        cnames: [`${name}.privatelink.vaultcore.azure.net`],
        addresses: ['10.0.0.5'],
        ttl: 10,
        error: null,
      },
    },
    dataplane: [],
    addressesHash: 'h',
    findings: [],
    diagnoses: [],
    timings: {},
    ...over,
  };
}

function report(results: VaultResult[], location = 'hub-weu'): RunReport {
  const n = (s: string) => results.filter((r) => r.status === s).length;
  return {
    location,
    runId: 'run-1',
    startedAt: '2026-11-30T00:00:00.000Z',
    durationMs: 42,
    summary: {
      vaults: results.length,
      healthy: n('healthy'),
      unhealthy: n('unhealthy'),
      unknown: n('unknown'),
      skipped: 0,
    },
    results,
  };
}

/** The result with the diagnoses the engine stores for its findings. */
const diagnosed = (r: VaultResult): VaultResult => ({ ...r, diagnoses: diagnose(r.findings).diagnoses });

/** kv-orders resolves to kv-payments' endpoint: the showcase's 403. */
const stolen = diagnosed(
  vault('kv-orders', {
    status: 'unhealthy',
    resolved: {
      os: { addresses: ['10.0.0.4'], error: null },
      dns: {
        servers: [],
        cnames: ['kv-orders.privatelink.vaultcore.azure.net'],
        addresses: ['10.0.0.4'],
        ttl: 10,
        error: null,
      },
    },
    dataplane: [{ address: '10.0.0.4', status: 403, tcpConnectionForbidden: true, timings: { totalMs: 3 } }],
    findings: [
      f('DNS_PRIVATE_IP_MISMATCH', { address: '10.0.0.4', expected: ['10.0.0.5'], resolver: 'os' }),
      f(
        'ENDPOINT_BELONGS_TO_OTHER_RESOURCE',
        { address: '10.0.0.4', privateEndpointId: pe('pe-kv-payments'), otherResourceIds: [kv('kv-payments')] },
        { confirm: ['az network private-dns record-set a show -n kv-orders'] },
      ),
      f('ZONE_RECORD_MISSING', { address: '10.0.0.5', zones: [] }),
    ],
  }),
);

describe('the resolution path, from the JSON report', () => {
  it('follows a healthy vault to its own endpoint, nothing red', () => {
    const p = observedPath(vault('kv1'));
    expect(p.name.lines).toEqual(['kv1.vault.azure.net']);
    expect(p.cname.lines).toEqual(['kv1.privatelink.vaultcore.azure.net']);
    expect(p.rows).toHaveLength(1);
    expect(p.rows[0]?.endpoint.lines).toEqual(['pe-kv1']);
    expect(p.rows[0]?.resource.lines).toEqual(['kv1']);
    expect([p.name, p.cname, ...p.rows.flatMap((r) => [r.address, r.endpoint, r.resource])].some((n) => n.bad)).toBe(
      false,
    );
  });

  it('marks the wrong address, the other endpoint and its resource red, with their findings', () => {
    const row = observedPath(stolen).rows[0];
    expect(row?.address).toMatchObject({ lines: ['10.0.0.4'], bad: true, codes: ['DNS_PRIVATE_IP_MISMATCH'] });
    expect(row?.address.note).toBe('OS resolver and DNS · HTTPS: 403 TCP connection forbidden');
    expect(row?.endpoint).toMatchObject({
      lines: ['pe-kv-payments'],
      bad: true,
      codes: ['ENDPOINT_BELONGS_TO_OTHER_RESOURCE'],
    });
    expect(row?.resource).toMatchObject({ lines: ['kv-payments'], bad: true });
    const expected = expectedPath(stolen).rows[0];
    expect(expected?.address).toMatchObject({ lines: ['10.0.0.5'], codes: ['ZONE_RECORD_MISSING'] });
    expect(expected?.endpoint.lines).toEqual(['pe-kv-orders']);
  });

  it('shows a public address as the public front end, and a hosts-file address as OS-only', () => {
    const pub = observedPath(
      vault('kv2', {
        resolved: {
          os: { addresses: ['198.51.100.10'], error: null },
          dns: { servers: [], cnames: [], addresses: ['10.0.0.5'], ttl: 10, error: null },
        },
      }),
    );
    expect(pub.rows.map((r) => [r.address.lines[0], r.address.note, r.endpoint.lines[0], r.address.bad])).toEqual([
      ['198.51.100.10', 'OS resolver only (hosts file?)', 'none: public endpoint', true],
      ['10.0.0.5', 'DNS only', 'pe-kv2', false],
    ]);
  });

  it('marks an own endpoint that is not approved', () => {
    const pending = vault('kv3', {
      expected: [
        {
          ip: '10.0.0.5',
          privateEndpointId: pe('pe-kv3'),
          connectionStatus: 'Pending',
          provisioningState: 'Succeeded',
        },
      ],
    });
    expect(observedPath(pending).rows[0]?.endpoint).toMatchObject({ bad: true, note: 'Pending / Succeeded' });
    expect(observedPath(pending).rows[0]?.address.bad).toBe(true);
  });

  it('draws one row saying why when nothing resolved', () => {
    const nx = vault('kv4', {
      resolved: {
        os: { addresses: [], error: 'NXDOMAIN (ENOTFOUND)' },
        dns: { servers: [], cnames: [], addresses: [], ttl: null, error: 'NXDOMAIN (ENOTFOUND)' },
      },
      findings: [f('DNS_NXDOMAIN', { resolver: 'os', host: 'kv4.vault.azure.net' })],
    });
    const p = observedPath(nx);
    expect(p.name).toMatchObject({ bad: true, codes: ['DNS_NXDOMAIN'] });
    expect(p.rows[0]?.address).toMatchObject({ lines: ['none'], note: 'NXDOMAIN (ENOTFOUND)', bad: true });
  });

  it.each([
    ['kv1.vault.azure.net', 'kv1.privatelink.vaultcore.azure.net'],
    ['kv1.vault.usgovcloudapi.net', 'kv1.privatelink.vaultcore.usgovcloudapi.net'],
    ['hsm1.managedhsm.azure.net', 'hsm1.privatelink.managedhsm.azure.net'],
    ['kv1.privatelink.vaultcore.azure.net', 'kv1.privatelink.vaultcore.azure.net'],
  ])('the privatelink name of %s is %s', (host, name) => {
    expect(privatelinkName(host)).toBe(name);
  });

  it('names a resource by the last segment of its ID', () => {
    expect(armName(pe('pe-x'))).toBe('pe-x');
    expect(armName(null)).toBe('');
  });
});

describe('breaking labels to fit a box', () => {
  it.each([
    ['kv-orders.privatelink.vaultcore.azure.net', 30, ['kv-orders.privatelink.', 'vaultcore.azure.net']],
    ['short', 30, ['short']],
    ['abcdefghij', 4, ['abcd', 'efgh', 'ij']],
    ['', 10, ['']],
  ])('%j at %d', (text, max, lines) => {
    expect(breakText(text, max)).toEqual(lines);
  });
});

describe('the HTML page', () => {
  it('escapes every string that comes from the report, in text and in attributes', () => {
    const evil = '<img src=x onerror=alert(1)>"\'&';
    const hostile = vault('kv-x', {
      vault: `kv-x${evil}`,
      status: 'unhealthy',
      host: `kv-x.vault.azure.net${evil}`,
      resolved: {
        os: { addresses: [`10.0.0.9${evil}`], error: null },
        dns: { servers: [], cnames: [`cname${evil}`], addresses: [], ttl: null, error: null },
      },
      findings: [
        f(
          'DATAPLANE_FORBIDDEN',
          { address: `10.0.0.9${evil}`, status: 403, serverMessage: evil },
          { message: `server said ${evil}`, confirm: [`az x ${evil}`] },
        ),
      ],
    });
    const html = renderHtmlReport(report([hostile], `site${evil}`));
    expect(html).not.toContain('<img');
    expect(html).not.toMatch(/onerror=alert\(1\)>"/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;');
    // Only the page's own elements: one script, one style, no event handler attribute anywhere.
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html.match(/<style/g)).toHaveLength(1);
    // Every real tag (escaped text has no raw "<"): none carries an event handler attribute.
    const tags = html.match(/<[a-zA-Z][^>]*>/g) ?? [];
    expect(tags.filter((t) => /\son[a-z]+=/i.test(t.replace(/"[^"]*"/g, '""')))).toEqual([]);
    expect(tags.some((t) => t.startsWith('<img'))).toBe(false);
  });

  it.each([
    ['&', '&amp;'],
    ['<b>', '&lt;b&gt;'],
    ['"', '&quot;'],
    ["'", '&#39;'],
  ])('escapeHtml(%j) is %j', (input, output) => {
    expect(escapeHtml(input)).toBe(output);
  });

  it('is self-contained: no external URL, a CSP that allows only its own style and script', () => {
    const html = renderHtmlReport(report([stolen, vault('kv-payments')]));
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/@import|url\((?!#)/);
    expect(HTML_REPORT_CSP).toMatch(
      /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; script-src 'sha256-[A-Za-z0-9+/=]+';/,
    );
    expect(html).toContain(`content="${escapeHtml(HTML_REPORT_CSP)}"`);
  });

  it('puts the summary first and the unhealthy vaults before the healthy ones', () => {
    const html = renderHtmlReport(report([vault('kv-payments'), stolen]));
    expect(html).toContain(
      '<ul class="counts"><li>2 vaults</li><li class="unhealthy">1 unhealthy</li><li class="unknown">0 unknown</li><li class="healthy">1 healthy</li></ul>',
    );
    expect(html.indexOf('data-vault="kv-orders"')).toBeLessThan(html.indexOf('data-vault="kv-payments"'));
    expect(html).toContain('<title>kvprobe: 1 unhealthy, 0 unknown, 1 healthy of 2 vaults from hub-weu</title>');
  });

  it('gives each command a copy button hidden until the script shows it', () => {
    const html = renderHtmlReport(report([stolen]));
    expect(html).toContain(
      '<div class="cmd check"><pre><code>az network private-dns record-set a show -n kv-orders</code></pre><button type="button" class="copy" hidden>Copy</button></div>',
    );
  });

  it('lists one item per diagnosis, names the object to fix, folds what it explains, and marks the root box', () => {
    const html = renderHtmlReport(report([stolen]));
    expect(html).toContain('<h3>Diagnoses (2) of 3 findings</h3>');
    expect(html.match(/<li class="finding diagnosis /g)).toHaveLength(2);
    expect(html).toContain(
      '<details class="explained"><summary>+1 explained finding: ENDPOINT_BELONGS_TO_OTHER_RESOURCE</summary>',
    );
    // The address box carries the root code DNS_PRIVATE_IP_MISMATCH: it is the one marked, once per layout.
    expect(html.match(/<g class="node bad root" data-step="address">/g)).toHaveLength(2);
    expect(html).toContain('◆ ✗ ADDRESS · FIX HERE');
  });

  it(`draws healthy vaults up to ${DRAW_HEALTHY_UP_TO} vaults, then lists them in a table`, () => {
    const many = Array.from({ length: DRAW_HEALTHY_UP_TO + 1 }, (_, i) => vault(`kv${i}`));
    const html = renderHtmlReport(report([stolen, ...many]));
    expect(html.match(/<section class="vault/g)).toHaveLength(2);
    expect(html).toContain(`<h2>Healthy vaults (${DRAW_HEALTHY_UP_TO + 1})</h2>`);
  });

  it('draws the same path wide and narrow, each with a text alternative', () => {
    const svg = renderPathSvg(
      { observed: observedPath(stolen), expected: expectedPath(stolen) },
      { id: 'v0', vault: 'kv-orders', location: 'lab', layout: 'narrow' },
    );
    expect(svg).toContain(
      '<desc id="v0-narrow-desc">Observed from lab: kv-orders.vault.azure.net → kv-orders.privatelink.vaultcore.azure.net → 10.0.0.4 → pe-kv-payments → kv-payments. Expected from ARM: kv-orders.vault.azure.net → kv-orders.privatelink.vaultcore.azure.net → 10.0.0.5 → pe-kv-orders → kv-orders.</desc>',
    );
    expect(svg).toContain('viewBox="0 0 360 ');
  });
});

describe('every finding shows on the drawing', () => {
  it('puts a finding that names no step where it points, red for errors and amber for warnings', () => {
    const r = vault('kv5', {
      status: 'unhealthy',
      findings: [
        f('ZONE_NOT_LINKED', { zone: 'z', vnetId: 'v', linkedVnets: [] }),
        f('ZONE_GROUP_MISSING', { privateEndpointId: pe('pe-kv5') }, { severity: 'warning' }),
        f('RUN_DEADLINE_EXCEEDED', { deadlineMs: 1000 }),
      ],
    });
    const p = vaultPaths(r).observed;
    expect(p.cname).toMatchObject({ codes: ['ZONE_NOT_LINKED'], bad: true });
    expect(p.rows[0]?.endpoint).toMatchObject({ codes: ['ZONE_GROUP_MISSING'], bad: false, warn: true });
    expect(p.name).toMatchObject({ codes: ['RUN_DEADLINE_EXCEEDED'], bad: true });
  });

  it('does not repeat on the observed path what the expected path already shows', () => {
    const p = vaultPaths(stolen);
    expect(p.expected.rows[0]?.address.codes).toEqual(['ZONE_RECORD_MISSING']);
    expect([p.observed.name, p.observed.cname].flatMap((n) => n.codes)).toEqual([]);
  });

  it('draws the proxied path with the answer through the proxy', () => {
    const proxied = vault('kv6', {
      status: 'unhealthy',
      dataplane: [
        { address: '10.0.0.5', status: 200, tcpConnectionForbidden: false, timings: { totalMs: 1 } },
        {
          address: 'kv6.vault.azure.net',
          via: 'http://10.0.0.200:3128',
          status: 403,
          tcpConnectionForbidden: true,
          networkInfo: 'conn_type=PrivateLink;action=Deny;addr=10.0.0.5;',
          timings: { totalMs: 1 },
        },
      ],
      findings: [
        f('DATAPLANE_TCP_CONNECTION_FORBIDDEN', { address: 'kv6.vault.azure.net', status: 403 }),
        f('PROXY_IN_PATH', { variable: 'HTTPS_PROXY', proxy: 'http://10.0.0.200:3128' }, { severity: 'warning' }),
      ],
    });
    const rows = vaultPaths(proxied).observed.rows;
    expect(rows).toHaveLength(2);
    expect(rows[1]?.address).toMatchObject({
      step: 'proxy',
      lines: ['http://10.0.0.200:3128'],
      note: 'HTTPS: 403 TCP connection forbidden',
      bad: true,
      codes: ['DATAPLANE_TCP_CONNECTION_FORBIDDEN', 'PROXY_IN_PATH'],
    });
    expect(rows[1]?.endpoint.lines).toEqual(['reached at 10.0.0.5']);
  });
});
