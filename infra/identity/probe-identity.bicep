// The one user-assigned managed identity every probe site runs as (AZURE_CLIENT_ID). One identity for all sites keeps
// the custom role to one assignment per subscription, however many VNets are probed.

@description('Name of the user-assigned managed identity.')
param name string

@description('Region of the identity (the shared region of the deployment; sites in other regions can use it).')
param location string

@description('Tags for the identity.')
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

output name string = identity.name
output id string = identity.id
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
