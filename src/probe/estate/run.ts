import { privatelinkZoneOf } from '../clouds';
import { mapLimit } from '../concurrency';
import { hostLabel } from '../endpoints';
import { vnetOfSubnet } from '../expectation';
import type { Finding } from '../findings';
import type { Inventory } from '../inventory';
import { BudgetedReader, discover, inventoryBudget, readExpected, toReadError, type ProbeRequest } from '../pipeline';
import type { ArmReadError, Site } from '../types';
import { indexFacts, type EstateIndex, type NetworkReads } from './facts';
import { EstateDiagnoser } from './diagnose';
import { Expectations, judgePair, type EstateStatus, type EstateVault } from './judge';
import { answerFor, type Answer } from './answer';
import { AnswerLists, cnamePublished, predict, PUBLIC_ANSWER } from './predict';
import { EstateCollector, type DiagnosedPair, type EstateReport } from './report';
import { judgeQueried, ServerQueries, siteReachesServer, type EstateDns } from './query';

/** What the estate map reads through: the vaults through the run's inventory, the network through its bulk port. */
export interface EstateDeps {
  readonly inventory: Inventory;
  readonly network: NetworkReads;
  readonly bindRun?: (signal: AbortSignal) => void;
  /** The site's DNS observer: asks a VNet's DNS server directly, with `queryDns`. */
  readonly observer?: EstateDns;
}

export interface EstateOptions {
  /** VNets where a probe runs (the site's own, PROBE_VNET_ID): observed. */
  readonly observedVnets?: readonly string[];
  /** List healthy pairs too. */
  readonly all?: boolean;
  /**
   * PROBE_ESTATE_QUERY_DNS / --query-dns: ask the DNS servers ARM cannot describe (a VM, on-premises) that the site
   * (the first observed VNet) reaches; their VNets are then `queried` by this site (`queriedBy`: the location).
   */
  readonly queryDns?: boolean;
}

const plain = (status: EstateStatus): DiagnosedPair => ({ status, diagnoses: [] });
const PLAIN: Readonly<Record<EstateStatus, DiagnosedPair>> = {
  healthy: plain('healthy'),
  unhealthy: plain('unhealthy'),
  unknown: plain('unknown'),
  unreachable: plain('unreachable'),
};

/** The vault as the estate judges it, from its expected state. */
function estateVault(expected: EstateVault['expected'], req: ProbeRequest): EstateVault {
  const endpointVnets = expected.endpoints
    .filter((e) => e.foreign === undefined)
    .map((e) => vnetOfSubnet(e.endpoint?.subnetId));
  const ruleVnets = (expected.vault.networkAcls?.virtualNetworkRules ?? []).map((s) => vnetOfSubnet(s));
  const all = [...endpointVnets, ...ruleVnets];
  return {
    expected,
    label: hostLabel(expected.vault.host),
    zoneName: privatelinkZoneOf(expected.vault, req.cloud),
    vnets: all.every((v): v is string => v !== undefined) ? all : undefined,
    published: cnamePublished(expected.vault),
  };
}

/**
 * `kvprobe map` and the timer's estate pass: every VNet in scope judged like a site, against every vault in scope.
 * Reads are per run (the inventory's lists, the network's bulk lists); the prediction is per VNet and zone; each
 * (VNet, vault) pair is a lookup and a judgement shared by equivalent pairs. Never throws for a failed read: what it
 * would have said stays unknown, and the report lists it.
 */
