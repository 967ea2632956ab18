import type { CauseTable } from './info';

// Cause `dns`: what the resolvers clients use answer (wrong IP, public IP, no CNAME, failures, custom DNS servers). A
// code of this cause is declared here and nowhere else in src/: its details below and its row in the table (the
// compiler asks for both, and for the row's cause).

/** The facts each finding of cause `dns` carries, by code. */
export interface DnsFindingDetails {
  DNS_PRIVATE_IP_MISMATCH: {
    address: string;
    expected: string[];
    belongsTo?: string;
    /** The vault's own endpoint that holds the address (its connection not approved, or not provisioned). */
    privateEndpointId?: string;
    resolver: 'os' | 'dns';
    rule?: string;
    prefix?: string;
  };
  DNS_PUBLIC_IP: { address: string; expected: string[]; resolver: 'os' | 'dns'; rule?: string };
  DNS_NO_PRIVATELINK_CNAME: { cnames: string[]; expectedCname: string };
  DNS_NXDOMAIN: { resolver: 'os' | 'dns'; host: string };
  DNS_FAILURE: { resolver: 'os' | 'dns'; host: string; errorKind: string; errorCode: string };
  DNS_RESOLVERS_DISAGREE: { os: string[]; dns: string[]; servers: string[] };
  ENDPOINT_BELONGS_TO_OTHER_RESOURCE: { address: string; privateEndpointId: string; otherResourceIds: string[] };
  CUSTOM_DNS_NOT_FORWARDING: { server: string; answered: string[]; expected: string[]; error?: string };
  DATAPLANE_ENDPOINT_NOT_PREFERRED: { address: string; via?: string; privateEndpointId: string; preferred: string[] };
  DATAPLANE_FANOUT_CAPPED: { host: string; total: number; probed: string[]; notProbed: string[] };
  DNS_ADDRESSES_CAPPED: { host: string; total: number; judged: number; leftOut: number; sample: string[] };
  DNS_UNREACHED_ENDPOINT: { address: string; privateEndpointId?: string; expected: string[]; resolver: 'os' | 'dns' };
  RESOLVER_FORWARDING_LOOP: {
    /** The ruleset, its rule that loops, and the rule's domain and target. */
    ruleset: string;
    rule: string;
    domain: string;
    target: string;
    /** The VNet the ruleset is linked to, where the rule's target (an inbound endpoint) sits. */
    vnetId: string;
    /** The ruleset's link to that VNet: the object to remove. */
    linkId?: string;
    inboundEndpointId: string;
    /** The vault names the loop catches. */
    hosts: string[];
    /** This VNet's custom DNS server through which the queries reach the loop, when they do. */
    server?: string;
  };
  /** issue 25: what the estate map predicted here, what the VNet's DNS servers answered, what the prediction used. */
  MODEL_DISAGREES: { predicted: string; observed: string; reliedOn: string[]; address: string[]; servers: string[] };
}

