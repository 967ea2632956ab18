import { parseArgs } from 'node:util';
import { ConfigError, parseSubscription, type ProbeSettings } from '../config';
import { AZURE_DNS, cloudProfile } from '../probe/clouds';
import type { FindingCode } from '../probe/findings';
import type { VaultStatus } from '../probe/types';
import { flagHelp } from '../settings/docs';
import { flagSource, need, parseArgsOptions } from '../settings/read';
import { SETTINGS, type OutputFormat } from '../settings/table';

export { OUTPUT_FORMATS, type OutputFormat } from '../settings/table';

/** The exit codes, the same for every command; README.md repeats them. */
export const EXIT_CODES_HELP = `Exit codes:
  0  every probed vault is healthy (explain, version, help: success)
  1  at least one vault is unhealthy
  2  usage or configuration error: nothing probed, no request sent (also: unknown finding code)
  3  no vault unhealthy, but some unknown (ARM unreadable, run deadline passed)
  4  internal error: a bug in kvprobe; the message and stack trace are on stderr
`;

export const CHECK_HELP = `Usage: kvprobe check [options]

Probes Azure Key Vaults from this machine: reads what ARM expects (vault, private endpoints, NICs),
observes what DNS and the data plane show from here, and reports why a client here would get
403 "This TCP connection does not allow access".

Scope:
${flagHelp('Scope')}

Network:
${flagHelp('Network')}

Output:
${flagHelp('Output')}

Credentials: KVPROBE_ACCESS_TOKEN (an ARM bearer token, e.g. from
  az account get-access-token --query accessToken -o tsv) when set; otherwise DefaultAzureCredential
  (AZURE_CLIENT_ID selects a user-assigned managed identity). The data-plane token comes from
  KVPROBE_DATAPLANE_TOKEN when set (az account get-access-token --resource https://vault.azure.net
  --query accessToken -o tsv); otherwise from DefaultAzureCredential.

${EXIT_CODES_HELP}`;

export const MAIN_HELP = `Usage: kvprobe <command> [options]

Commands:
  check            Probe vaults for the causes of Key Vault's 403 "This TCP connection does not allow access".
  map              Predict how every VNet in scope resolves every vault, from ARM alone, and rank the causes.
  explain [CODE]   Print the page of a finding code (kvprobe explain DNS_PUBLIC_IP); without CODE, list the codes.
  version          Print the version (also: kvprobe --version).
  help             Show this help.

Run "kvprobe check --help" for its options.

${EXIT_CODES_HELP}`;

export const MAP_HELP = `Usage: kvprobe map [options]

Maps the estate: reads every VNet, private DNS zone link, DNS forwarding ruleset, DNS Private Resolver
inbound endpoint, Azure Firewall and firewall policy in scope (one list per type and subscription), predicts
how each VNet resolves each vault, judges each (VNet, vault) pair as a probe there would, and ranks the
diagnoses by the pairs each breaks. --vnet names the VNet this machine runs in (coverage: observed);
with --query-dns, the DNS servers ARM cannot describe that it reaches are asked (coverage: queried).
Takes the options of "kvprobe check"; --output table (default), json or html (a matrix of VNets by vaults).

${EXIT_CODES_HELP}`;

export interface CheckOptions extends ProbeSettings {
  readonly dataplane: boolean;
  readonly output: OutputFormat;
  /** No progress line, even on a terminal. */
  readonly quiet: boolean;
  /** table: print the explained findings under each diagnosis. */
  readonly allFindings: boolean;
  /** map: ask the DNS servers ARM cannot describe that this machine reaches (--query-dns). */
  readonly queryDns: boolean;
  /** Show only vaults of these statuses (empty: all). */
  readonly statuses: readonly VaultStatus[];
  /** Show only vaults with findings of these codes, and the diagnoses holding them (empty: all). */
  readonly codes: readonly FindingCode[];
  /** No --vault, --subscription or --management-group: the scope comes from the identity (or AZURE_SUBSCRIPTION_ID). */
  readonly defaultScope: boolean;
}

/**
 * Without a scope, AZURE_SUBSCRIPTION_ID (as az and the Azure SDKs read it) narrows the run to that subscription;
 * returns the options unchanged otherwise. Throws ConfigError when it is set but not a GUID.
 */
export function scopeFromEnvironment(
  options: CheckOptions,
  env: Readonly<Record<string, string | undefined>>,
): CheckOptions & { readonly scopeFrom: 'flags' | 'AZURE_SUBSCRIPTION_ID' | 'identity' } {
  if (!options.defaultScope) return { ...options, scopeFrom: 'flags' };
  const value = env['AZURE_SUBSCRIPTION_ID']?.trim();
  if (!value) return { ...options, scopeFrom: 'identity' };
  const sub = parseSubscription(value, 'AZURE_SUBSCRIPTION_ID');
  if (typeof sub !== 'string')
    throw new ConfigError([`${sub.problem} Unset it to probe every subscription this identity can read.`]);
  return { ...options, subscriptions: [sub], defaultScope: false, scopeFrom: 'AZURE_SUBSCRIPTION_ID' };
}

/**
 * What the command line asks for. `usage` is help the user did not ask for (kvprobe alone): it goes to stderr
 * with exit code 2, as a wrong command would.
 */
export type ParsedCommand =
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'usage'; readonly text: string }
  | { readonly kind: 'version' }
  | { readonly kind: 'explain'; readonly code: string | undefined }
  | { readonly kind: 'check'; readonly options: CheckOptions }
  | { readonly kind: 'map'; readonly options: CheckOptions };

