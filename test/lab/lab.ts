import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppInvocation } from './app-process';
import { ArmEmulator } from './arm-emulator';
import { ManagedIdentityEndpoint, newPrincipal, TokenAuthority, type LabPrincipal } from './identity';
import role from '../../infra/roles/probe-reader-actions.json';
import { DataplaneEmulator } from './dataplane-emulator';
import { DnsServer } from './dns-server';
import { AZURE_DNS } from '../../src/probe/clouds';
import { IngestionSink } from './ingestion-sink';
import { LabProxy } from './proxy';
import { compileScenario, type CompiledScenario, type Scenario } from './scenario';
import { createLabPki, trustLabCa, type LabPki } from './tls';

/**
 * namespace: inside a network namespace the lab created: the endpoint IPs are on its loopback, its own
 * /etc/resolv.conf, /etc/hosts and nsswitch.conf are bind-mounted, so the probe's real OS resolver and real
 * connections to private IPs are exercised. loopback: no namespace; DNS via --dns-server and connections via
 * --connect-to onto 127.0.0.1 (the OS resolver cannot be pointed at the lab there).
 */
export type LabMode = 'namespace' | 'loopback';

/** The actions of the probe's custom role (infra/roles/probe-reader-actions.json), as the lab grants them. */
export const PROBE_ROLE_ACTIONS: readonly string[] = role.actions;

/** What a started lab is made of (Lab.start builds it). */
export interface LabParts {
  readonly scenario: Scenario;
  readonly compiled: CompiledScenario;
  readonly mode: LabMode;
  readonly pki: LabPki;
  readonly arm: ArmEmulator;
  readonly identity: ManagedIdentityEndpoint;
  readonly dns: DnsServer;
  readonly dataplane: DataplaneEmulator;
  readonly sink: IngestionSink;
  /** Directory of the lab's files (PKI, resolver files), removed by stop(). */
  readonly scratch: string;
  readonly customDns: readonly DnsServer[];
  readonly proxy: LabProxy | undefined;
  /** The app's user-assigned managed identity (AZURE_CLIENT_ID), which the timer and HTTP trigger run as. */
  readonly probeIdentity: LabPrincipal;
  /** The developer running the CLI with a token from `az account get-access-token` (KVPROBE_ACCESS_TOKEN). */
  readonly developer: LabPrincipal;
  /** The developer's ARM token: one the lab's authority minted, so ARM accepts it. */
  readonly developerToken: string;
  /**
   * A fresh instrumentation key per lab: the SDK keeps undelivered batches on disk per key and replays them in the
   * next process, which must not leak one scenario's telemetry into another's sink.
   */
  readonly iKey: string;
}

/** A base class whose instances carry `parts` as their own read-only fields: the fields are declared once, in T. */
function withParts<T extends object>(): new (parts: T) => Readonly<T> {
  return class {
    constructor(parts: T) {
      Object.assign(this, parts);
    }
  } as new (parts: T) => Readonly<T>;
}

/** The emulators of one scenario, started and wired: the fields of LabParts, and what the lab does with them. */
export class Lab extends withParts<LabParts>() {
  private constructor(parts: LabParts) {
    super(parts);
  }

  /** The proxy variables of the scenario: the lab's own ARM and ingestion (127.0.0.1) are exempt, the vaults not. */
  proxyEnv(): Record<string, string> {
    return this.proxy ? { HTTPS_PROXY: this.proxy.url, NO_PROXY: '127.0.0.1,localhost' } : {};
  }

  /** --inventory / PROBE_INVENTORY for the entry points; undefined leaves the default (auto). */
  inventory: string | undefined;

