import { checkInput, compare } from '../checks';
import { authenticatedReadPath, dataplaneAudience, privatelinkZoneOf } from '../clouds';
import type { AzureDnsGate } from '../azure-dns-gate';
import { commands } from '../commands';
import { expectationView, siteExpectation, type SiteExpectation } from '../expectation';
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
import type { ExpectedState, ObservedState, Site } from '../types';
import { readAddressOwners, readDnsState, resolutionDrifted } from './dns-state';
import { readConnectivity } from './connectivity';
import { readSite } from './site';
import { checkVaultValues, readExpected, readZoneGroups } from './expected';
import { identify } from './identify';
import { observe } from './observe';
import type { BudgetedReader } from './reader';
import { StageClock } from './timing';
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
  const clock = new StageClock();
  let expected: ExpectedState | undefined;
  let site: Site | undefined;
  const id = identify(item);
  const vault = id.vault;
  if (vault) {
    expected = await clock.time('expected', async () => {
      checkVaultValues(vault);
      let e = await readExpected(vault, reader, req.subscriptions);
      if (deps.zoneGroupPolicy !== 'on-drift') e = await readZoneGroups(e, reader);
      e = await readDnsState(e, privatelinkZoneOf(vault, req.cloud), req, reader);
      site = await readConnectivity(await readSite(req, reader), e, req, reader);
      return e;
    });
  }
  const { host } = id;
  let observed: ObservedState | undefined;
  // Once per vault and site: the observation, the checks and the report all use this one.
  const expectation: SiteExpectation | undefined = expected ? siteExpectation(expected, site) : undefined;
  if (host) {
    stage.name = 'observe';
    observed = await clock.time('observed', async () => {
      // Unreachable by design: the data plane would only confirm the refusal the expectation already states.
      const dataplane = req.dataplane && !(expectation?.kind === 'unreachable' && !expectation.assumed);
      const azureDns =
        gate && expected ? gate.ask(expected, site, privatelinkZoneOf(expected.vault, req.cloud)) : req.azureDns;
      const kind = id.vault ?? {};
      const auth =
        req.dataplaneAuth && deps.dataplaneTokens
          ? {
              tokens: deps.dataplaneTokens,
              audience: dataplaneAudience(kind, req.cloud),
              path: authenticatedReadPath(kind),
            }
          : undefined;
      const o = await observe(
        host,
        deps.observer,
        {
          dataplane,
          timeoutMs: req.timeoutMs,
          customDnsServers: (expected && site?.vnet?.dnsServers) ?? [],
          azureDns,
          auth,
        },
        signal,
      );
      gate?.record(o);
      return o;
    });
    if (
      expected &&
      expectation &&
      deps.zoneGroupPolicy === 'on-drift' &&
      resolutionDrifted(expectation, observed, site)
    ) {
      // At scale, zone groups are read only where resolution drifted: one read per endpoint per run would undo
      // what batching saves. Zones named only by those groups are read then.
      expected = await readZoneGroups(expected, reader);
      expected = await readDnsState(expected, privatelinkZoneOf(expected.vault, req.cloud), req, reader);
    }
    stage.name = 'expected';
    if (expected) expected = await readAddressOwners(expected, site, observed, req, reader);
    clock.record('osResolveMs', observed.dns.os.durationMs);
    clock.record('dnsResolveMs', observed.dns.dns.durationMs);
  }
  stage.name = 'compare';
  const { configuredAs } = id;
  const findings = clock.timeSync('compare', () => [
    ...id.findings,
    ...(observed
      ? compare(
          checkInput({
            cloud: req.cloud,
            expected,
            observed,
            ...(configuredAs ? { configuredAs } : {}),
            ...(site ? { site } : {}),
            ...(expectation ? { expectation } : {}),
          }),
        )
      : []),
  ]);
  clock.stop('total');
  stage.name = 'report';
  return {
    vault: id.name,
    vaultId: id.vaultId,
    scope: id.scope,
    host,
    status: vaultStatus(expected !== undefined && isComplete(expected), findings),
    publicNetworkAccess: expected?.vault.publicNetworkAccess ?? null,
    expectation: expectation ? expectationView(expectation) : null,
    expected: expectedAddresses(expected),
    resolved: resolvedView(observed),
    dataplane: observed?.dataplane ?? [],
    addressesHash: observed ? addressesHash(resolvedAddresses(observed.dns)) : null,
    findings: findings.map(reportFinding),
    timings: clock.timings(),
  };
}
