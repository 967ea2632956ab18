import { actionAllowed } from './arm-operations';
import type { LabPrincipal } from './identity';

/** A resource exactly as ARM puts it on the wire: `id`, `name`, `type`, `location`, nested `properties`. */
export type ArmResource = { id: string; [k: string]: unknown };

/** A role assignment: the principal may perform `actions` at `scope` and below. */
export interface ArmGrant {
  readonly objectId: string;
  /** `/subscriptions/{id}` or `/subscriptions/{id}/resourceGroups/{name}` (any casing). */
  readonly scope: string;
  readonly actions: readonly string[];
}

/** A stored resource with what routing and queries need from its id, lower-cased. */
export interface StoredResource {
  resource: ArmResource;
  subscription?: string;
  resourceGroup?: string;
  /** Lower-cased id minus its last type/name pair: what a child-collection URL names. */
  parent: string;
  typeSegment: string;
  /** Lower-cased ARM type, e.g. `microsoft.network/privatednszones/a`. */
  fullType: string;
}

export function segmentsOf(path: string): string[] {
  return path
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}

export function lower(segments: string[]): string {
  return `/${segments.join('/')}`.toLowerCase();
}

/**
 * `Microsoft.Network/privateDnsZones/A` for a record-set id. Extension resources restart the type at
 * their own `providers` segment, which is why the last one wins.
 */
export function typeAndQualifiedName(segments: string[]): { type: string; qualifiedName: string } {
  let providersAt = -1;
  for (let i = 0; i < segments.length; i += 2) if (segments[i]?.toLowerCase() === 'providers') providersAt = i;
  if (providersAt < 0) {
    const kind = segments.length <= 2 ? 'subscriptions' : 'resourceGroups';
    return {
      type: `Microsoft.Resources/${kind}`,
      qualifiedName: `Microsoft.Resources/${kind}/${segments.at(-1) ?? ''}`,
    };
  }
  const namespace = segments[providersAt + 1] ?? '';
  const rest = segments.slice(providersAt + 2);
  const types = rest.filter((_, i) => i % 2 === 0);
  return { type: [namespace, ...types].join('/'), qualifiedName: [namespace, ...rest].join('/') };
}

function parseResourceId(id: string): Omit<StoredResource, 'resource'> {
  const segments = segmentsOf(id);
  if (!id.startsWith('/') || segments.length < 2 || segments.length % 2 !== 0) {
    throw new Error(`not an ARM resource id (expected /subscriptions/{id}/...): ${id}`);
  }
  const isSub = segments[0]?.toLowerCase() === 'subscriptions';
  const hasRg = isSub && segments[2]?.toLowerCase() === 'resourcegroups';
  return {
    subscription: isSub ? segments[1]?.toLowerCase() : undefined,
    resourceGroup: hasRg ? segments[3]?.toLowerCase() : undefined,
    parent: lower(segments.slice(0, -2)),
    typeSegment: (segments.at(-2) ?? '').toLowerCase(),
    fullType: typeAndQualifiedName(segments).type.toLowerCase(),
  };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * What ARM knows: resources in wire shape, subscriptions, management groups and role assignments. The REST routes
 * and Resource Graph both answer from it.
 */
export class ArmStore {
  readonly resources = new Map<string, StoredResource>();
  /** Role assignments; a request whose action no grant allows at its scope gets 403 AuthorizationFailed. */
  private readonly grants: ArmGrant[] = [];
  private readonly subscriptions = new Set<string>();
  /** Lower-cased management group id -> lower-cased subscription ids. */
  readonly managementGroups = new Map<string, Set<string>>();

  put(resource: ArmResource): void {
    const parsed = parseResourceId(resource.id);
    this.resources.set(resource.id.toLowerCase(), { ...parsed, resource: structuredClone(resource) });
  }

  /** Deletes a resource; false when there was none. */
  remove(id: string): boolean {
    return this.resources.delete(id.toLowerCase());
  }

  get(id: string): ArmResource | undefined {
    const entry = this.resources.get(id.toLowerCase());
    return entry ? structuredClone(entry.resource) : undefined;
  }

  addSubscription(subscriptionId: string): void {
    this.subscriptions.add(subscriptionId.toLowerCase());
  }

  addManagementGroup(id: string, subscriptionIds: string[]): void {
    const subs = new Set(subscriptionIds.map((s) => s.toLowerCase()));
    for (const s of subs) this.subscriptions.add(s);
    this.managementGroups.set(id.toLowerCase(), subs);
  }

  /** Subscriptions added explicitly, plus those that hold resources. */
  knownSubscriptions(): Set<string> {
    const known = new Set(this.subscriptions);
    for (const r of this.resources.values()) if (r.subscription) known.add(r.subscription);
    return known;
  }

  grant(principal: LabPrincipal, scope: string, actions: readonly string[]): void {
    this.grants.push({
      objectId: principal.objectId,
      scope: scope.toLowerCase().replace(/\/+$/, ''),
      actions: [...actions],
    });
  }

  /** Whether a grant allows `action` at `scope` (a grant at a scope covers everything below it). */
  allowed(principal: LabPrincipal, action: string, scope: string): boolean {
    const target = scope.toLowerCase();
    return this.grants.some(
      (g) =>
        g.objectId === principal.objectId &&
        (target === g.scope || target.startsWith(`${g.scope}/`)) &&
        actionAllowed(g.actions, action),
    );
  }

  /** Whether the principal holds any role assignment at the root or inside the subscription. */
  seesSubscription(principal: LabPrincipal, subscription: string): boolean {
    const s = subscription;
    return this.grants.some(
      (g) =>
        g.objectId === principal.objectId &&
        (g.scope === '' ||
          g.scope === '/' ||
          g.scope === `/subscriptions/${s}` ||
          g.scope.startsWith(`/subscriptions/${s}/`)),
    );
  }
}
