import { classifyAddress, type AddressRule } from './ip';

/**
 * `x-ms-keyvault-network-info`, in each form Key Vault has been seen to send:
 * `conn_type=PrivateLink;private_endpoint=<id>;addr=<ip>;act_addr_fam=<family>;` (over private link),
 * `conn_type=Ipv4;addr=<ip>;act_addr_fam=InterNetwork;` (public), `conn_type=Subnet;subnet=<id>;addr=<private ip>;…`
 * (over a subnet's service endpoint), the older `addr=<ip>;act_addr_fam=<family>;`
 * without `conn_type`, and a bare `addr=<ip>`. Keys are matched case-insensitively; unknown keys are kept.
 */
export interface NetworkInfo {
  readonly connType?: string;
  /** `private_endpoint` when it is a well-formed private endpoint resource ID: only then is it named or put in a command. */
  readonly privateEndpointId?: string;
  /** issue 21: `private_endpoint` when it is anything else: opaque text, quoted in a message at most, never in a command. */
  readonly privateEndpointText?: string;
  /** The caller's address as Key Vault saw it. */
  readonly clientAddress?: string;
  readonly addressFamily?: string;
  readonly fields: Readonly<Record<string, string>>;
}

/**
 * A private endpoint resource ID as ARM forms it: a subscription GUID, a resource group name (letters, digits,
 * `-_.()`, not ending in `.`), an endpoint name (letters, digits, `-_.`, starting with a letter or digit). Nothing that
 * could change a shell command or a URL.
 */
const PRIVATE_ENDPOINT_ID =
  /^\/subscriptions\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/resourceGroups\/[-\w.()]{0,89}[-\w()]\/providers\/Microsoft\.Network\/privateEndpoints\/[A-Za-z0-9][-\w.]{0,79}$/i;

/** True for a well-formed private endpoint resource ID. */
export function isPrivateEndpointId(value: string): boolean {
  return PRIVATE_ENDPOINT_ID.test(value);
}

export function parseNetworkInfo(header: string): NetworkInfo {
  const fields: Record<string, string> = {};
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields[part.slice(0, eq).trim().toLowerCase()] = part.slice(eq + 1).trim();
  }
  const pick = (k: string): { [key: string]: string } => (fields[k] ? { [k]: fields[k] } : {});
  const {
    conn_type: connType,
    private_endpoint: privateEndpointId,
    addr: clientAddress,
    act_addr_fam: addressFamily,
  } = {
    ...pick('conn_type'),
    ...pick('private_endpoint'),
    ...pick('addr'),
    ...pick('act_addr_fam'),
  };
  const wellFormed = privateEndpointId !== undefined && isPrivateEndpointId(privateEndpointId);
  return {
    ...(connType ? { connType } : {}),
    ...(privateEndpointId && wellFormed ? { privateEndpointId } : {}),
    ...(privateEndpointId && !wellFormed ? { privateEndpointText: privateEndpointId } : {}),
    ...(clientAddress ? { clientAddress } : {}),
    ...(addressFamily ? { addressFamily } : {}),
    fields,
  };
}

/**
 * How a request arrived, and the rule that decided it. `service-endpoint`: `conn_type=Subnet` (a subnet's service
 * endpoint, `subnet=<id>` names it); `ambiguous`: a private `addr` without `conn_type` where a service endpoint on
 * the site's subnet could explain it as well as private link (the diagnostics guide reads a private `addr` as
 * "private link or service endpoint").
 */
export interface Arrival {
  readonly privateLink: boolean;
  readonly kind: 'private-link' | 'service-endpoint' | 'public' | 'ambiguous';
  readonly rule: 'conn_type' | 'no-header' | 'no-addr' | 'service-endpoint-possible' | AddressRule;
  /** The subnet the header named (`Subnet` form), or the site subnet whose service endpoint could explain it. */
  readonly subnet?: string;
}

/**
 * Whether the request arrived over private link. `conn_type` decides when present (PrivateLink, Subnet, or public).
 * Without it (the older forms), the caller's address decides: private by RFC 1918, RFC 6598, IPv6 ULA and the like,
 * or inside `sitePrefixes` (the address spaces of the probe's VNet and its connected peers), unless a Key Vault
 * service endpoint on the site's subnet (`serviceEndpointSubnet`) could explain the private address: then ambiguous.
 */
export function judgeArrival(
  info: NetworkInfo | undefined,
  sitePrefixes: readonly string[],
  serviceEndpointSubnet?: string,
): Arrival {
  if (!info) return { privateLink: false, kind: 'public', rule: 'no-header' };
  if (info.connType) {
    const t = info.connType.toLowerCase();
    if (t === 'privatelink') return { privateLink: true, kind: 'private-link', rule: 'conn_type' };
    if (t === 'subnet') {
      const subnet = info.fields['subnet'];
      return { privateLink: false, kind: 'service-endpoint', rule: 'conn_type', ...(subnet ? { subnet } : {}) };
    }
    return { privateLink: false, kind: 'public', rule: 'conn_type' };
  }
  if (!info.clientAddress) return { privateLink: false, kind: 'public', rule: 'no-addr' };
  const c = classifyAddress(info.clientAddress, sitePrefixes);
  if (!c.private) return { privateLink: false, kind: 'public', rule: c.rule };
  if (serviceEndpointSubnet)
    return { privateLink: false, kind: 'ambiguous', rule: 'service-endpoint-possible', subnet: serviceEndpointSubnet };
  return { privateLink: true, kind: 'private-link', rule: c.rule };
}