export async function runMap(req: ProbeRequest, deps: EstateDeps, options: EstateOptions = {}): Promise<EstateReport> {
  const controller = new AbortController();
  const timer = req.deadlineMs ? setTimeout(() => controller.abort(), req.deadlineMs) : undefined;
  try {
    const signal = controller.signal;
    deps.bindRun?.(signal);
    const reader = new BudgetedReader(deps.inventory, signal, inventoryBudget(req.timeoutMs));
    const errors: ArmReadError[] = [];
    const discovery = await discover(req, reader);
    const subscriptions = discovery.subscriptions ?? req.subscriptions;
    for (const item of discovery.items)
      if (item.kind === 'unreadable')
        for (const f of item.findings) if (f.code === 'ARM_READ_FAILED') errors.push(readErrorOf(f, item.label));
    const found = discovery.items.flatMap((i) => (i.kind === 'vault' ? [i.vault] : []));
    const expected = await mapLimit(found, Math.max(1, req.concurrency), async (vault) => {
      try {
        return await readExpected(vault, reader, 'unless-listed');
      } catch (error) {
        errors.push(toReadError(error, 'read the expected state', vault.id));
        return undefined;
      }
    });
    const vaults = expected.flatMap((e) => (e ? [estateVault(e, req)] : []));
    const zoneNames = new Map<string, string>([[req.cloud.privatelinkZone, req.cloud.vaultSuffix]]);
    if (vaults.some((v) => v.expected.vault.kind === 'managedHsm'))
      zoneNames.set(`privatelink.${req.cloud.hsmSuffix}`, req.cloud.hsmSuffix);
    const facts = await deps.network.read(subscriptions, [...zoneNames.keys()], signal);
    errors.push(...facts.errors);
    const index = indexFacts(facts);
    const observed = new Set((options.observedVnets ?? []).map((v) => v.toLowerCase()));
    const collector = new EstateCollector(options.all === true);
    const expectations = new Expectations();
    const shared = new Map<string, Finding>();
    const diagnoser = new EstateDiagnoser();
    const names = vaults.map((v) => ({ name: v.expected.vault.name, id: v.expected.vault.id }));
    const answers = new AnswerLists();
    const asker = askingSite(options, deps, index, signal);
    for (const p of predict(index, zoneNames, observed)) {
      const site = index.siteOf(p.vnetId);
      if (asker && p.coverage === 'unknown' && p.server && siteReachesServer(asker.site, p.server)) {
        const server = p.server;
        const judged = await mapLimit(vaults, Math.max(1, req.concurrency), async (v, i): Promise<DiagnosedPair> => {
          const answer = await asker.queries.answer(server, v.expected.vault.host);
          const j = judgeQueried(v, site, expectations.of(v, i, site), answer);
          return j.findings.length === 0 ? PLAIN[j.status] : { status: j.status, diagnoses: diagnoser.of(j.findings) };
        });
        collector.add({ ...p, coverage: 'queried', queriedBy: req.location }, names, judged);
        continue;
      }
      const lists = new Map<string, (Answer | undefined)[]>();
      const judged = vaults.map((v, i): DiagnosedPair => {
        const resolution = p.zones.get(v.zoneName);
        if (!resolution) return PLAIN.unknown;
        const expectation = expectations.of(v, i, site);
        let list = lists.get(v.zoneName);
        if (!list) {
          list = answers.listFor(resolution);
          lists.set(v.zoneName, list);
        }
        const answer = v.published ? (list[i] ??= answerFor(resolution, v.label)) : PUBLIC_ANSWER;
        const j = judgePair(v, site, expectation, resolution, answer, index, shared);
        // The same diagnoses as a site's, from the judge's findings: one per object to fix. A pair without findings
        // shares its status's one object (millions of pairs).
        return j.findings.length === 0 ? PLAIN[j.status] : { status: j.status, diagnoses: diagnoser.of(j.findings) };
      });
      collector.add(p, names, judged);
    }
    return collector.report({ location: req.location, vaultNames: names.map((n) => n.name), errors });
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/** The site that asks DNS servers directly, where the option is on, the observer can, and the site's VNet is known. */
function askingSite(
  options: EstateOptions,
  deps: EstateDeps,
  index: EstateIndex,
  signal: AbortSignal,
): { site: Site; queries: ServerQueries } | undefined {
  const given = options.observedVnets?.[0];
  const vnetId = vnetOfSubnet(given) ?? given;
  const observer = deps.observer;
  if (!options.queryDns || !vnetId || !observer?.resolveVia) return undefined;
  const site = index.siteOf(vnetId);
  if (!site.vnet) return undefined;
  const resolveVia = observer.resolveVia.bind(observer);
  return { site, queries: new ServerQueries({ resolveVia }, signal) };
}

function readErrorOf(f: Finding, label: string): ArmReadError {
  const d = f.details as { operation?: string; statusCode?: number; code?: string };
  return {
    operation: d.operation ?? 'list',
    resourceId: f.resourceId ?? label,
    statusCode: d.statusCode,
    code: d.code,
    message: f.message,
  };
}
