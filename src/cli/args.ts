import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import {
  armEndpointProblem,
  cloudProblem,
  CONCURRENCY_RANGE,
  ConfigError,
  DEADLINE_RANGE,
  DEFAULTS,
  inventoryProblem,
  vnetIdProblem,
  managementGroupProblem,
  type InventorySetting,
  type ProbeSettings,
  dnsServerProblem,
  intProblem,
  parseSubscription,
  parseVaultTarget,
  TIMEOUT_RANGE,
} from '../config';
import { PER_VAULT_THRESHOLD } from '../engine';
import { AZURE_DNS, cloudProfile, CLOUD_NAMES, type CloudName, type CloudProfile } from '../probe/clouds';
import { parseConnectTo, type ConnectToRule } from '../probe/connect-to';
import type { VaultTarget } from '../probe/types';

export const CHECK_HELP = `Usage: kvprobe check [options]

Probes Azure Key Vaults from this machine: reads what ARM expects (vault, private endpoints, NICs),
observes what DNS and the data plane show from here, and reports why a client here would get
403 "This TCP connection does not allow access".

Scope:
  --vault <name|resourceId>     Vault to probe (repeatable). A name is looked up, case-insensitively,
                                in the --subscription(s); a resource ID is read directly.
  --subscription <id>           Subscription to search (repeatable). Without --vault, every vault that
                                has a private endpoint connection is probed; the others are skipped.
  --location <label>            Name of this probe site in reports (default: the host name).
  --cloud <name>                ${CLOUD_NAMES.join(' | ')} (default ${DEFAULTS.cloud}).
  --arm-endpoint <https-url>    ARM endpoint to use instead of the cloud's; its CA must be trusted
                                (NODE_EXTRA_CA_CERTS).
  --vnet <vnetResourceId>       The VNet this machine runs in: its DNS servers and peerings tell which
                                private DNS zones must be linked, and its custom DNS servers are asked too.
  --azure-dns                   Also ask Azure DNS (168.63.129.16) directly, and report where it answers
                                otherwise than this machine's resolver (for a VM in Azure).
  --management-group <id>       Probe every vault with a private endpoint in the management group
                                (repeatable; read through Azure Resource Graph).
  --inventory <kind>            How ARM is read: auto (default: per-vault for up to ${PER_VAULT_THRESHOLD} named vaults,
                                else batched), batched (one list per resource type and subscription),
                                per-vault (one read per vault, endpoint and NIC), resource-graph.

Network:
  --dns-server <ip[:port]>      DNS server the explicit resolver asks (repeatable; default: the
                                system's). The OS resolver (getaddrinfo, hosts file) is always asked too.
  --connect-to <h1:p1:h2:p2>    Like curl: connect to h2:p2 where h1:p1 was meant, keeping SNI and Host.
                                h1 is the vault hostname or a resolved address; empty matches any.
  --no-dataplane                Skip GET https://<vault>/healthstatus on each resolved address.
  --timeout <ms>                Timeout of each request: ARM page, DNS lookup, HTTPS (default ${DEFAULTS.timeoutMs}; ${TIMEOUT_RANGE.min}-${TIMEOUT_RANGE.max}).
  --concurrency <n>             Vaults probed at once (default ${DEFAULTS.concurrency}; ${CONCURRENCY_RANGE.min}-${CONCURRENCY_RANGE.max}).
  --deadline <ms>               Budget of the whole run; vaults not finished by then are reported
                                unknown (default ${DEFAULTS.deadlineMs}; ${DEADLINE_RANGE.min}-${DEADLINE_RANGE.max}).

Output:
  --output <table|json>         table (default) for people; json prints one document on stdout.
  -h, --help                    Show this help.

Credentials: KVPROBE_ACCESS_TOKEN (an ARM bearer token, e.g. from
  az account get-access-token --query accessToken -o tsv) when set; otherwise DefaultAzureCredential
  (AZURE_CLIENT_ID selects a user-assigned managed identity).

Exit codes: 0 all probed vaults healthy; 1 any unhealthy; 2 usage or configuration error (nothing
  probed, nothing sent); 3 none unhealthy but some unknown; 4 internal error, a bug in kvprobe (please
  report it; a failure in one vault is never a 4, it makes that vault unknown).
`;

export const MAIN_HELP = `Usage: kvprobe <command> [options]

Commands:
  check     Probe vaults for the causes of Key Vault's 403 "This TCP connection does not allow access".

Run "kvprobe check --help" for its options.
`;

export interface CheckOptions extends ProbeSettings {
  readonly dataplane: boolean;
  readonly output: 'table' | 'json';
}

export type ParsedCommand = { readonly kind: 'help'; readonly text: string } | { readonly kind: 'check'; readonly options: CheckOptions };

