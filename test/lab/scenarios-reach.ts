import type { FindingCode } from '../../src/probe/findings';
import type { Severity, VaultStatus } from '../../src/probe/types';
import type { Scenario, ScenarioExpectation, ScenarioVault } from './scenario';

/**
 * Issue 20: routes through a hub firewall and network security perimeters, each a healthy topology and its broken
 * twins. Severities are literals, never read from the findings table.
 */
const expectation = (
  status: VaultStatus,
  found: readonly (readonly [FindingCode, Severity])[],
): ScenarioExpectation => ({ status, codes: found.map((f) => f[0]), severities: found.map((f) => f[1]) });
const ok = expectation('healthy', []);
const E = 'error' as const;
const W = 'warning' as const;

/** Issue 20 item 2: spokes reaching another spoke through the hub's firewall (a route table on the probe's subnet). */
const TO_FIREWALL = [
  {
    name: 'spoke-b-via-fw',
    addressPrefix: '10.96.0.0/16',
    nextHopType: 'VirtualAppliance',
    nextHopIpAddress: '10.94.0.4',
  },
] as const;
const HUB_SPOKE = {
  passSubnet: true,
  addressPrefixes: ['10.95.0.0/16'],
  peers: [{ name: 'vnet-hub', addressPrefixes: ['10.94.0.0/16'] }],
};
const ROUTES: readonly Scenario[] = [
  {
    name: 'topology-hub-firewall-udr',
    description:
      "Hub and firewall: this spoke is peered with the hub only; the endpoint is in another spoke; this subnet's route table sends that spoke's prefix to the hub firewall (VirtualAppliance): the endpoint is reached (reach udr).",
    topology: { name: 'hub-firewall-udr' },
    vaults: [{ name: 'kv-udr', endpoints: [{ name: 'pe-udr', ip: '10.96.2.4', vnet: 'vnet-spoke-b' }] }],
    probeVnet: { ...HUB_SPOKE, subnets: [{ name: 'apps', routes: TO_FIREWALL }] },
    expect: { 'kv-udr': ok },
  },
  {
    name: 'topology-hub-firewall-udr-unlinked',
    description:
      'Twin: the zone is unlinked from this spoke: the name resolves publicly. Reached through the firewall, the vault is expected private here, so the unlinked zone is an error, not an unreachable-by-design warning.',
    topology: { name: 'hub-firewall-udr', twin: true },
    vaults: [
      {
        name: 'kv-udr-x',
        endpoints: [{ name: 'pe-udr-x', ip: '10.96.3.4', vnet: 'vnet-spoke-b' }],
        dns: { kind: 'public' },
      },
    ],
    probeVnet: { ...HUB_SPOKE, zoneLinked: false, subnets: [{ name: 'apps', routes: TO_FIREWALL }] },
    expect: {
      'kv-udr-x': expectation('unhealthy', [
        ['DNS_PUBLIC_IP', E],
        ['ZONE_NOT_LINKED', E],
        ['DATAPLANE_FORBIDDEN', E],
      ]),
    },
  },
  {
    name: 'topology-hub-firewall-udr-none',
    description:
      "Twin: the endpoint is in the peered hub, but a route on this subnet sends its /24 to next hop None, longer than the peering's system route: the traffic is dropped, the vault is unreachable from here, and the warning names the route.",
    topology: { name: 'hub-firewall-udr', twin: true },
    vaults: [
      {
        name: 'kv-udr-none',
        endpoints: [{ name: 'pe-udr-none', ip: '10.94.4.4', vnet: 'vnet-hub', reachable: false }],
      },
    ],
    probeVnet: {
      ...HUB_SPOKE,
      subnets: [
        {
          name: 'apps',
          routes: [...TO_FIREWALL, { name: 'drop-hub-kv', addressPrefix: '10.94.4.0/24', nextHopType: 'None' }],
        },
      ],
    },
    expect: {
      'kv-udr-none': expectation('healthy', [
        ['VAULT_UNREACHABLE_BY_DESIGN', W],
        ['DNS_UNREACHED_ENDPOINT', W],
      ]),
    },
  },
  {
    name: 'topology-hub-firewall-udr-vnet-only',
    description:
      'PROBE_VNET_ID names the VNet only: of its two subnets, one has the route to the firewall; judged from every subnet, leniently, the endpoint is reached, and the expectation basis says so.',
    topology: { name: 'hub-firewall-udr-vnet-only' },
    vaults: [{ name: 'kv-udr-vnet', endpoints: [{ name: 'pe-udr-vnet', ip: '10.96.5.4', vnet: 'vnet-spoke-b' }] }],
    probeVnet: {
      ...HUB_SPOKE,
      passSubnet: false,
      subnets: [{ name: 'apps' }, { name: 'jobs', addressPrefix: '10.95.1.0/24', routes: TO_FIREWALL }],
    },
    expect: { 'kv-udr-vnet': ok },
  },
];