  /** In namespace mode the caller must already run inside a namespace made by `unshare -rnm` (run.ts's runInNamespace). */
  static async start(scenario: Scenario, mode: LabMode): Promise<Lab> {
    const compiled = compileScenario(scenario);
    const scratch = mkdtempSync(join(tmpdir(), 'kvprobe-lab-'));
    if (mode === 'namespace') configureNamespace(compiled, scenario, scratch);
    const pki = createLabPki(join(scratch, 'pki'));
    trustLabCa(pki.caPem);
    // The VNet's custom DNS servers: on their own addresses in a namespace, on loopback ports otherwise (and the
    // VNet then names those, so nothing ever asks a non-loopback address outside a namespace).
    const customDnsServers = await Promise.all(
      compiled.customDnsServers.map((c) =>
        DnsServer.start(
          mode === 'namespace'
            ? { host: c.address, port: 53, records: { ...c.records } }
            : { records: { ...c.records } },
        ),
      ),
    );
    // issue 25: the estate's VM DNS servers, on their own addresses; outside a namespace they are not served (and the
    // app is not told to ask them, see appSettings), so nothing asks a non-loopback address.
    const estateDns =
      mode === 'namespace'
        ? await Promise.all(
            compiled.estateDnsServers.map((c) =>
              DnsServer.start({ host: c.address, port: 53, records: { ...c.records } }),
            ),
          )
        : [];
    if (compiled.azureDnsRecords && mode !== 'namespace')
      throw new Error(`scenario ${scenario.name} puts Azure DNS at its real address: it runs in namespace mode only`);
    const azureDns = compiled.azureDnsRecords
      ? await DnsServer.start({ host: AZURE_DNS, port: 53, records: { ...compiled.azureDnsRecords } })
      : undefined;
    // One Entra tenant for the lab: the identity endpoint issues tokens, ARM and ingestion accept only those.
    const authority = new TokenAuthority();
    const probeIdentity = newPrincipal('lab probe identity (user-assigned)');
    const developer = newPrincipal('lab developer (az login)');
    const arm = await startArm({
      pki,
      authority,
      scenario,
      compiled,
      mode,
      principals: [probeIdentity, developer],
      vnetDnsServers: customDnsServers.map((d) => d.address()),
    });
    const identity = await ManagedIdentityEndpoint.start({ authority, userAssigned: [probeIdentity] });
    identity.refuse = [...(scenario.identity?.refuse ?? [])];
    const dns = await DnsServer.start({
      port: mode === 'namespace' ? 53 : 0,
      records: { ...compiled.dns },
      ...(scenario.dnsLatencyMs ? { latencyMs: scenario.dnsLatencyMs } : {}),
    });
    const dataplane = await DataplaneEmulator.start({
      pki,
      vaults: [...compiled.dataplaneVaults],
      endpoints: compiled.dataplaneEndpoints.map((e) =>
        mode === 'namespace'
          ? { ...e, listenHost: e.represents, listenPort: 443 }
          : { ...e, listenHost: '127.0.0.1', listenPort: 0 },
      ),
    });
    const proxy = scenario.proxy
      ? await LabProxy.start({
          pki,
          mode: scenario.proxy.mode,
          // An inspection CA of its own that nothing trusts: the probe must refuse it and send nothing.
          ...(scenario.proxy.mode === 'inspect-untrusted'
            ? { untrustedPki: createLabPki(join(scratch, 'untrusted-pki'), { organisation: 'Contoso TLS Inspection' }) }
            : {}),
          dnsServer: dns.address(),
          connectTarget: (address) =>
            mode === 'namespace'
              ? { host: address, port: 443 }
              : compiled.dataplaneEndpoints.some((e) => e.represents === address)
                ? dataplane.listenerFor(address)
                : { host: '127.0.0.1', port: 9 },
          ...(mode === 'namespace' ? { host: scenario.proxy.address, port: scenario.proxy.port ?? 3128 } : {}),
        })
      : undefined;
    const iKey = randomUUID();
    const sink = await IngestionSink.start({ pki, iKey, entra: { authority, publishers: [probeIdentity] } });
    if (scenario.faults?.ingestion)
      sink.failNext(scenario.faults.ingestion.failPosts, scenario.faults.ingestion.status);
    if (scenario.faults?.ingestionOutage) sink.outageSequence(scenario.faults.ingestionOutage);
    const customDns = [...customDnsServers, ...estateDns, ...(azureDns ? [azureDns] : [])];
    const developerToken = arm.staticToken(developer);
    return new Lab({
      scenario,
      compiled,
      mode,
      pki,
      arm,
      identity,
      dns,
      dataplane,
      sink,
      scratch,
      customDns,
      proxy,
      probeIdentity,
      developer,
      developerToken,
      iKey,
    });
  }

