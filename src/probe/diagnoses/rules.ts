import type { FindingCode } from '../findings';
import type { FactKind } from './facts';

/** "`root` explains each of `explains` when they share a fact of kind `shared`": one row of the table. */
export interface ExplanationRule {
  readonly root: FindingCode;
  readonly explains: readonly FindingCode[];
  readonly shared: FactKind;
  /** Why, in one phrase (the README and the finding pages show it). */
  readonly because: string;
}

/** What the data plane says when it was asked on a wrong address: every verdict a wrong answer leads to. */
const DATAPLANE_AT_ADDRESS: readonly FindingCode[] = [
  'DATAPLANE_TCP_CONNECTION_FORBIDDEN',
  'DATAPLANE_ENDPOINT_OF_OTHER_RESOURCE',
  'DATAPLANE_FORBIDDEN',
  'DATAPLANE_NOT_PRIVATE',
  'DATAPLANE_UNREACHABLE',
  'DATAPLANE_TLS_UNTRUSTED',
  'DATAPLANE_TOKEN_REJECTED',
  'DATAPLANE_ENDPOINT_NOT_PREFERRED',
];

/** What resolvers answer when the VNet's resolution is wrong. */
const ADDRESS_ANSWERS: readonly FindingCode[] = ['DNS_PUBLIC_IP', 'DNS_PRIVATE_IP_MISMATCH', 'DNS_UNREACHED_ENDPOINT'];

/** What resolvers answer when the VNet's resolution is wrong: an address, or none. */
const RESOLVER_ANSWERS: readonly FindingCode[] = [
  'DNS_PUBLIC_IP',
  'DNS_PRIVATE_IP_MISMATCH',
  'DNS_UNREACHED_ENDPOINT',
  'DNS_NXDOMAIN',
  'DNS_FAILURE',
];

/**
 * The explanation rules, most upstream first. A finding is explained by the first rule, in this order, whose root
 * is among the vault's findings and shares the fact; explanations chain (a stale record explains the wrong
 * answer, which explains the 403 at that address), so each finding ends at one root. A finding of the same code
 * is explained only by an earlier one (one record set with two wrong addresses is one diagnosis). No two codes
 * explain each other (test/unit/diagnoses.test.ts), so every chain ends.
 */
