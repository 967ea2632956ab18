// Types shared by main.bicep and its modules.

@export()
@description('One VNet the probe runs in: a Flex Consumption Function App integrated into an existing subnet of that VNet.')
type ProbeSite = {
  @description('Short name of the site, unique among the sites: 1-24 lowercase letters, digits or hyphens, starting and ending with a letter or digit (main.bicep refuses anything else before creating a resource). It becomes PROBE_SITE (the availability results\' location and the "location" dimension of every event), the alerts\' "site" dimension, and part of resource names.')
  @minLength(1)
  @maxLength(24)
  name: string

  @description('Resource ID of an existing subnet of the VNet to probe from, delegated to Microsoft.App/environments (Flex Consumption VNet integration). The VNet may be in another resource group or subscription. PROBE_VNET_ID is set to it: the probe reads the VNet and judges the route table and service endpoints of this subnet.')
  @minLength(1)
  subnetId: string

  @description('Azure region of that VNet. The Function App, its plan and its storage account are created there: VNet integration requires the app and the VNet to be in the same region.')
  @minLength(1)
  location: string

  @description('Optional DNS servers (IP addresses) the probe queries explicitly besides the OS resolver (PROBE_DNS_SERVERS). Leave out to use only the VNet\'s resolver.')
  dnsServers: string[]?

  @description('Optional scope of this site: subscription IDs whose vaults it probes (PROBE_SUBSCRIPTIONS at this site, in place of probeSubscriptionIds). The custom role is assigned at each.')
  subscriptionIds: string[]?

  @description('Optional scope of this site: vault names or resource IDs it probes (PROBE_VAULTS at this site, in place of probeVaults), for VNets that use only some vaults or have their own endpoints.')
  vaults: string[]?

  @description('Optional vault names this site probes although it does not reach them privately (PROBE_SITE_VAULTS), e.g. a vault it must use whose peering or endpoint is still missing. A vault tag "kvprobe-sites" naming the site does the same from the vault\'s side.')
  siteVaults: string[]?

  @description('Optional: which vaults of its inventory the site probes (PROBE_SITE_SCOPE). Left out: private, the vaults it reaches privately plus siteVaults and tagged ones; all: every vault.')
  siteScope: ('private' | 'all')?

  @description('Optional, issue 25: this site also maps every VNet in its scope after each run (PROBE_ESTATE=on): the estate alert and the workbook\'s Estate tab read it. Turn it on at one or two sites, so that sites do not repeat each other\'s work.')
  estate: bool?
  @description('Optional, issue 25: with estate, this site also asks the VNets\' DNS servers that ARM cannot describe (a VM, on-premises) that it reaches, from its VNet or a connected peer (PROBE_ESTATE_QUERY_DNS=on): those VNets are then queried by this site instead of unknown.')
  estateQueryDns: bool?
}

@export()
@description('The Azure clouds the probe knows (PROBE_CLOUD).')
type CloudName = 'AzureCloud' | 'AzureUSGovernment' | 'AzureChinaCloud'

@export()
@description('A maintenance window for the alert processing rule (schedule of Microsoft.AlertsManagement/actionRules).')
type MaintenanceWindow = {
  @description('Start, "yyyy-MM-ddTHH:mm:ss", in timeZone.')
  effectiveFrom: string
  @description('End, "yyyy-MM-ddTHH:mm:ss", in timeZone; leave out for no end.')
  effectiveUntil: string?
  @description('Time zone name, e.g. "UTC" or "W. Europe Standard Time".')
  timeZone: string
  @description('Optional recurrences, e.g. [{ recurrenceType: \'Weekly\', daysOfWeek: [\'Saturday\'], startTime: \'22:00:00\', endTime: \'23:59:59\' }].')
  recurrences: object[]?
}

@export()
@description('A vault owner who receives the alerts of the objects that break their vaults (alertOwners): one Sev 1 rule per owner, over every broken-object cause, notifying the owner\'s action groups; the platform team\'s rules keep every alert. The owner\'s vaults are those tagged kvprobe-owner=<tag> (the tag name and value in any case), those named in vaults, or both; an owner with neither receives nothing.')
type AlertOwner = {
  @description('Short name of the owner, unique among the owners: 1-24 lowercase letters, digits or hyphens. Part of the rule\'s name.')
  @minLength(1)
  @maxLength(24)
  name: string

  @description('Names of the owner\'s vaults (case does not matter). The owner\'s rule keeps every object that breaks at least one of them, and lists all the vaults it breaks.')
  vaults: string[]?

  @description('The owner key: the value of the kvprobe-owner tag on the owner\'s vaults (case does not matter). The owner tags a vault to subscribe to its alerts, with no change to this deployment.')
  @minLength(1)
  @maxLength(256)
  tag: string?

  @description('Resource IDs of the owner\'s existing action groups.')
  @minLength(1)
  actionGroupIds: string[]
}
