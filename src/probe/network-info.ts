import { classifyAddress, type AddressRule } from './ip';

/**
 * `x-ms-keyvault-network-info`, in each form Key Vault has been seen to send:
 * `conn_type=PrivateLink;private_endpoint=<id>;addr=<ip>;act_addr_fam=<family>;` (over private link),
 * `conn_type=Ipv4;addr=<ip>;act_addr_fam=InterNetwork;` (public), the older `addr=<ip>;act_addr_fam=<family>;`
 * without `conn_type`, and a bare `addr=<ip>`. Keys are matched case-insensitively; unknown keys are kept.
 */
export interface NetworkInfo {
  readonly connType?: string;
  readonly privateEndpointId?: string;
  /** The caller's address as Key Vault saw it. */
  readonly clientAddress?: string;
  readonly addressFamily?: string;
  readonly fields: Readonly<Record<string, string>>;
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
  return {
    ...(connType ? { connType } : {}),
    ...(privateEndpointId ? { privateEndpointId } : {}),
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
