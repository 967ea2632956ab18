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

export type { Check, CheckInput } from './check';

/** Every check, in the order their findings are reported: the link first, then DNS, then the data plane. */
export const CHECKS: readonly Check[] = [
  checkNoPrivateEndpoint,
  checkConnectionApproval,
  checkProvisioning,
  checkEndpointRead,
  checkDnsResolution,
  checkPrivatelinkCname,
  checkDnsAddress,
  checkResolversAgree,
  checkDataplane,
  checkProxy,
];

/** Runs every check. */
export function compare(input: CheckInput): Finding[] {
  return CHECKS.flatMap((check) => check(input));
}
