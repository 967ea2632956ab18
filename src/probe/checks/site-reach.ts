import { commands } from '../commands';
import { connectivityGaps } from '../connectivity';
import { resourceName } from '../endpoints';
import { finding, type Finding } from '../findings';
import type { CheckInput } from './check';

/**
 * VAULT_UNREACHABLE_BY_DESIGN: the vault has endpoints, none of them in a VNet this site reaches, and its public
 * access is disabled (or its firewall keeps this site out). One warning that this VNet cannot use the vault, in
 * place of the DNS and data-plane errors a probe judging against every endpoint would raise.
 */
export function checkSiteReach({ expected, expectation, site }: CheckInput): Finding[] {
  if (!expected || !expectation || !site || expected.vault.connections.length === 0) return [];
  const vnetId = site.vnetId;
  if (expectation.kind !== 'unreachable' || expectation.assumed) return [];
  const endpoints = expected.endpoints.flatMap((e) =>
    e.connection.privateEndpointId ? [e.connection.privateEndpointId] : [],
  );
  const access =
    expectation.publicAccess === 'disabled'
      ? 'public network access is disabled'
      : 'the vault firewall denies by default and admits no subnet of this VNet or its peers';
  const gaps = connectivityGaps(site.connectivity);
  const unread = gaps.length > 0 ? ` Not readable, so not counted: ${gaps.join('; ')}.` : '';
  return [
    finding(
      'VAULT_UNREACHABLE_BY_DESIGN',
      `This VNet cannot use vault ${expected.vault.name}: none of its private endpoints (${endpoints.map(resourceName).join(', ') || 'none readable'}) is in this VNet, a peered one or one it reaches through Virtual WAN or AVNM, and ${access}.${unread}`,
      { publicAccess: expectation.publicAccess, vnetId, endpoints },
      {
        resourceId: expected.vault.id,
        command: commands.createEndpoint(expected.vault.id, expected.vault.name, vnetId),
      },
    ),
  ];
}
