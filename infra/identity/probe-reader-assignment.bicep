// Assigns the probe's custom role to its identity at one subscription. Deployed once per subscription in scope by
// main.bicep with `scope: subscription(id)`.
targetScope = 'subscription'

@description('GUID of the custom role definition (from probe-reader-role.bicep).')
param roleGuid string

@description('Principal (object) ID of the probe\'s managed identity.')
param principalId string

@description('Resource ID of the probe\'s managed identity; known before the deployment starts, so it keeps the assignment\'s name stable.')
param identityResourceId string

resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, identityResourceId, roleGuid)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleGuid)
    description: 'Key Vault private link probe: read vaults, private endpoints and NICs in this subscription.'
  }
}

output assignmentId string = assignment.id