export const RULES: readonly ExplanationRule[] = [
  // The link itself: an endpoint that cannot serve explains every read and answer about it.
  {
    root: 'PE_CONNECTION_NOT_APPROVED',
    explains: ['DNS_PRIVATE_IP_MISMATCH', 'ENDPOINT_READ_FAILED', 'ZONE_GROUP_MISSING', 'PE_NOT_PROVISIONED'],
    shared: 'endpoint',
    because: 'an endpoint whose connection is not approved serves no traffic: its IP is not expected yet',
  },
  {
    root: 'PE_CONNECTION_NOT_APPROVED',
    explains: ['DATAPLANE_FORBIDDEN'],
    shared: 'path',
    because:
      'with no connection approved the vault publishes no privatelink name: clients take the public path, which it refuses',
  },
  {
    root: 'PE_NOT_PROVISIONED',
    explains: ['DNS_PRIVATE_IP_MISMATCH', 'ENDPOINT_READ_FAILED', 'ZONE_GROUP_MISSING'],
    shared: 'endpoint',
    because: 'an endpoint that is not provisioned serves no traffic: its IP is not expected',
  },
  {
    root: 'CONNECTION_REQUEST_PENDING',
    explains: ['ENDPOINT_READ_FAILED', 'FOREIGN_ENDPOINT'],
    shared: 'endpoint',
    because: 'the request comes from an endpoint the probe cannot read: that is what the request finding names',
  },
  {
    root: 'VAULT_UNREACHABLE_BY_DESIGN',
    explains: ['DNS_UNREACHED_ENDPOINT', 'DATAPLANE_ENDPOINT_NOT_PREFERRED'],
    shared: 'endpoint',
    because: 'no endpoint is in reach of this VNet, by design: an answer naming one of them follows',
  },
  {
    root: 'VAULT_NOT_FOUND',
    explains: ['DNS_NXDOMAIN', 'DNS_FAILURE'],
    shared: 'name',
    because: 'a vault that does not exist has no name to resolve',
  },
  {
    root: 'NO_PRIVATE_ENDPOINT',
    explains: ['DATAPLANE_FORBIDDEN', 'DATAPLANE_NOT_PRIVATE'],
    shared: 'path',
    because: 'without a private endpoint every connection arrives publicly, where public access decides',
  },
  // A resolution loop stops every query for the names it catches before any zone answers (issue 20).
  {
    root: 'RESOLVER_FORWARDING_LOOP',
    explains: ['DNS_FAILURE', 'DNS_NXDOMAIN', 'DNS_NO_PRIVATELINK_CNAME'],
    shared: 'name',
    because: "a forwarding rule sends the vault's name back to the resolver it arrived at: no answer comes back",
  },
  {
    root: 'RESOLVER_FORWARDING_LOOP',
    explains: ['CUSTOM_DNS_NOT_FORWARDING'],
    shared: 'resolver',
    because: "the VNet's DNS server is the inbound endpoint where the query loops",
  },
  // The zone: its records and its links.
  {
    root: 'ZONE_RECORD_STALE',
    explains: ['ZONE_RECORD_STALE'],
    shared: 'recordSet',
    because: 'one record set holds the wrong addresses: one change repairs them all',
  },
  {
    root: 'ZONE_RECORD_STALE',
    explains: ['ZONE_RECORD_MISSING'],
    shared: 'zone',
    because: 'the right address belongs where the zone holds the wrong one',
  },
  {
    root: 'ZONE_RECORD_STALE',
    explains: [
      ...ADDRESS_ANSWERS,
      'ENDPOINT_BELONGS_TO_OTHER_RESOURCE',
      'DATAPLANE_FANOUT_CAPPED',
      ...DATAPLANE_AT_ADDRESS,
    ],
    shared: 'address',
    because: 'the resolver returns what the record holds, and the data plane is asked there',
  },
  {
    root: 'ZONE_RECORD_MISSING',
    explains: ['DNS_NXDOMAIN', 'DNS_FAILURE'],
    shared: 'name',
    because: 'a linked zone without the record answers NXDOMAIN for the name',
  },
  {
    root: 'ZONE_RECORD_MISSING',
    explains: ['DNS_PUBLIC_IP'],
    shared: 'resolver',
    because: 'a zone linked with NxDomainRedirect falls back to the public answer for the record it lacks',
  },
  {
    root: 'NXDOMAIN_SPLIT_BRAIN',
    explains: ['DNS_NXDOMAIN'],
    shared: 'name',
    because: 'the linked zone answers for the name it does not hold',
  },
  {
    root: 'ZONE_NOT_LINKED',
    explains: [...RESOLVER_ANSWERS, 'CUSTOM_DNS_NOT_FORWARDING', 'DNS_NO_PRIVATELINK_CNAME'],
    shared: 'resolver',
    because: "this VNet's resolvers never see the zone: they answer publicly, or from another zone",
  },
  // The resolvers.
  {
    root: 'CUSTOM_DNS_NOT_FORWARDING',
    explains: [...RESOLVER_ANSWERS, 'DNS_NO_PRIVATELINK_CNAME'],
    shared: 'resolver',
    because: "the VNet's DNS server answers without the private zone, and this machine asks it",
  },
  {
    root: 'DNS_NO_PRIVATELINK_CNAME',
    explains: ['DNS_PUBLIC_IP'],
    shared: 'resolver',
    because: 'an answer that skips the privatelink name never reaches the private zone',
  },
  {
    root: 'DNS_RESOLVERS_DISAGREE',
    explains: [...ADDRESS_ANSWERS, ...DATAPLANE_AT_ADDRESS],
    shared: 'address',
    because: 'the address only one resolver returns comes from a hosts file, a cache or another server',
  },
  {
    root: 'MODEL_DISAGREES',
    explains: [...ADDRESS_ANSWERS, ...DATAPLANE_AT_ADDRESS],
    shared: 'address',
    because: 'the address no record in ARM holds comes from what answers for this VNet beside ARM',
  },
  {
    root: 'DNS_FAILURE',
    explains: ['DNS_FAILURE', 'DNS_NXDOMAIN'],
    shared: 'name',
    because: 'both resolvers ask the same servers for the same name',
  },
  {
    root: 'DNS_NXDOMAIN',
    explains: ['DNS_NXDOMAIN'],
    shared: 'name',
    because: 'both resolvers ask the same servers for the same name',
  },
  // The answer: a wrong address explains what the data plane says there.
  {
    root: 'DNS_PRIVATE_IP_MISMATCH',
    explains: ['ENDPOINT_BELONGS_TO_OTHER_RESOURCE', 'DATAPLANE_FANOUT_CAPPED', ...DATAPLANE_AT_ADDRESS],
    shared: 'address',
    because: 'the data plane is asked on the address the resolver returned',
  },
  {
    root: 'DNS_PUBLIC_IP',
    explains: DATAPLANE_AT_ADDRESS,
    shared: 'address',
    because: 'on the public address the request takes the public path, which the vault refuses or sees as public',
  },
  {
    root: 'DNS_UNREACHED_ENDPOINT',
    explains: DATAPLANE_AT_ADDRESS,
    shared: 'address',
    because: "the data plane is asked on an endpoint this VNet does not reach, or reaches through another's",
  },
  {
    root: 'ENDPOINT_BELONGS_TO_OTHER_RESOURCE',
    explains: DATAPLANE_AT_ADDRESS,
    shared: 'address',
    because: "another resource's endpoint refuses this vault's calls with 403",
  },
  // The client's path.
  {
    root: 'PROXY_IN_PATH',
    explains: DATAPLANE_AT_ADDRESS,
    shared: 'proxy',
    because: 'the data-plane answer came through the proxy: what it rewrites or inspects is what the vault saw',
  },
];
