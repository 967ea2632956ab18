import { parseArmId } from './names';

/**
 * The commands findings carry, with the real names filled in. Pure string building: each takes ARM IDs and names as
 * ARM gives them. Every ID, name and address is quoted with `q`, so a command pastes the same into bash and
 * PowerShell. A `fix` changes something; a `confirm` only reads (the names say which: show/list/get vs the rest).
 */

/**
 * One argument, single-quoted: neither bash nor PowerShell expands anything between single quotes. A value holding a
 * single quote (no ARM name or ID does) cannot be quoted the same way in both shells: it is refused, not pasted.
 */
export function q(value: string): string {
  return value.includes("'") ? "'<refused: quote in value>'" : `'${value}'`;
}

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

const recordArgs = (zoneId: string, record: string): string => {
  const z = zoneOf(zoneId);
  return `--subscription ${q(z.sub)} -g ${q(z.rg)} -z ${q(z.zone)} -n ${q(record)}`;
};

/** Reads: they change nothing. */
export const reads = {
  showVault: (vaultId: string): string =>
    `az keyvault show --ids ${q(vaultId)} --query "{uri:properties.vaultUri, publicNetworkAccess:properties.publicNetworkAccess, connections:properties.privateEndpointConnections[].{id:id, endpoint:privateEndpoint.id, status:privateLinkServiceConnectionState.status, state:provisioningState}}"`,
  listVaults: (subscriptionId: string, name: string): string =>
    `az keyvault list --subscription ${q(subscriptionId)} --query "[?name=='${name.replace(/'/g, '')}'].id"`,
  listSubscriptions: (): string => 'az account list --query "[].{id:id, state:state}"',
  showConnection: (vaultName: string, resourceGroup: string, connectionName: string): string =>
    `az keyvault private-endpoint-connection show --vault-name ${q(vaultName)} --resource-group ${q(resourceGroup)} --name ${q(connectionName)} --query "{endpoint:privateEndpoint.id, status:privateLinkServiceConnectionState.status, description:privateLinkServiceConnectionState.description}"`,
  showNic: (nicId: string): string => `az network nic show --ids ${q(nicId)}`,
  /** Which resources a private endpoint connects to: the owner of an address the vault's name resolves to. */
  showEndpointTargets: (peId: string): string =>
    `az network private-endpoint show --ids ${q(peId)} --query "privateLinkServiceConnections[].privateLinkServiceId"`,
  showEndpoint: (peId: string): string =>
    `az network private-endpoint show --ids ${q(peId)} --query "{state:provisioningState, connections:privateLinkServiceConnections[].{status:privateLinkServiceConnectionState.status, state:provisioningState}, nics:networkInterfaces[].id}"`,
  showRecordSet: (recordSetId: string): string => `az network private-dns record-set a show --ids ${q(recordSetId)}`,
  listZoneLinks: (zoneId: string): string => {
    const z = zoneOf(zoneId);
    return `az network private-dns link vnet list --subscription ${q(z.sub)} -g ${q(z.rg)} -z ${q(z.zone)} --query "[].{name:name, vnet:virtualNetwork.id, policy:resolutionPolicy}"`;
  },
  showRuleset: (rulesetId: string): string => {
    const r = rgAndName(rulesetId);
    return `az dns-resolver forwarding-rule list --subscription ${q(r.sub)} -g ${q(r.rg)} --ruleset-name ${q(r.name)} --query "[].{domain:domainName, targets:targetDnsServers[].ipAddress, state:forwardingRuleState}"`;
  },
  /** The VNets a forwarding ruleset is linked to, with each link's name. */
  listRulesetLinks: (rulesetId: string): string => {
    const r = rgAndName(rulesetId);
    return `az dns-resolver vnet-link list --subscription ${q(r.sub)} -g ${q(r.rg)} --ruleset-name ${q(r.name)} --query "[].{name:name, vnet:virtualNetwork.id}"`;
  },
  tokenTenant: (audience: string): string =>
    `az account get-access-token --resource ${q(audience)} --query "{tenant:tenant, expiresOn:expiresOn}"`,
  tokenExpiry: (audience: string): string => `az account get-access-token --resource ${q(audience)} --query expiresOn`,
  nslookup: (host: string, server?: string): string =>
    server ? `nslookup ${q(host)} ${q(server)}` : `nslookup ${q(host)}`,
  nslookupCname: (host: string, server?: string): string =>
    `nslookup -type=CNAME ${q(host)}${server ? ` ${q(server)}` : ''}`,
  getent: (host: string): string => `getent ahosts ${q(host)}`,
  hostsEntry: (host: string): string => `grep -i ${q(host)} /etc/hosts`,
  proxyVariables: (): string => 'env | grep -i _proxy',
  curlHealth: (host: string, address: string): string =>
    `curl -sv --resolve ${q(`${host}:443:${address}`)} ${q(`https://${host}/healthstatus`)}`,
  curlHealthViaProxy: (host: string, proxy: string): string =>
    `curl -sv --proxy ${q(proxy)} ${q(`https://${host}/healthstatus`)}`,
};

