import { classifyAddress, type AddressRule } from './ip';

/**
 * `x-ms-keyvault-network-info`, in each form Key Vault has been seen to send:
 * `conn_type=PrivateLink;private_endpoint=<id>;addr=<ip>;act_addr_fam=<family>;` (over private link),
 * `conn_type=Ipv4;addr=<ip>;act_addr_fam=InterNetwork;` (public), the older `addr=<ip>;act_addr_fam=<family>;`
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

/** How a request arrived, and the rule that decided it. */
export interface Arrival {
  readonly privateLink: boolean;
  readonly rule: 'conn_type' | 'no-header' | 'no-addr' | AddressRule;
}

/**
 * Whether the request arrived over private link. `conn_type` decides when present (PrivateLink or not). Without it
 * (the older forms), the caller's address decides: private by RFC 1918, RFC 6598, IPv6 ULA and the like, or inside
 * `sitePrefixes` (the address spaces of the probe's VNet and its peers); Microsoft's diagnostics guide reads `addr`
 * the same way.
 */
export function judgeArrival(info: NetworkInfo | undefined, sitePrefixes: readonly string[]): Arrival {
  if (!info) return { privateLink: false, rule: 'no-header' };
  if (info.connType) return { privateLink: info.connType.toLowerCase() === 'privatelink', rule: 'conn_type' };
  if (!info.clientAddress) return { privateLink: false, rule: 'no-addr' };
  const c = classifyAddress(info.clientAddress, sitePrefixes);
  return { privateLink: c.private, rule: c.rule };
}
