import { siteSubnets } from '../site-network';
import type { ExpectedState, PerimeterState, ReadOutcome, RouteTableRecord, RouteTableState } from '../types';
import { toReadError } from './read-errors';
import type { BudgetedReader } from './reader';
import type { ProbeRequest } from './types';

const lower = (s: string): string => s.toLowerCase();

async function outcome<T>(read: () => Promise<T>, operation: string, id: string): Promise<ReadOutcome<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    return { ok: false, error: toReadError(error, operation, id) };
  }
}

/**
 * Stage 2d (issue 20): the route tables of the probe's subnet (of every subnet of its VNet when PROBE_VNET_ID names
 * none), and, for a vault whose public access says SecuredByPerimeter, its perimeter association and the profile's
 * access rules. Each read is shared across the run; a failed one is kept as data and judged leniently.
 */
export async function readSiteNetwork(
  expected: ExpectedState,
  req: ProbeRequest,
  reader: BudgetedReader,
): Promise<ExpectedState> {
  let e: ExpectedState = req.subnetId ? { ...expected, probeSubnetId: req.subnetId } : expected;
  if (e.probeVnet && e.vault.connections.length > 0) {
    const ids = [...new Set(siteSubnets(e).subnets.flatMap((s) => (s.routeTableId ? [lower(s.routeTableId)] : [])))];
    const routeTables: RouteTableState[] = await Promise.all(
      ids.map(async (id) => ({
        id,
        table: await outcome<RouteTableRecord>(() => reader.routeTable(id), 'get route table', id),
      })),
    );
    if (routeTables.length > 0) e = { ...e, routeTables };
  }
  if (lower(e.vault.publicNetworkAccess ?? '') === 'securedbyperimeter')
    e = { ...e, perimeter: await readPerimeter(e, req, reader) };
  return e;
}

/** The association naming the vault, among the perimeters of the subscriptions in scope and the vault's own. */
async function readPerimeter(e: ExpectedState, req: ProbeRequest, reader: BudgetedReader): Promise<PerimeterState> {
  const subs = [...new Set([e.vault.subscriptionId, ...req.subscriptions].map(lower))];
  const lists = await Promise.all(
    subs.map((sub) =>
      outcome(() => reader.perimeterAssociations(sub), 'list network security perimeters', `/subscriptions/${sub}`),
    ),
  );
  const association = lists
    .flatMap((l) => (l.ok ? l.value : []))
    .find((a) => lower(a.resourceId) === lower(e.vault.id));
  const failed = lists.find((l) => !l.ok);
  if (!association && failed && !failed.ok) return failed;
  if (!association?.profileId) return { ok: true, value: { association, rules: [] } };
  const profileId = association.profileId;
  const rules = await outcome(
    () => reader.perimeterRules(profileId),
    'list network security perimeter access rules',
    profileId,
  );
  return rules.ok ? { ok: true, value: { association, rules: rules.value } } : rules;
}
