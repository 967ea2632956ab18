import { checkInput, compare } from '../checks';
import { authenticatedReadPath, dataplaneAudience, privatelinkZoneOf } from '../clouds';
import type { AzureDnsGate } from '../azure-dns-gate';
import { commands } from '../commands';
import { hostLabel } from '../endpoints';
import { expectationView, siteExpectation, type SiteExpectation } from '../expectation';
import { finding } from '../findings';
import {
  addressesHash,
  expectedAddresses,
  reportFindings,
  resolvedAddresses,
  resolvedView,
  vaultStatus,
  type VaultResult,
} from '../report';
import type { ExpectedState, ObservedState, Site } from '../types';
import { readAddressOwners, readDnsState, resolutionDrifted } from './dns-state';
import { readConnectivity } from './connectivity';
import { readSiteRoutes, readVaultPerimeter } from './site-network';
import { readSite } from './site';
import { checkVaultValues, readExpected, readZoneGroups } from './expected';
import { identify } from './identify';
import { observe } from './observe';
import type { BudgetedReader } from './reader';
import { StageClock } from './timing';
import { keptBySite, namedForSite } from '../site-scope';
import { ownerField } from '../owner-tag';
import type { Discovered, LeftOut, ProbeDeps, ProbeRequest } from './types';

/** False when an endpoint or NIC read failed for a reason other than its absence (a 404 is itself a fact). */
export function isComplete(expected: ExpectedState): boolean {
  // A foreign endpoint's read is denied by design; the vault's readable endpoints decide its status.
  const label = hostLabel(expected.vault.host);
  return (
    expected.endpoints.every((e) => e.foreign !== undefined || e.errors.every((x) => x.statusCode === 404)) &&
    // The vault's own record set that could not be read (ARM_READ_FAILED from checks/zone-records.ts).
    !(expected.zones ?? []).some((z) => (z.unreadableRecords ?? []).some((r) => r.name === label))
  );
}

/** Probes one discovered item to exactly one result, or leaves it out of the site's scope; never throws. */
export async function probeOne(
  item: Discovered,
  req: ProbeRequest,
  deps: ProbeDeps,
  reader: BudgetedReader,
  signal: AbortSignal,
  gate?: AzureDnsGate,
): Promise<VaultResult | LeftOut> {
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
    ...reportFindings([
      finding(
        'PROBE_STEP_FAILED',
        `The probe failed in its ${stage} stage for this vault (${message}); this vault's result is unknown, the other vaults were probed.`,
        { stage, error: message },
        // What the probe read is what to attach to a report: the vault's ARM JSON, or the scope's subscriptions.
        {
          resourceId: vaultId ?? undefined,
          confirm: vaultId ? commands.showVault(vaultId) : commands.listSubscriptions(),
        },
      ),
    ]),
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
    ...ownerField(vault),
    expectation: null,
    expected: [],
    resolved: resolvedView(undefined),
    dataplane: [],
    addressesHash: null,
    findings: [],
    diagnoses: [],
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
): Promise<VaultResult | LeftOut> {
  const clock = new StageClock();
  let expected: ExpectedState | undefined;
  let site: Site | undefined;
  const id = identify(item);
  const vault = id.vault;
  // The site scope: only a vault of the inventory that no setting or tag names for this site can be left out.
  const scope = req.siteScope;
  const mayLeaveOut =
    scope?.mode === 'private' && req.targets.length === 0 && vault !== undefined && !namedForSite(vault, scope);
  let leftOut = false;
  if (vault) {
    expected = await clock.time('expected', async () => {
      checkVaultValues(vault);
      let e = await readExpected(vault, reader);
      // What decides reach comes first (the endpoints, the site, its routes and connectivity), so that a vault left
      // out of the site's scope costs these reads and nothing else.
      site = await readConnectivity(await readSiteRoutes(await readSite(req, reader), req, reader), e, req, reader);
      if (mayLeaveOut && !keptBySite(siteExpectation(e, site))) {
        leftOut = true;
        return e;
      }
      if (deps.zoneGroupPolicy !== 'on-drift') e = await readZoneGroups(e, reader);
      e = await readDnsState(e, privatelinkZoneOf(vault, req.cloud), req, reader);
      e = await readVaultPerimeter(e, req, reader);
      return e;
    });
  }
  if (leftOut) return { leftOut: true };
  // A caller naming a vault outside the scope must not make the probe's identity resolve it or authenticate to it.
  const host = req.networkOnlyInScope && !vault ? null : id.host;
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
      const gateKey = id.vaultId ?? host;
      const expectationText = JSON.stringify(expectation ? expectationView(expectation) : null);
      const readGate = deps.authReadGate;
      const o = await observe(
        host,
        deps.observer,
        {
          dataplane,
          timeoutMs: req.timeoutMs,
          customDnsServers: (expected && site?.vnet?.dnsServers) ?? [],
          azureDns,
          auth,
          authDecision: readGate ? (addresses) => readGate.decide(gateKey, expectationText, addresses) : undefined,
        },
        signal,
      );
      gate?.record(o);
      return readGate ? readGate.settle(gateKey, expectationText, o) : o;
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
  // The diagnoses are computed here, once, after the checks: every renderer only reads them.
  const reported = clock.timeSync('compare', () =>
    reportFindings([
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
    ]),
  );
  clock.stop('total');
  stage.name = 'report';
  return {
    vault: id.name,
    vaultId: id.vaultId,
    scope: id.scope,
    host: id.host,
    status: vaultStatus(expected !== undefined && isComplete(expected), reported.findings),
    publicNetworkAccess: expected?.vault.publicNetworkAccess ?? null,
    ...ownerField(id.vault),
    expectation: expectation ? expectationView(expectation) : null,
    expected: expectedAddresses(expected),
    resolved: resolvedView(observed),
    dataplane: observed?.dataplane ?? [],
    addressesHash: observed ? addressesHash(resolvedAddresses(observed.dns)) : null,
    ...reported,
    timings: clock.timings(),
  };
}
