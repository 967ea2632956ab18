// Log Analytics workspace and workspace-based Application Insights, with Microsoft Entra ingestion for the probe's
// identity (see docs/DEPLOY.md, "Telemetry ingestion with Microsoft Entra ID").

@description('Region of the workspace and the Application Insights resource.')
param location string

@description('Name of the Log Analytics workspace.')
param workspaceName string

@description('Name of the Application Insights resource.')
param appInsightsName string

@description('Name of the probe\'s user-assigned identity (gets Monitoring Metrics Publisher on Application Insights).')
param identityName string

@description('Reject ingestion with the instrumentation key alone: only Microsoft Entra-authenticated telemetry is accepted.')
param disableLocalAuth bool

@description('Days the workspace keeps data.')
@minValue(30)
@maxValue(730)
param retentionInDays int

@description('Tags for the resources.')
param tags object

// Built-in role: Monitoring Metrics Publisher (ingestion into Application Insights with Microsoft Entra ID).
var monitoringMetricsPublisherRoleId = '3913510d-42f4-4e42-8a64-420c390055eb'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

resource workspace 'Microsoft.OperationalInsights/workspaces@2025-07-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
    features: {
      // Nothing writes to the workspace with its shared key: Application Insights ingests into it itself.
      disableLocalAuth: true
    }
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
    DisableLocalAuth: disableLocalAuth
    // The probes send from inside VNets over the public ingestion endpoint (no Azure Monitor Private Link Scope).
    publicNetworkAccessForIngestion: 'Enabled'
    publicNetworkAccessForQuery: 'Enabled'
  }
}

resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, identity.id, monitoringMetricsPublisherRoleId)
  scope: appInsights
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      monitoringMetricsPublisherRoleId
    )
    description: 'Key Vault private link probe: send telemetry with Microsoft Entra authentication.'
  }
}

output workspaceId string = workspace.id
output appInsightsId string = appInsights.id
// The name only: the connection string is read by the sites through an `existing` reference, never passed around.
output appInsightsName string = appInsights.name
