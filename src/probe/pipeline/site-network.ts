import { siteSubnets } from '../site-network';
import type { ExpectedState, PerimeterState, RouteTableRecord, RouteTableState, Site } from '../types';
import { readOutcome } from './read-errors';
import type { BudgetedReader } from './reader';
import type { ProbeRequest } from './types';

const lower = (s: string): string => s.toLowerCase();

/**
 * Stage 2d (issue 20): the probe's subnet, when PROBE_VNET_ID named one, and the route tables of that subnet (of
 * every subnet of the VNet when it named none). Each table is read once per run; a failed read is kept as data and
 * its routes are not counted (the basis says so).
 */
export async function readSiteRoutes(
  site: Site | undefined,
  req: ProbeRequest,
  reader: BudgetedReader,
): Promise<Site | undefined> {
  if (!site) return site;
  const s: Site = req.subnetId ? { ...site, subnetId: req.subnetId } : site;
  if (!s.vnet) return s;
  const ids = [...new Set(siteSubnets(s).subnets.flatMap((sn) => (sn.routeTableId ? [lower(sn.routeTableId)] : [])))];
  if (ids.length === 0) return s;
  const routeTables: RouteTableState[] = await Promise.all(
    ids.map(async (id) => ({
      id,
      table: await readOutcome<RouteTableRecord>(() => reader.routeTable(id), 'get route table', id),
    })),
  );
  return { ...s, routeTables };
}

/**
 * Stage 2d (issue 20): for a vault whose public access says SecuredByPerimeter, its perimeter association among the
 * perimeters of the subscriptions in scope and the vault's own, and the profile's access rules; a failed read is kept.
 */
export async function readVaultPerimeter(
  e: ExpectedState,
  req: ProbeRequest,
  reader: BudgetedReader,
): Promise<ExpectedState> {
  if (lower(e.vault.publicNetworkAccess ?? '') !== 'securedbyperimeter') return e;
  return { ...e, perimeter: await readPerimeter(e, req, reader) };
}

async function readPerimeter(e: ExpectedState, req: ProbeRequest, reader: BudgetedReader): Promise<PerimeterState> {
  const subs = [...new Set([e.vault.subscriptionId, ...req.subscriptions].map(lower))];
  const lists = await Promise.all(
    subs.map((sub) =>
      readOutcome(() => reader.perimeterAssociations(sub), 'list network security perimeters', `/subscriptions/${sub}`),
    ),
  );
  const association = lists
    .flatMap((l) => (l.ok ? l.value : []))
    .find((a) => lower(a.resourceId) === lower(e.vault.id));
  const failed = lists.find((l) => !l.ok);
  if (!association && failed && !failed.ok) return failed;
  if (!association?.profileId) return { ok: true, value: { association, rules: [] } };
  const profileId = association.profileId;
  const rules = await readOutcome(
    () => reader.perimeterRules(profileId),
    'list network security perimeter access rules',
    profileId,
  );
  return rules.ok ? { ok: true, value: { association, rules: rules.value } } : rules;
}
