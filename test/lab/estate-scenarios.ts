import type { Scenario } from './scenario';

/**
 * issue 25: the estate scenario. Eleven VNets, the probe in vnet-probe; three vaults with their endpoints in the
 * hub (kv-estate-a, kv-estate-b) and in spoke-linked (kv-estate-c), public network access disabled:
 * - vnet-hub: Azure-provided DNS, the zone linked, a DNS Private Resolver (inbound 10.10.0.70), Azure Firewall fw-hub
 *   (10.10.1.4) with DNS proxy on and Azure-provided DNS;
 * - vnet-probe and spoke-ruleset: Azure-provided DNS, linked to the ruleset that forwards vault.azure.net. to the hub;
 * - spoke-linked: Azure-provided DNS, the zone linked to it; spoke-unlinked: Azure-provided DNS, no link, no ruleset;
 * - spoke-inbound: custom DNS = the inbound endpoint; spoke-firewall: custom DNS = fw-hub;
 * - spoke-vm: a DNS server on a VM in the hub (10.10.0.53) that forwards nothing private, which the probe reaches
 *   through its peering with the hub (in a namespace the lab serves it and the site asks it: `queried`);
 *   spoke-onprem: an on-premises DNS server (192.168.50.4) the probe does not reach (`unknown`);
 * - spoke-badfwd: custom DNS = fw-edge, whose DNS proxy resolves in vnet-edge, where the zone is not linked;
 * - vnet-edge: Azure-provided DNS, peered with nothing.
 */
export const ESTATE: Scenario = {
  name: 'estate',
  description:
    'eleven VNets around a hub with a DNS Private Resolver and a firewall DNS proxy: kvprobe map predicts each one',
  vaults: [
    { name: 'kv-estate-a', endpoints: [{ name: 'pe-estate-a', ip: '10.10.2.4', vnet: 'vnet-hub' }] },
    { name: 'kv-estate-b', endpoints: [{ name: 'pe-estate-b', ip: '10.10.2.5', vnet: 'vnet-hub' }] },
    { name: 'kv-estate-c', endpoints: [{ name: 'pe-estate-c', ip: '10.13.2.4', vnet: 'spoke-linked' }] },
  ],
  probeVnet: {
    addressPrefixes: ['10.11.0.0/16'],
    zoneLinked: false,
    zoneLinkedTo: ['vnet-hub', 'spoke-linked'],
    peers: [{ name: 'vnet-hub', addressPrefixes: ['10.10.0.0/16'] }],
    privateResolver: { vnet: 'vnet-hub', inboundIp: '10.10.0.70' },
  },
  estate: {
    vnets: [
      { name: 'vnet-hub', addressPrefixes: ['10.10.0.0/16'], peers: ['vnet-probe'] },
      { name: 'spoke-ruleset', addressPrefixes: ['10.12.0.0/16'], peers: ['vnet-hub'] },
      { name: 'spoke-linked', addressPrefixes: ['10.13.0.0/16'], peers: ['vnet-hub'] },
      { name: 'spoke-unlinked', addressPrefixes: ['10.16.0.0/16'], peers: ['vnet-hub'] },
      { name: 'spoke-inbound', addressPrefixes: ['10.17.0.0/16'], dnsServers: ['10.10.0.70'], peers: ['vnet-hub'] },
      { name: 'spoke-firewall', addressPrefixes: ['10.18.0.0/16'], dnsServers: ['10.10.1.4'], peers: ['vnet-hub'] },
      { name: 'spoke-vm', addressPrefixes: ['10.14.0.0/16'], dnsServers: ['10.10.0.53'], peers: ['vnet-hub'] },
      { name: 'spoke-onprem', addressPrefixes: ['10.19.0.0/16'], dnsServers: ['192.168.50.4'], peers: ['vnet-hub'] },
      { name: 'spoke-badfwd', addressPrefixes: ['10.15.0.0/16'], dnsServers: ['10.20.1.4'], peers: ['vnet-hub'] },
      { name: 'vnet-edge', addressPrefixes: ['10.20.0.0/16'] },
    ],
    vmDnsServers: [{ address: '10.10.0.53', answers: 'public' }],
    rulesetLinks: ['spoke-ruleset'],
    firewalls: [
      { name: 'fw-hub', vnet: 'vnet-hub', privateIp: '10.10.1.4', dnsProxy: true },
      { name: 'fw-edge', vnet: 'vnet-edge', privateIp: '10.20.1.4', dnsProxy: true },
    ],
  },
  // The timer maps the estate after its run (the role-coverage test needs its reads).
  env: { PROBE_ESTATE: 'on' },
  expect: {},
};

/** What `kvprobe map` must say of each VNet of ESTATE: written out, not derived from the product. */
export interface EstateVnetExpectation {
  readonly coverage: 'observed' | 'queried' | 'predicted' | 'unknown';
  /** The names (last ID segment) of the resolution chain. */
  readonly chain: readonly string[];
  readonly server?: string;
  readonly healthy: number;
  readonly unhealthy: number;
  readonly unknown: number;
  readonly unreachable: number;
  /** `CODE object-name` of each non-healthy pair's diagnoses, by vault. */
  readonly diagnoses: Readonly<Record<string, readonly string[]>>;
}

