// kv-privatelink-probe: one Flex Consumption probe per VNet, a least-privilege identity, monitoring, alerts and a
// workbook. Deployed by `azd provision` / `azd up` (azure.yaml at the repository root); see docs/DEPLOY.md.
//
// targetScope is the subscription, deliberately:
// - the deployment creates its own resource group (azd's convention), and
// - the probe's custom role must be defined at subscription scope and assigned at EVERY subscription whose vaults
//   and private endpoints it reads (`probeSubscriptionIds`), which a resource-group-scoped template cannot do;
//   here each assignment is a module with `scope: subscription(id)`.
targetScope = 'subscription'

import { ProbeSite, CloudName } from 'types.bicep'

@description('Name of the azd environment (AZURE_ENV_NAME): part of the resource group\'s and the role\'s names and of the resource token.')
@minLength(1)
@maxLength(64)
param environmentName string

@description('Region of the resource group and the shared resources: identity, Log Analytics, Application Insights, alerts, workbook (AZURE_LOCATION). Probe sites use their own region.')
@minLength(1)
param location string

@description('Name of the resource group to create or update; empty: rg-<environmentName>.')
param resourceGroupName string = ''

@description('The probe sites, one per VNet: name, subnetId (an existing subnet delegated to Microsoft.App/environments) and location (the VNet\'s region), optionally dnsServers. Adding a site and running `azd provision` adds a probe.')
@minLength(1)
param probeSites ProbeSite[]

@description('Subscription IDs whose vaults and private endpoints the probe reads (PROBE_SUBSCRIPTIONS); the custom role is assigned at each. Empty: the deployment\'s subscription only.')
param probeSubscriptionIds string[] = []

@description('Vault names or resource IDs to probe (PROBE_VAULTS). Empty: the setting is left unset and the app\'s default applies.')
param probeVaults string[] = []

@description('Azure cloud of the vaults (PROBE_CLOUD). Defaults to the cloud this deployment runs in.')
param probeCloud CloudName = environment().name == 'AzureUSGovernment'
  ? 'AzureUSGovernment'
  : environment().name == 'AzureChinaCloud' ? 'AzureChinaCloud' : 'AzureCloud'

@description('Minutes between probe runs. Sets PROBE_SCHEDULE (NCRONTAB) and sizes the alert windows to match.')
@allowed([1, 2, 5, 10, 15, 20, 30, 60])
param probeIntervalMinutes int = 5

@description('Accept only Microsoft Entra-authenticated telemetry in Application Insights (DisableLocalAuth). See docs/DEPLOY.md.')
param appInsightsDisableLocalAuth bool = true

@description('Days Log Analytics keeps the telemetry.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

@description('E-mail addresses the alerts notify. Empty: no action group; alerts still fire in Azure Monitor.')
param alertEmailReceivers string[] = []

@description('Probe runs that must report a DNS, private endpoint or data plane finding before its alert fires.')
@minValue(1)
@maxValue(12)
param findingAlertMinRuns int = 2

@description('Consecutive "unknown" results of a vault at a site before its alert fires.')
@minValue(1)
@maxValue(12)
param unknownAlertMinRuns int = 3

@description('Probe intervals without a heartbeat before a site\'s "silent" alert fires.')
@minValue(2)
@maxValue(12)
param heartbeatMissedRuns int = 3

@description('Also alert on vaults that have no private endpoint connection at all (NO_PRIVATE_ENDPOINT). Off by default: vaults found through PROBE_SUBSCRIPTIONS may be public by design.')
param alertOnVaultsWithoutPrivateEndpoint bool = false

@description('Tags added to every resource.')
param tags object = {}

// Unique per subscription, environment and shared region; stable across redeploys.
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var allTags = union(tags, { 'azd-env-name': environmentName })
var subscriptionIds = empty(probeSubscriptionIds) ? [subscription().subscriptionId] : probeSubscriptionIds
var siteNames = map(probeSites, site => site.name)
var probeSchedule = probeIntervalMinutes == 60 ? '0 0 * * * *' : '0 */${probeIntervalMinutes} * * * *'
var rgName = empty(resourceGroupName) ? 'rg-${environmentName}' : resourceGroupName
// Names of the shared resources, decided here so that modules get plain values (What-If can predict them) and the
// same inputs always give the same names.
var identityName = 'id-kvprobe-${resourceToken}'
var workspaceName = 'log-kvprobe-${resourceToken}'
var appInsightsName = 'appi-kvprobe-${resourceToken}'
// The custom role's GUID: same subscription and environment, same role.
var readerRoleGuid = guid(subscription().id, 'kv-privatelink-probe-reader', environmentName)
// Function App names are global DNS names: the site's name plus part of the resource token.
var appNames = map(probeSites, site => 'func-kvprobe-${site.name}-${take(resourceToken, 6)}')

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: rgName
  location: location
  tags: allTags
}

