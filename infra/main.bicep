// kv-privatelink-probe: one Flex Consumption probe per VNet, a least-privilege identity, monitoring, alerts and a
// workbook. Deployed by `azd provision` / `azd up` (azure.yaml at the repository root); see docs/DEPLOY.md.
//
// targetScope is the subscription, deliberately:
// - the deployment creates its own resource group (azd's convention), and
// - the probe's custom role must be defined at subscription scope and assigned at EVERY subscription whose vaults
//   and private endpoints it reads (`probeSubscriptionIds`), which a resource-group-scoped template cannot do;
//   here each assignment is a module with `scope: subscription(id)`.
targetScope = 'subscription'

import { ProbeSite, CloudName, MaintenanceWindow, AlertOwner } from 'types.bicep'

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

@description('E-mail addresses the alerts notify (common alert schema). With no receiver at all there is no action group; alerts still fire in Azure Monitor.')
param alertEmailReceivers string[] = []

@description('Webhook URLs the alerts notify (common alert schema), e.g. an incident tool\'s inbound URL.')
param alertWebhookUrls string[] = []

@description('Resource ID of a Logic App (Consumption) the alerts call through its HTTP request trigger; empty: none.')
param alertLogicAppResourceId string = ''

@description('Name of that Logic App\'s HTTP request trigger.')
param alertLogicAppTriggerName string = 'manual'

@description('Resource IDs of existing action groups every alert also notifies, e.g. one with an ITSM connector.')
param alertActionGroupIds string[] = []

@description('Optional maintenance window: an alert processing rule removes the action groups from the probe\'s alerts while it is active. Example: { effectiveFrom: \'2026-12-01T22:00:00\', timeZone: \'UTC\', recurrences: [{ recurrenceType: \'Weekly\', daysOfWeek: [\'Saturday\'], startTime: \'22:00:00\', endTime: \'23:59:59\' }] }.')
param alertMaintenanceWindow MaintenanceWindow?

@description('Vault owners who also receive the alerts of the objects that break their vaults, through their own action groups: one Sev 1 rule each (see AlertOwner). The platform team\'s rules (the receivers above) keep every alert. Example: [{ name: \'payments\', tag: \'payments\', actionGroupIds: [\'/subscriptions/…/actionGroups/ag-payments\'] }] keeps the vaults tagged kvprobe-owner=payments; vaults: [\'kv-payments\'] names vaults instead or as well.')
param alertOwners AlertOwner[] = []

@description('Resource IDs of the Log Analytics workspaces that receive the vaults\' resource logs (diagnostic setting with category AuditEvent, resource-specific AZKVAuditLogs or AzureDiagnostics). Adds the workbook\'s denied-requests panel and the denied-requests alert. Empty: neither.')
param vaultLogWorkspaceIds string[] = []

@description('Network-denied requests for one vault within 15 minutes before the denied-requests alert fires.')
@minValue(1)
param deniedRequestsAlertThreshold int = 5

@description('Consecutive probe runs a vault must be broken for (same root cause) before it counts in a Sev 1 alert.')
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

@description('Keep each region\'s site storage account reachable only from that region\'s site subnets (storage network rules, default Deny, trusted Azure services admitted). Each site subnet needs the Microsoft.Storage service endpoint. Off: reachable from any network, Entra authentication only.')
param lockDownSiteStorage bool = true

@description('Public IP addresses or CIDR ranges that may reach the locked-down site storage besides the site subnets, e.g. the runner that executes azd deploy.')
param deploymentAllowedIpRanges string[] = []

@description('Accept HTTP trigger requests from public networks. False: each app answers only from its VNet and through private endpoints the network owner creates (publicNetworkAccess Disabled).')
param publicHttpAccess bool = true

@description('Management group ID at which the probe\'s role is defined and assigned once, by infra/identity/management-group.bicep (deployed separately by an Owner of that management group). Empty: the role is defined in the deployment subscription and assigned at each subscription in scope.')
param readerRoleManagementGroupId string = ''

@description('Tags added to every resource.')
param tags object = {}

