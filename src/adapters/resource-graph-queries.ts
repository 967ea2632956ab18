/**
 * The Resource Graph queries the probe sends: one per resource type, each projecting only what the adapter reads
 * (`id`, `name`, `subscriptionId` to split rows by subscription, nested `properties`; NICs need no `name`; the vaults'
 * `tags` name the sites that must probe them, src/probe/site-scope.ts).
 * test/infra/resource-graph-queries.test.ts binds them to the documented `resources` table, evaluates them and holds
 * their columns to the adapter's reads. `order by id` makes $skipToken paging stable.
 */
export const RESOURCE_GRAPH_QUERIES = {
  vaults:
    "resources | where type =~ 'microsoft.keyvault/vaults' | project id, name, subscriptionId, tags, properties | order by id asc",
  // Managed HSMs go through the same engine as vaults; the per-vault inventory lists them too.
  managedHsms:
    "resources | where type =~ 'microsoft.keyvault/managedhsms' | project id, name, subscriptionId, tags, properties | order by id asc",
  privateEndpoints:
    "resources | where type =~ 'microsoft.network/privateendpoints' | project id, name, subscriptionId, properties | order by id asc",
  // Only the NICs of private endpoints: a subscription's VM NICs can outnumber its vaults a hundred to one.
  networkInterfaces:
    "resources | where type =~ 'microsoft.network/networkinterfaces' and isnotnull(properties.privateEndpoint) | project id, subscriptionId, properties | order by id asc",
} as const;

export type ResourceGraphQueryName = keyof typeof RESOURCE_GRAPH_QUERIES;

/** Rows per page: Resource Graph's maximum for `$top`. */
export const RESOURCE_GRAPH_PAGE_SIZE = 1000;