/** Parses argv (without node and script); throws ConfigError naming every bad flag. */
export function parseCommand(argv: readonly string[]): ParsedCommand {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') return { kind: 'help', text: MAIN_HELP };
  if (command !== 'check') throw new ConfigError([`Unknown command "${command}": the only command is "check".`]);
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(rest);
  } catch (error) {
    throw new ConfigError([flagError(error)]);
  }
  const v = parsed.values;
  if (v.help) return { kind: 'help', text: CHECK_HELP };
  if (parsed.positionals.length > 0) throw new ConfigError([`Unexpected argument "${parsed.positionals[0]}": options start with --.`]);

  const problems: string[] = [];
  const subscriptions: string[] = [];
  for (const s of v.subscription ?? []) {
    const r = parseSubscription(s, '--subscription');
    if (typeof r === 'string') subscriptions.push(r);
    else problems.push(r.problem);
  }
  const targets: VaultTarget[] = [];
  for (const s of v.vault ?? []) {
    const r = parseVaultTarget(s, '--vault');
    if (typeof r === 'string') problems.push(r);
    else targets.push(r);
  }
  const managementGroups = v['management-group'] ?? [];
  for (const m of managementGroups) {
    const p = managementGroupProblem(m, '--management-group');
    if (p) problems.push(p);
  }
  const names = targets.filter((t) => t.kind === 'name');
  if (names.length > 0 && (v.subscription ?? []).length === 0 && managementGroups.length === 0) {
    problems.push(`--vault ${names.map((t) => (t.kind === 'name' ? t.name : '')).join(', ')} is a name: give --subscription to search, or pass the vault's resource ID.`);
  }
  if (targets.length === 0 && (v.subscription ?? []).length === 0 && (v.vault ?? []).length === 0 && managementGroups.length === 0) {
    problems.push('Nothing to probe: give --vault <resourceId>, or --subscription <id> (with or without --vault <name>).');
  }
  const vnet = v.vnet;
  if (vnet !== undefined && vnetIdProblem(vnet, '--vnet')) problems.push(vnetIdProblem(vnet, '--vnet') ?? '');
  const inventory = v.inventory ?? DEFAULTS.inventory;
  const inventoryIssue = inventoryProblem(inventory, '--inventory');
  if (inventoryIssue) problems.push(inventoryIssue);
  const deadline = v.deadline ?? String(DEFAULTS.deadlineMs);
  const deadlineIssue = intProblem(deadline, '--deadline', DEADLINE_RANGE);
  if (deadlineIssue) problems.push(deadlineIssue);
  const cloud = v.cloud ?? DEFAULTS.cloud;
  const cloudIssue = cloudProblem(cloud, '--cloud');
  if (cloudIssue) problems.push(cloudIssue);
  const armIssue = v['arm-endpoint'] !== undefined ? armEndpointProblem(v['arm-endpoint'], '--arm-endpoint') : undefined;
  if (armIssue) problems.push(armIssue);
  for (const s of v['dns-server'] ?? []) {
    const p = dnsServerProblem(s, '--dns-server');
    if (p) problems.push(p);
  }
  const connectTo: ConnectToRule[] = [];
  for (const s of v['connect-to'] ?? []) {
    try {
      connectTo.push(parseConnectTo(s));
    } catch (error) {
      problems.push(`--connect-to ${error instanceof Error ? error.message : String(error)}.`);
    }
  }
  const timeout = v.timeout ?? String(DEFAULTS.timeoutMs);
  const timeoutIssue = intProblem(timeout, '--timeout', TIMEOUT_RANGE);
  if (timeoutIssue) problems.push(timeoutIssue);
  const concurrency = v.concurrency ?? String(DEFAULTS.concurrency);
  const concurrencyIssue = intProblem(concurrency, '--concurrency', CONCURRENCY_RANGE);
  if (concurrencyIssue) problems.push(concurrencyIssue);
  const output = v.output ?? 'table';
  if (output !== 'table' && output !== 'json') problems.push(`--output "${output}" is not allowed: use table or json.`);
  const location = v.location ?? hostname();
  if (!location.trim()) problems.push('--location "" is not allowed: give a non-empty label.');
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    kind: 'check',
    options: {
      targets,
      subscriptions,
      location,
      cloud: cloudProfile(cloud as CloudName, v['arm-endpoint']),
      dnsServers: v['dns-server'] ?? [],
      connectTo,
      dataplane: !v['no-dataplane'],
      timeoutMs: Number(timeout),
      concurrency: Number(concurrency),
      deadlineMs: Number(deadline),
      inventory: inventory as InventorySetting,
      managementGroups,
      vnetId: vnet,
      azureDns: v['azure-dns'] ? AZURE_DNS : undefined,
      output: output as 'table' | 'json',
    },
  };
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
  return parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      vault: { type: 'string', multiple: true },
      subscription: { type: 'string', multiple: true },
      location: { type: 'string' },
      cloud: { type: 'string' },
      'arm-endpoint': { type: 'string' },
      'dns-server': { type: 'string', multiple: true },
      'connect-to': { type: 'string', multiple: true },
      'no-dataplane': { type: 'boolean' },
      timeout: { type: 'string' },
      concurrency: { type: 'string' },
      deadline: { type: 'string' },
      inventory: { type: 'string' },
      'management-group': { type: 'string', multiple: true },
      vnet: { type: 'string' },
      'azure-dns': { type: 'boolean' },
      output: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