  /** Flags that point the CLI at the lab, as a user would at Azure. */
  cliArgs(): string[] {
    const s = this.scenario;
    const args = ['check', '--arm-endpoint', this.arm.url, '--site', 'lab', '--output', 'json'];
    for (const sub of this.compiled.subscriptions) args.push('--subscription', sub);
    for (const v of s.targets ?? []) args.push('--vault', v);
    if (s.timeoutMs) args.push('--timeout', String(s.timeoutMs));
    if (s.deadlineMs) args.push('--deadline', String(s.deadlineMs));
    if (this.compiled.siteId) args.push('--vnet', this.compiled.siteId);
    if (s.azureDns) args.push('--azure-dns');
    if (this.mode === 'loopback') {
      args.push('--dns-server', this.dns.address());
      for (const rule of this.connectToRules()) args.push('--connect-to', rule);
    }
    return args;
  }

  /** Loopback mode: each lab address onto its listener on 127.0.0.1. */
  connectToRules(): string[] {
    return this.compiled.addresses.map((address) => {
      const served = this.compiled.dataplaneEndpoints.some((e) => e.represents === address);
      // An address nothing serves is pointed at a port nothing listens on, so it refuses as it would in a VNet.
      const target = served ? this.dataplane.listenerFor(address) : { host: '127.0.0.1', port: 9 };
      return `${address}:443:${target.host}:${target.port}`;
    });
  }

  /** Loopback mode: what the getaddrinfo stand-in (loopback-getaddrinfo.ts) answers from. */
  loopbackResolverEnv(): Record<string, string> {
    const hosts: Record<string, string[]> = {};
    for (const [address, names] of Object.entries(this.scenario.hosts ?? {})) {
      for (const n of names) (hosts[n.toLowerCase()] ??= []).push(address);
    }
    return { KVPROBE_LAB_HOSTS: JSON.stringify(hosts), KVPROBE_LAB_DNS: this.dns.address() };
  }

  /** What the app's process (app-process.ts) needs of the lab that no app setting carries: its CA, loopback names. */
  appHarness(): Pick<AppInvocation, 'caCertPath' | 'loopback'> {
    const r = this.loopbackResolverEnv();
    return {
      caCertPath: this.pki.caCertPath,
      ...(this.mode === 'loopback'
        ? { loopback: { hosts: r['KVPROBE_LAB_HOSTS'] ?? '{}', dns: r['KVPROBE_LAB_DNS'] ?? '' } }
        : {}),
    };
  }

