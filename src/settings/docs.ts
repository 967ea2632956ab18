import type { Setting } from './setting';
import { SETTINGS } from './table';

const ROWS: readonly Setting<unknown>[] = Object.values(SETTINGS);
const USAGE_WIDTH = 30;

/** The --help lines of one section of `kvprobe check`: usage in a column, text beside it or below when too wide. */
export function flagHelp(section: NonNullable<Setting<unknown>['section']>): string {
  const lines: string[] = [];
  for (const s of ROWS.filter((r) => r.section === section)) {
    for (const f of s.flags ?? []) {
      const [first = '', ...rest] = f.help;
      if (f.usage.length < USAGE_WIDTH) lines.push(`  ${f.usage.padEnd(USAGE_WIDTH)}${first}`);
      else lines.push(`  ${f.usage}`, `  ${' '.repeat(USAGE_WIDTH)}${first}`);
      for (const line of rest) lines.push(`  ${' '.repeat(USAGE_WIDTH)}${line}`);
    }
  }
  return lines.join('\n');
}

/** Read by others than the settings reader (libuv, the credential, the CLI); in the README table all the same. */
const OTHER_ENVIRONMENT: readonly { readonly env: string; readonly default: string; readonly allowed: string }[] = [
  {
    env: 'UV_THREADPOOL_SIZE',
    default: '`16` in `bin/kvprobe`; set it as an app setting for the Functions app',
    allowed:
      "libuv's thread pool; the probe keeps its own `getaddrinfo` calls below half of it, so a hung OS resolver cannot starve TLS and file work",
  },
  {
    env: 'KVPROBE_ACCESS_TOKEN',
    default: '(empty)',
    allowed:
      'CLI only: a static ARM bearer token, used until its `exp`; when empty, `DefaultAzureCredential` is used. The Functions app refuses it (no run, a heartbeat with `configError` naming it): in Azure the probe authenticates with its managed identity',
  },
  {
    env: 'KVPROBE_DATAPLANE_TOKEN',
    default: '(empty)',
    allowed:
      'CLI only: a static data-plane token for the authenticated read (`az account get-access-token --resource https://vault.azure.net`), sent only to the audience in its `aud` claim and only until its `exp`; when empty, `DefaultAzureCredential` is used. The Functions app refuses it like `KVPROBE_ACCESS_TOKEN`',
  },
  {
    env: 'AZURE_CLIENT_ID',
    default: '(empty)',
    allowed: 'the client ID of the user-assigned managed identity `DefaultAzureCredential` should use',
  },
  {
    env: 'AZURE_SUBSCRIPTION_ID',
    default: '(empty)',
    allowed: 'CLI only, when no scope flag is given: probe this subscription instead of every readable one',
  },
  { env: 'NO_COLOR', default: '(empty)', allowed: 'CLI only: any value turns off the colours of `kvprobe explain`' },
];

/** The README's Configuration table: every app setting, then what others read from the environment. */
export function settingsMarkdown(): string {
  const rows = [
    ...ROWS.flatMap((s) => (s.env !== undefined && s.readme ? [{ env: s.env, ...s.readme }] : [])),
    ...OTHER_ENVIRONMENT,
  ];
  return [
    '| setting | default | allowed values |',
    '| --- | --- | --- |',
    ...rows.map((r) => `| \`${r.env}\` | ${r.default} | ${r.allowed} |`),
  ].join('\n');
}
