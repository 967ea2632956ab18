// One probe site: a Flex Consumption Function App integrated into the site's subnet, so that it resolves and connects
// to Key Vault exactly as the workloads of that VNet do, with its own deployment storage (no shared keys).
import { ProbeSite } from '../types.bicep'

@description('The site: name, subnet and region.')
param site ProbeSite

@description('Name of the Function App (a global DNS name, chosen by main.bicep).')
@minLength(2)
@maxLength(60)
param appName string

@description('Short token that keeps the plan\'s name unique per subscription, environment and region.')
param resourceToken string

@description('Name of the probe\'s user-assigned identity, in this resource group.')
param identityName string

@description('Name of the Application Insights resource, in this resource group.')
param appInsightsName string

@description('PROBE_SUBSCRIPTIONS: comma-separated subscription IDs to look vaults up in.')
param probeSubscriptions string

@description('PROBE_VAULTS: comma-separated vault names or resource IDs; empty to leave the setting unset.')
param probeVaults string

@description('PROBE_SCHEDULE: NCRONTAB schedule of the probe\'s timer.')
param probeSchedule string

@description('PROBE_RUN_DEADLINE_MS: the run\'s budget, derived by main.bicep from the interval (at most 80% of it, below functionTimeout).')
@minValue(1000)
param runDeadlineMs int

@description('PROBE_CLOUD: AzureCloud, AzureUSGovernment or AzureChinaCloud.')
param probeCloud string

@description('Value of the azd-service-name tag; set on exactly one site (azd deploys to the one tagged app, infra/hooks deploys the others).')
param azdServiceName string = ''

@description('Tags for the resources.')
param tags object

// Built-in roles the Functions host needs on AzureWebJobsStorage with an identity-based connection, and Flex
// Consumption needs on the deployment container.
var storageRoles = [
  {
    // Deployment package container (read by the platform, written by azd/zip deploy) and the host's blobs:
    // timer schedule monitor, singleton locks, host keys.
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

var planName = 'plan-kvprobe-${site.name}-${take(resourceToken, 6)}'
// 3-24 lowercase letters and digits; one account per site, in the site's region.
var storageName = 'stkvp${uniqueString(resourceGroup().id, 'probe-site', site.name)}'
var deploymentContainerName = 'app-package'
// /subscriptions/…/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet> -> the VNet's resource ID.
var vnetId = first(split(site.subnetId, '/subnets/'))
var isPublicCloud = environment().name == 'AzureCloud'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' = {
  name: storageName
  location: site.location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    // Identity-based access only: the host and the deployment use the probe's managed identity.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    // azd uploads the package from outside the VNet; see docs/DEPLOY.md to lock the account down further.
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }

  resource blobService 'blobServices' = {
    name: 'default'

    resource deploymentContainer 'containers' = {
      name: deploymentContainerName
      properties: {
        publicAccess: 'None'
      }
    }
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
      description: 'Key Vault private link probe (${site.name}): ${role.name} for the Functions host and Flex deployment.'
    }
  }
]

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: site.location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

// Identity-based host storage. `accountName` builds public-cloud endpoints; other clouds get explicit service URIs.
var hostStorageSettings = isPublicCloud
  ? [
      { name: 'AzureWebJobsStorage__accountName', value: storage.name }
    ]
  : [
      { name: 'AzureWebJobsStorage__blobServiceUri', value: storage.properties.primaryEndpoints.blob }
      { name: 'AzureWebJobsStorage__queueServiceUri', value: storage.properties.primaryEndpoints.queue }
      { name: 'AzureWebJobsStorage__tableServiceUri', value: storage.properties.primaryEndpoints.table }
    ]

var appSettings = concat(
  hostStorageSettings,
  [
    { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
    { name: 'AzureWebJobsStorage__clientId', value: identity.properties.clientId }
    // DefaultAzureCredential picks the user-assigned identity by this client ID.
    { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
    // The connection string identifies the resource; with local auth disabled it cannot ingest on its own.
    { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsights.properties.ConnectionString }
    {
      name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
      value: 'ClientId=${identity.properties.clientId};Authorization=AAD'
    }
    { name: 'PROBE_LOCATION', value: site.name }
    // issue 20: the site's integration subnet, not only its VNet: the probe judges that subnet's route table and
    // service endpoints.
    { name: 'PROBE_VNET_ID', value: site.subnetId }
    { name: 'PROBE_SUBSCRIPTIONS', value: probeSubscriptions }
    { name: 'PROBE_SCHEDULE', value: probeSchedule }
    { name: 'PROBE_RUN_DEADLINE_MS', value: string(runDeadlineMs) }
    { name: 'PROBE_CLOUD', value: probeCloud }
  ],
  empty(probeVaults) ? [] : [{ name: 'PROBE_VAULTS', value: probeVaults }],
  empty(site.?dnsServers ?? []) ? [] : [{ name: 'PROBE_DNS_SERVERS', value: join(site.?dnsServers ?? [], ',') }]
)

resource app 'Microsoft.Web/sites@2025-03-01' = {
  name: appName
  location: site.location
  tags: union(tags, empty(azdServiceName) ? {} : { 'azd-service-name': azdServiceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // VNet integration: the probe resolves names with the VNet's DNS and reaches the vaults' private endpoints
    // through the VNet, like the workloads it stands in for.
    virtualNetworkSubnetId: site.subnetId
    // Route all of the app's outbound traffic through the VNet (NSGs, UDRs, firewalls apply), not only RFC 1918
    // destinations. This is the Flex-era property that replaces siteConfig.vnetRouteAllEnabled.
    outboundVnetRouting: {
      applicationTraffic: true
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      appSettings: appSettings
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        // The probe is timer-triggered and runs on one instance; this caps cost if anything else ever scales it.
        maximumInstanceCount: 40
        instanceMemoryMB: 2048
      }
      runtime: {
        name: 'node'
        version: '22'
      }
    }
  }
  dependsOn: [
    // The host must be able to reach its storage with the identity on first start.
    storageRoleAssignments
    storage::blobService::deploymentContainer
  ]
}

// No FTP or basic-auth SCM publishing: azd and the Azure CLI deploy to Flex Consumption with Microsoft Entra tokens.
resource ftpPolicy 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: app
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPolicy 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: app
  name: 'scm'
  properties: {
    allow: false
  }
}

output siteName string = site.name
output appName string = app.name
output appId string = app.id
output storageAccountName string = storage.name
output vnetId string = vnetId