module identity 'identity/probe-identity.bicep' = {
  name: 'kvprobe-identity-${resourceToken}'
  scope: rg
  params: {
    name: identityName
    location: location
    tags: allTags
  }
}

module readerRole 'identity/probe-reader-role.bicep' = {
  name: 'kvprobe-reader-role-${resourceToken}'
  params: {
    roleGuid: readerRoleGuid
    environmentName: environmentName
    assignableSubscriptionIds: subscriptionIds
  }
}

module readerAssignments 'identity/probe-reader-assignment.bicep' = [
  for subscriptionId in subscriptionIds: {
    name: 'kvprobe-reader-${resourceToken}'
    scope: subscription(subscriptionId)
    params: {
      roleGuid: readerRoleGuid
      principalId: identity.outputs.principalId
      identityResourceId: resourceId(
        subscription().subscriptionId,
        rgName,
        'Microsoft.ManagedIdentity/userAssignedIdentities',
        identityName
      )
    }
    dependsOn: [
      readerRole
    ]
  }
]

module monitoring 'monitoring/monitoring.bicep' = {
  name: 'kvprobe-monitoring-${resourceToken}'
  scope: rg
  params: {
    location: location
    workspaceName: workspaceName
    appInsightsName: appInsightsName
    identityName: identityName
    disableLocalAuth: appInsightsDisableLocalAuth
    retentionInDays: logRetentionDays
    tags: allTags
  }
  dependsOn: [
    identity
  ]
}

module sites 'app/probe-site.bicep' = [
  for (site, i) in probeSites: {
    name: 'kvprobe-site-${site.name}-${resourceToken}'
    scope: rg
    params: {
      site: site
      appName: appNames[i]
      resourceToken: resourceToken
      identityName: identityName
      appInsightsName: appInsightsName
      probeSubscriptions: join(subscriptionIds, ',')
      probeVaults: join(probeVaults, ',')
      probeSchedule: probeSchedule
      probeCloud: probeCloud
      // azd deploys a service to the one resource carrying its tag; infra/hooks/deploy-other-sites.sh does the rest.
      azdServiceName: i == 0 ? 'probe' : ''
      tags: allTags
    }
    // The identity, and Application Insights with the identity's publisher role, exist before any app starts.
    dependsOn: [
      identity
      monitoring
    ]
  }
]

module alerts 'alerts/alerts.bicep' = {
  name: 'kvprobe-alerts-${resourceToken}'
  scope: rg
  params: {
    location: location
    resourceToken: resourceToken
    appInsightsName: appInsightsName
    siteNames: siteNames
    alertEmailReceivers: alertEmailReceivers
    probeIntervalMinutes: probeIntervalMinutes
    findingMinRuns: findingAlertMinRuns
    unknownMinRuns: unknownAlertMinRuns
    heartbeatMissedRuns: heartbeatMissedRuns
    alertOnVaultsWithoutPrivateEndpoint: alertOnVaultsWithoutPrivateEndpoint
    tags: allTags
  }
  dependsOn: [
    monitoring
  ]
}

module workbook 'monitoring/workbook.bicep' = {
  name: 'kvprobe-workbook-${resourceToken}'
  scope: rg
  params: {
    location: location
    appInsightsName: appInsightsName
    siteNames: siteNames
    displayName: 'Key Vault private link probe (${environmentName})'
    tags: allTags
  }
  dependsOn: [
    monitoring
  ]
}

output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = rg.name
@description('Name of the Function App azd deploys to (the first site); the hook deploys the same package to the others.')
output SERVICE_PROBE_NAME string = appNames[0]
@description('Space-separated names of every probe site\'s Function App, in the order of probeSites.')
output PROBE_FUNCTION_APP_NAMES string = join(appNames, ' ')
output PROBE_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output PROBE_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId
output PROBE_ROLE_DEFINITION_ID string = readerRole.outputs.roleDefinitionId
output APPLICATIONINSIGHTS_ID string = monitoring.outputs.appInsightsId
output LOG_ANALYTICS_WORKSPACE_ID string = monitoring.outputs.workspaceId
output PROBE_WORKBOOK_ID string = workbook.outputs.workbookId
output PROBE_ALERT_RULE_NAMES string = join(alerts.outputs.alertRuleNames, ' ')
