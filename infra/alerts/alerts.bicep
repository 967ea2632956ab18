import { MaintenanceWindow } from '../types.bicep'

// Log search alerts on the probe's telemetry, the action group they notify, and an optional maintenance window.
//
// Routing: every finding code has a cause (src/probe/findings.ts) and every cause goes to exactly one rule
// (cause-rules.json, checked against src/telemetry/alert-rules.ts). The cause rules read the availability results,
// sent for every vault in every run, and select by the vault's root cause, never by code prefix.
//
// One alert per broken thing: each cause rule splits by site and cause only, and its measure is the number of vaults
// broken for that cause at that site. A broken zone behind 40 vaults is one alert whose value is 40 and whose
// search results list the vaults; it resolves on its own when the site's vaults are fixed.
//
// Severity (deliberate): private endpoint, DNS zone, DNS resolution and data plane are Sev 1 (Error), each a live
// cause of the 403 for the workloads of that VNet confirmed by `findingMinRuns` consecutive runs. Vault unknown and
// probe site silent are Sev 2 (Warning): blind spots of the monitoring, not known outages. Denied requests from the
// vaults' own logs (optional) are Sev 2: real callers refused, which may also be clients that should be refused.

@description('Region of the rules (that of the Application Insights resource).')
param location string

@description('Short token that keeps the names unique per subscription, environment and region.')
param resourceToken string

@description('Name of the Application Insights resource the rules query.')
param appInsightsName string

@description('Names of the expected probe sites (PROBE_SITE values).')
@minLength(1)
param siteNames string[]

@description('E-mail addresses notified by the action group.')
param alertEmailReceivers string[]

@description('Webhook URLs notified by the action group (common alert schema).')
param alertWebhookUrls string[]

@description('Resource ID of a Logic App (Consumption) whose HTTP trigger `alertLogicAppTriggerName` receives the alerts; empty: none.')
param alertLogicAppResourceId string

@description('Name of that Logic App\'s HTTP request trigger.')
param alertLogicAppTriggerName string

@description('Resource IDs of existing action groups every rule also notifies (for example one with an ITSM connector).')
param alertActionGroupIds string[]

@description('Minutes between probe runs (the PROBE_SCHEDULE interval).')
param probeIntervalMinutes int

@description('Runs between two snapshots of every vault\'s state (PROBE_FINDING_REFRESH_RUNS of the app); the cause rules look back two snapshot periods.')
@minValue(1)
param snapshotRuns int = 12

@description('Consecutive probe runs a vault must be broken for before it counts in a Sev 1 cause rule.')
@minValue(1)
param findingMinRuns int

@description('Consecutive "unknown" runs of a vault before it counts in the vault-unknown rule.')
@minValue(1)
param unknownMinRuns int

@description('Probe intervals without a heartbeat before a site counts as silent.')
@minValue(1)
param heartbeatMissedRuns int

@description('Also count NO_PRIVATE_ENDPOINT (vaults without any private endpoint connection) in the private endpoint rule.')
param alertOnVaultsWithoutPrivateEndpoint bool

@description('Resource IDs of Log Analytics workspaces that receive the vaults\' resource logs (AuditEvent); empty: no denied-requests rule.')
param vaultLogWorkspaceIds string[]

@description('Requests denied with a network 403 for one vault within the window before the denied-requests rule fires.')
@minValue(1)
param deniedRequestsThreshold int

@description('Optional maintenance window: an alert processing rule that removes the action groups from this deployment\'s alerts while it is active.')
param maintenanceWindow MaintenanceWindow?

@description('Tags for the resources.')
param tags object

type AlertRule = {
  @description('Stable key: part of the rule\'s resource name.')
  key: string
  displayName: string
  description: string
  @minValue(0)
  @maxValue(4)
  severity: int
  query: string
  @description('Column aggregated per dimension combination; null to count rows.')
  measureColumn: string?
  timeAggregation: 'Count' | 'Maximum' | 'Total'
  operator: 'GreaterThan' | 'GreaterThanOrEqual'
  threshold: int
  dimensions: string[]
  @description('Minutes of data each evaluation looks at (rounded up to a supported window).')
  windowMinutes: int
  @description('Scope of the rule: the Application Insights resource, or the vaults\' log workspaces.')
  scopes: string[]
}