  /**
   * Environment of the CLI process: what node needs from the outer environment (INHERITED_ENV) and nothing else of
   * it, the lab CA, the developer's ARM token, the scenario's proxy variables, and the lab's managed identity endpoint
   * with the probe's identity, from which DefaultAzureCredential gets the data-plane token (as on a VM with one).
   */
  cliEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    return {
      ...scrubbedEnv(base),
      NODE_EXTRA_CA_CERTS: this.pki.caCertPath,
      KVPROBE_ACCESS_TOKEN: this.developerToken,
      ...this.identity.env(),
      AZURE_CLIENT_ID: this.probeIdentity.clientId,
      APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
      ...(this.mode === 'loopback'
        ? { ...this.loopbackResolverEnv(), NODE_OPTIONS: `--require ${join(__dirname, 'loopback-getaddrinfo.js')}` }
        : {}),
      ...this.proxyEnv(),
      ...(this.scenario.env ?? {}),
    };
  }

  /** App settings of the Functions app, with a managed identity (the lab's token endpoint) instead of a token. */
  appSettings(): Record<string, string> {
    const s = this.scenario;
    return {
      PROBE_SITE: 'lab',
      PROBE_SUBSCRIPTIONS: this.compiled.subscriptions.join(','),
      PROBE_VAULTS: (s.targets ?? []).join(','),
      PROBE_ARM_ENDPOINT: this.arm.url,
      PROBE_TIMEOUT_MS: String(s.timeoutMs ?? 5000),
      ...(s.deadlineMs ? { PROBE_RUN_DEADLINE_MS: String(s.deadlineMs) } : {}),
      ...(this.compiled.siteId ? { PROBE_VNET_ID: this.compiled.siteId } : {}),
      PROBE_AZURE_DNS: s.azureDns ? 'on' : 'off',
      PROBE_SCHEDULE: '0 */5 * * * *',
      // The catalog's scenarios are about what a site reports for each vault they declare, including those it does not
      // reach privately (unreachable by design, another spoke's endpoint, a missing peering), and the harness holds
      // the timer's results to the CLI's, which probes what it is asked. The default, private, is tested over a
      // scenario of its own (test/integration/site-scope.test.ts); a scenario may set it in its `env`.
      PROBE_SITE_SCOPE: 'all',
      ...(this.mode === 'loopback'
        ? { PROBE_DNS_SERVERS: this.dns.address(), PROBE_CONNECT_TO: this.connectToRules().join(',') }
        : {}),
      APPLICATIONINSIGHTS_CONNECTION_STRING: this.scenario.faults?.ingestionDown
        ? 'InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=https://127.0.0.1:9/'
        : this.sink.connectionString(this.iKey),
      IDENTITY_ENDPOINT: this.identity.url,
      IDENTITY_HEADER: this.identity.header,
      // As infra/app/probe-site.bicep configures the app: its user-assigned identity, Entra-only ingestion.
      AZURE_CLIENT_ID: this.probeIdentity.clientId,
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: `ClientId=${this.probeIdentity.clientId};Authorization=AAD`,
      APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
      APPLICATIONINSIGHTS_STATSBEAT_DISABLED_ALL: 'true',
      ...this.proxyEnv(),
      // issue 25: the estate pass asks the VNets' VM DNS servers it reaches, which the lab serves in a namespace only.
      ...(this.mode === 'namespace' && this.compiled.estateDnsServers.length > 0
        ? { PROBE_ESTATE_QUERY_DNS: 'on' }
        : {}),
      ...(this.scenario.env ?? {}),
    };
  }

  async stop(): Promise<void> {
    await Promise.allSettled([
      this.arm.stop(),
      this.identity.stop(),
      this.dns.stop(),
      this.dataplane.stop(),
      this.sink.stop(),
      ...this.customDns.map((d) => d.stop()),
      ...(this.proxy ? [this.proxy.stop()] : []),
    ]);
    rmSync(this.scratch, { recursive: true, force: true });
  }
}

/** What startArm needs: the scenario and where the lab's parts are. */
interface ArmSetup {
  readonly pki: LabPki;
  readonly authority: TokenAuthority;
  readonly scenario: Scenario;
  readonly compiled: CompiledScenario;
  readonly mode: LabMode;
  /** Who gets the probe's role at each readable subscription in scope. */
  readonly principals: readonly LabPrincipal[];
  /** In loopback mode the probe's VNet names these (the custom DNS servers on loopback ports). */
  readonly vnetDnsServers: readonly string[];
}

