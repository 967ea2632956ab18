// The probe's custom role: only the read actions listed in ../roles/probe-reader-actions.json (the one place that
// list lives; README.md's Permissions section is checked against it by test/infra/permissions.test.ts).
targetScope = 'subscription'

@description('GUID (resource name) of the role definition, chosen deterministically by main.bicep.')
param roleGuid string

@description('Name of the azd environment; part of the role\'s name so that two environments in one tenant get two roles.')
param environmentName string

@description('Subscription IDs the role may be assigned at (the subscriptions the probe reads).')
param assignableSubscriptionIds string[]

var actions string[] = loadJsonContent('../roles/probe-reader-actions.json').actions

// The definition lives in the deployment subscription, which is therefore always one of its assignable scopes.
var assignableScopes = map(
  union([subscription().subscriptionId], assignableSubscriptionIds),
  id => '/subscriptions/${id}'
)

resource role 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  // Deterministic (see main.bicep): redeploys update the role in place.
  name: roleGuid
  properties: {
    roleName: 'Key Vault private link probe reader (${environmentName})'
    description: 'Reads Key Vaults and Managed HSMs, private endpoints with their network interfaces and DNS zone groups, private DNS zones with their A records and VNet links, virtual networks, DNS Private Resolver rulesets, Virtual WAN hubs and AVNM connectivity configurations, to compare what DNS answers inside a VNet with the approved private endpoints. No write, no Key Vault data-plane access.'
    type: 'CustomRole'
    permissions: [
      {
        actions: actions
        notActions: []
        dataActions: []
        notDataActions: []
      }
    ]
    assignableScopes: assignableScopes
  }
}

output roleDefinitionId string = role.id
