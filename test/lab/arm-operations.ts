/**
 * The ARM operations the lab serves, each with the RBAC action Azure checks for it. The ARM emulator authorizes
 * every request with this table and logs the operation; test/integration/role-coverage.test.ts maps every operation
 * the probe performed onto infra/roles/probe-reader-actions.json.
 *
 * Adding a read to the probe: add its line here (`'GET <resource type>': '<action>'`), and the action to the role
 * file if it is a new one.
 */
export const OPERATION_ACTIONS: Readonly<Record<string, string | null>> = {
  'GET Microsoft.KeyVault/vaults': 'Microsoft.KeyVault/vaults/read',
  'GET Microsoft.KeyVault/vaults/privateEndpointConnections':
    'Microsoft.KeyVault/vaults/privateEndpointConnections/read',
  'GET Microsoft.KeyVault/managedHSMs': 'Microsoft.KeyVault/managedHSMs/read',
  'GET Microsoft.Network/privateEndpoints': 'Microsoft.Network/privateEndpoints/read',
  'GET Microsoft.Network/privateEndpoints/privateDnsZoneGroups':
    'Microsoft.Network/privateEndpoints/privateDnsZoneGroups/read',
  'GET Microsoft.Network/networkInterfaces': 'Microsoft.Network/networkInterfaces/read',
  'GET Microsoft.Network/virtualNetworks': 'Microsoft.Network/virtualNetworks/read',
  'GET Microsoft.Network/privateDnsZones': 'Microsoft.Network/privateDnsZones/read',
  'GET Microsoft.Network/privateDnsZones/A': 'Microsoft.Network/privateDnsZones/A/read',
  'GET Microsoft.Network/privateDnsZones/virtualNetworkLinks':
    'Microsoft.Network/privateDnsZones/virtualNetworkLinks/read',
  // Listing subscriptions checks no action: it returns the subscriptions where the caller holds any role assignment
  // (learn.microsoft.com/rest/api/resources/subscriptions/list; FACTS.md, ARM).
  'GET Microsoft.Resources/subscriptions/list': null,
  'GET Microsoft.Resources/subscriptions': 'Microsoft.Resources/subscriptions/read',
  'GET Microsoft.Resources/subscriptions/resourceGroups': 'Microsoft.Resources/subscriptions/resourceGroups/read',
  'GET Microsoft.Resources/subscriptions/resources': 'Microsoft.Resources/subscriptions/resources/read',
  'GET Microsoft.Resources/subscriptions/resourceGroups/resources':
    'Microsoft.Resources/subscriptions/resourceGroups/resources/read',
  // DNS Private Resolver (issue 10): the rulesets linked to a VNet are a list sent as POST, an /action.
  'POST Microsoft.Network/virtualNetworks/listDnsForwardingRulesets':
    'Microsoft.Network/virtualNetworks/listDnsForwardingRulesets/action',
  'GET Microsoft.Network/dnsForwardingRulesets/forwardingRules':
    'Microsoft.Network/dnsForwardingRulesets/forwardingRules/read',
  'GET Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks':
    'Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks/read',
  // issue 25: the estate map lists a subscription's rulesets, firewalls and firewall policies (one list each).
  'GET Microsoft.Network/dnsForwardingRulesets': 'Microsoft.Network/dnsForwardingRulesets/read',
  'GET Microsoft.Network/azureFirewalls': 'Microsoft.Network/azureFirewalls/read',
  'GET Microsoft.Network/firewallPolicies': 'Microsoft.Network/firewallPolicies/read',
  'GET Microsoft.Network/dnsResolvers': 'Microsoft.Network/dnsResolvers/read',
  'GET Microsoft.Network/dnsResolvers/inboundEndpoints': 'Microsoft.Network/dnsResolvers/inboundEndpoints/read',
  // Virtual WAN and AVNM (issue 10): the hubs, their VNet connections and WAN; a VNet's effective AVNM connectivity
  // configurations, a list sent as POST (an /action).
  'GET Microsoft.Network/virtualHubs': 'Microsoft.Network/virtualHubs/read',
  'GET Microsoft.Network/virtualHubs/hubVirtualNetworkConnections':
    'Microsoft.Network/virtualHubs/hubVirtualNetworkConnections/read',
  'GET Microsoft.Network/virtualWans': 'Microsoft.Network/virtualWans/read',
  'POST Microsoft.Network/virtualNetworks/listNetworkManagerEffectiveConnectivityConfigurations':
    'Microsoft.Network/virtualNetworks/listNetworkManagerEffectiveConnectivityConfigurations/action',
  // Resource Graph checks no action of its own: it returns only the rows whose resources the caller may read.
  'POST Microsoft.ResourceGraph/resources': null,
};

export interface ArmOperation {
  /** `<METHOD> <resource type>`, e.g. `GET Microsoft.Network/privateDnsZones/A`: one key of OPERATION_ACTIONS. */
  readonly key: string;
  /** The RBAC action ARM checks; null for none; undefined when the operation is not in OPERATION_ACTIONS. */
  readonly action: string | null | undefined;
  /** Where the action is checked: the resource, resource group or subscription the URL names (lower-cased). */
  readonly scope: string;
}

function decoded(segments: string[]): string[] {
  return segments.map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
}

/**
 * The resource type a URL reads (the type of the resource, or of the collection's members), in the casing of
 * OPERATION_ACTIONS when it is there, else as the URL spells it.
 */
export function operationOf(method: string, path: string): ArmOperation {
  const segments = decoded(path.split('/').filter((s) => s.length > 0));
  const lower = segments.map((s) => s.toLowerCase());
  let type: string;
  let providersAt = -1;
  for (let i = 0; i < lower.length; i++) if (lower[i] === 'providers') providersAt = i;
  if (providersAt >= 0) {
    const namespace = segments[providersAt + 1] ?? '';
    // After the namespace: type, name, type, name... (a collection URL ends on a type).
    const rest = segments.slice(providersAt + 2).filter((_, i) => i % 2 === 0);
    type = [namespace, ...rest].join('/');
  } else {
    // /subscriptions[/{id}[/resourceGroups[/{name}]]][/resources]; /subscriptions alone is the list of them.
    const parts =
      lower.length === 1 ? ['Microsoft.Resources/subscriptions/list'] : ['Microsoft.Resources/subscriptions'];
    if (lower[2] === 'resourcegroups') parts.push('resourceGroups');
    if (lower.at(-1) === 'resources') parts.push('resources');
    type = parts.join('/');
  }
  const key = `${method.toUpperCase()} ${type}`;
  const known = Object.keys(OPERATION_ACTIONS).find((k) => k.toLowerCase() === key.toLowerCase());
  const scopeSegments =
    lower[0] === 'subscriptions'
      ? lower[2] === 'resourcegroups' && segments.length >= 4
        ? segments.slice(0, Math.max(4, segments.length - (segments.length % 2)))
        : segments.slice(0, 2)
      : [];
  return {
    key: known ?? key,
    action: known === undefined ? undefined : OPERATION_ACTIONS[known],
    scope: `/${scopeSegments.join('/')}`.toLowerCase(),
  };
}

/** Whether a role assignment's actions (with `*` wildcards, case-insensitive, as Azure RBAC matches them) allow an action. */
export function actionAllowed(actions: readonly string[], action: string): boolean {
  const a = action.toLowerCase();
  return actions.some((pattern) => {
    const re = new RegExp(
      `^${pattern
        .toLowerCase()
        .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')}$`,
    );
    return re.test(a);
  });
}
