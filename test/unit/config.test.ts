import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, readAppSettings, siteIds } from '../../src/config';
import { parseCommand } from '../../src/cli/args';
import { settingsMarkdown } from '../../src/settings/docs';
import { SETTINGS } from '../../src/settings/table';
import * as types from '../../src/settings/types';
import { VERSION } from '../../src/version';

const SUB = '11111111-1111-1111-1111-111111111111';

function problems(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('app settings', () => {
  it('applies defaults', () => {
    const s = readAppSettings({ PROBE_SUBSCRIPTIONS: SUB.toUpperCase(), PROBE_LOCATION: 'hub-weu' });
    expect(s).toMatchObject({
      location: 'hub-weu',
      subscriptions: [SUB],
      targets: [],
      schedule: '0 */5 * * * *',
      timeoutMs: 5000,
      concurrency: 8,
      findingRefreshRuns: 12,
    });
    expect(readAppSettings({ PROBE_SUBSCRIPTIONS: SUB, PROBE_FINDING_REFRESH_RUNS: '288' }).findingRefreshRuns).toBe(
      288,
    );
    expect(s.cloud.vaultSuffix).toBe('vault.azure.net');
    expect(Object.isFrozen(s)).toBe(true);
  });

  it('reads the site label from PROBE_SITE and --site; PROBE_LOCATION and --location still work, with a warning', () => {
    expect(readAppSettings({ PROBE_SUBSCRIPTIONS: SUB, PROBE_SITE: 'spoke-1' })).toMatchObject({
      location: 'spoke-1',
      warnings: [],
    });
    expect(readAppSettings({ PROBE_SUBSCRIPTIONS: SUB, PROBE_LOCATION: 'spoke-1' })).toMatchObject({
      location: 'spoke-1',
      warnings: ['PROBE_LOCATION is the old name of PROBE_SITE: rename the app setting (its value is used).'],
    });
    // The new name wins, silently: the old one is ignored.
    expect(readAppSettings({ PROBE_SUBSCRIPTIONS: SUB, PROBE_SITE: 'a', PROBE_LOCATION: 'b' })).toMatchObject({
      location: 'a',
      warnings: [],
    });
    const check = (args: string[]) => {
      const p = parseCommand(['check', '--subscription', SUB, ...args]);
      return p.kind === 'check' ? { location: p.options.location, warnings: p.options.warnings } : undefined;
    };
    expect(check(['--site', 'hub'])).toEqual({ location: 'hub', warnings: [] });
    expect(check(['--location', 'hub'])).toEqual({
      location: 'hub',
      warnings: ['--location is the old name of --site: use --site.'],
    });
    expect(problems(() => parseCommand(['check', '--subscription', SUB, '--site', 'a', '--location', 'b']))).toEqual([
      '--location is the old name of --site: give --site only.',
    ]);
    expect(problems(() => parseCommand(['check', '--subscription', SUB, '--location', '']))).toEqual([
      '--location "" is not allowed: give a non-empty label.',
    ]);
  });

  it('sends the authenticated read unless PROBE_DATAPLANE_AUTH or the flag turns it off', () => {
    expect(readAppSettings({ PROBE_SUBSCRIPTIONS: SUB }).dataplaneAuth).toBe(true);
    expect(readAppSettings({ PROBE_SUBSCRIPTIONS: SUB, PROBE_DATAPLANE_AUTH: 'off' }).dataplaneAuth).toBe(false);
    const check = (args: string[]): boolean | undefined => {
      const p = parseCommand(['check', '--subscription', SUB, ...args]);
      return p.kind === 'check' ? p.options.dataplaneAuth : undefined;
    };
    expect(check([])).toBe(true);
    expect(check(['--dataplane-auth'])).toBe(true);
    expect(check(['--no-dataplane-auth'])).toBe(false);
    expect(
      problems(() => parseCommand(['check', '--subscription', SUB, '--dataplane-auth', '--no-dataplane-auth'])),
    ).toEqual(['--dataplane-auth and --no-dataplane-auth contradict each other: give one.']);
  });

  it('derives the run deadline from the schedule when it is not set: 80% of the interval, at most 240 s', () => {
    const deadline = (schedule: string): number =>
      readAppSettings({ PROBE_SUBSCRIPTIONS: SUB, PROBE_SCHEDULE: schedule }).deadlineMs;
    expect(deadline('0 */1 * * * *')).toBe(48_000);
    expect(deadline('0 */2 * * * *')).toBe(96_000);
    expect(deadline('0 */5 * * * *')).toBe(240_000);
    expect(deadline('0 */30 * * * *')).toBe(240_000);
    expect(deadline('0 0 * * * *')).toBe(240_000);
    expect(deadline('0 15 2 * * *')).toBe(240_000);
    expect(
      readAppSettings({ PROBE_SUBSCRIPTIONS: SUB, PROBE_SCHEDULE: '0 */1 * * * *', PROBE_RUN_DEADLINE_MS: '50000' })
        .deadlineMs,
    ).toBe(50_000);
  });

  it('takes clouds and their suffixes', () => {
    expect(readAppSettings({ PROBE_SUBSCRIPTIONS: SUB, PROBE_CLOUD: 'AzureUSGovernment' }).cloud).toMatchObject({
      vaultSuffix: 'vault.usgovcloudapi.net',
      privatelinkZone: 'privatelink.vaultcore.usgovcloudapi.net',
      armEndpoint: 'https://management.usgovcloudapi.net',
    });
    expect(readAppSettings({ PROBE_SUBSCRIPTIONS: SUB, PROBE_CLOUD: 'AzureChinaCloud' }).cloud.privatelinkZone).toBe(
      'privatelink.vaultcore.azure.cn',
    );
  });

  const bad: [string, Record<string, string>, string][] = [
    [
      'cloud',
      { PROBE_SUBSCRIPTIONS: SUB, PROBE_CLOUD: 'Azure' },
      'PROBE_CLOUD "Azure" is not allowed: use one of AzureCloud, AzureUSGovernment, AzureChinaCloud.',
    ],
    [
      'timeout',
      { PROBE_SUBSCRIPTIONS: SUB, PROBE_TIMEOUT_MS: '5s' },
      'PROBE_TIMEOUT_MS "5s" is not allowed: use a whole number from 100 to 120000.',
    ],
    [
      'schedule',
      { PROBE_SUBSCRIPTIONS: SUB, PROBE_SCHEDULE: '*/5 * * * *' },
      'PROBE_SCHEDULE "*/5 * * * *" is not an NCRONTAB expression: use six fields "{second} {minute} {hour} {day} {month} {day-of-week}", e.g. "0 */5 * * * *".',
    ],
    [
      'subscription',
      { PROBE_SUBSCRIPTIONS: 'prod' },
      'PROBE_SUBSCRIPTIONS entry "prod" is not a subscription ID: expected a GUID such as 00000000-0000-0000-0000-000000000000.',
    ],
    [
      'vault name',
      { PROBE_SUBSCRIPTIONS: SUB, PROBE_VAULTS: 'kv_1' },
      'PROBE_VAULTS entry "kv_1" is not a valid Key Vault name: it may contain only letters, digits and hyphens (3-24 letters, digits and hyphens, starting with a letter, ending with a letter or digit, no "--").',
    ],
    [
      'names without subscriptions',
      { PROBE_VAULTS: 'kv1' },
      'PROBE_VAULTS names vaults by name (kv1) but PROBE_SUBSCRIPTIONS is empty: give the subscriptions to search, or use resource IDs.',
    ],
    [
      'dns server',
      { PROBE_SUBSCRIPTIONS: SUB, PROBE_DNS_SERVERS: '10.0.0.4:99999' },
      'PROBE_DNS_SERVERS entry "10.0.0.4:99999" has port 99999: allowed 1-65535.',
    ],
    [
      'arm over http',
      { PROBE_SUBSCRIPTIONS: SUB, PROBE_ARM_ENDPOINT: 'http://127.0.0.1:8443' },
      'PROBE_ARM_ENDPOINT "http://127.0.0.1:8443" is not allowed: ARM must be reached over https:// (bearer tokens are never sent over http).',
    ],
    [
      'connection string',
      { PROBE_SUBSCRIPTIONS: SUB, APPLICATIONINSIGHTS_CONNECTION_STRING: 'IngestionEndpoint=https://x/' },
      'APPLICATIONINSIGHTS_CONNECTION_STRING has no valid InstrumentationKey=<GUID>: copy the connection string from the Application Insights resource.',
    ],
    [
      'connect-to rule',
      { PROBE_SUBSCRIPTIONS: SUB, PROBE_CONNECT_TO: '10.0.0.4:443:127.0.0.1' },
      'PROBE_CONNECT_TO entry "10.0.0.4:443:127.0.0.1" is not HOST1:PORT1:HOST2:PORT2.',
    ],
    [
      'data-plane auth switch',
      { PROBE_SUBSCRIPTIONS: SUB, PROBE_DATAPLANE_AUTH: 'yes' },
      'PROBE_DATAPLANE_AUTH "yes" is not allowed: use on or off.',
    ],
    [
      'refresh runs',
      { PROBE_SUBSCRIPTIONS: SUB, PROBE_FINDING_REFRESH_RUNS: '0' },
      'PROBE_FINDING_REFRESH_RUNS "0" is not allowed: use a whole number from 1 to 1000.',
    ],
    [
      'vnet id',
      { PROBE_SUBSCRIPTIONS: SUB, PROBE_VNET_ID: 'hub-vnet' },
      'PROBE_VNET_ID "hub-vnet" is not a virtual network or subnet resource ID (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<name>[/subnets/<subnet>]).',
    ],
  ];
  it.each(bad)('refuses a bad %s with its exact reason', (_n, env, text) => {
    expect(problems(() => readAppSettings(env))).toEqual([text]);
  });

  it('reports every problem at once', () => {
    expect(problems(() => readAppSettings({ PROBE_CLOUD: 'x', PROBE_TIMEOUT_MS: '0' }))).toHaveLength(3);
  });

  it('lets the HTTP trigger start without a scope', () => {
    expect(readAppSettings({}, { requireScope: false }).subscriptions).toEqual([]);
    expect(problems(() => readAppSettings({}))).toEqual([
      'PROBE_SUBSCRIPTIONS and PROBE_VAULTS are both empty: set PROBE_SUBSCRIPTIONS to probe every vault with a private endpoint there, or PROBE_VAULTS to name vaults.',
    ]);
  });
});

describe('kvprobe check flags', () => {
  const ok = (args: string[]) => {
    const r = parseCommand(['check', ...args]);
    if (r.kind !== 'check') throw new Error('expected check');
    return r.options;
  };

  it('parses a full command line', () => {
    const o = ok([
      '--vault',
      'kv1',
      '--vault',
      `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv2`,
      '--subscription',
      SUB,
      '--site',
      'lab',
      '--cloud',
      'AzureChinaCloud',
      '--arm-endpoint',
      'https://127.0.0.1:8443/',
      '--dns-server',
      '127.0.0.1:5353',
      '--connect-to',
      'kv1.vault.azure.net:443:127.0.0.1:9443',
      '--no-dataplane',
      '--timeout',
      '800',
      '--output',
      'json',
    ]);
    expect(o.targets).toEqual([
      { kind: 'name', name: 'kv1' },
      {
        kind: 'id',
        id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv2`,
        subscriptionId: SUB,
        resourceGroup: 'rg',
        name: 'kv2',
      },
    ]);
    expect(o.cloud).toMatchObject({
      name: 'AzureChinaCloud',
      armEndpoint: 'https://127.0.0.1:8443',
      vaultSuffix: 'vault.azure.cn',
    });
    expect(o).toMatchObject({
      location: 'lab',
      dnsServers: ['127.0.0.1:5353'],
      dataplane: false,
      timeoutMs: 800,
      output: 'json',
    });
    expect(o.connectTo).toEqual([
      { fromHost: 'kv1.vault.azure.net', fromPort: 443, toHost: '127.0.0.1', toPort: 9443 },
    ]);
  });

  const bad: [string[], string][] = [
    [['--vault', 'kv1'], "--vault kv1 is a name: give --subscription to search, or pass the vault's resource ID."],
    [
      ['--vault', '1kv', '--subscription', SUB],
      '--vault "1kv" is not a valid Key Vault name: it must start with a letter (3-24 letters, digits and hyphens, starting with a letter, ending with a letter or digit, no "--").',
    ],
    [
      ['--vault', 'kv', '--subscription', SUB],
      '--vault "kv" is not a valid Key Vault name: it must be 3-24 characters long (got 2) (3-24 letters, digits and hyphens, starting with a letter, ending with a letter or digit, no "--").',
    ],
    [
      ['--vault', 'kv1-', '--subscription', SUB],
      '--vault "kv1-" is not a valid Key Vault name: it must end with a letter or digit (3-24 letters, digits and hyphens, starting with a letter, ending with a letter or digit, no "--").',
    ],
    [
      ['--vault', 'evil.example.com', '--subscription', SUB],
      '--vault "evil.example.com" is not a valid Key Vault name: it may contain only letters, digits and hyphens (3-24 letters, digits and hyphens, starting with a letter, ending with a letter or digit, no "--").',
    ],
    [
      ['--vault', '/subscriptions/x/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1'],
      '--vault "/subscriptions/x/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1" has subscription "x", which is not a GUID.',
    ],
    [
      ['--vault', `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sa1`],
      `--vault "/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sa1" is not a Key Vault resource ID (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.KeyVault/vaults/<name>).`,
    ],
    [['--subscription', SUB, '--output', 'yaml'], '--output "yaml" is not allowed: use one of table, json, html.'],
    [['--subscription', SUB, '--connect-to', 'a:443:b'], '--connect-to "a:443:b" is not HOST1:PORT1:HOST2:PORT2.'],
    [
      ['--subscription', SUB, '--dns-server', 'dns.example.com'],
      '--dns-server "dns.example.com" is not a DNS server address: use IP, IP:PORT or [IPv6]:PORT.',
    ],
    [['--subscription', SUB, '--bogus'], 'Unknown option "--bogus".'],
    [['--subscription', SUB, '--timeout'], 'Option "--timeout" needs a value.'],
  ];
  it.each(bad)('refuses %j', (args, text) => {
    expect(problems(() => parseCommand(['check', ...args]))).toEqual([text]);
  });

  it('refuses unknown commands', () => {
    expect(problems(() => parseCommand(['scan']))).toEqual([
      'Unknown command "scan": use one of check, map, explain, version, help.',
    ]);
  });

  it('documents every flag in --help', () => {
    const r = parseCommand(['check', '--help']);
    if (r.kind !== 'help') throw new Error('expected help');
    for (const flag of [
      '--vault',
      '--subscription',
      '--site',
      '--cloud',
      '--arm-endpoint',
      '--dns-server',
      '--connect-to',
      '--no-dataplane',
      '--timeout',
      '--output',
      '--concurrency',
    ]) {
      expect(r.text).toContain(flag);
    }
  });
});

it('VERSION matches package.json', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  expect(VERSION).toBe((require('../../package.json') as { version: string }).version);
});

describe('vaults given as host names or URLs', () => {
  const target = (value: string) => {
    const r = parseCommand(['check', '--subscription', SUB, '--vault', value]);
    if (r.kind !== 'check') throw new Error('expected check');
    return r.options.targets[0];
  };
  it.each([
    ['kv1.vault.azure.net', { kind: 'name', name: 'kv1' }],
    ['https://KV1.vault.azure.net/', { kind: 'name', name: 'kv1' }],
    ['kv1.vault.usgovcloudapi.net', { kind: 'name', name: 'kv1' }],
    [
      'kv1.privatelink.vaultcore.azure.net',
      { kind: 'name', name: 'kv1', configuredAs: 'kv1.privatelink.vaultcore.azure.net' },
    ],
    ['hsm1.managedhsm.azure.net', { kind: 'name', name: 'hsm1' }],
  ])('%s', (value, want) => expect(target(value)).toEqual(want));

  it('refuses a host of another domain as a name, before any request', () => {
    expect(problems(() => parseCommand(['check', '--subscription', SUB, '--vault', 'kv1.vault.evil.io']))).toEqual([
      '--vault "kv1.vault.evil.io" is not a valid Key Vault name: it may contain only letters, digits and hyphens (3-24 letters, digits and hyphens, starting with a letter, ending with a letter or digit, no "--").',
    ]);
  });

  it('takes --vnet and refuses what is not a VNet ID', () => {
    const vnet = `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/spoke`;
    const r = parseCommand(['check', '--subscription', SUB, '--vnet', vnet]);
    expect(r.kind === 'check' && r.options.vnetId).toBe(vnet);
    // issue 20: a subnet ID names the probe's subnet; the request carries the VNet and the subnet.
    const subnet = `${vnet}/subnets/apps`;
    const s = parseCommand(['check', '--subscription', SUB, '--vnet', subnet]);
    expect(s.kind === 'check' && siteIds(s.options.vnetId)).toEqual({ vnetId: vnet, subnetId: subnet });
    expect(siteIds(vnet)).toEqual({ vnetId: vnet });
    expect(problems(() => parseCommand(['check', '--subscription', SUB, '--vnet', `${vnet}/subnets`]))).toHaveLength(1);
    expect(problems(() => parseCommand(['check', '--subscription', SUB, '--vnet', 'spoke']))).toEqual([
      '--vnet "spoke" is not a virtual network or subnet resource ID (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<name>[/subnets/<subnet>]).',
    ]);
  });
});

describe('hostile flag values (issue 11): each refused with exit 2 before anything is sent', () => {
  const SUB11 = '11111111-1111-1111-1111-111111111111';
  const refused = (argv: string[]): string[] => {
    try {
      parseCommand(['check', '--subscription', SUB11, ...argv]);
    } catch (error) {
      if (error instanceof ConfigError) return [...error.problems];
      throw error;
    }
    return [];
  };

  it.each([['[::::]'], ['::::'], ['[1.2.3.4]'], ['[fe80::1]:0'], ['10.0.0.1:99999']])('--dns-server %s', (value) => {
    expect(refused(['--dns-server', value])).toHaveLength(1);
  });

  it.each([['::1'], ['fd00::53'], ['[fd00::53]:53'], ['[::1]'], ['10.0.0.1:53']])(
    '--dns-server %s is accepted',
    (value) => {
      expect(refused(['--dns-server', value])).toEqual([]);
    },
  );

  it.each([['kv1.vault.azure.net:443:evil host:443'], ['a:443:b/c:443'], ['a b:443:127.0.0.1:443']])(
    '--connect-to %s',
    (value) => {
      expect(refused(['--connect-to', value])[0]).toMatch(/is not an IP address or a DNS name/);
    },
  );

  it('--arm-endpoint with user information is refused without echoing the password', () => {
    const p = refused(['--arm-endpoint', 'https://user:hunter2@management.azure.com/']);
    expect(p).toHaveLength(1);
    expect(p[0]).toContain('https://***@management.azure.com');
    expect(p[0]).not.toContain('hunter2');
  });

  it.each([
    [
      '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/../../../../providers/Microsoft.Authorization/roleAssignments',
    ],
    ['/subscriptions/s/resourceGroups/../providers/Microsoft.Network/virtualNetworks/v'],
    ['/subscriptions/s/resourceGroups//providers/Microsoft.Network/virtualNetworks/v'],
    ['/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v?api-version=1'],
    ['/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/%2e%2e'],
  ])('--vnet %s', (value) => {
    expect(refused(['--vnet', value])).toHaveLength(1);
  });

  it('PROBE_ARM_ENDPOINT with user information and a bad authentication string: no secret in the problems', () => {
    let problems: string[] = [];
    try {
      readAppSettings({
        PROBE_SUBSCRIPTIONS: SUB11,
        PROBE_ARM_ENDPOINT: 'https://u:pw-secret@arm.example/',
        APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=Key;Secret=auth-secret',
      });
    } catch (error) {
      if (error instanceof ConfigError) problems = [...error.problems];
    }
    expect(problems).toHaveLength(2);
    expect(problems.join(' ')).not.toMatch(/pw-secret|auth-secret/);
  });
});

/**
 * Each setting type beside its invalid examples and their exact problems, as blackbox_exporter pairs every
 * testdata/invalid-*.yml with its error. `L` stands for the label the reader passes (the app setting or the flag).
 */
const INVALID: readonly [string, types.Parser<unknown>, string, string][] = [
  ['int', types.int({ min: 1, max: 9 }), '10', 'L "10" is not allowed: use a whole number from 1 to 9.'],
  ['int', types.int({ min: 1, max: 9 }), '5s', 'L "5s" is not allowed: use a whole number from 1 to 9.'],
  ['int', types.int({ min: 100, max: 120_000 }), '0', 'L "0" is not allowed: use a whole number from 100 to 120000.'],
  ['oneOf', types.oneOf(['a', 'b']), 'c', 'L "c" is not allowed: use one of a, b.'],
  [
    'oneOf',
    types.oneOf(['auto', 'on', 'off'], 'auto, on or off'),
    'yes',
    'L "yes" is not allowed: use auto, on or off.',
  ],
  ['onOff', types.onOff, 'yes', 'L "yes" is not allowed: use on or off.'],
  [
    'subscription',
    types.subscription,
    'prod',
    'L "prod" is not a subscription ID: expected a GUID such as 00000000-0000-0000-0000-000000000000.',
  ],
  [
    'vaultTarget',
    types.vaultTarget,
    'kv_1',
    'L "kv_1" is not a valid Key Vault name: it may contain only letters, digits and hyphens (3-24 letters, digits and hyphens, starting with a letter, ending with a letter or digit, no "--").',
  ],
  [
    'vaultTarget',
    types.vaultTarget,
    '/subscriptions/x/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1',
    'L "/subscriptions/x/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1" has subscription "x", which is not a GUID.',
  ],
  [
    'managementGroup',
    types.managementGroup,
    'mg.',
    'L "mg." is not a management group ID: 1-90 letters, digits, -, _, ( ) and periods.',
  ],
  [
    'vnetId',
    types.vnetId,
    'hub-vnet',
    'L "hub-vnet" is not a virtual network or subnet resource ID (/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<name>[/subnets/<subnet>]).',
  ],
  ['dnsServer', types.dnsServer, '10.0.0.4:0', 'L "10.0.0.4:0" has port 0: allowed 1-65535.'],
  [
    'dnsServer',
    types.dnsServer,
    'dns.example.com',
    'L "dns.example.com" is not a DNS server address: use IP, IP:PORT or [IPv6]:PORT.',
  ],
  ['connectTo', types.connectTo, 'a:443:b', 'L "a:443:b" is not HOST1:PORT1:HOST2:PORT2.'],
  [
    'cloud',
    types.cloud,
    'Azure',
    'L "Azure" is not allowed: use one of AzureCloud, AzureUSGovernment, AzureChinaCloud.',
  ],
  ['armEndpoint', types.armEndpoint, 'management', 'L "management" is not a URL: use https://host[:port].'],
  [
    'armEndpoint',
    types.armEndpoint,
    'https://127.0.0.1:8443/x',
    'L "https://127.0.0.1:8443/x" is not allowed: give the endpoint root only, https://host[:port].',
  ],
  [
    'armEndpoint',
    types.armEndpoint,
    'https://u:pw@arm.example/',
    'L has user information before "@" (https://***@arm.example): credentials are never taken from the URL; the probe authenticates with its identity.',
  ],
  [
    'schedule',
    types.schedule('0 */5 * * * *'),
    '*/5 * * * *',
    'L "*/5 * * * *" is not an NCRONTAB expression: use six fields "{second} {minute} {hour} {day} {month} {day-of-week}", e.g. "0 */5 * * * *".',
  ],
  [
    'startOffset',
    types.startOffset,
    '3600',
    'L "3600" is not allowed: use auto (from the site name), off, or whole seconds from 0 to 3599.',
  ],
  [
    'connectionString',
    types.connectionString,
    'IngestionEndpoint=https://x/',
    'L has no valid InstrumentationKey=<GUID>: copy the connection string from the Application Insights resource.',
  ],
  [
    'authenticationString',
    types.authenticationString,
    'Authorization=Key',
    'L is not allowed as set (value not shown): use "Authorization=AAD" or "Authorization=AAD;ClientId=<managed identity client id>".',
  ],
  ['label', types.label, '', 'L "" is not allowed: give a non-empty label.'],
  [
    'vaultName',
    types.vaultName,
    'kv--1',
    'L "kv--1" is not a valid Key Vault name: it must not contain consecutive hyphens (3-24 letters, digits and hyphens, starting with a letter, ending with a letter or digit, no "--").',
  ],
  [
    'oneOf',
    types.oneOf(['private', 'all'], 'private or all'),
    'spoke',
    'L "spoke" is not allowed: use private or all.',
  ],
  [
    'findingCodeName',
    types.findingCodeName,
    'DNS_WRONG',
    'L "DNS_WRONG" is not a finding code: run "kvprobe explain" for the list.',
  ],
];

describe('the site scope settings (issue 23)', () => {
  it('default to private with no named vault; all stays available; names are kept lower-cased', () => {
    expect(readAppSettings({ PROBE_SUBSCRIPTIONS: SUB })).toMatchObject({ siteScope: 'private', siteVaults: [] });
    expect(
      readAppSettings({ PROBE_SUBSCRIPTIONS: SUB, PROBE_SITE_SCOPE: 'all', PROBE_SITE_VAULTS: 'KV-Pay, kv-orders' }),
    ).toMatchObject({ siteScope: 'all', siteVaults: ['kv-pay', 'kv-orders'] });
  });

  it('refuse a wrong value naming the setting, the value and what is allowed', () => {
    expect(problems(() => readAppSettings({ PROBE_SUBSCRIPTIONS: SUB, PROBE_SITE_SCOPE: 'reachable' }))).toContain(
      'PROBE_SITE_SCOPE "reachable" is not allowed: use private or all.',
    );
    expect(problems(() => readAppSettings({ PROBE_SUBSCRIPTIONS: SUB, PROBE_SITE_VAULTS: 'kv-pay,kv_1' }))).toContain(
      'PROBE_SITE_VAULTS entry "kv_1" is not a valid Key Vault name: it may contain only letters, digits and hyphens (3-24 letters, digits and hyphens, starting with a letter, ending with a letter or digit, no "--").',
    );
  });
});

describe('the settings table', () => {
  it.each(INVALID)('%s refuses %j with its exact problem', (_type, parse, value, problem) => {
    expect(parse(value, 'L')).toEqual({ problem });
  });

  const rows = Object.entries(SETTINGS);
  /** The first invalid example this row's parser refuses, with the problem worded for `label`. */
  const refused = (parse: types.Parser<unknown>, label: string): { value: string; problem: string } | undefined => {
    for (const [, , value] of INVALID) {
      const r = parse(value, label);
      if ('problem' in r && value.trim() !== '') return { value, problem: r.problem };
    }
    return undefined;
  };

  it("reads every app setting through its row: an invalid value is refused with its parser's problem", () => {
    const unchecked: string[] = [];
    for (const [, row] of rows) {
      if (row.env === undefined) continue;
      const bad = refused(row.parse, row.list ? `${row.env} entry` : row.env);
      if (!bad) {
        unchecked.push(row.env);
        continue;
      }
      expect(problems(() => readAppSettings({ PROBE_SUBSCRIPTIONS: SUB, [row.env as string]: bad.value }))).toContain(
        bad.problem,
      );
    }
    // A free label: every non-empty value is one, and an empty app setting is unset.
    expect(unchecked).toEqual(['PROBE_SITE']);
  });

  it("parses every value flag through its row: an invalid value is refused with its parser's problem", () => {
    const checked: string[] = [];
    for (const [, row] of rows) {
      for (const flag of row.flags ?? []) {
        if (flag.name === '' || flag.switchValue !== undefined) continue;
        const bad =
          flag.name === 'site'
            ? { value: '', problem: '--site "" is not allowed: give a non-empty label.' }
            : refused(row.parse, `--${flag.name}`);
        if (!bad) throw new Error(`no invalid example for --${flag.name}`);
        expect(problems(() => parseCommand(['check', '--subscription', SUB, `--${flag.name}`, bad.value]))).toContain(
          bad.problem,
        );
        checked.push(flag.name);
      }
    }
    expect(checked).toEqual([
      'vault',
      'subscription',
      'site',
      'cloud',
      'arm-endpoint',
      'vnet',
      'management-group',
      'inventory',
      'dns-server',
      'connect-to',
      'timeout',
      'concurrency',
      'deadline',
      'output',
      'status',
      'code',
    ]);
  });

  it('gives every app setting its README cells and every flag its --help text', () => {
    for (const [key, row] of rows) {
      if (row.env !== undefined) expect([key, row.readme?.allowed ?? '']).not.toEqual([key, '']);
      for (const flag of row.flags ?? []) expect([key, flag.help.length]).not.toEqual([key, 0]);
      expect([key, row.env !== undefined || (row.flags ?? []).length > 0]).toEqual([key, true]);
    }
  });

  it("is the README's Configuration table, row for row", () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    const section = /^## Configuration\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? '';
    expect(
      section
        .split('\n')
        .filter((line) => line.startsWith('|'))
        .join('\n'),
    ).toBe(settingsMarkdown());
  });
});
