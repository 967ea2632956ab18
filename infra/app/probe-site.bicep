// One probe site: a Flex Consumption Function App integrated into the site's subnet, so that it resolves and connects
// to Key Vault exactly as the workloads of that VNet do. Its storage is its region's shared account (site-storage.bicep):
// its own deployment container there, and its own host ID so that the sites sharing the account never collide.
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

@description('Name of the region\'s shared storage account (site-storage.bicep), in this resource group.')
param storageAccountName string

@description('Accept HTTP trigger requests from public networks. Off: the app answers only through a private endpoint (created by the network owner) and from its own VNet; deployment then needs a runner that reaches it.')
param publicHttpAccess bool = true

@description('Value of the azd-service-name tag; set on exactly one site (azd deploys to the one tagged app, infra/hooks deploys the others).')
param azdServiceName string = ''

@description('Tags for the resources.')
param tags object

var planName = 'plan-kvprobe-${site.name}-${take(resourceToken, 6)}'
var deploymentContainerName = 'app-package-${site.name}'
// The host ID keys the timer's schedule state and locks in the shared account. Derived from the app name it would be
// its first 32 characters, which two sites may share; site names are unique and at most 24 characters.
var hostId = 'kvp-${site.name}'
// /subscriptions/…/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet> -> the VNet's resource ID.
var vnetId = first(split(site.subnetId, '/subnets/'))
var isPublicCloud = environment().name == 'AzureCloud'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: storageAccountName
}

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
    { name: 'AzureFunctionsWebHost__hostid', value: hostId }
    { name: 'PROBE_SITE', value: site.name }
    // issue 20: the site's integration subnet, not only its VNet: the probe judges that subnet's route table and
    // service endpoints.
    { name: 'PROBE_VNET_ID', value: site.subnetId }
    { name: 'PROBE_SUBSCRIPTIONS', value: probeSubscriptions }
    { name: 'PROBE_SCHEDULE', value: probeSchedule }
    { name: 'PROBE_RUN_DEADLINE_MS', value: string(runDeadlineMs) }
    { name: 'PROBE_CLOUD', value: probeCloud }
  ],
  empty(probeVaults) ? [] : [{ name: 'PROBE_VAULTS', value: probeVaults }],
  empty(site.?dnsServers ?? []) ? [] : [{ name: 'PROBE_DNS_SERVERS', value: join(site.?dnsServers ?? [], ',') }],
  empty(site.?siteVaults ?? []) ? [] : [{ name: 'PROBE_SITE_VAULTS', value: join(site.?siteVaults ?? [], ',') }],
  // Left out, the app's default applies (private): one place decides it, src/settings/app.ts.
  site.?siteScope == null ? [] : [{ name: 'PROBE_SITE_SCOPE', value: site.?siteScope ?? 'private' }],
  (site.?estate ?? false) ? [{ name: 'PROBE_ESTATE', value: 'on' }] : [],
  (site.?estateQueryDns ?? false) ? [{ name: 'PROBE_ESTATE_QUERY_DNS', value: 'on' }] : []
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
    publicNetworkAccess: publicHttpAccess ? 'Enabled' : 'Disabled'
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
output hostId string = hostId
output vnetId string = vnetId
