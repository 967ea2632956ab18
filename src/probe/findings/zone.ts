import type { CauseTable } from './info';

// Cause `zone`: the private DNS zone and its links (stale or missing records, unlinked zone, zone group, NXDOMAIN split
// brain). A code of this cause is declared here and nowhere else in src/: its details below and its row in the table
// (the compiler asks for both, and for the row's cause).

/** The facts each finding of cause `zone` carries, by code. */
export interface ZoneFindingDetails {
  ZONE_RECORD_STALE: { zone: string; record: string; address: string; belongsTo?: string };
  ZONE_RECORD_MISSING: {
    address: string;
    privateEndpointId?: string;
    zones: string[];
    record?: string;
    /** issue 20: the zone link, serving this VNet, whose NxDomainRedirect policy sends the missing name to public DNS. */
    fallbackLink?: string;
  };
  ZONE_NOT_LINKED: { zone: string; vnetId: string; linkedVnets: string[] };
  ZONE_GROUP_MISSING: { privateEndpointId: string };
  NXDOMAIN_SPLIT_BRAIN: { zone: string; vnetId?: string; linkId?: string; record?: string };
}

export const ZONE_FINDINGS: CauseTable<ZoneFindingDetails, 'zone'> = {
  ZONE_RECORD_STALE: {
    severity: 'error',
    cause: 'zone',
    title: 'A private DNS zone holds an A record for the vault that points at no endpoint of it',
    when: "a `privatelink.vaultcore.<suffix>` zone's A record for the vault holds an IP that is no NIC IP of an endpoint of this vault (names zone, record, IP and its former owner)",
    remediation:
      "Remove the stale address from the record set (or delete the record and let the endpoint's DNS zone group re-create it).",
  },
  ZONE_RECORD_MISSING: {
    severity: 'error',
    cause: 'zone',
    title: 'An approved private endpoint has no A record in any privatelink zone',
    when: "an approved, provisioned endpoint's IP is in no inspected zone's A record for the vault",
    remediation: 'Add a DNS zone group to the endpoint for the privatelink zone, or add the A record by hand.',
  },
  ZONE_NOT_LINKED: {
    severity: 'error',
    cause: 'zone',
    title: 'The zone with the right record is not linked to the VNet the probe runs in',
    when: "the zone with the right record is linked neither to the probe's VNet nor to the peered VNet holding its custom DNS servers (needs `PROBE_VNET_ID` / `--vnet`)",
    remediation: 'Link the zone to this VNet, or to the VNet whose DNS servers this VNet uses.',
  },
  ZONE_GROUP_MISSING: {
    severity: 'warning',
    cause: 'zone',
    title: 'The private endpoint has no DNS zone group',
    when: 'a private endpoint of the vault has no private DNS zone group',
    remediation: 'Create a DNS zone group on the endpoint so Azure keeps the A record in step with the NIC IP.',
  },
  NXDOMAIN_SPLIT_BRAIN: {
    severity: 'error',
    cause: 'zone',
    title: "A linked privatelink zone without the vault's record answers NXDOMAIN",
    when: "the name answers NXDOMAIN and a privatelink zone linked to the probe's VNet has no record for the vault",
    remediation:
      "Add the record, or set the zone link's resolution policy to NxDomainRedirect so names the zone lacks fall back to public resolution.",
  },
};
