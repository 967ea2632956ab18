// Azure Monitor workbook over the probe's telemetry: vaults x sites status grid, recent findings, resolved vs
// expected addresses. The workbook's content is probe-workbook.json (edit it in the portal's Advanced Editor and paste it
// back); Bicep only fills in the deployment's values.

@description('Region of the workbook.')
param location string

@description('Name of the Application Insights resource the workbook is linked to and queries.')
param appInsightsName string

@description('Names of the expected probe sites; the status grid shows a column for each even before it reports.')
param siteNames string[]

@description('Resource IDs of the Log Analytics workspaces with the vaults\' audit logs; non-empty adds the denied-requests section.')
param vaultLogWorkspaceIds string[]

@description('Minutes between probe runs (the PROBE_SCHEDULE interval).')
@minValue(1)
param probeIntervalMinutes int = 5

@description('Runs between two snapshots of every vault\'s state (PROBE_FINDING_REFRESH_RUNS of the app).')
@minValue(1)
param snapshotRuns int = 12

@description('Display name of the workbook.')
param displayName string

@description('Tags for the workbook.')
param tags object

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

// The placeholders sit inside JSON strings of probe-workbook.json, so the values are JSON-escaped before substitution.
func jsonEscape(value string) string => replace(replace(replace(value, '\\', '\\\\'), '"', '\\"'), '\n', '\\n')

// The state rebuild (snapshot plus changes), in front of the Current state tab's queries; it looks back two snapshot
// periods and one interval more, as the cause alerts do.
var vaultStateQuery = replace(
  loadTextContent('vault-state.kql'),
  '__STATE_LOOKBACK__',
  '${(2 * snapshotRuns + 1) * probeIntervalMinutes}m'
)

// The denied-requests section (audit-workbook-items.json, its query from denied-requests-panel.kql) is appended only
// when workspaces with the vaults' logs are given.
var baseContent = loadJsonContent('probe-workbook.json')
var auditItems = loadJsonContent('audit-workbook-items.json').items
var deniedQuery = loadTextContent('denied-requests-panel.kql')
var auditSection = [
  auditItems[0]
  union(auditItems[1], { content: union(auditItems[1].content, { query: deniedQuery, crossComponentResources: vaultLogWorkspaceIds }) })
  auditItems[2]
]
// issue 25: the Estate tab (infra/estate/estate-workbook-tab.json): its link joins the tabs, its group follows them.
var estateTab = loadJsonContent('../estate/estate-workbook-tab.json')
var itemsWithEstateLink = map(
  baseContent.items,
  item => item.name == 'tabs' ? union(item, { content: union(item.content, { links: concat(item.content.links, [estateTab.link]) }) }) : item
)
var content = union(baseContent, {
  items: concat(itemsWithEstateLink, [estateTab.group], empty(vaultLogWorkspaceIds) ? [] : auditSection)
})

var serializedData = replace(
  replace(
    replace(
      // __SITES__: a KQL dynamic array literal, written as JSON: dynamic(["hub","spoke"]).
      replace(
        replace(string(content), '__VAULT_STATE__', jsonEscape(vaultStateQuery)),
        '__SITES__',
        jsonEscape(string(siteNames))
      ),
      '__SITES_TEXT__',
      jsonEscape(join(siteNames, ', '))
    ),
    '__APP_INSIGHTS_ID__',
    appInsights.id
  ),
  '__VAULT_LOG_WORKSPACES_TEXT__',
  jsonEscape(join(map(vaultLogWorkspaceIds, id => last(split(id, '/'))), ', '))
)

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  // A workbook's name must be a GUID; derived from the resource group and the linked resource so redeploys update it.
  name: guid(resourceGroup().id, appInsights.id, 'kv-privatelink-probe-workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: displayName
    category: 'workbook'
    sourceId: appInsights.id
    version: 'Notebook/1.0'
    serializedData: serializedData
  }
}

output workbookId string = workbook.id
