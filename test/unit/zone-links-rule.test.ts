import { checkInput } from '../../src/probe/checks';
import { checkZoneLinks } from '../../src/probe/checks/zone-links';
import type { PrivateDnsZoneRecord, Site } from '../../src/probe/types';
import { CLOUD, endpoint, expected, observed, SUB } from './builders';

/**
 * ZONE_NOT_LINKED where a forwarding ruleset is linked to the probe's VNet but forwards nothing for the vault's
 * domain, while a resolver's inbound endpoint sits in a VNet the zone is linked to: the fix is the missing rule, not
 * a second link. Written after `npm run mutate` found these lines covered by no unit test; literal expectations.
 */
const ZONE = `/subscriptions/${SUB}/resourceGroups/dns/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net`;
const VNET = `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/spoke`;
const HUB = `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/hub`;
const RULESET = `/subscriptions/${SUB}/resourceGroups/dns/providers/Microsoft.Network/dnsForwardingRulesets/rs-spoke`;

const zone: PrivateDnsZoneRecord = {
  id: ZONE,
  name: 'privatelink.vaultcore.azure.net',
  subscriptionId: SUB,
  resourceGroup: 'dns',
  links: [{ id: `${ZONE}/virtualNetworkLinks/hub`, name: 'hub', virtualNetworkId: HUB, resolutionPolicy: undefined }],
  aRecords: [{ id: `${ZONE}/A/kv1`, name: 'kv1', ips: ['10.0.1.4'], ttl: 10 }],
};
const site = (inboundVnet: string, ips: string[], rulesets = true): Site => ({
  vnetId: VNET,
  vnet: { id: VNET, addressPrefixes: ['10.0.0.0/16'], dnsServers: [], peerings: [] },
  ...(rulesets ? { rulesets: [{ id: RULESET, rules: [], linkedVnets: [VNET] }] } : {}),
  inboundEndpoints: [{ id: `${HUB}/inbound`, ips, virtualNetworkId: inboundVnet }],
});
const run = (s: Site) =>
  checkZoneLinks(
    checkInput({
      cloud: CLOUD,
      expected: { ...expected([endpoint('pe1', '10.0.1.4')]), zones: [zone] },
      observed: observed({ os: ['20.1.2.3'] }),
      site: s,
    }),
  );

describe('ZONE_NOT_LINKED beside a ruleset that forwards nothing for the vault', () => {
  it('the fix is the forwarding rule to the inbound endpoint in the VNet the zone is linked to', () => {
    const [f, ...rest] = run(site(HUB, ['10.9.0.4', '10.9.0.5']));
    expect(rest).toEqual([]);
    expect(f?.code).toBe('ZONE_NOT_LINKED');
    expect(f?.resourceId).toBe(RULESET);
    expect(f?.fix).toEqual([
      `az dns-resolver forwarding-rule create --subscription '${SUB}' -g 'dns' --ruleset-name 'rs-spoke' -n 'vault-azure-net' --domain-name 'vault.azure.net.' --forwarding-rule-state Enabled --target-dns-servers '[{ip-address:10.9.0.4,port:53},{ip-address:10.9.0.5,port:53}]'`,
    ]);
    expect(f?.confirm).toEqual([
      `az dns-resolver forwarding-rule list --subscription '${SUB}' -g 'dns' --ruleset-name 'rs-spoke' --query "[].{domain:domainName, targets:targetDnsServers[].ipAddress, state:forwardingRuleState}"`,
    ]);
    expect(f?.remediation).toBe(
      'Ruleset rs-spoke, linked to this VNet, forwards no rule for vault.azure.net. to the resolver whose VNet is linked to zone privatelink.vaultcore.azure.net: add that rule (to inbound endpoint 10.9.0.4, 10.9.0.5). Linking the zone to this VNet as well would also work, but against the hub-and-spoke design the ruleset serves.',
    );
    expect(f?.message).toBe(
      `Zone privatelink.vaultcore.azure.net (dns) holds the right record for kv1.vault.azure.net but is not linked to this VNet (${VNET}); it is linked to ${HUB}.`,
    );
  });

  it('an inbound endpoint in a VNet the zone is not linked to, or without an address: the link is the fix', () => {
    for (const s of [
      site(VNET.replace('spoke', 'other'), ['10.9.0.4']),
      site(HUB, []),
      site(HUB, ['10.9.0.4'], false),
    ]) {
      const [f] = run(s);
      expect([f?.code, f?.resourceId, f?.fix]).toEqual([
        'ZONE_NOT_LINKED',
        ZONE,
        [
          `az network private-dns link vnet create --subscription '${SUB}' -g 'dns' -z 'privatelink.vaultcore.azure.net' -n 'link-spoke' -v '${VNET}' -e false`,
        ],
      ]);
    }
  });
});
