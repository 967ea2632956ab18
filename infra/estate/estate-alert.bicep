// issue 25: the estate alert. Sites with `estate: true` (PROBE_ESTATE=on) map every VNet in scope after each run and
// send one KvProbeEstateDiagnosis per VNet and object to fix; this rule fires one alert per VNet, diagnosis code and
// object (its value: the (VNet, vault) pairs broken), and resolves when the passes stop reporting it.
//
// Severity 2 (Warning), deliberately: a prediction from ARM for VNets where no probe runs, not an observed outage;
// where a probe does run, its own cause rules (alerts.bicep) carry the observed 403 at Sev 1.

@description('Region of the rule (that of the Application Insights resource).')
param location string

@description('Short token that keeps the names unique per subscription, environment and region.')
param resourceToken string

@description('Name of the Application Insights resource the rule queries.')
param appInsightsName string

@description('Minutes between probe runs (the PROBE_SCHEDULE interval); the estate pass runs after each.')
@minValue(1)
param probeIntervalMinutes int

@description('Action groups the rule notifies (the deployment\'s own and any existing ones).')
param actionGroupIds string[]

@description('Tags for the rule.')
param tags object

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
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
// Evaluated about once per probe run, as the cause rules are.
var evaluationMinutes = probeIntervalMinutes <= 2 ? 1 : probeIntervalMinutes < 10 ? 5 : probeIntervalMinutes < 15 ? 10 : probeIntervalMinutes < 30 ? 15 : probeIntervalMinutes < 60 ? 30 : 60
// Two intervals: the last pass is always in the window, and a diagnosis it no longer reports leaves it.
var lookbackMinutes = 2 * probeIntervalMinutes
var windowMinutes = first(filter(supportedWindows, w => w >= max(lookbackMinutes, 5))) ?? 2880

resource estateRule 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = {
  name: 'kvprobe-estate-diagnosis-${resourceToken}'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'Key Vault probe: estate diagnosis'
    description: 'The estate pass (sites with PROBE_ESTATE=on, kvprobe map) predicts from ARM that a VNet resolves or reaches vaults wrongly: one alert per VNet, diagnosis code and object to fix; its value is the (VNet, vault) pairs broken, its search results name the object, the fix and up to 20 vaults. Sev 2: a prediction, where no probe observes. Resolves when the passes stop reporting it.'
    severity: 2
    enabled: true
    scopes: [appInsights.id]
    evaluationFrequency: isoDurations[string(evaluationMinutes)]
    windowSize: isoDurations[string(windowMinutes)]
    criteria: {
      allOf: [
        {
          query: replace(loadTextContent('estate-diagnoses.kql'), '__LOOKBACK__', '${lookbackMinutes}m')
          timeAggregation: 'Maximum'
          metricMeasureColumn: 'pairs'
          operator: 'GreaterThanOrEqual'
          threshold: 1
          dimensions: [
            for dimension in ['vnetId', 'code', 'resourceId']: {
              name: dimension
              operator: 'Include'
              values: ['*']
            }
          ]
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    resolveConfiguration: {
      autoResolved: true
      timeToResolve: isoDurations[string(evaluationMinutes)]
    }
    actions: {
      actionGroups: actionGroupIds
      customProperties: {
        source: 'kv-privatelink-probe'
        rule: 'estate-diagnosis'
      }
    }
  }
}

@description('Name of the estate alert rule.')
output ruleName string = estateRule.name
