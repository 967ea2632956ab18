// Types shared by main.bicep and its modules.

@export()
@description('One VNet the probe runs in: a Flex Consumption Function App integrated into an existing subnet of that VNet.')
type ProbeSite = {
  @description('Short name of the site, unique among the sites: 1-24 lowercase letters, digits or hyphens. It becomes PROBE_LOCATION (the availability results\' location and the "location" dimension of every event), the alerts\' "site" dimension, and part of resource names.')
  @minLength(1)
  @maxLength(24)
  name: string

  @description('Resource ID of an existing subnet of the VNet to probe from, delegated to Microsoft.App/environments (Flex Consumption VNet integration). The VNet may be in another resource group or subscription. PROBE_VNET_ID is derived from it.')
  @minLength(1)
  subnetId: string

  @description('Azure region of that VNet. The Function App, its plan and its storage account are created there: VNet integration requires the app and the VNet to be in the same region.')
  @minLength(1)
  location: string

  @description('Optional DNS servers (IP addresses) the probe queries explicitly besides the OS resolver (PROBE_DNS_SERVERS). Leave out to use only the VNet\'s resolver.')
  dnsServers: string[]?
}

@export()
@description('The Azure clouds the probe knows (PROBE_CLOUD).')
type CloudName = 'AzureCloud' | 'AzureUSGovernment' | 'AzureChinaCloud'