/** The ARM emulator of a scenario: its subscriptions, role assignments, resources and faults. */
async function startArm({
  pki,
  authority,
  scenario,
  compiled,
  mode,
  principals,
  vnetDnsServers,
}: ArmSetup): Promise<ArmEmulator> {
  // Small pages everywhere, so every scenario exercises nextLink and $skipToken paging.
  const arm = await ArmEmulator.start({ pki, pageSize: 2, authority, resourceGraph: { pageSize: 10 } });
  for (const sub of compiled.subscriptions) arm.addSubscription(sub);
  // The role assignments infra/ makes: the custom role at each subscription in scope, for both principals.
  const unreadable = new Set((scenario.unreadableSubscriptions ?? []).map((s) => s.toLowerCase()));
  for (const sub of compiled.subscriptions) {
    if (unreadable.has(sub.toLowerCase())) continue;
    for (const p of principals) arm.grant(p, `/subscriptions/${sub}`, PROBE_ROLE_ACTIONS);
  }
  for (const r of compiled.resources) {
    if (mode === 'loopback' && r.id === compiled.vnetId) {
      const props = (r['properties'] ?? {}) as Record<string, unknown>;
      arm.put({ ...r, properties: { ...props, dhcpOptions: { dnsServers: [...vnetDnsServers] } } });
    } else arm.put(r);
  }
  for (const f of scenario.faults?.arm ?? []) {
    const re = new RegExp(f.path, 'i');
    arm.addFault({
      match: (req) => re.test(decodeURIComponent(req.path)),
      kind: f.kind,
      ...(f.status !== undefined ? { status: f.status } : {}),
      ...(f.retryAfterSeconds !== undefined ? { retryAfterSeconds: f.retryAfterSeconds } : {}),
      ...(f.ms !== undefined ? { ms: f.ms } : {}),
      ...(f.times !== undefined ? { times: f.times } : {}),
      ...(f.perPrincipal ? { perPrincipal: true } : {}),
    });
  }
  return arm;
}

/**
 * The only variables a lab process (the CLI, the Functions app) takes from the environment of whoever started the
 * tests: what node and the OS need to run. A developer's exported KVPROBE_ACCESS_TOKEN, AZURE_* or proxy variables
 * never reach the probe.
 */
export const INHERITED_ENV: readonly string[] = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'LC_ALL', 'TZ', 'SYSTEMROOT'];

export function scrubbedEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of INHERITED_ENV) {
    const v = env[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** Brings up loopback with every lab address and mounts the scenario's resolver files over the system's. */
function configureNamespace(compiled: CompiledScenario, scenario: Scenario, scratch: string): void {
  execFileSync('ip', ['link', 'set', 'lo', 'up']);
  for (const address of compiled.addresses) {
    execFileSync('ip', ['addr', 'add', `${address}/${address.includes(':') ? 128 : 32}`, 'dev', 'lo']);
  }
  const hostsLines = ['127.0.0.1 localhost', '::1 localhost ip6-localhost'];
  for (const [address, names] of Object.entries(scenario.hosts ?? {})) hostsLines.push(`${address} ${names.join(' ')}`);
  const files: [string, string][] = [
    // One quick attempt: a silent DNS server must not keep getaddrinfo busy for the default 10 seconds.
    ['/etc/resolv.conf', resolvConf(scenario)],
    ['/etc/hosts', hostsLines.join('\n') + '\n'],
    // Only files and DNS: no nss-resolve or mDNS plug-in can carry a query out of the namespace.
    ['/etc/nsswitch.conf', 'hosts: files dns\n'],
  ];
  for (const [target, content] of files) {
    const file = join(scratch, target.split('/').pop() ?? 'file');
    writeFileSync(file, content);
    execFileSync('mount', ['--bind', file, target]);
  }
}

/** issue 10: the namespace's resolv.conf, with the scenario's search domains and ndots when it has them. */
function resolvConf(scenario: Scenario): string {
  const r = scenario.resolvConf;
  const search = r?.search && r.search.length > 0 ? `search ${r.search.join(' ')}\n` : '';
  const ndots = r?.ndots !== undefined ? ` ndots:${r.ndots}` : '';
  return `nameserver 127.0.0.1\n${search}options timeout:1 attempts:1${ndots}\n`;
}

/** True when this process runs in a namespace made for the lab. */
export function inLabNamespace(): boolean {
  return process.env['KVPROBE_LAB_NS'] === '1';
}

/** Whether `unshare -rnm` works here (Linux with unprivileged user namespaces). */
export function namespacesAvailable(): boolean {
  try {
    execFileSync('unshare', ['-rnm', 'true'], { stdio: 'ignore' });
    execFileSync('ip', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