/** Changes: each alters a resource or a file. */
export const changes = {
  /** Deletes the vault's side of a connection: what a deleted or disconnected endpoint leaves behind. */
  deleteConnection: (vaultName: string, resourceGroup: string, connectionName: string): string =>
    `az keyvault private-endpoint-connection delete --vault-name ${q(vaultName)} --resource-group ${q(resourceGroup)} --name ${q(connectionName)}`,
  approve: (vaultName: string, resourceGroup: string, connectionName: string): string =>
    `az keyvault private-endpoint-connection approve --vault-name ${q(vaultName)} --resource-group ${q(resourceGroup)} --name ${q(connectionName)}`,
  deleteEndpoint: (peId: string): string => `az network private-endpoint delete --ids ${q(peId)}`,
  createEndpoint: (vaultId: string, vaultName: string, vnetId: string | undefined): string => {
    const v = vnetId ? rgAndName(vnetId) : { rg: '<resource-group>', name: '<vnet>', sub: undefined };
    // A Managed HSM's private link sub-resource is `managedhsm`, a vault's `vault`.
    const groupId = /\/managedHSMs\//i.test(vaultId) ? 'managedhsm' : 'vault';
    return `az network private-endpoint create${v.sub ? ` --subscription ${q(v.sub)}` : ''} -g ${q(v.rg)} -n ${q(`pe-${vaultName}`)} --vnet-name ${q(v.name)} --subnet '<subnet>' --private-connection-resource-id ${q(vaultId)} --group-id ${groupId} --connection-name ${q(vaultName)}`;
  },
  removeRecordIp: (recordSetId: string, ip: string): string =>
    `az network private-dns record-set a remove-record ${recordArgs(recordSetId, rgAndName(recordSetId).name)} -a ${q(ip)}`,
  addRecordIp: (zoneId: string, record: string, ip: string): string =>
    `az network private-dns record-set a add-record ${recordArgs(zoneId, record)} -a ${q(ip)}`,
  /** Links the zone to a VNet; without its ID (no --vnet), to the one named by a placeholder. */
  linkZone: (zoneId: string, vnetId: string | undefined): string => {
    const z = zoneOf(zoneId);
    const vnetName = vnetId ? rgAndName(vnetId).name : '<vnet-name>';
    return `az network private-dns link vnet create --subscription ${q(z.sub)} -g ${q(z.rg)} -z ${q(z.zone)} -n ${q(`link-${vnetName}`)} -v ${q(vnetId ?? '<clients-vnet-resource-id>')} -e false`;
  },
  nxDomainRedirect: (linkId: string): string => {
    const z = zoneOf(linkId);
    return `az network private-dns link vnet update --subscription ${q(z.sub)} -g ${q(z.rg)} -z ${q(z.zone)} -n ${q(rgAndName(linkId).name)} --resolution-policy NxDomainRedirect`;
  },
  createZoneGroup: (peId: string, zoneId: string): string => {
    const p = rgAndName(peId);
    // The config is named after the zone it serves: Managed HSM endpoints use privatelink.managedhsm.<suffix>.
    const configName = /privatelink\.managedhsm\./i.test(zoneId) ? 'managedhsm' : 'vaultcore';
    return `az network private-endpoint dns-zone-group create --subscription ${q(p.sub)} -g ${q(p.rg)} --endpoint-name ${q(p.name)} -n 'default' --private-dns-zone ${q(zoneId)} --zone-name ${configName}`;
  },
  /** A forwarding rule for `domain` (with its trailing dot) to the given DNS servers, in a ruleset. */
  createForwardingRule: (rulesetId: string, domain: string, targets: readonly string[]): string => {
    const r = rgAndName(rulesetId);
    const name = domain.replace(/\.$/, '').replace(/[^A-Za-z0-9]+/g, '-');
    const servers = `[${targets.map((t) => `{ip-address:${t.replace(/[^0-9A-Fa-f.:]/g, '')},port:53}`).join(',')}]`;
    return `az dns-resolver forwarding-rule create --subscription ${q(r.sub)} -g ${q(r.rg)} --ruleset-name ${q(r.name)} -n ${q(name)} --domain-name ${q(domain)} --forwarding-rule-state Enabled --target-dns-servers ${q(servers)}`;
  },
  /** Removes one VNet link of a forwarding ruleset (`…/dnsForwardingRulesets/<rs>/virtualNetworkLinks/<link>`). */
  deleteRulesetLink: (linkId: string): string => {
    const m = /^(.*\/dnsForwardingRulesets\/[^/]+)\/virtualNetworkLinks\/([^/]+)$/i.exec(linkId);
    const r = rgAndName(m?.[1] ?? '');
    return `az dns-resolver vnet-link delete --subscription ${q(r.sub)} -g ${q(r.rg)} --ruleset-name ${q(r.name)} -n ${q(m?.[2] ?? '<link-name>')}`;
  },
  /** Removes the hosts-file lines that map `address` to `host` (a backup stays as /etc/hosts.bak). */
  removeHostsEntry: (host: string, address: string): string =>
    `sudo sed -i.bak -E ${q(`/^[[:space:]]*${address.replace(/[.:]/g, '\\$&')}[[:space:]].*${host.replace(/\./g, '\\.')}/d`)} /etc/hosts`,
};

/** The `az` commands, reads and changes, by name (checks pick from `reads` for confirm and `changes` for fix). */
export const commands = { ...reads, ...changes };

/** Reproduces the authenticated read by hand: the token for the vault's audience, the same path, the same address. */
export function curlAuthenticated(host: string, address: string, audience: string, path: string, via?: string): string {
  const token = `$(az account get-access-token --resource ${q(audience)} --query accessToken -o tsv)`;
  const route = via ? `--proxy ${q(via)}` : `--resolve ${q(`${host}:443:${address}`)}`;
  return `curl -s -i ${route} -H "Authorization: Bearer ${token}" ${q(`https://${host}${path}`)}`;
}

/** Shows the certificate an address presents for the vault's name (through the proxy when one carries the traffic). */
export function showCertificate(host: string, address: string, via?: string): string {
  return via
    ? `curl -sv --proxy ${q(via)} ${q(`https://${host}/healthstatus`)} -o /dev/null 2>&1 | grep -Ei "subject|issuer|SSL certificate"`
    : `openssl s_client -connect ${q(`${address}:443`)} -servername ${q(host)} -showcerts </dev/null | openssl x509 -noout -subject -issuer`;
}
