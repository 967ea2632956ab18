import { endpointAddresses, resourceName } from '../endpoints';
import { finding, type Finding } from '../findings';
import { judgeArrival, type NetworkInfo } from '../network-info';
import { serviceEndpointSubnets } from '../site-network';
import type { DataplaneObservation, ExpectedState, Site } from '../types';

/**
 * DATAPLANE_NOT_PRIVATE for a site that should reach the vault over private link: how Key Vault saw the request
 * arrive. A `conn_type=Subnet` arrival means clients here bypass the private endpoint over a service endpoint
 * (issue 20). A private `addr` without `conn_type` is private link only where no Key Vault service endpoint on the
 * site's subnet could explain it; otherwise it is ambiguous, a warning that says so. An address the probe connected
 * to that is one of the vault's endpoint IPs went over private link whatever the header's form.
 */
export function arrivalFinding(
  o: DataplaneObservation,
  info: NetworkInfo | undefined,
  expected: ExpectedState | undefined,
  site: Site | undefined,
  prefixes: readonly string[],
  where: string,
): Finding | undefined {
  const toEndpoint = expected ? endpointAddresses(expected).some((a) => a.ip === o.address) : false;
  const seSubnet = site && !toEndpoint ? serviceEndpointSubnets(site)[0]?.id : undefined;
  const arrival = judgeArrival(info, prefixes, seSubnet);
  if (arrival.privateLink) return undefined;
  const details = {
    address: o.address,
    rule: arrival.kind === 'service-endpoint' ? 'conn_type=Subnet' : arrival.rule,
    ...(o.via ? { via: o.via } : {}),
    networkInfo: o.networkInfo,
    clientAddress: info?.clientAddress,
    connType: info?.connType,
    ...(arrival.subnet ? { subnet: arrival.subnet } : {}),
  };
  if (arrival.kind === 'service-endpoint')
    return finding(
      'DATAPLANE_NOT_PRIVATE',
      `Key Vault saw the request on ${where} arrive over the service endpoint of subnet ${resourceName(arrival.subnet)} from ${info?.clientAddress ?? 'an unknown address'}, not over private link: clients here bypass the private endpoint.`,
      details,
    );
  if (arrival.kind === 'ambiguous')
    return finding(
      'DATAPLANE_NOT_PRIVATE',
      `Key Vault saw the request on ${where} arrive from the private address ${info?.clientAddress ?? '?'} without conn_type: that is private link or the Key Vault service endpoint of subnet ${resourceName(arrival.subnet)}, and the header does not say which.`,
      details,
      { severity: 'warning' },
    );
  return finding(
    'DATAPLANE_NOT_PRIVATE',
    info
      ? `Key Vault saw the request on ${where} arrive as ${info.connType ?? 'unknown'} from ${info.clientAddress ?? 'an unknown address'}, not over private link (decided by ${arrival.rule}).`
      : `${where} answered /healthstatus without an x-ms-keyvault-network-info header: the answer did not come from Key Vault over private link.`,
    details,
  );
}