// ProbeSite.name's pattern, ^[a-z0-9]([a-z0-9-]{0,22}[a-z0-9])?$ (Bicep has no regex).
func siteNameProblem(name string) bool =>
  length(name) < 1 || length(name) > 24 || startsWith(name, '-') || endsWith(name, '-') || !empty(filter(
    map(range(0, length(name)), i => substring(name, i, 1)),
    c => !contains('abcdefghijklmnopqrstuvwxyz0123456789-', c)
  ))

// Unique per subscription, environment and shared region; stable across redeploys.
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var allTags = union(tags, { 'azd-env-name': environmentName })
var defaultSubscriptionIds = empty(probeSubscriptionIds) ? [subscription().subscriptionId] : probeSubscriptionIds
// Every subscription any site reads: the role is assigned at each.
var subscriptionIds = union(defaultSubscriptionIds, flatten(map(probeSites, site => site.?subscriptionIds ?? [])))
var siteNames = map(probeSites, site => site.name)
var probeSchedule = probeIntervalMinutes == 60 ? '0 0 * * * *' : '0 */${probeIntervalMinutes} * * * *'
// The run's deadline: at most 80% of the interval, so a run ends before the next starts and well within the
// heartbeat lookback, and below host.json's functionTimeout (5 minutes) with a minute to spare for telemetry.
var runDeadlineMs = min(probeIntervalMinutes * 60000 * 8 / 10, 240000)
// Site names become app names, PROBE_SITE and alert dimensions: refuse a bad one before anything is created.
var invalidSiteNames = filter(siteNames, name => siteNameProblem(name))
var duplicateSiteNames = length(union(siteNames, [])) != length(siteNames)
var siteNamesChecked = empty(invalidSiteNames) && !duplicateSiteNames
  ? 'ok'
  : string(int('probeSites: site names must be unique, 1-24 lowercase letters, digits or hyphens, starting and ending with a letter or digit; got ${string(siteNames)}'))
var rgName = siteNamesChecked == 'ok' ? (empty(resourceGroupName) ? 'rg-${environmentName}' : resourceGroupName) : siteNamesChecked
// Names of the shared resources, decided here so that modules get plain values (What-If can predict them) and the
// same inputs always give the same names.
var identityName = 'id-kvprobe-${resourceToken}'
var workspaceName = 'log-kvprobe-${resourceToken}'
var appInsightsName = 'appi-kvprobe-${resourceToken}'
// The custom role's GUID: same subscription and environment, same role.
var readerRoleGuid = guid(subscription().id, 'kv-privatelink-probe-reader', environmentName)
// The regions of the sites, each once: one storage account per region (site-storage.bicep says why).
var siteRegions = union(map(probeSites, site => toLower(site.location)), [])
var storageNames = map(siteRegions, region => 'stkvp${uniqueString(subscription().id, environmentName, rgName, region)}')
var readerAtSubscriptions = empty(readerRoleManagementGroupId)
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

module readerRole 'identity/probe-reader-role.bicep' = if (readerAtSubscriptions) {
  name: 'kvprobe-reader-role-${resourceToken}'
  params: {
    roleGuid: readerRoleGuid
    environmentName: environmentName
    assignableSubscriptionIds: subscriptionIds
  }
}

