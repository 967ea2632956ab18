// The probe's role at management-group scope: one custom role defined at the management group and one assignment
// there, inherited by every subscription below it, present and future. Used instead of the per-subscription role
// and assignments of main.bicep when main.bicep's readerRoleManagementGroupId is set.
//
// Deployed separately, once, by someone who holds Owner or User Access Administrator on the management group:
//   az deployment mg create --management-group-id <mg> --location <region> \
//     --template-file infra/identity/management-group.bicep --parameters principalId=<PROBE_IDENTITY_PRINCIPAL_ID>
// A custom role may name at most one management group among its assignable scopes, so this role is assignable at
// this management group and below.
targetScope = 'managementGroup'

@description('Principal (object) ID of the probe\'s managed identity: main.bicep\'s output PROBE_IDENTITY_PRINCIPAL_ID.')
@minLength(36)
@maxLength(36)
param principalId string

@description('Name of the azd environment the identity belongs to; part of the role\'s name.')
param environmentName string = 'kvprobe'

var actions string[] = loadJsonContent('../roles/probe-reader-actions.json').actions
var roleGuid = guid(managementGroup().id, 'kv-privatelink-probe-reader', environmentName)

resource role 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: roleGuid
  properties: {
    roleName: 'Key Vault private link probe reader (${environmentName}, ${managementGroup().name})'
    description: 'Reads Key Vaults and Managed HSMs, private endpoints with their network interfaces and DNS zone groups, private DNS zones with their A records and VNet links, virtual networks, DNS Private Resolver rulesets, Virtual WAN hubs and AVNM connectivity configurations under this management group. No write, no Key Vault data-plane access.'
    type: 'CustomRole'
    permissions: [
      {
        actions: actions
        notActions: []
        dataActions: []
        notDataActions: []
      }
    ]
    assignableScopes: [
      managementGroup().id
    ]
  }
}

resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(managementGroup().id, principalId, roleGuid)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: role.id
    description: 'Key Vault private link probe: read vaults, private endpoints and the network around them under this management group.'
  }
}

output roleDefinitionId string = role.id
output assignmentId string = assignment.id