// Window sizes log search alerts accept, in minutes, and their ISO 8601 form.
var supportedWindows = [5, 10, 15, 30, 45, 60, 120, 180, 240, 300, 360, 1440, 2880]
var isoDurations = {
  '1': 'PT1M'
  '5': 'PT5M'
  '10': 'PT10M'
  '15': 'PT15M'
  '30': 'PT30M'
  '45': 'PT45M'
  '60': 'PT1H'
  '120': 'PT2H'
  '180': 'PT3H'
  '240': 'PT4H'
  '300': 'PT5H'
  '360': 'PT6H'
  '1440': 'P1D'
  '2880': 'P2D'
}
// Evaluate about once per probe run, so a rule sees each run: 1 and 2 minutes every minute, else the largest
// supported frequency not above the interval.
var evaluationMinutes = probeIntervalMinutes <= 2 ? 1 : probeIntervalMinutes < 10 ? 5 : probeIntervalMinutes < 15 ? 10 : probeIntervalMinutes < 30 ? 15 : probeIntervalMinutes < 60 ? 30 : 60
// A fired alert resolves once the rule has evaluated healthy for one evaluation: with the query's "last N runs"
// logic that is the first fixed run plus one evaluation.
var resolveAfter = isoDurations[string(evaluationMinutes)]

var causeRules = loadJsonContent('cause-rules.json').rules
// The state rebuild (snapshot plus changes) goes in front of the cause query; it looks back two snapshot periods and
// one interval more, so the last snapshot is always in reach.
var stateLookbackMinutes = (2 * snapshotRuns + 1) * probeIntervalMinutes
var causeQuery = replace(
  loadTextContent('cause.kql'),
  '__VAULT_STATE__',
  replace(loadTextContent('../monitoring/vault-state.kql'), '__STATE_LOOKBACK__', '${stateLookbackMinutes}m')
)
var sitesJson = string(siteNames)
var heartbeatWindow = heartbeatMissedRuns * probeIntervalMinutes

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

var causeAlertRules AlertRule[] = [
  for rule in causeRules: {
    key: rule.key
    displayName: 'Key Vault probe: ${rule.title}'
    description: 'Vaults whose root cause at a probe site is ${join(rule.causes, ' or ')} (finding causes: docs/findings/ and src/probe/findings/) in each of their last ${rule.minRuns == 'unknownAlertMinRuns' ? unknownMinRuns : findingMinRuns} runs. One alert per site and cause; its value is the number of vaults, its search results list them. Resolves on the first run in which none is broken.'
    severity: rule.severity
    query: replace(
      replace(
        replace(causeQuery, '__CAUSES__', string(rule.causes)),
        '__MIN_RUNS__',
        string(rule.minRuns == 'unknownAlertMinRuns' ? unknownMinRuns : findingMinRuns)
      ),
      '__INCLUDE_NO_PRIVATE_ENDPOINT__',
      string(alertOnVaultsWithoutPrivateEndpoint && contains(rule.causes, 'endpoint'))
    )
    measureColumn: 'vaultCount'
    timeAggregation: 'Maximum'
    operator: 'GreaterThanOrEqual'
    threshold: 1
    dimensions: ['site', 'cause']
    // The state rebuild needs the last snapshot: two snapshot periods and one interval (rounded up to a window).
    windowMinutes: stateLookbackMinutes
    scopes: [appInsights.id]
  }
]

var heartbeatRule AlertRule = {
  key: 'heartbeat-missing'
  displayName: 'Key Vault probe: probe site silent'
  description: 'An expected probe site (${join(siteNames, ', ')}) sent no heartbeat for ${heartbeatMissedRuns} probe intervals, or never did. Sev 2: the monitoring of that VNet has a gap (the app is stopped, failing, or cannot reach Application Insights). Resolves when the site reports again.'
  severity: 2
  query: replace(
    replace(loadTextContent('heartbeat-missing.kql'), '__SITES__', sitesJson),
    '__LOOKBACK__',
    '${heartbeatWindow}m'
  )
  timeAggregation: 'Count'
  operator: 'GreaterThan'
  threshold: 0
  dimensions: ['site']
  windowMinutes: heartbeatWindow
  scopes: [appInsights.id]
}

var deniedRule AlertRule = {
  key: 'denied-requests'
  displayName: 'Key Vault probe: real callers denied by the network'
  description: 'A vault\'s own audit logs (AZKVAuditLogs, or AzureDiagnostics category AuditEvent) show at least ${deniedRequestsThreshold} requests denied with a network 403 ("This TCP connection does not allow access", ForbiddenByConnection, ForbiddenByFirewall). One alert per vault and 403 kind (the denial dimension); the search results list the caller IPs. Compare with the probe\'s finding for the vault in the workbook.'
  severity: 2
  query: loadTextContent('denied-requests.kql')
  measureColumn: 'requests'
  timeAggregation: 'Total'
  operator: 'GreaterThanOrEqual'
  threshold: deniedRequestsThreshold
  dimensions: ['vault', 'denial']
  windowMinutes: 15
  scopes: vaultLogWorkspaceIds
}