module readerAssignments 'identity/probe-reader-assignment.bicep' = [
  for subscriptionId in (readerAtSubscriptions ? subscriptionIds : []): {
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

module siteStorage 'app/site-storage.bicep' = [
  for (region, r) in siteRegions: {
    name: 'kvprobe-storage-${region}-${resourceToken}'
    scope: rg
    params: {
      name: storageNames[r]
      location: region
      identityName: identityName
      siteNames: map(filter(probeSites, site => toLower(site.location) == region), site => site.name)
      siteSubnetIds: map(filter(probeSites, site => toLower(site.location) == region), site => site.subnetId)
      lockDown: lockDownSiteStorage
      deploymentAllowedIpRanges: deploymentAllowedIpRanges
      tags: allTags
    }
    dependsOn: [
      identity
    ]
  }
]

// At most 50 sites are deployed at once (Bicep takes only a literal here): 300 sites' writes reach ARM in six waves,
// not in one burst against the subscription's write budget.
@batchSize(50)
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
      storageAccountName: storageNames[indexOf(siteRegions, toLower(site.location))]
      publicHttpAccess: publicHttpAccess
      probeSubscriptions: join(site.?subscriptionIds ?? defaultSubscriptionIds, ',')
      probeVaults: join(site.?vaults ?? probeVaults, ',')
      probeSchedule: probeSchedule
      runDeadlineMs: runDeadlineMs
      probeCloud: probeCloud
      // azd deploys a service to the one resource carrying its tag; infra/hooks/deploy-other-sites.sh does the rest.
      azdServiceName: i == 0 ? 'probe' : ''
      tags: allTags
    }
    // The identity, Application Insights with the identity's publisher role, and the region's storage with the
    // identity's roles and the site's container exist before any app starts.
    dependsOn: [
      identity
      monitoring
      siteStorage
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
    alertWebhookUrls: alertWebhookUrls
    alertLogicAppResourceId: alertLogicAppResourceId
    alertLogicAppTriggerName: alertLogicAppTriggerName
    alertActionGroupIds: alertActionGroupIds
    maintenanceWindow: alertMaintenanceWindow
    alertOwners: alertOwners
    probeIntervalMinutes: probeIntervalMinutes
    findingMinRuns: findingAlertMinRuns
    unknownMinRuns: unknownAlertMinRuns
    heartbeatMissedRuns: heartbeatMissedRuns
    alertOnVaultsWithoutPrivateEndpoint: alertOnVaultsWithoutPrivateEndpoint
    vaultLogWorkspaceIds: vaultLogWorkspaceIds
    deniedRequestsThreshold: deniedRequestsAlertThreshold
    tags: allTags
  }
  dependsOn: [
    monitoring
  ]
}

// issue 25: the estate alert, where a site maps the estate (estate: true).
module estateAlert 'estate/estate-alert.bicep' = if (length(filter(probeSites, s => s.?estate ?? false)) > 0) {
  name: 'kvprobe-estate-alert-${resourceToken}'
  scope: rg
  params: {
    location: location
    resourceToken: resourceToken
    appInsightsName: appInsightsName
    probeIntervalMinutes: probeIntervalMinutes
    actionGroupIds: concat(empty(alerts.outputs.actionGroupId) ? [] : [alerts.outputs.actionGroupId], alertActionGroupIds)
    tags: allTags
  }
}

module workbook 'monitoring/workbook.bicep' = {
  name: 'kvprobe-workbook-${resourceToken}'
  scope: rg
  params: {
    location: location
    appInsightsName: appInsightsName
    siteNames: siteNames
    vaultLogWorkspaceIds: vaultLogWorkspaceIds
    probeIntervalMinutes: probeIntervalMinutes
    displayName: 'Key Vault private link probe (${environmentName})'
    tags: allTags
  }
  dependsOn: [
    monitoring
  ]
}

@description('Region of the shared resources.')
output AZURE_LOCATION string = location
@description('Resource group of every resource.')
output AZURE_RESOURCE_GROUP string = rg.name
@description('Name of the Function App azd deploys to (the first site); the hook deploys the same package to the others.')
output SERVICE_PROBE_NAME string = appNames[0]
@description('Space-separated names of every probe site\'s Function App, in the order of probeSites.')
output PROBE_FUNCTION_APP_NAMES string = join(appNames, ' ')
@description('Client ID of the probe\'s user-assigned identity.')
output PROBE_IDENTITY_CLIENT_ID string = identity.outputs.clientId
@description('Principal (object) ID of the probe\'s identity.')
output PROBE_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId
@description('Resource ID of the probe\'s custom reader role.')
output PROBE_ROLE_DEFINITION_ID string = readerAtSubscriptions ? readerRole!.outputs.roleDefinitionId : ''
@description('Names of the site storage accounts, one per region of the sites.')
output PROBE_STORAGE_ACCOUNT_NAMES string = join(storageNames, ' ')
@description('Resource ID of Application Insights.')
output APPLICATIONINSIGHTS_ID string = monitoring.outputs.appInsightsId
@description('Resource ID of the probe\'s Log Analytics workspace.')
output LOG_ANALYTICS_WORKSPACE_ID string = monitoring.outputs.workspaceId
@description('Resource ID of the workbook.')
output PROBE_WORKBOOK_ID string = workbook.outputs.workbookId
@description('Space-separated names of the alert rules.')
output PROBE_ALERT_RULE_NAMES string = join(alerts.outputs.alertRuleNames, ' ')
