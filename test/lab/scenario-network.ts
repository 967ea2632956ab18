import type { ArmResource } from './arm-emulator';
import { SUB_APP, labVnetId, vaultId, type Scenario } from './scenario';

/**
 * Issue 20: the probe's subnets (service endpoints, route table) and network security perimeters, as ARM returns
 * them. Shapes from the Microsoft.Network REST specs: virtualNetwork.json (subnets with `serviceEndpoints` and
 * `routeTable`), routeTable.json (`routes` with `addressPrefix`, `nextHopType`, `nextHopIpAddress`) and
 * networkSecurityPerimeter.json (perimeters, `profiles`, `profiles/accessRules`, `resourceAssociations` with
 * `privateLinkResource`, `profile` and `accessMode`).
 */

/** A subnet of the probe's VNet. */
export interface ScenarioSubnet {
  readonly name: string;
  readonly addressPrefix?: string;
  /** e.g. `Microsoft.KeyVault`. */
  readonly serviceEndpoints?: readonly string[];
  /** User-defined routes: a route table `rt-<subnet>` associated with the subnet. */
  readonly routes?: readonly {
    readonly name: string;
    readonly addressPrefix: string;
    readonly nextHopType: 'VirtualAppliance' | 'VirtualNetworkGateway' | 'None' | 'Internet' | 'VnetLocal';
    readonly nextHopIpAddress?: string;
  }[];
}

/** The perimeter a vault is associated with, through profile `default`. */
export interface ScenarioPerimeter {
  readonly accessMode: 'Enforced' | 'Learning';
  /** Inbound access rules of the profile; none: nothing is admitted from outside the perimeter. */
  readonly inbound?: { readonly addressPrefixes?: readonly string[]; readonly subscriptions?: readonly string[] };
}

const first = (scenario: Scenario): string => scenario.subscriptions?.[0] ?? SUB_APP;

/** The probe VNet's subnets; the first is the probe's own. */
export function probeSubnets(scenario: Scenario): readonly ScenarioSubnet[] {
  return scenario.probeVnet?.subnets ?? [{ name: 'apps' }];
}

/** A VNet rule's subnet: `vnet` (its subnet `apps`) or `vnet/subnet`. */
export function subnetRuleId(scenario: Scenario, rule: string): string {
  const [vnet = '', subnet = 'apps'] = rule.split('/');
  return `${labVnetId(scenario, vnet)}/subnets/${subnet}`;
}

/** The probe's subnet, when it has the Key Vault service endpoint: the path a public call takes from the probe. */
export function serviceEndpointSubnet(scenario: Scenario): string | undefined {
  if (!scenario.probeVnet) return undefined;
  const own = probeSubnets(scenario)[0];
  return own?.serviceEndpoints?.includes('Microsoft.KeyVault')
    ? `${labVnetId(scenario, 'vnet-probe')}/subnets/${own.name}`
    : undefined;
}

export function routeTableId(scenario: Scenario, subnet: string): string {
  return `/subscriptions/${first(scenario)}/resourceGroups/network/providers/Microsoft.Network/routeTables/rt-${subnet}`;
}

const ok = { provisioningState: 'Succeeded' };

/** The route tables of the probe's subnets, and each vault's perimeter, profile, access rule and association. */
export function networkResources(scenario: Scenario): ArmResource[] {
  const out: ArmResource[] = [];
  if (scenario.probeVnet) {
    for (const sn of probeSubnets(scenario)) {
      if (!sn.routes) continue;
      const id = routeTableId(scenario, sn.name);
      out.push({
        id,
        name: `rt-${sn.name}`,
        type: 'Microsoft.Network/routeTables',
        location: 'westeurope',
        properties: {
          ...ok,
          disableBgpRoutePropagation: false,
          routes: sn.routes.map((r) => ({
            id: `${id}/routes/${r.name}`,
            name: r.name,
            type: 'Microsoft.Network/routeTables/routes',
            properties: {
              ...ok,
              addressPrefix: r.addressPrefix,
              nextHopType: r.nextHopType,
              ...(r.nextHopIpAddress ? { nextHopIpAddress: r.nextHopIpAddress } : {}),
            },
          })),
          subnets: [{ id: `${labVnetId(scenario, 'vnet-probe')}/subnets/${sn.name}` }],
        },
      });
    }
  }
  for (const v of scenario.vaults) {
    if (!v.perimeter) continue;
    const nsp = `/subscriptions/${first(scenario)}/resourceGroups/security/providers/Microsoft.Network/networkSecurityPerimeters/nsp-${v.name}`;
    const profile = `${nsp}/profiles/default`;
    out.push(
      {
        id: nsp,
        name: `nsp-${v.name}`,
        type: 'Microsoft.Network/networkSecurityPerimeters',
        location: 'westeurope',
        properties: { ...ok, perimeterGuid: '00000000-0000-4000-8000-000000000020' },
      },
      {
        id: profile,
        name: 'default',
        type: 'Microsoft.Network/networkSecurityPerimeters/profiles',
        properties: { accessRulesVersion: '1', diagnosticSettingsVersion: '0' },
      },
      {
        id: `${nsp}/resourceAssociations/assoc-${v.name}`,
        name: `assoc-${v.name}`,
        type: 'Microsoft.Network/networkSecurityPerimeters/resourceAssociations',
        properties: {
          ...ok,
          privateLinkResource: { id: vaultId(v, scenario) },
          profile: { id: profile },
          accessMode: v.perimeter.accessMode,
          hasProvisioningIssues: 'no',
        },
      },
    );
    if (v.perimeter.inbound)
      out.push({
        id: `${profile}/accessRules/inbound-apps`,
        name: 'inbound-apps',
        type: 'Microsoft.Network/networkSecurityPerimeters/profiles/accessRules',
        properties: {
          ...ok,
          direction: 'Inbound',
          addressPrefixes: [...(v.perimeter.inbound.addressPrefixes ?? [])],
          fullyQualifiedDomainNames: [],
          subscriptions: (v.perimeter.inbound.subscriptions ?? []).map((s) => ({ id: `/subscriptions/${s}` })),
          emailAddresses: [],
          phoneNumbers: [],
        },
      });
  }
  return out;
}
