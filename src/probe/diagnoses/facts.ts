import type { Finding, FindingCode, FindingDetails } from '../findings';

/**
 * The kinds of fact a finding carries, the things two findings can share:
 * - address: an IP address a resolver returned, a record holds or the data plane was asked on;
 * - endpoint: a private endpoint (ARM ID);
 * - zone: a private DNS zone (ARM ID);
 * - recordSet: an A record set (ARM ID);
 * - name: the DNS label of the vault's name (`kv-orders` of `kv-orders.vault.azure.net`);
 * - vnet: a virtual network (ARM ID);
 * - resolver: what answered a DNS question: `os` (getaddrinfo), `dns` (the configured servers), or a server's IP;
 * - proxy: the proxy that carried a data-plane request (its URL);
 * - path: `public`, for findings about the vault's public front end.
 */
export const FACT_KINDS = [
  'address',
  'endpoint',
  'zone',
  'recordSet',
  'name',
  'vnet',
  'resolver',
  'proxy',
  'path',
] as const;
export type FactKind = (typeof FACT_KINDS)[number];

/** The facts of one finding, by kind: values compared case-insensitively (stored lower-cased). */
export type Facts = { readonly [K in FactKind]?: readonly string[] };

type Extract<C extends FindingCode> = (
  details: FindingDetails[C],
) => Partial<Record<FactKind, readonly (string | undefined)[]>>;

/** The resolvers a VNet's own resolution serves: getaddrinfo and the configured DNS servers both ask it. */
const VNET_RESOLVERS = ['os', 'dns'];
/** The DNS label of a host name or a record set ID (its last segment). */
const label = (hostOrId: string | undefined): string | undefined =>
  hostOrId === undefined ? undefined : hostOrId.slice(hostOrId.lastIndexOf('/') + 1).split('.')[0];
const proxyOf = (via: string | undefined): readonly (string | undefined)[] => (via ? [via] : []);
const publicIf = (yes: boolean): string[] => (yes ? ['public'] : []);

/**
 * How each code's details map to facts. The compiler asks for a row per code: a new code states what it is about.
 * A code with no fact to share (`{}`) can only be a root, never explained.
 */