/** Issue 20 item 4: a network security perimeter in Enforced and Learning mode. */
const elsewhere = (name: string, ip: string): ScenarioVault['endpoints'] => [
  { name, ip, vnet: 'vnet-other', zone: 'dns-other' },
];
const PERIMETERS: readonly Scenario[] = [
  {
    name: 'perimeter-enforced-admits',
    description:
      "publicNetworkAccess SecuredByPerimeter, the perimeter in Enforced mode with an inbound address-prefix rule (counted like an IP rule: this site's egress address is unknown); the only endpoint is elsewhere: public is right here.",
    topology: { name: 'perimeter-enforced' },
    vaults: [
      {
        name: 'kv-nsp-ok',
        publicNetworkAccess: 'SecuredByPerimeter',
        perimeter: { accessMode: 'Enforced', inbound: { addressPrefixes: ['203.0.113.0/24'] } },
        endpoints: elsewhere('pe-nsp-ok', '10.97.2.4'),
        dns: { kind: 'public' },
      },
    ],
    probeVnet: { zoneLinked: false, passSubnet: true },
    expect: { 'kv-nsp-ok': ok },
  },
  {
    name: 'perimeter-enforced-denies',
    description:
      "Twin: the Enforced perimeter's profile has no inbound rule: it closes the public path whatever the vault firewall says, so this VNet cannot use the vault, by design (one warning, no data-plane error).",
    topology: { name: 'perimeter-enforced', twin: true },
    vaults: [
      {
        name: 'kv-nsp-deny',
        publicNetworkAccess: 'SecuredByPerimeter',
        perimeter: { accessMode: 'Enforced' },
        endpoints: elsewhere('pe-nsp-deny', '10.97.3.4'),
        dns: { kind: 'public' },
      },
    ],
    probeVnet: { zoneLinked: false, passSubnet: true },
    expect: { 'kv-nsp-deny': expectation('healthy', [['VAULT_UNREACHABLE_BY_DESIGN', W]]) },
  },
  {
    name: 'perimeter-learning',
    description:
      "A perimeter in Learning (transition) mode with no inbound rule: the vault's own settings apply (no firewall), so public is right here.",
    topology: { name: 'perimeter-learning' },
    vaults: [
      {
        name: 'kv-nsp-learn',
        publicNetworkAccess: 'SecuredByPerimeter',
        perimeter: { accessMode: 'Learning' },
        endpoints: elsewhere('pe-nsp-learn', '10.97.4.4'),
        dns: { kind: 'public' },
      },
    ],
    probeVnet: { zoneLinked: false, passSubnet: true },
    expect: { 'kv-nsp-learn': ok },
  },
  {
    name: 'perimeter-learning-firewall-denies',
    description:
      "Twin: in Learning mode the vault's own firewall decides, and it denies by default with no rule for this site: unreachable by design.",
    topology: { name: 'perimeter-learning', twin: true },
    vaults: [
      {
        name: 'kv-nsp-learn-x',
        publicNetworkAccess: 'SecuredByPerimeter',
        perimeter: { accessMode: 'Learning' },
        firewall: { defaultAction: 'Deny' },
        endpoints: elsewhere('pe-nsp-learn-x', '10.97.5.4'),
        dns: { kind: 'public' },
      },
    ],
    probeVnet: { zoneLinked: false, passSubnet: true },
    expect: { 'kv-nsp-learn-x': expectation('healthy', [['VAULT_UNREACHABLE_BY_DESIGN', W]]) },
  },
];

