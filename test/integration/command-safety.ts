import type { VaultResult } from '../../src/probe/report';
import type { Scenario, ScenarioVault } from '../lab/scenario';

/**
 * The command safety rules, checked over every command of every scenario's output (issue 19):
 * - no command removes an address, or deletes an endpoint, of an approved or pending endpoint of the vault;
 * - no command approves or rejects a connection whose endpoint the probe could not read or that is another tenant's;
 * - every resource ID, name, host and address in a command is single-quoted (the same in bash and PowerShell);
 * - a `confirm` command only reads, a `fix` command changes something, and no fix undoes another of its list.
 * Each rule returns the violations it finds, as sentences; an empty list is a pass.
 */

/** Flags whose value names something: an ID, a name, a host, an address. */
const NAME_FLAGS = new Set([
  '--ids',
  '--vault-name',
  '--resource-group',
  '-g',
  '--name',
  '-n',
  '-z',
  '--subscription',
  '-v',
  '--endpoint-name',
  '--ruleset-name',
  '--private-dns-zone',
  '--private-connection-resource-id',
  '--vnet-name',
  '--connection-name',
  '-a',
  '--resource',
  '--domain-name',
  '--subnet',
  '--target-dns-servers',
  '--proxy',
  '--resolve',
  '-servername',
  '-connect',
]);

/** The command without its quoted parts: what a shell would see as bare words. */
const bare = (command: string): string => command.replace(/'[^']*'/g, "''").replace(/"[^"]*"/g, '""');

/** Unquoted IDs, hosts, addresses and unquoted values of naming flags. */
export function unquoted(command: string): string[] {
  const words = bare(command).split(/\s+/);
  const out: string[] = [];
  words.forEach((w, i) => {
    const next = words[i + 1];
    if (NAME_FLAGS.has(w) && next !== undefined && !next.startsWith("'")) out.push(`${w} ${next}`);
    if (/\/subscriptions\//i.test(w)) out.push(w);
    else if (/^[a-z0-9-]+\.(vault|managedhsm|privatelink)\./i.test(w)) out.push(w);
    else if (/^\d{1,3}(\.\d{1,3}){3}$/.test(w)) out.push(w);
  });
  return out;
}

/** The verb of an az command (`show`, `remove-record`), or the program of another. */
function verb(command: string): string {
  const words = command.split(/\s+/);
  if (words[0] !== 'az') return words[0] === 'sudo' ? (words[1] ?? '') : (words[0] ?? '');
  return words.slice(1).find((w, i, all) => all[i + 1]?.startsWith('-') ?? true) ?? '';
}

const READS = new Set(['show', 'list', 'get-access-token', 'nslookup', 'getent', 'grep', 'curl', 'openssl', 'env']);
const CHANGES = new Set([
  'create',
  'delete',
  'approve',
  'reject',
  'add-record',
  'remove-record',
  'update',
  'set',
  'sed',
  // `az login`: signs this machine in (CREDENTIAL_UNAVAILABLE); it changes the credential the probe runs with.
  'login',
]);

/** A confirm that changes something, or a fix that only reads. */
export function misfiled(fix: readonly string[], confirm: readonly string[]): string[] {
  return [
    ...confirm.filter((c) => !READS.has(verb(c))).map((c) => `confirm "${c}" is not a read`),
    ...fix.filter((c) => !CHANGES.has(verb(c))).map((c) => `fix "${c}" changes nothing`),
    ...fix.flatMap((c) => {
      const undo = c.replace(' remove-record ', ' add-record ');
      return undo !== c && fix.includes(undo) ? [`fix "${c}" undoes "${undo}"`] : [];
    }),
  ];
}

const arg = (command: string, flag: string): string | undefined =>
  new RegExp(`(?:^|\\s)${flag} '([^']*)'`).exec(command)?.[1];

/** The vault's endpoints whose connection is approved or pending on the vault side: what must not be removed. */
function liveEndpoints(v: ScenarioVault): { name: string; ips: string[] }[] {
  return (v.endpoints ?? [])
    .filter((e) => (e.status ?? 'Approved') === 'Approved' || e.status === 'Pending')
    .map((e) => ({ name: e.name, ips: [e.ip, ...(e.ipv6 ? [e.ipv6] : [])] }));
}

/** Endpoints the probe cannot read: another tenant's or service's (ARM answers 401/403 there), or deleted. */
function unreadableEndpoints(scenario: Scenario, v: ScenarioVault): string[] {
  const denied = (sub: string | undefined): boolean =>
    sub !== undefined &&
    ((scenario.faults?.arm ?? []).some(
      (f) => f.kind === 'status' && (f.status === 401 || f.status === 403) && f.path.includes(sub),
    ) ||
      (scenario.unreadableSubscriptions ?? []).includes(sub));
  return (v.endpoints ?? []).filter((e) => e.deleted || denied(e.subscription)).map((e) => e.name);
}

/** Commands that remove a live endpoint's address or delete a live endpoint, or approve/reject an unreadable one. */
export function harmful(scenario: Scenario, v: ScenarioVault, commands: readonly string[]): string[] {
  const live = liveEndpoints(v);
  const unreadable = unreadableEndpoints(scenario, v);
  return commands.flatMap((c) => {
    const out: string[] = [];
    const address = / remove-record /.test(c) ? arg(c, '-a') : undefined;
    const owner = live.find((e) => address !== undefined && e.ips.includes(address));
    if (owner) out.push(`"${c}" removes ${address}, the address of ${owner.name} (approved or pending)`);
    const deleted = / private-endpoint delete /.test(c) ? (arg(c, '--ids') ?? '') : '';
    const gone = live.find((e) => deleted.endsWith(`/privateEndpoints/${e.name}`));
    if (gone) out.push(`"${c}" deletes ${gone.name}, an approved or pending endpoint`);
    if (/ private-endpoint-connection (approve|reject) /.test(c)) {
      const name = arg(c, '--name') ?? '';
      const stranger = unreadable.find((e) => name.startsWith(`${e}.`));
      if (stranger) out.push(`"${c}" approves or rejects the connection of ${stranger}, which the probe cannot read`);
    }
    return out;
  });
}

/** Every violation of the rules in one vault's result: its findings' and its diagnoses' commands. */
export function commandViolations(scenario: Scenario, r: VaultResult): string[] {
  const v = scenario.vaults.find((x) => x.name === r.vault);
  const lists = [...r.findings, ...r.diagnoses].map((x) => ({ fix: x.fix, confirm: x.confirm }));
  const all = lists.flatMap((l) => [...l.fix, ...l.confirm]);
  return [
    ...all.flatMap((c) => unquoted(c).map((u) => `"${c}": ${u} is not quoted`)),
    ...lists.flatMap((l) => misfiled(l.fix, l.confirm)),
    ...(v ? harmful(scenario, v, all) : []),
  ].map((m) => `${scenario.name}/${r.vault}: ${m}`);
}
