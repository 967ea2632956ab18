// Log search alerts on the probe's telemetry, plus the action group they notify.
//
// Scope: every rule queries the Application Insights resource, so the queries use the classic table names
// (customEvents, availabilityResults, customDimensions) that src/telemetry/schema.ts documents, and only ever see
// this probe's telemetry even if the workspace is shared.
//
// Severity and auto-mitigation (deliberate):
// - DNS drift, endpoint connection, data plane: Sev 1 (Error). Each is a live cause of the 403 for the workloads of
//   that VNet, confirmed by at least `findingMinRuns` probe runs (one DNS timeout or one state transition is not an
//   incident). Auto-mitigated: the query is stateless, so once the probe stops reporting the finding the alert
//   resolves by itself and the notification says so.
// - Vault unknown: Sev 2 (Warning). The probe cannot judge the vault (usually its own permissions); nothing is known
//   to be broken for clients. Auto-mitigated when a healthy or unhealthy result comes back.
// - Heartbeat missing: Sev 2 (Warning). The monitoring has a gap; the workloads may be fine. Auto-mitigated when the
//   site reports again. When a site is silent the finding alerts above resolve for lack of data, which is why this
//   rule exists: silence never reads as "fixed" without this alert firing.
// Every rule splits by dimension (vault, site, and the finding code), so each vault x site (x code) fires and
// resolves on its own.

@description('Region of the rules (that of the Application Insights resource).')
param location string

@description('Short token that keeps the names unique per subscription, environment and region.')
param resourceToken string

@description('Name of the Application Insights resource the rules query.')
param appInsightsName string

@description('Names of the expected probe sites (PROBE_LOCATION values).')
@minLength(1)
param siteNames string[]

@description('E-mail addresses notified by the action group; none: no action group, the alerts still show in Azure Monitor.')
param alertEmailReceivers string[]

@description('Minutes between probe runs (the PROBE_SCHEDULE interval).')
param probeIntervalMinutes int

@description('Probe runs that must report a DNS, endpoint or data plane finding before it alerts.')
@minValue(1)
param findingMinRuns int

@description('Consecutive "unknown" results of a vault at a site before it alerts.')
@minValue(1)
param unknownMinRuns int

@description('Probe intervals without a heartbeat before a site counts as silent.')
@minValue(1)
param heartbeatMissedRuns int

@description('Also alert on NO_PRIVATE_ENDPOINT (vaults without any private endpoint connection).')
param alertOnVaultsWithoutPrivateEndpoint bool

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
  timeAggregation: 'Count' | 'Maximum'
  operator: 'GreaterThan' | 'GreaterThanOrEqual'
  threshold: int
  dimensions: string[]
  @description('Minutes of data each evaluation looks at (rounded up to a supported window).')
  windowMinutes: int
  autoMitigate: bool
}

// Window sizes log search alerts accept, in minutes, and their ISO 8601 form.
var supportedWindows = [5, 10, 15, 30, 45, 60, 120, 180, 240, 300, 360, 1440, 2880]
var isoDurations = {
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

// A window must hold the runs a rule needs plus one interval of slack for timer jitter and ingestion delay.
var findingWindow = (findingMinRuns + 1) * probeIntervalMinutes
var unknownWindow = (unknownMinRuns + 1) * probeIntervalMinutes
var heartbeatWindow = heartbeatMissedRuns * probeIntervalMinutes

var findingDimensions = ['vault', 'site', 'code']
var sitesJson = string(siteNames)

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

var rules AlertRule[] = [
  {
    key: 'dns-drift'
    displayName: 'Key Vault probe: DNS drift'
    description: 'A vault resolves wrongly from inside a probed VNet (DNS_* finding, severity error) in at least ${findingMinRuns} probe run(s). Sev 1: workloads there get 403 or no connection. Resolves by itself when the probe stops reporting it.'
    severity: 1
    query: loadTextContent('dns-drift.kql')
    measureColumn: 'runs'
    timeAggregation: 'Maximum'
    operator: 'GreaterThanOrEqual'
    threshold: findingMinRuns
    dimensions: findingDimensions
    windowMinutes: findingWindow
    autoMitigate: true
  }
  {
    key: 'endpoint-connection'
    displayName: 'Key Vault probe: private endpoint connection not approved or not provisioned'
    description: 'A vault\'s private endpoint connection is not Approved or not Succeeded (PE_CONNECTION_NOT_APPROVED, PE_NOT_PROVISIONED${alertOnVaultsWithoutPrivateEndpoint ? ', NO_PRIVATE_ENDPOINT' : ''}) in at least ${findingMinRuns} probe run(s). Sev 1: traffic over that endpoint is refused. Resolves by itself when the probe stops reporting it.'
    severity: 1
    query: replace(
      loadTextContent('endpoint-connection.kql'),
      '__INCLUDE_NO_PRIVATE_ENDPOINT__',
      string(alertOnVaultsWithoutPrivateEndpoint)
    )
    measureColumn: 'runs'
    timeAggregation: 'Maximum'
    operator: 'GreaterThanOrEqual'
    threshold: findingMinRuns
    dimensions: findingDimensions
    windowMinutes: findingWindow
    autoMitigate: true
  }
  {
    key: 'dataplane'
    displayName: 'Key Vault probe: data plane forbidden or unreachable'
    description: 'The vault refused the probe\'s connection from inside a VNet (403 "This TCP connection does not allow access", other 403), could not be reached, or saw it arrive publicly (DATAPLANE_*, severity error) in at least ${findingMinRuns} probe run(s). Sev 1. Resolves by itself when the probe stops reporting it.'
    severity: 1
    query: loadTextContent('dataplane.kql')
    measureColumn: 'runs'
    timeAggregation: 'Maximum'
    operator: 'GreaterThanOrEqual'
    threshold: findingMinRuns
    dimensions: findingDimensions
    windowMinutes: findingWindow
    autoMitigate: true
  }
  {
    key: 'vault-unknown'
    displayName: 'Key Vault probe: vault status unknown'
    description: 'The probe could not judge a vault from a site in ${unknownMinRuns} consecutive runs (availability status "unknown", usually missing read permissions or a wrong subscription). Sev 2: a blind spot, not a known outage. Resolves when a healthy or unhealthy result comes back.'
    severity: 2
    query: loadTextContent('vault-unknown.kql')
    measureColumn: 'consecutiveUnknownRuns'
    timeAggregation: 'Maximum'
    operator: 'GreaterThanOrEqual'
    threshold: unknownMinRuns
    dimensions: ['vault', 'site']
    windowMinutes: unknownWindow
    autoMitigate: true
  }
  {
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
    autoMitigate: true
  }
]

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (!empty(alertEmailReceivers)) {
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
  }
}

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
      scopes: [
        appInsights.id
      ]
      evaluationFrequency: 'PT5M'
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
      autoMitigate: rule.autoMitigate
      actions: {
        actionGroups: empty(alertEmailReceivers) ? [] : [actionGroup.id]
        customProperties: {
          source: 'kv-privatelink-probe'
        }
      }
    }
  }
]

output alertRuleNames string[] = [for (rule, i) in rules: alertRules[i].name]
output actionGroupId string = empty(alertEmailReceivers) ? '' : actionGroup.id
