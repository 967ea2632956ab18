// The storage of every probe site in one region: one account per region holds each site's Functions host state
// (AzureWebJobsStorage, identity-based) and each site's deployment package in a container of its own.
//
// Why shared: the Functions storage guidance allows several function apps to share one account as long as their
// host IDs differ (each site sets AzureFunctionsWebHost__hostid, see probe-site.bicep); the probe's apps keep only
// timer schedule state, locks and host keys there, a few requests a minute each. One account per site would make
// 300 sites 300 accounts, above the default limit of 250 per region and subscription. The apps must stay in their
// VNet's region, and Flex Consumption reads its package from storage, so the account is per region, not global.
//
// Role assignments: every site runs as the one probe identity, so the account-scoped assignments below serve all of
// the region's sites: three per region, none per site.

@description('Storage account name: 3-24 lowercase letters and digits, chosen by main.bicep.')
@minLength(3)
@maxLength(24)
param name string

@description('Region of the account: the region of the sites it serves.')
param location string

@description('Name of the probe\'s user-assigned identity, in this resource group.')
param identityName string

@description('Names of the sites in this region: each gets its own deployment container.')
param siteNames string[]

@description('Resource IDs of the subnets of this region\'s sites. With lockDown, only they (and trusted Azure services) reach the account.')
param siteSubnetIds string[]

@description('Keep the account reachable only from the sites\' subnets (network rules, default Deny); each subnet needs the Microsoft.Storage service endpoint. Off: reachable from any network, still with Entra authentication only.')
param lockDown bool

@description('Public IP addresses or CIDR ranges allowed besides the subnets while locked down, e.g. the machine that runs azd deploy.')
param deploymentAllowedIpRanges string[]

@description('Tags for the resources.')
param tags object

// Built-in roles the Functions host needs on AzureWebJobsStorage with an identity-based connection, and Flex
// Consumption needs on the deployment containers.
var storageRoles = [
  {
    // Deployment packages (read by the platform, written by azd/zip deploy) and the host's blobs: timer schedule
    // monitor, singleton locks, host keys.
    name: 'Storage Blob Data Owner'
    id: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  }
  {
    // The host's queues (part of the documented minimum for an identity-based AzureWebJobsStorage).
    name: 'Storage Queue Data Contributor'
    id: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  }
  {
    // The host's diagnostic events table.
    name: 'Storage Table Data Contributor'
    id: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  }
]

var subnetRules = map(siteSubnetIds, subnetId => { id: subnetId, action: 'Allow' })
var ipRules = map(deploymentAllowedIpRanges, range => { value: range, action: 'Allow' })

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    // Identity-based access only: the hosts and the deployment use the probe's managed identity.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    // Network rules apply to the public endpoint; with lockDown it admits only the sites' subnets (service
    // endpoints), the listed deployment addresses and trusted Azure services.
    publicNetworkAccess: 'Enabled'
    networkAcls: lockDown
      ? {
          defaultAction: 'Deny'
          bypass: 'AzureServices'
          virtualNetworkRules: subnetRules
          ipRules: ipRules
        }
      : {
          defaultAction: 'Allow'
          bypass: 'AzureServices'
        }
  }

  resource blobService 'blobServices' = {
    name: 'default'

    resource deploymentContainers 'containers' = [
      for siteName in siteNames: {
        name: 'app-package-${siteName}'
        properties: {
          publicAccess: 'None'
        }
      }
    ]
  }
}

resource storageRoleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in storageRoles: {
    // Stable across redeploys: the account, the identity and the role, all known before the deployment starts.
    name: guid(storage.id, identity.id, role.id)
    scope: storage
    properties: {
      principalId: identity.properties.principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.id)
      description: 'Key Vault private link probe (${location}): ${role.name} for the Functions hosts and Flex deployments of this region\'s sites.'
    }
  }
]

output name string = storage.name
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output queueEndpoint string = storage.properties.primaryEndpoints.queue
output tableEndpoint string = storage.properties.primaryEndpoints.table