const EXTRACT: { readonly [C in FindingCode]: Extract<C> } = {
  ARM_READ_FAILED: (d) => ({
    endpoint: d.resourceId && /\/privateEndpoints\//i.test(d.resourceId) ? [d.resourceId] : [],
  }),
  ENDPOINT_READ_FAILED: (d) => ({ endpoint: [d.privateEndpointId] }),
  VAULT_NOT_FOUND: (d) => ({ name: [d.vault] }),
  RUN_DEADLINE_EXCEEDED: () => ({}),
  DATAPLANE_AUTH_UNAVAILABLE: () => ({}),
  DATAPLANE_TOKEN_REJECTED: (d) => ({ address: [d.address], proxy: proxyOf(d.via) }),
  PROBE_STEP_FAILED: () => ({}),
  VAULT_URI_MISMATCH: () => ({}),
  FOREIGN_ENDPOINT: (d) => ({ endpoint: [d.privateEndpointId] }),
  // With no connection Approved the vault has no private path at all (issue 20: no privatelink CNAME either).
  PE_CONNECTION_NOT_APPROVED: (d) => ({
    endpoint: [d.privateEndpointId],
    path: publicIf(d.noApprovedConnection === true),
  }),
  PE_NOT_PROVISIONED: (d) => ({ endpoint: [d.privateEndpointId] }),
  NO_PRIVATE_ENDPOINT: () => ({ path: ['public'] }),
  CONNECTION_REQUEST_PENDING: (d) => ({ endpoint: [d.privateEndpointId] }),
  VAULT_UNREACHABLE_BY_DESIGN: (d) => ({ endpoint: d.endpoints, vnet: [d.vnetId], path: ['public'] }),
  ZONE_RECORD_STALE: (d) => ({ address: [d.address], zone: [d.zone], recordSet: [d.record], name: [label(d.record)] }),
  // Under NxDomainRedirect the missing record makes this VNet's resolvers answer publicly (issue 20).
  ZONE_RECORD_MISSING: (d) => ({
    address: [d.address],
    endpoint: [d.privateEndpointId],
    zone: d.zones,
    name: [d.record],
    resolver: d.fallbackLink ? VNET_RESOLVERS : [],
  }),
  ZONE_NOT_LINKED: (d) => ({ zone: [d.zone], vnet: [d.vnetId], resolver: VNET_RESOLVERS }),
  ZONE_GROUP_MISSING: (d) => ({ endpoint: [d.privateEndpointId] }),
  NXDOMAIN_SPLIT_BRAIN: (d) => ({ zone: [d.zone], vnet: [d.vnetId], resolver: VNET_RESOLVERS, name: [d.record] }),
  DNS_PRIVATE_IP_MISMATCH: (d) => ({ address: [d.address], endpoint: [d.privateEndpointId], resolver: [d.resolver] }),
  DNS_PUBLIC_IP: (d) => ({ address: [d.address], resolver: [d.resolver], path: ['public'] }),
  DNS_NO_PRIVATELINK_CNAME: (d) => ({ name: [label(d.expectedCname)], resolver: VNET_RESOLVERS, path: ['public'] }),
  DNS_NXDOMAIN: (d) => ({ name: [label(d.host)], resolver: [d.resolver] }),
  DNS_FAILURE: (d) => ({ name: [label(d.host)], resolver: [d.resolver] }),
  // The answer only one side gives is the one in question (a hosts-file line, a server answering otherwise).
  DNS_RESOLVERS_DISAGREE: (d) => ({ address: d.os.filter((a) => !d.dns.includes(a)), resolver: ['os', ...d.servers] }),
  ENDPOINT_BELONGS_TO_OTHER_RESOURCE: (d) => ({ address: [d.address], endpoint: [d.privateEndpointId] }),
  // A server of the VNet answers for every resolver of the machines in it.
  CUSTOM_DNS_NOT_FORWARDING: (d) => ({ resolver: [d.server, ...VNET_RESOLVERS] }),
  DATAPLANE_ENDPOINT_NOT_PREFERRED: (d) => ({
    address: [d.address],
    endpoint: [d.privateEndpointId],
    proxy: proxyOf(d.via),
  }),
  DATAPLANE_FANOUT_CAPPED: (d) => ({ address: [...d.probed, ...d.notProbed], name: [label(d.host)] }),
  DNS_ADDRESSES_CAPPED: (d) => ({ address: d.sample, name: [label(d.host)] }),
  DNS_UNREACHED_ENDPOINT: (d) => ({ address: [d.address], endpoint: [d.privateEndpointId], resolver: [d.resolver] }),
  // The names the loop catches, and the VNet's DNS server through which they reach it.
  RESOLVER_FORWARDING_LOOP: (d) => ({ vnet: [d.vnetId], name: d.hosts.map(label), resolver: [d.server] }),
  DATAPLANE_TCP_CONNECTION_FORBIDDEN: (d) => ({
    address: [d.address],
    endpoint: [d.privateEndpointId],
    proxy: proxyOf(d.via),
  }),
  DATAPLANE_FORBIDDEN: (d) => ({
    address: [d.address],
    proxy: proxyOf(d.via),
    path: publicIf(/^Forbidden(ByConnection|ByFirewall)$/i.test(d.innerErrorCode ?? d.errorCode ?? '')),
  }),
  DATAPLANE_UNREACHABLE: (d) => ({ address: [d.address], proxy: proxyOf(d.via) }),
  DATAPLANE_NOT_PRIVATE: (d) => ({ address: [d.address], proxy: proxyOf(d.via), path: ['public'] }),
  DATAPLANE_TLS_UNTRUSTED: (d) => ({ address: [d.address], proxy: proxyOf(d.via) }),
  DATAPLANE_ENDPOINT_OF_OTHER_RESOURCE: (d) => ({
    address: [d.address],
    endpoint: [d.privateEndpointId],
    proxy: proxyOf(d.via),
  }),
  PROXY_IN_PATH: (d) => ({ proxy: [d.proxy] }),
  PRIVATELINK_HOST_IN_USE: () => ({}),
  // The answer ARM does not describe came from the VNet's DNS servers.
  MODEL_DISAGREES: (d) => ({ address: d.address, resolver: ['dns', ...d.servers] }),
  // No credential: nothing was read, nothing else to share; always a root.
  CREDENTIAL_UNAVAILABLE: () => ({}),
};

/** The facts a finding carries, from its details: lower-cased, de-duplicated, empty kinds left out. */
export function factsOf(f: Pick<Finding, 'code' | 'details'>): Facts {
  const raw = (
    EXTRACT[f.code] as (d: Finding['details']) => Partial<Record<FactKind, readonly (string | undefined)[]>>
  )(f.details);
  const out: { [K in FactKind]?: string[] } = {};
  for (const kind of FACT_KINDS) {
    const values = [...new Set((raw[kind] ?? []).flatMap((v) => (v ? [v.toLowerCase()] : [])))];
    if (values.length > 0) out[kind] = values;
  }
  return out;
}

/** True when both carry a value of `kind` in common. */
export function share(a: Facts, b: Facts, kind: FactKind): boolean {
  const mine = a[kind];
  const theirs = b[kind];
  return mine !== undefined && theirs !== undefined && mine.some((v) => theirs.includes(v));
}
