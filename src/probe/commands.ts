import { parseArmId } from './names';

/**
 * The `az` commands findings carry, with the real names filled in. Pure string building: each takes ARM IDs and
 * names as ARM gives them.
 */

const rgAndName = (id: string): { rg: string; name: string; sub: string } => {
  const p = parseArmId(id);
  return {
    rg: p?.resourceGroup ?? '<resource-group>',
    name: p?.name ?? '<name>',
    sub: p?.subscriptionId ?? '<subscription>',
  };
};

/** `/…/privateDnsZones/<zone>` of a record set or link ID. */
export function zoneOf(id: string): { rg: string; zone: string; sub: string } {
  const m =
    /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/privateDnsZones\/([^/]+)/i.exec(
      id,
    );
  return { sub: m?.[1] ?? '<subscription>', rg: m?.[2] ?? '<resource-group>', zone: m?.[3] ?? '<zone>' };
}

export const commands = {
  showVault: (vaultId: string): string =>
    `az keyvault show --ids ${vaultId} --query "{uri:properties.vaultUri, publicNetworkAccess:properties.publicNetworkAccess, connections:properties.privateEndpointConnections[].{endpoint:privateEndpoint.id, status:privateLinkServiceConnectionState.status, state:provisioningState}}"`,
  listVaults: (subscriptionId: string, name: string): string =>
    `az keyvault list --subscription ${subscriptionId} --query "[?name=='${name}'].id"`,
  approve: (vaultName: string, resourceGroup: string, connectionName: string): string =>
    `az keyvault private-endpoint-connection approve --vault-name ${vaultName} --resource-group ${resourceGroup} --name ${connectionName}`,
  showNic: (nicId: string): string => `az network nic show --ids ${nicId}`,
  /** Which resources a private endpoint connects to: the owner of an address the vault's name resolves to. */
  showEndpointTargets: (peId: string): string =>
    `az network private-endpoint show --ids ${peId} --query "privateLinkServiceConnections[].privateLinkServiceId"`,
  tokenTenant: (audience: string): string =>
    `az account get-access-token --resource ${audience} --query "{tenant:tenant, expiresOn:expiresOn}"`,
  tokenExpiry: (audience: string): string => `az account get-access-token --resource ${audience} --query expiresOn`,
  showEndpoint: (peId: string): string =>
    `az network private-endpoint show --ids ${peId} --query "{state:provisioningState, connections:privateLinkServiceConnections[].{status:privateLinkServiceConnectionState.status, state:provisioningState}, nics:networkInterfaces[].id}"`,
  deleteEndpoint: (peId: string): string => `az network private-endpoint delete --ids ${peId}`,
  createEndpoint: (vaultId: string, vaultName: string, vnetId: string | undefined): string => {
    const v = vnetId ? rgAndName(vnetId) : { rg: '<resource-group>', name: '<vnet>', sub: undefined };
    // A Managed HSM's private link sub-resource is `managedhsm`, a vault's `vault`.
    const groupId = /\/managedHSMs\//i.test(vaultId) ? 'managedhsm' : 'vault';
    return `az network private-endpoint create${v.sub ? ` --subscription ${v.sub}` : ''} -g ${v.rg} -n pe-${vaultName} --vnet-name ${v.name} --subnet <subnet> --private-connection-resource-id ${vaultId} --group-id ${groupId} --connection-name ${vaultName}`;
  },
  removeRecordIp: (recordSetId: string, ip: string): string => {
    const z = zoneOf(recordSetId);
    return `az network private-dns record-set a remove-record --subscription ${z.sub} -g ${z.rg} -z ${z.zone} -n ${rgAndName(recordSetId).name} -a ${ip}`;
  },
  addRecordIp: (zoneId: string, record: string, ip: string): string => {
    const z = zoneOf(zoneId);
    return `az network private-dns record-set a add-record --subscription ${z.sub} -g ${z.rg} -z ${z.zone} -n ${record} -a ${ip}`;
  },
  linkZone: (zoneId: string, vnetId: string): string => {
    const z = zoneOf(zoneId);
    return `az network private-dns link vnet create --subscription ${z.sub} -g ${z.rg} -z ${z.zone} -n link-${rgAndName(vnetId).name} -v ${vnetId} -e false`;
  },
  nxDomainRedirect: (linkId: string): string => {
    const z = zoneOf(linkId);
    return `az network private-dns link vnet update --subscription ${z.sub} -g ${z.rg} -z ${z.zone} -n ${rgAndName(linkId).name} --resolution-policy NxDomainRedirect`;
  },
  createZoneGroup: (peId: string, zoneId: string): string => {
    const p = rgAndName(peId);
    // The config is named after the zone it serves: Managed HSM endpoints use privatelink.managedhsm.<suffix>.
    const configName = /privatelink\.managedhsm\./i.test(zoneId) ? 'managedhsm' : 'vaultcore';
    return `az network private-endpoint dns-zone-group create --subscription ${p.sub} -g ${p.rg} --endpoint-name ${p.name} -n default --private-dns-zone ${zoneId} --zone-name ${configName}`;
  },
  nslookup: (host: string, server?: string): string => (server ? `nslookup ${host} ${server}` : `nslookup ${host}`),
  curlHealth: (host: string, address: string): string =>
    `curl -sv --resolve ${host}:443:${address} https://${host}/healthstatus`,
  curlHealthViaProxy: (host: string, proxy: string): string => `curl -sv --proxy ${proxy} https://${host}/healthstatus`,
};

/** Reproduces the authenticated read by hand: the token for the vault's audience, the same path, the same address. */
export function curlAuthenticated(host: string, address: string, audience: string, path: string, via?: string): string {
  const token = `$(az account get-access-token --resource ${audience} --query accessToken -o tsv)`;
  const route = via ? `--proxy ${via}` : `--resolve ${host}:443:${address}`;
  return `curl -s -i ${route} -H "Authorization: Bearer ${token}" "https://${host}${path}"`;
}

/** Shows the certificate an address presents for the vault's name (through the proxy when one carries the traffic). */
export function showCertificate(host: string, address: string, via?: string): string {
  return via
    ? `curl -sv --proxy ${via} https://${host}/healthstatus -o /dev/null 2>&1 | grep -Ei "subject|issuer|SSL certificate"`
    : `openssl s_client -connect ${address}:443 -servername ${host} -showcerts </dev/null | openssl x509 -noout -subject -issuer`;
}