export const DNS_FINDINGS: CauseTable<DnsFindingDetails, 'dns'> = {
  DNS_PRIVATE_IP_MISMATCH: {
    severity: 'error',
    cause: 'dns',
    title: 'The vault resolves to a private IP that is not its approved private endpoint',
    when: 'resolves to a private IP that is not the NIC IP of an approved, provisioned endpoint of this vault (says whose it is when ARM shows it)',
    remediation:
      'Point the A record in the privatelink.vaultcore zone at the NIC IP of the approved private endpoint (or let a private DNS zone group manage it), and remove stale records and hosts-file entries.',
  },
  DNS_PUBLIC_IP: {
    severity: 'error',
    cause: 'dns',
    title: 'The vault resolves to a public IP although it has an approved private endpoint',
    when: 'resolves to a public IP although the vault has an approved private endpoint',
    remediation:
      'Link the privatelink.vaultcore private DNS zone to this VNet (or the VNet of its DNS resolver), or add a conditional forwarder for vault.azure.net to 168.63.129.16 on the custom DNS server.',
  },
  DNS_NO_PRIVATELINK_CNAME: {
    severity: 'error',
    cause: 'dns',
    title: 'The CNAME chain does not pass through the privatelink zone',
    when: 'the CNAME chain skips `<vault>.privatelink.vaultcore.<suffix>`',
    remediation:
      'Resolve through Azure DNS (168.63.129.16) or a forwarder to it; a static record or a third-party DNS answer for <vault>.vault.azure.net bypasses private link.',
  },
  DNS_NXDOMAIN: {
    severity: 'error',
    cause: 'dns',
    title: 'The vault name does not resolve',
    when: 'the name does not exist (per resolver)',
    remediation:
      'Check that the privatelink zone linked to this VNet holds an A record for the vault; a linked zone without the record answers NXDOMAIN unless the link falls back to the internet.',
  },
  DNS_FAILURE: {
    severity: 'error',
    cause: 'dns',
    title: 'DNS resolution failed',
    when: 'timeout, SERVFAIL, REFUSED or no answer',
    remediation: 'Check that the DNS servers this VNet uses are reachable and forward Azure names to 168.63.129.16.',
  },
  DNS_RESOLVERS_DISAGREE: {
    severity: 'warning',
    cause: 'dns',
    title: 'The OS resolver and DNS disagree',
    when: 'the OS resolver and DNS return different addresses (hosts file, split DNS)',
    remediation:
      'Look for a hosts-file entry, a local DNS cache or split DNS: clients using getaddrinfo see a different address from the DNS server.',
  },
  ENDPOINT_BELONGS_TO_OTHER_RESOURCE: {
    severity: 'error',
    cause: 'dns',
    title: 'The resolved private IP is the endpoint of another resource',
    when: "the resolved private IP is the NIC IP of another resource's private endpoint (names that resource)",
    remediation:
      "Point the vault's A record at its own endpoint's NIC IP; the other resource's endpoint answers 403 for this vault.",
  },
  CUSTOM_DNS_NOT_FORWARDING: {
    severity: 'error',
    cause: 'dns',
    title: 'A custom DNS server of the VNet answers differently from the private zone',
    when: "a custom DNS server of the VNet, asked directly, answers differently from the zone's record, or not at all",
    remediation:
      'Add a conditional forwarder for vault.azure.net (not only vaultcore.azure.net) to 168.63.129.16, from a server in a VNet linked to the zone.',
  },
  DATAPLANE_ENDPOINT_NOT_PREFERRED: {
    severity: 'warning',
    cause: 'dns',
    title: "The connection arrived through another of the vault's endpoints than the one this site should use",
    when: "the connection arrived through another of the vault's own endpoints than the one this site should use",
    remediation:
      "Calls work, but travel to an endpoint in another VNet (often another region) instead of the one here: point this VNet's DNS at the local endpoint's IP, e.g. a privatelink zone linked to this VNet with the local record.",
  },
  DATAPLANE_FANOUT_CAPPED: {
    severity: 'warning',
    cause: 'dns',
    title: 'The name resolves to more addresses than are probed',
    when: 'the name resolves to more than 8 addresses; the data plane is probed on the first 8, the rest are named',
    remediation:
      'A Key Vault name resolves to one address per private endpoint in reach; dozens of addresses mean a wrong or hostile DNS answer: find which zone or server returns them.',
  },
  DNS_ADDRESSES_CAPPED: {
    severity: 'warning',
    cause: 'dns',
    title: 'The name resolves to more addresses than are judged',
    when: 'the name resolves to more than 16 distinct addresses; the first 16 are judged, the finding says how many were left out',
    remediation:
      'A Key Vault name resolves to one address per private endpoint in reach; dozens mean a wrong or hostile DNS answer: find the zone or server that returns them and remove the records that are no endpoint of the vault.',
  },
  RESOLVER_FORWARDING_LOOP: {
    severity: 'warning',
    cause: 'dns',
    title: 'A DNS forwarding rule sends the vault name back to the inbound endpoint it arrived at',
    when: "a forwarding rule targets a DNS Private Resolver inbound endpoint, in a ruleset linked to that endpoint's own VNet, and catches the vault's names: the resolver forwards them to itself (needs `PROBE_VNET_ID` / `--vnet`)",
    remediation:
      "Remove the ruleset's link to the resolver's VNet (that VNet resolves the zone through its own zone links); keep the hub's other forwarding rules in a ruleset of their own, without rules to its inbound endpoint.",
  },
  DNS_UNREACHED_ENDPOINT: {
    severity: 'warning',
    cause: 'dns',
    title: 'The vault resolves to one of its own endpoints that this VNet does not reach',
    when: "resolves to one of the vault's own endpoints that this VNet does not reach (another region's, an unpeered spoke's)",
    remediation:
      "Resolve the vault here to the endpoint in this VNet or a peered one: link this VNet to the zone holding that endpoint's record (not another region's), or create an endpoint this VNet reaches.",
  },
  MODEL_DISAGREES: {
    severity: 'warning',
    cause: 'dns',
    title: "The estate map's prediction for this VNet differs from what its DNS servers answer",
    when: "the estate map's prediction for the probe's VNet (from ARM) differs from what the VNet's DNS servers answered here",
    remediation:
      "Find what answers for this VNet that ARM does not describe (a DNS server's own zone or conditional forwarder, a stale cache) and remove it, or make ARM describe it; until then, treat the map's prediction for VNets resolving the same way as unconfirmed.",
  },
};