var rules = concat(causeAlertRules, [heartbeatRule], empty(vaultLogWorkspaceIds) ? [] : [deniedRule])

var hasReceivers = !empty(alertEmailReceivers) || !empty(alertWebhookUrls) || !empty(alertLogicAppResourceId)

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (hasReceivers) {
  name: 'ag-kvprobe-${resourceToken}'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'kvprobe'
    enabled: true
    emailReceivers: [
      for (email, i) in alertEmailReceivers: {
        name: 'email-${i}'
        emailAddress: email
        useCommonAlertSchema: true
      }
    ]
    webhookReceivers: [
      for (url, i) in alertWebhookUrls: {
        name: 'webhook-${i}'
        serviceUri: url
        useCommonAlertSchema: true
      }
    ]
    // A loop over zero or one ID, so that listCallbackUrl() is never evaluated when no Logic App is given.
    logicAppReceivers: [
      for logicAppId in (empty(alertLogicAppResourceId) ? [] : [alertLogicAppResourceId]): {
        name: 'logic-app'
        resourceId: logicAppId
        callbackUrl: listCallbackUrl('${logicAppId}/triggers/${alertLogicAppTriggerName}', '2019-05-01').value
        useCommonAlertSchema: true
      }
    ]
  }
}

var actionGroupIds = concat(hasReceivers ? [actionGroup.id] : [], alertActionGroupIds)

resource alertRules 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = [
  for rule in rules: {
    name: 'kvprobe-${rule.key}-${resourceToken}'
    location: location
    tags: tags
    kind: 'LogAlert'
    properties: {
      displayName: rule.displayName
      description: rule.description
      severity: rule.severity
      enabled: true
      scopes: rule.scopes
      evaluationFrequency: isoDurations[string(evaluationMinutes)]
      windowSize: isoDurations[string(first(filter(supportedWindows, w => w >= max(rule.windowMinutes, 5))) ?? 2880)]
      criteria: {
        allOf: [
          union(
            {
              query: rule.query
              timeAggregation: rule.timeAggregation
              operator: rule.operator
              threshold: rule.threshold
              dimensions: map(rule.dimensions, dimension => {
                name: dimension
                operator: 'Include'
                values: ['*']
              })
              failingPeriods: {
                numberOfEvaluationPeriods: 1
                minFailingPeriodsToAlert: 1
              }
            },
            // Count rules count rows; the others aggregate their measure column.
            rule.?measureColumn == null ? {} : { metricMeasureColumn: rule.?measureColumn }
          )
        ]
      }
      autoMitigate: true
      resolveConfiguration: {
        autoResolved: true
        timeToResolve: resolveAfter
      }
      actions: {
        actionGroups: actionGroupIds
        customProperties: {
          source: 'kv-privatelink-probe'
          rule: rule.key
        }
      }
    }
  }
]

// Maintenance: while the window is active, the deployment's alerts still fire (and show in Azure Monitor) but notify
// nobody.
resource maintenance 'Microsoft.AlertsManagement/actionRules@2021-08-08' = if (maintenanceWindow != null) {
  name: 'apr-kvprobe-maintenance-${resourceToken}'
  location: 'global'
  tags: tags
  properties: {
    description: 'Key Vault probe maintenance window: removes the action groups from the probe\'s alerts.'
    enabled: true
    scopes: [resourceGroup().id]
    conditions: [
      {
        field: 'AlertRuleName'
        operator: 'Contains'
        values: ['kvprobe-']
      }
    ]
    schedule: union(
      {
        effectiveFrom: maintenanceWindow.?effectiveFrom ?? ''
        timeZone: maintenanceWindow.?timeZone ?? 'UTC'
      },
      maintenanceWindow.?effectiveUntil == null ? {} : { effectiveUntil: maintenanceWindow.?effectiveUntil },
      maintenanceWindow.?recurrences == null ? {} : { recurrences: maintenanceWindow.?recurrences }
    )
    actions: [
      {
        actionType: 'RemoveAllActionGroups'
      }
    ]
  }
}

@description('Names of the alert rules, in the order of cause-rules.json, then heartbeat, then denied requests.')
output alertRuleNames string[] = [for (rule, i) in rules: alertRules[i].name]
@description('Resource ID of the action group this deployment created; empty when no receiver was given.')
output actionGroupId string = hasReceivers ? actionGroup.id : ''