const viaHub = ['ruleset-spokes', 'forwardingRules', 'keyvault', 'inbound', 'vnet-hub', 'link-vnet-hub'];
const zone = 'privatelink.vaultcore.azure.net';

export const ESTATE_EXPECT: Readonly<Record<string, EstateVnetExpectation>> = {
  'vnet-probe': {
    coverage: 'observed',
    chain: ['vnet-probe', ...viaHub.slice(2), zone],
    healthy: 2,
    unhealthy: 0,
    unknown: 0,
    unreachable: 1,
    diagnoses: {},
  },
  'vnet-hub': {
    coverage: 'predicted',
    chain: ['vnet-hub', 'link-vnet-hub', zone],
    healthy: 3,
    unhealthy: 0,
    unknown: 0,
    unreachable: 0,
    diagnoses: {},
  },
  'spoke-ruleset': {
    coverage: 'predicted',
    chain: ['spoke-ruleset', ...viaHub.slice(2), zone],
    healthy: 2,
    unhealthy: 0,
    unknown: 0,
    unreachable: 1,
    diagnoses: {},
  },
  'spoke-linked': {
    coverage: 'predicted',
    chain: ['spoke-linked', 'link-spoke-linked', zone],
    healthy: 3,
    unhealthy: 0,
    unknown: 0,
    unreachable: 0,
    diagnoses: {},
  },
  'spoke-unlinked': {
    coverage: 'predicted',
    chain: ['spoke-unlinked'],
    healthy: 0,
    unhealthy: 2,
    unknown: 0,
    unreachable: 1,
    diagnoses: { 'kv-estate-a': [`ZONE_NOT_LINKED ${zone}`], 'kv-estate-b': [`ZONE_NOT_LINKED ${zone}`] },
  },
  'spoke-inbound': {
    coverage: 'predicted',
    chain: ['spoke-inbound', 'inbound', 'vnet-hub', 'link-vnet-hub', zone],
    healthy: 2,
    unhealthy: 0,
    unknown: 0,
    unreachable: 1,
    diagnoses: {},
  },
  'spoke-firewall': {
    coverage: 'predicted',
    chain: ['spoke-firewall', 'fw-hub', 'policy-fw-hub', 'vnet-hub', 'link-vnet-hub', zone],
    healthy: 2,
    unhealthy: 0,
    unknown: 0,
    unreachable: 1,
    diagnoses: {},
  },
  'spoke-vm': {
    coverage: 'unknown',
    chain: ['spoke-vm'],
    server: '10.10.0.53',
    healthy: 0,
    unhealthy: 0,
    unknown: 3,
    unreachable: 0,
    diagnoses: {},
  },
  'spoke-onprem': {
    coverage: 'unknown',
    chain: ['spoke-onprem'],
    server: '192.168.50.4',
    healthy: 0,
    unhealthy: 0,
    unknown: 3,
    unreachable: 0,
    diagnoses: {},
  },
  'spoke-badfwd': {
    coverage: 'predicted',
    chain: ['spoke-badfwd', 'fw-edge', 'policy-fw-edge', 'vnet-edge'],
    healthy: 0,
    unhealthy: 2,
    unknown: 0,
    unreachable: 1,
    diagnoses: { 'kv-estate-a': [`ZONE_NOT_LINKED ${zone}`], 'kv-estate-b': [`ZONE_NOT_LINKED ${zone}`] },
  },
  'vnet-edge': {
    coverage: 'predicted',
    chain: ['vnet-edge'],
    healthy: 0,
    unhealthy: 0,
    unknown: 0,
    unreachable: 3,
    diagnoses: {},
  },
};

/**
 * spoke-vm where the site asks its DNS server (the lab serves it in a namespace, with PROBE_ESTATE_QUERY_DNS=on or
 * `kvprobe map --query-dns`): queried by the site `lab`; the server answers the public address, so the two vaults the
 * VNet reaches through the hub are CUSTOM_DNS_NOT_FORWARDING on spoke-vm.
 */
export const ESTATE_QUERIED: EstateVnetExpectation & { readonly queriedBy: string } = {
  coverage: 'queried',
  queriedBy: 'lab',
  chain: ['spoke-vm'],
  server: '10.10.0.53',
  healthy: 0,
  unhealthy: 2,
  unknown: 0,
  unreachable: 1,
  diagnoses: {
    'kv-estate-a': ['CUSTOM_DNS_NOT_FORWARDING spoke-vm'],
    'kv-estate-b': ['CUSTOM_DNS_NOT_FORWARDING spoke-vm'],
  },
};

/** The ranked diagnoses: code, object, the VNet whose link is missing, pairs broken. */
export const ESTATE_DIAGNOSES: readonly { code: string; object: string; vnets: readonly string[]; pairs: number }[] = [
  { code: 'ZONE_NOT_LINKED', object: zone, vnets: ['spoke-badfwd'], pairs: 2 },
  { code: 'ZONE_NOT_LINKED', object: zone, vnets: ['spoke-unlinked'], pairs: 2 },
];

export const ESTATE_SCENARIOS: readonly Scenario[] = [ESTATE];