const COMMANDS = ['check', 'map', 'explain', 'version', 'help'];

/** Parses argv (without node and script); throws ConfigError naming every bad flag. */
export function parseCommand(argv: readonly string[]): ParsedCommand {
  const [command, ...rest] = argv;
  if (command === undefined) return { kind: 'usage', text: MAIN_HELP };
  if (command === '-h' || command === '--help' || command === 'help') return { kind: 'help', text: MAIN_HELP };
  if (command === '--version' || command === '-V' || command === 'version') {
    if (rest.length > 0) throw new ConfigError([`Unexpected argument "${rest[0]}": "${command}" takes none.`]);
    return { kind: 'version' };
  }
  if (command === 'explain') return parseExplain(rest);
  if (command !== 'check' && command !== 'map') {
    throw new ConfigError([
      command.startsWith('-')
        ? `Unknown option "${command}" before the command: put options after a command, e.g. "kvprobe check ${command}".`
        : `Unknown command "${command}": use one of ${COMMANDS.join(', ')}.`,
    ]);
  }
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(rest);
  } catch (error) {
    throw new ConfigError([flagError(error)]);
  }
  if (parsed.values['help'] === true) return { kind: 'help', text: command === 'map' ? MAP_HELP : CHECK_HELP };
  if (parsed.positionals.length > 0)
    throw new ConfigError([`Unexpected argument "${parsed.positionals[0]}": options start with --.`]);

  const src = flagSource(parsed.values);
  const subscriptions = src.list(SETTINGS.subscriptions);
  const targets = src.list(SETTINGS.targets);
  const managementGroups = src.list(SETTINGS.managementGroups);
  const names = targets.flatMap((t) => (t.kind === 'name' ? [t.name] : []));
  if (names.length > 0 && src.given(SETTINGS.subscriptions) === 0 && managementGroups.length === 0) {
    src.problem(
      `--vault ${names.join(', ')} is a name: give --subscription to search, or pass the vault's resource ID.`,
    );
  }
  // No scope at all: every readable subscription, or AZURE_SUBSCRIPTION_ID's (see scopeFromEnvironment).
  const defaultScope =
    src.given(SETTINGS.subscriptions) === 0 &&
    src.given(SETTINGS.targets) === 0 &&
    src.given(SETTINGS.managementGroups) === 0;
  const vnetId = src.one(SETTINGS.vnetId);
  const inventory = src.one(SETTINGS.inventory);
  const deadlineMs = src.one(SETTINGS.deadlineMs);
  const cloud = src.one(SETTINGS.cloud);
  const armEndpoint = src.one(SETTINGS.armEndpoint);
  const dnsServers = src.list(SETTINGS.dnsServers);
  const connectTo = src.list(SETTINGS.connectTo);
  const timeoutMs = src.one(SETTINGS.timeoutMs);
  const concurrency = src.one(SETTINGS.concurrency);
  const output = src.one(SETTINGS.output);
  const location = src.one(SETTINGS.location);
  const dataplaneAuth = src.one(SETTINGS.dataplaneAuth);
  const statuses = src.list(SETTINGS.statuses);
  const codes = src.list(SETTINGS.codes);
  src.done();

  return {
    kind: command,
    options: {
      targets,
      subscriptions,
      location: need(location),
      warnings: [...src.warnings],
      cloud: cloudProfile(need(cloud), armEndpoint),
      dnsServers,
      connectTo,
      dataplane: src.one(SETTINGS.dataplane) !== 'off',
      dataplaneAuth: dataplaneAuth !== 'off',
      timeoutMs: need(timeoutMs),
      concurrency: need(concurrency),
      deadlineMs: need(deadlineMs),
      inventory: need(inventory),
      managementGroups,
      vnetId,
      azureDns: src.one(SETTINGS.azureDns) === 'on' ? AZURE_DNS : undefined,
      output: need<OutputFormat>(output),
      quiet: src.one(SETTINGS.quiet) === 'on',
      queryDns: src.one(SETTINGS.estateQueryDns) === 'on',
      allFindings: src.one(SETTINGS.allFindings) === 'on',
      statuses,
      codes,
      defaultScope,
    },
  };
}

export const EXPLAIN_HELP = `Usage: kvprobe explain [CODE]

Prints the page of a finding code (what it means, how to confirm it by hand, how to fix it), from the
docs shipped with kvprobe. Without CODE, lists every code with its severity and one-line meaning.
Codes are case-insensitive: kvprobe explain dns_public_ip.
`;

function parseExplain(rest: readonly string[]): ParsedCommand {
  if (rest.includes('-h') || rest.includes('--help')) return { kind: 'help', text: EXPLAIN_HELP };
  const unknown = rest.find((a) => a.startsWith('-'));
  if (unknown) throw new ConfigError([`Unknown option "${unknown}": explain takes only a finding code.`]);
  if (rest.length > 1) throw new ConfigError([`Unexpected argument "${rest[1]}": explain takes one finding code.`]);
  return { kind: 'explain', code: rest[0] };
}

/** node:util's parse errors, reworded to name the flag and what to do. */
function flagError(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown };
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const flag = /'(-[^' ]*)/.exec(message)?.[1];
  if (e?.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `Unknown option "${flag ?? message}".`;
  if (e?.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return `Option "${flag ?? message}" needs a value.`;
  return message;
}

function parseFlags(args: string[]) {
  return parseArgs({ args, strict: true, allowPositionals: true, options: parseArgsOptions(SETTINGS) });
}
