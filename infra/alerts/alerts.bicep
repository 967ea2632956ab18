import { AlertOwner, MaintenanceWindow } from '../types.bicep'

// Log search alerts on the probe's telemetry, the action group they notify, and an optional maintenance window.
//
// Routing: every finding code has a cause (src/probe/findings/, docs/findings/) and every cause goes to exactly one
// rule (cause-rules.json, checked against src/telemetry/alert-rules.ts). The cause rules read the vaults' states
// (infra/monitoring/vault-state.kql), which carry each diagnosis' root object, never a code prefix.
//
// One alert per broken object, across sites: each cause rule splits by the object a diagnosis names as the thing to
// change (a record set, a zone, a link, a ruleset, an endpoint connection, or the vault itself), with its codes, the
// vaults it breaks, the sites that see it and the fix as the alert's dimensions, so the notification says what is
// broken, where, and the fix. A stale record that 300 spokes see is one alert listing the 300 sites; two broken
// records at one site are two alerts. Its measure is the number of vaults; it resolves when no vault is broken by it.
// An object goes to the rule of its most upstream cause only. Vault owners (alertOwners) get a rule of their own.
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

@description('Vault owners: one Sev 1 rule each over the objects that break one of their vaults (tagged kvprobe-owner=<tag>, or named), notifying their action groups.')
param alertOwners AlertOwner[] = []

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
  @description('Action groups it notifies; null: this deployment\'s (the platform team\'s).')
  actionGroups: string[]?
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
  replace(
    loadTextContent('cause.kql'),
    '__VAULT_STATE__',
    replace(loadTextContent('../monitoring/vault-state.kql'), '__STATE_LOOKBACK__', '${stateLookbackMinutes}m')
  ),
  '__STATE_LOOKBACK__',
  '${stateLookbackMinutes}m'
)
// The cause query of a rule: its causes, runs, the NO_PRIVATE_ENDPOINT option, and for a vault owner's rule
// (ownerRule) the owner's vault names and owner keys (kvprobe-owner tag values), lower case.
func causeQueryOf(
  query string,
  causes string[],
  minRuns int,
  includeNoPe bool,
  ownerRule bool,
  ownedVaults string[],
  ownerTags string[]
) string =>
  replace(
    replace(
      replace(
        replace(
          replace(replace(query, '__CAUSES__', string(causes)), '__MIN_RUNS__', string(minRuns)),
          '__INCLUDE_NO_PRIVATE_ENDPOINT__',
          string(includeNoPe)
        ),
        '__OWNER_RULE__',
        string(ownerRule)
      ),
      '__OWNED_VAULTS__',
      string(ownedVaults)
    ),
    '__OWNER_TAGS__',
    string(ownerTags)
  )
// An owner's vaults in words, for the rule's description: the tag, then the names.
func ownerVaultsText(owner AlertOwner) string =>
  join(concat(empty(owner.?tag) ? [] : ['tagged kvprobe-owner=${owner.?tag}'], owner.?vaults ?? []), ', ')
// An owner's key as the query's __OWNER_TAGS__ list: none, or the tag value lower case (the probe sends it so).
func ownerTagsOf(tag string) string[] => empty(tag) ? [] : [toLower(tag)]
// One dimension per thing the notification must say: what is broken, which codes, where, and the fix. A change in
// their values (another vault or site broken by the same object) resolves the alert and fires one with the new list.
var causeDimensions = ['object', 'codes', 'vaults', 'sites', 'fix']
var ownerCauses = flatten(map(filter(causeRules, r => r.severity == 1), r => r.causes))
var sitesJson = string(siteNames)
var heartbeatWindow = heartbeatMissedRuns * probeIntervalMinutes

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

var causeAlertRules AlertRule[] = [
  for rule in causeRules: {
    key: rule.key
    displayName: 'Key Vault probe: ${rule.title}'
    description: 'One alert per broken object (the record set, zone, link, ruleset, endpoint connection or vault a diagnosis names as the thing to change) whose most upstream cause is ${join(rule.causes, ' or ')}, across every probe site, once a vault it breaks has been broken for ${rule.minRuns == 'unknownAlertMinRuns' ? unknownMinRuns : findingMinRuns} runs. Dimensions: object, codes (docs/findings/<CODE>.md), vaults, sites and the fix command; the value is the number of vaults. Resolves on the first run in which it breaks no vault.'
    severity: rule.severity
    query: causeQueryOf(
      causeQuery,
      rule.causes,
      rule.minRuns == 'unknownAlertMinRuns' ? unknownMinRuns : findingMinRuns,
      alertOnVaultsWithoutPrivateEndpoint && contains(rule.causes, 'endpoint'),
      false,
      [],
      []
    )
    measureColumn: 'vaultCount'
    timeAggregation: 'Maximum'
    operator: 'GreaterThanOrEqual'
    threshold: 1
    dimensions: causeDimensions
    // The state rebuild needs the last snapshot: two snapshot periods and one interval (rounded up to a window).
    windowMinutes: stateLookbackMinutes
    scopes: [appInsights.id]
  }
]

// A vault owner's rule: every Sev 1 cause, only the objects that break one of the owner's vaults (tagged
// kvprobe-owner=<tag>, or named), the owner's groups.
var ownerRules AlertRule[] = [
  for owner in alertOwners: {
    key: 'owner-${owner.name}'
    displayName: 'Key Vault probe: ${owner.name}\'s vaults broken'
    description: 'One alert per broken object that breaks at least one of ${owner.name}\'s vaults (${ownerVaultsText(owner)}), across every probe site, once a vault it breaks has been broken for ${findingMinRuns} runs. Dimensions: object, codes (docs/findings/<CODE>.md), vaults, sites and the fix command. The platform team\'s rules fire for the same object.'
    severity: 1
    query: causeQueryOf(
      causeQuery,
      ownerCauses,
      findingMinRuns,
      alertOnVaultsWithoutPrivateEndpoint,
      true,
      map(owner.?vaults ?? [], v => toLower(v)),
      ownerTagsOf(owner.?tag ?? '')
    )
    measureColumn: 'vaultCount'
    timeAggregation: 'Maximum'
    operator: 'GreaterThanOrEqual'
    threshold: 1
    dimensions: causeDimensions
    windowMinutes: stateLookbackMinutes
    scopes: [appInsights.id]
    actionGroups: owner.actionGroupIds
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

var rules = concat(causeAlertRules, [heartbeatRule], empty(vaultLogWorkspaceIds) ? [] : [deniedRule], ownerRules)

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
        actionGroups: rule.?actionGroups ?? actionGroupIds
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

@description('Names of the alert rules, in the order of cause-rules.json, then heartbeat, then denied requests, then the owners\'.')
output alertRuleNames string[] = [for (rule, i) in rules: alertRules[i].name]
@description('Resource ID of the action group this deployment created; empty when no receiver was given.')
output actionGroupId string = hasReceivers ? actionGroup.id : ''
