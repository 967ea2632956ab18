import type { Finding } from '../findings';
import type { Check, CheckInput } from './check';
import { checkConnectionApproval } from './connection-approval';
import { checkDataplane } from './dataplane';
import { checkDnsAddress } from './dns-address';
import { checkDnsResolution } from './dns-resolution';
import { checkEndpointRead } from './endpoint-read';
import { checkNoPrivateEndpoint } from './no-private-endpoint';
import { checkPrivatelinkCname } from './privatelink-cname';
import { checkProvisioning } from './provisioning';
import { checkProxy } from './proxy';
import { checkResolversAgree } from './resolvers-agree';
import { checkAddressOwner } from './address-owner';
import { checkCustomDns } from './custom-dns';
import { checkPrivatelinkHost } from './privatelink-host';
import { checkZoneGroup } from './zone-group';
import { checkZoneLinks } from './zone-links';
import { checkResolverLoop } from './resolver-loop';
import { checkZoneRecords } from './zone-records';
import { checkAddressCap, checkFanOut } from './fan-out';
import { checkVaultUri } from './vault-uri';
import { checkForeignEndpoint } from './foreign-endpoint';
import { checkSiteReach } from './site-reach';
import { checkModelAgrees } from './model-agrees';

export { checkInput, type Check, type CheckInput } from './check';

/**
 * Every check, in the order their findings are reported: the link first, then what DNS answers, then why (the
 * zones, their links, the resolvers), then the data plane and the client's path.
 */
export const CHECKS: readonly Check[] = [
  checkNoPrivateEndpoint,
  checkConnectionApproval,
  checkProvisioning,
  checkEndpointRead,
  checkForeignEndpoint,
  checkSiteReach,
  checkDnsResolution,
  checkPrivatelinkCname,
  checkDnsAddress,
  checkAddressOwner,
  checkResolversAgree,
  checkZoneRecords,
  checkZoneLinks,
  checkResolverLoop,
  checkZoneGroup,
  checkCustomDns,
  checkModelAgrees,
  checkDataplane,
  checkProxy,
  checkPrivatelinkHost,
  checkVaultUri,
  checkFanOut,
  checkAddressCap,
];

/** Runs every check. */
export function compare(input: CheckInput): Finding[] {
  return CHECKS.flatMap((check) => check(input));
}
