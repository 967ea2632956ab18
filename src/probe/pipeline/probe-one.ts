import { compare } from '../checks';
import { authenticatedReadPath, dataplaneAudience, privatelinkZoneOf } from '../clouds';
import { since } from '../concurrency';
import type { AzureDnsGate } from '../azure-dns-gate';
import { commands } from '../commands';
import { expectationView, siteExpectation } from '../expectation';
import { finding } from '../findings';
import {
  addressesHash,
  expectedAddresses,
  reportFinding,
  resolvedAddresses,
  resolvedView,
  vaultStatus,
  type VaultResult,
} from '../report';
import type { ExpectedState, ObservedState } from '../types';
import { readAddressOwners, readDnsState, resolutionDrifted } from './dns-state';
import { checkVaultValues, readExpected, readZoneGroups } from './expected';
import { identify } from './identify';
import { observe } from './observe';
import type { BudgetedReader } from './reader';
import type { Discovered, ProbeDeps, ProbeRequest } from './types';

/** False when an endpoint or NIC read failed for a reason other than its absence (a 404 is itself a fact). */
export function isComplete(expected: ExpectedState): boolean {
  // A foreign endpoint's read is denied by design; the vault's readable endpoints decide its status.
  return expected.endpoints.every((e) => e.foreign !== undefined || e.errors.every((x) => x.statusCode === 404));
}

/** Probes one discovered item to exactly one result; never throws. */
export async function probeOne(
  item: Discovered,
  req: ProbeRequest,
  deps: ProbeDeps,
  reader: BudgetedReader,
  signal: AbortSignal,
  gate?: AzureDnsGate,
): Promise<VaultResult> {
  const stage = { name: 'expected' };
  try {
    return await probeStages(item, req, deps, reader, signal, stage, gate);
  } catch (error) {
    return stepFailedResult(item, stage.name, error);
  }
}

/** The result of a vault whose stages threw: unknown, with what happened. Other vaults are not affected. */
export function stepFailedResult(item: Discovered, stage: string, error: unknown): VaultResult {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const { vaultId } = identify(item);
  return {
    ...emptyResult(item),
    status: 'unknown',
    findings: [
      reportFinding(
        finding(
          'PROBE_STEP_FAILED',
          `The probe failed in its ${stage} stage for this vault (${message}); this vault's result is unknown, the other vaults were probed.`,
          { stage, error: message },
          // What the probe read is what to attach to a report: the vault's ARM JSON, or the scope's subscriptions.
          {
            resourceId: vaultId ?? undefined,
            command: vaultId ? commands.showVault(vaultId) : 'az account list --query "[].{id:id, state:state}"',
          },
        ),
      ),
    ],
  };
}

/** The result of an item before any stage ran. */
export function emptyResult(item: Discovered): VaultResult {
  const { name, vaultId, scope, host, vault } = identify(item);
  return {
    vault: name,
    vaultId,
    scope,
    host,
    status: 'unknown',
    publicNetworkAccess: typeof vault?.publicNetworkAccess === 'string' ? vault.publicNetworkAccess : null,
    expectation: null,
    expected: [],
    resolved: resolvedView(undefined),
    dataplane: [],
    addressesHash: null,
    findings: [],
    timings: {},
  };
}

async function probeStages(
  item: Discovered,
  req: ProbeRequest,
  deps: ProbeDeps,
  reader: BudgetedReader,
  signal: AbortSignal,
  stage: { name: string },
  gate: AzureDnsGate | undefined,
): Promise<VaultResult> {
  const t0 = performance.now();
  const timings: Record<string, number> = {};
  let expected: ExpectedState | undefined;
  const id = identify(item);
  if (id.vault) {
    const t = performance.now();
    checkVaultValues(id.vault);
    expected = await readExpected(id.vault, reader, req.subscriptions);
    if (deps.zoneGroupPolicy !== 'on-drift') expected = await readZoneGroups(expected, reader);
    expected = await readDnsState(expected, privatelinkZoneOf(id.vault, req.cloud), req, reader);
    timings['expectedMs'] = since(t);
  }
  const { host } = id;
  let observed: ObservedState | undefined;
  const site = expected ? siteExpectation(expected, req.vnetId) : undefined;
  if (host) {
    stage.name = 'observe';
    const t = performance.now();
    // Unreachable by design: the data plane would only confirm the refusal the expectation already states.
    const dataplane = req.dataplane && !(site?.kind === 'unreachable' && !site.assumed);
    const azureDns =
      gate && expected ? gate.ask(expected, req.vnetId, privatelinkZoneOf(expected.vault, req.cloud)) : req.azureDns;
    const kind = id.vault ?? {};
    const auth =
      req.dataplaneAuth && deps.dataplaneTokens
        ? {
            tokens: deps.dataplaneTokens,
            audience: dataplaneAudience(kind, req.cloud),
            path: authenticatedReadPath(kind),
          }
        : undefined;
    observed = await observe(
      host,
      deps.observer,
      { dataplane, timeoutMs: req.timeoutMs, customDnsServers: expected?.probeVnet?.dnsServers ?? [], azureDns, auth },
      signal,
    );
    gate?.record(observed);
    timings['observedMs'] = since(t);
    if (expected && deps.zoneGroupPolicy === 'on-drift' && resolutionDrifted(expected, observed, req.vnetId)) {
      // At scale, zone groups are read only where resolution drifted: one read per endpoint per run would undo
      // what batching saves. Zones named only by those groups are read then.
      expected = await readZoneGroups(expected, reader);
      expected = await readDnsState(expected, privatelinkZoneOf(expected.vault, req.cloud), req, reader);
    }
    stage.name = 'expected';
    if (expected) expected = await readAddressOwners(expected, observed, req, reader);
    timings['osResolveMs'] = observed.dns.os.durationMs;
    timings['dnsResolveMs'] = observed.dns.dns.durationMs;
  }
  stage.name = 'compare';
  const t = performance.now();
  const { configuredAs } = id;
  const findings = [
    ...id.findings,
    ...(observed
      ? compare({
          cloud: req.cloud,
          expected,
          observed,
          ...(configuredAs ? { configuredAs } : {}),
          ...(req.vnetId ? { vnetId: req.vnetId } : {}),
        })
      : []),
  ];
  timings['compareMs'] = since(t);
  timings['totalMs'] = since(t0);
  stage.name = 'report';
  return {
    vault: id.name,
    vaultId: id.vaultId,
    scope: id.scope,
    host,
    status: vaultStatus(expected !== undefined && isComplete(expected), findings),
    publicNetworkAccess: expected?.vault.publicNetworkAccess ?? null,
    expectation: expected ? expectationView(siteExpectation(expected, req.vnetId)) : null,
    expected: expectedAddresses(expected),
    resolved: resolvedView(observed),
    dataplane: observed?.dataplane ?? [],
    addressesHash: observed ? addressesHash(resolvedAddresses(observed.dns)) : null,
    findings: findings.map(reportFinding),
    timings,
  };
}