/** Issue 20 items 5 and 6: forwarding rules as Azure applies them, and NXDOMAIN fallback. */
const SPOKE_OF_HUB = {
  addressPrefixes: ['10.61.0.0/16'],
  peers: [{ name: 'vnet-hub', addressPrefixes: ['10.60.0.0/16'] }],
  zoneLinked: false,
  zoneLinkedTo: ['vnet-hub'],
};
const RESOLVER_RULES: readonly Scenario[] = [
  {
    name: 'topology-resolver-wildcard-and-vault-rule',
    description:
      "A ruleset linked to this spoke with a wildcard rule to an on-premises server and a vault.azure.net rule to the hub's inbound endpoint: the wildcard does not apply to Azure's reserved domains, the longer rule does, and the hub's zone link serves this spoke.",
    topology: { name: 'resolver-wildcard' },
    vaults: [{ name: 'kv-rules-ok', endpoints: [{ name: 'pe-rules-ok', ip: '10.60.5.4', vnet: 'vnet-hub' }] }],
    probeVnet: {
      ...SPOKE_OF_HUB,
      privateResolver: {
        vnet: 'vnet-hub',
        inboundIp: '10.60.0.70',
        rules: [
          { domain: '.', target: '192.0.2.53' },
          { domain: 'vault.azure.net.', target: '10.60.0.70' },
          { domain: 'vaultcore.azure.net.', target: '10.60.0.70' },
        ],
      },
    },
    expect: { 'kv-rules-ok': ok },
  },
  {
    name: 'topology-resolver-wildcard-only',
    description:
      "Twin: the ruleset has only a wildcard rule to the hub's inbound endpoint, which Azure does not apply to vault.azure.net: this spoke resolves the vault itself, its zone is linked to the hub only, and the name resolves publicly. ZONE_NOT_LINKED names this spoke.",
    topology: { name: 'resolver-wildcard', twin: true },
    vaults: [
      {
        name: 'kv-rules-x',
        endpoints: [{ name: 'pe-rules-x', ip: '10.60.6.4', vnet: 'vnet-hub' }],
        dns: { kind: 'public' },
      },
    ],
    probeVnet: {
      ...SPOKE_OF_HUB,
      privateResolver: { vnet: 'vnet-hub', inboundIp: '10.60.0.70', rules: [{ domain: '.', target: '10.60.0.70' }] },
    },
    expect: {
      'kv-rules-x': expectation('unhealthy', [
        ['DNS_PUBLIC_IP', E],
        ['ZONE_NOT_LINKED', E],
        ['DATAPLANE_FORBIDDEN', E],
      ]),
    },
  },
  {
    name: 'topology-resolver-hub-ruleset',
    description:
      "The spokes' ruleset sends vault.azure.net to the hub's inbound endpoint; the hub has a ruleset of its own, which processes every query arriving there: its wildcard rule does not apply to Azure's reserved domains and its contoso.com rule does not match, so the hub's zone link answers.",
    topology: { name: 'resolver-hub-ruleset' },
    vaults: [{ name: 'kv-hubrs-ok', endpoints: [{ name: 'pe-hubrs-ok', ip: '10.60.7.4', vnet: 'vnet-hub' }] }],
    probeVnet: {
      ...SPOKE_OF_HUB,
      privateResolver: {
        vnet: 'vnet-hub',
        inboundIp: '10.60.0.70',
        rules: [{ domain: 'vault.azure.net.', target: '10.60.0.70' }],
        hubRules: [
          { domain: '.', target: '192.0.2.53' },
          { domain: 'contoso.com.', target: '192.0.2.53' },
        ],
      },
    },
    expect: { 'kv-hubrs-ok': ok },
  },
  {
    name: 'topology-resolver-loop',
    description:
      "Twin: the spokes' ruleset, whose vault.azure.net rule targets the hub's inbound endpoint, is also linked to the hub: a query arriving at the endpoint is forwarded to it again, a resolution loop, and the vault's name fails (SERVFAIL). RESOLVER_FORWARDING_LOOP names the hub link to remove.",
    topology: { name: 'resolver-hub-ruleset', twin: true },
    vaults: [
      {
        name: 'kv-loop',
        endpoints: [{ name: 'pe-loop', ip: '10.60.8.4', vnet: 'vnet-hub' }],
        dns: { kind: 'servfail' },
      },
    ],
    probeVnet: {
      ...SPOKE_OF_HUB,
      privateResolver: {
        vnet: 'vnet-hub',
        inboundIp: '10.60.0.70',
        rules: [{ domain: 'vault.azure.net.', target: '10.60.0.70' }],
        hubLinked: true,
      },
    },
    expect: {
      'kv-loop': expectation('unhealthy', [
        ['DNS_FAILURE', E],
        ['DNS_FAILURE', E],
        ['RESOLVER_FORWARDING_LOOP', W],
      ]),
    },
  },
  {
    name: 'topology-resolver-custom-dns-hub-ruleset',
    description:
      "Centralized DNS: this spoke's custom DNS server is the hub resolver's inbound endpoint, and a ruleset of the hub's own processes every query arriving there; its wildcard and corp.contoso.com rules do not apply to the vault's names, so the hub's zone link answers.",
    topology: { name: 'resolver-custom-dns-hub-ruleset' },
    vaults: [{ name: 'kv-cdns-ok', endpoints: [{ name: 'pe-cdns-ok', ip: '10.60.9.4', vnet: 'vnet-hub' }] }],
    probeVnet: {
      ...SPOKE_OF_HUB,
      dnsServers: [{ address: '10.60.0.70', answers: 'private' }],
      privateResolver: {
        vnet: 'vnet-hub',
        inboundIp: '10.60.0.70',
        rules: [{ domain: 'corp.contoso.com.', target: '192.0.2.53' }],
        hubRules: [
          { domain: '.', target: '192.0.2.53' },
          { domain: 'corp.contoso.com.', target: '192.0.2.53' },
        ],
      },
    },
    expect: { 'kv-cdns-ok': ok },
  },
  {
    name: 'topology-resolver-custom-dns-loop',
    description:
      "Twin: this spoke's custom DNS server is the hub's inbound endpoint, and the ruleset linked to the hub sends vault.azure.net to that same endpoint: every query loops, the server answers SERVFAIL. RESOLVER_FORWARDING_LOOP explains the failures and the custom DNS server's answer.",
    topology: { name: 'resolver-custom-dns-hub-ruleset', twin: true },
    vaults: [
      {
        name: 'kv-cdns-loop',
        endpoints: [{ name: 'pe-cdns-loop', ip: '10.60.10.4', vnet: 'vnet-hub' }],
        dns: { kind: 'servfail' },
      },
    ],
    probeVnet: {
      ...SPOKE_OF_HUB,
      dnsServers: [{ address: '10.60.0.70', answers: 'private' }],
      privateResolver: {
        vnet: 'vnet-hub',
        inboundIp: '10.60.0.70',
        rules: [{ domain: 'vault.azure.net.', target: '10.60.0.70' }],
        hubLinked: true,
      },
    },
    expect: {
      'kv-cdns-loop': expectation('unhealthy', [
        ['DNS_FAILURE', E],
        ['DNS_FAILURE', E],
        ['RESOLVER_FORWARDING_LOOP', W],
        ['CUSTOM_DNS_NOT_FORWARDING', E],
      ]),
    },
  },
  {
    name: 'nxdomain-redirect-public-by-design',
    description:
      'A vault public by design from here (its only endpoint elsewhere), and a privatelink zone linked here with resolution policy NxDomainRedirect and no record for it: Azure DNS falls back to the public name, so no split-brain.',
    topology: { name: 'nxdomain-redirect' },
    vaults: [
      {
        name: 'kv-nxr-public',
        publicNetworkAccess: 'Enabled',
        endpoints: [{ name: 'pe-nxr-public', ip: '10.70.6.4', vnet: 'vnet-other', zone: 'dns-other' }],
        dns: { kind: 'public' },
      },
    ],
    probeVnet: { linkedZones: ['dns'], resolutionPolicy: 'NxDomainRedirect' },
    expect: { 'kv-nxr-public': ok },
  },
  {
    name: 'nxdomain-redirect-record-missing',
    description:
      "Twin: the vault's endpoint is here, the zone is linked with NxDomainRedirect, and its record is missing: the name falls back to the public answer. That is the missing record's fault (ZONE_RECORD_MISSING), not split-brain's.",
    topology: { name: 'nxdomain-redirect', twin: true },
    vaults: [
      {
        name: 'kv-nxr-missing',
        endpoints: [{ name: 'pe-nxr-missing', ip: '10.0.96.4' }],
        dns: { kind: 'public' },
        zoneRecord: [],
      },
    ],
    probeVnet: { resolutionPolicy: 'NxDomainRedirect' },
    expect: {
      'kv-nxr-missing': expectation('unhealthy', [
        ['DNS_PUBLIC_IP', E],
        ['ZONE_RECORD_MISSING', E],
        ['DATAPLANE_FORBIDDEN', E],
      ]),
    },
  },
];

/** Routes, perimeters, resolver rules (scenarios-network.ts adds them to the catalogue). */
export const REACH_SCENARIOS: readonly Scenario[] = [...ROUTES, ...PERIMETERS, ...RESOLVER_RULES];
