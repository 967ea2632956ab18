import { checkInput } from '../../src/probe/checks';
import { checkResolverLoop } from '../../src/probe/checks/resolver-loop';
import type { ForwardingRulesetRecord, PrivateDnsZoneRecord, Site } from '../../src/probe/types';
import { CLOUD, endpoint, expected, observed, SUB } from './builders';

/**
 * RESOLVER_FORWARDING_LOOP, whole: which names a rule catches, one finding per looping rule, a link whose ID was not
 * read, and the custom DNS server named only where the VNet has one. Written from `npm run mutate`'s survivors and
 * uncovered mutants; literal expectations.
 */
const net = (name: string): string =>
  `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/${name}`;
const SPOKE = net('spoke');
const HUB = net('hub');
const RS = (name: string) =>
  `/subscriptions/${SUB}/resourceGroups/dns/providers/Microsoft.Network/dnsForwardingRulesets/${name}`;
const INBOUND = `/subscriptions/${SUB}/resourceGroups/dns/providers/Microsoft.Network/dnsResolvers/hub-resolver/inboundEndpoints/in`;
const ZONE = `/subscriptions/${SUB}/resourceGroups/dns/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net`;
const HOST = 'kv1.vault.azure.net';
const PL_NAME = 'kv1.privatelink.vaultcore.azure.net';

const zone: PrivateDnsZoneRecord = {
  id: ZONE,
  name: 'privatelink.vaultcore.azure.net',
  subscriptionId: SUB,
  resourceGroup: 'dns',
  links: [],
  aRecords: [],
};
/** A ruleset linked to the hub (with its link's ID unless `noLinkId`), its rules sending to the hub's own endpoint. */
const atHub = (name: string, rules: [string, string][], noLinkId = false): ForwardingRulesetRecord => ({
  id: RS(name),
  linkedVnets: [HUB],
  ...(noLinkId ? {} : { links: [{ id: `${RS(name)}/virtualNetworkLinks/hub`, virtualNetworkId: HUB }] }),
  rules: rules.map(([rule, domainName]) => ({ name: rule, domainName, targets: ['10.9.0.4:53'], enabled: true })),
});
/** The spoke, sending its queries to the hub's inbound endpoint (custom DNS) or through its own ruleset. */
const spoke = (hubRulesets: ForwardingRulesetRecord[], via: 'custom-dns' | 'ruleset' = 'custom-dns'): Site => ({
  vnetId: SPOKE,
  vnet: {
    id: SPOKE,
    addressPrefixes: ['10.0.0.0/16'],
    dnsServers: via === 'custom-dns' ? ['10.9.0.4'] : [],
    peerings: [],
  },
  inboundEndpoints: [{ id: INBOUND, ips: ['10.9.0.4'], virtualNetworkId: HUB }],
  resolverRulesets: hubRulesets,
  ...(via === 'ruleset'
    ? {
        rulesets: [
          {
            id: RS('rs-spoke'),
            linkedVnets: [SPOKE],
            rules: [{ name: 'all-vault', domainName: 'azure.net.', targets: ['10.9.0.4'], enabled: true }],
          },
        ],
      }
    : {}),
});
const run = (site: Site, zones: PrivateDnsZoneRecord[] = [zone]) =>
  checkResolverLoop(
    checkInput({
      cloud: CLOUD,
      expected: { ...expected([endpoint('pe1', '10.9.1.4')]), zones },
      observed: observed({ os: [], dns: [] }),
      site,
    }),
  );
const CONFIRM = (rs: string) => [
  `az dns-resolver vnet-link list --subscription '${SUB}' -g 'dns' --ruleset-name '${rs}' --query "[].{name:name, vnet:virtualNetwork.id}"`,
  `az dns-resolver forwarding-rule list --subscription '${SUB}' -g 'dns' --ruleset-name '${rs}' --query "[].{domain:domainName, targets:targetDnsServers[].ipAddress, state:forwardingRuleState}"`,
];

describe('RESOLVER_FORWARDING_LOOP', () => {
  it("a rule for the privatelink zone: caught only through the zone's name, which the zone in view gives", () => {
    const site = spoke([atHub('rs-hub', [['vaultcore', 'vaultcore.azure.net.']])]);
    expect(run(site)).toStrictEqual([
      {
        code: 'RESOLVER_FORWARDING_LOOP',
        severity: 'warning',
        message: `Forwarding rule vaultcore (vaultcore.azure.net. -> 10.9.0.4:53) of ruleset rs-hub sends ${PL_NAME} to inbound endpoint in, in ${HUB}, and the ruleset is linked to that VNet (${RS('rs-hub')}/virtualNetworkLinks/hub): every query that arrives there is forwarded to the same endpoint again, a resolution loop.`,
        remediation: expect.any(String) as string,
        details: {
          ruleset: RS('rs-hub'),
          rule: 'vaultcore',
          domain: 'vaultcore.azure.net.',
          target: '10.9.0.4:53',
          vnetId: HUB.toLowerCase(),
          linkId: `${RS('rs-hub')}/virtualNetworkLinks/hub`,
          inboundEndpointId: INBOUND,
          hosts: [PL_NAME],
          server: '10.9.0.4',
        },
        resourceId: `${RS('rs-hub')}/virtualNetworkLinks/hub`,
        fix: [`az dns-resolver vnet-link delete --subscription '${SUB}' -g 'dns' --ruleset-name 'rs-hub' -n 'hub'`],
        confirm: CONFIRM('rs-hub'),
      },
    ]);
    // Without a zone in view only the vault's own name is asked: the privatelink rule catches nothing.
    expect(run(site, [])).toEqual([]);
  });

  it('two rules of one ruleset, each catching one name: one finding each, naming only its own name', () => {
    const site = spoke([
      atHub('rs-hub', [
        ['vault', 'vault.azure.net.'],
        ['vaultcore', 'vaultcore.azure.net.'],
      ]),
    ]);
    expect(run(site).map((f) => [f.message.split(' ')[2], f.resourceId, f.details])).toEqual([
      ['vault', `${RS('rs-hub')}/virtualNetworkLinks/hub`, expect.objectContaining({ hosts: [HOST] })],
      ['vaultcore', `${RS('rs-hub')}/virtualNetworkLinks/hub`, expect.objectContaining({ hosts: [PL_NAME] })],
    ]);
  });

  it('one rule catching both names: both named, in the order asked', () => {
    const [f, ...rest] = run(spoke([atHub('rs-hub', [['azure', 'azure.net.']])]));
    expect(rest).toEqual([]);
    expect(f?.message).toContain(`of ruleset rs-hub sends ${HOST}, ${PL_NAME} to inbound endpoint in,`);
    expect(f?.details).toMatchObject({ hosts: [HOST, PL_NAME] });
  });

  it('rules of one name in two rulesets, each catching one name: told apart by their ruleset', () => {
    const site = spoke([
      atHub('rs-a', [['fwd', 'vault.azure.net.']]),
      atHub('rs-b', [['fwd', 'vaultcore.azure.net.']]),
    ]);
    expect(run(site).map((f) => [f.resourceId, f.details])).toEqual([
      [`${RS('rs-a')}/virtualNetworkLinks/hub`, expect.objectContaining({ hosts: [HOST] })],
      [`${RS('rs-b')}/virtualNetworkLinks/hub`, expect.objectContaining({ hosts: [PL_NAME] })],
    ]);
  });

  it('a link whose ID was not read: named by its VNet, no fix, the ruleset as the object; no custom DNS server', () => {
    const [f, ...rest] = run(spoke([atHub('rs-hub', [['vault', 'vault.azure.net.']], true)], 'ruleset'));
    expect(rest).toEqual([]);
    expect(f?.message).toBe(
      `Forwarding rule vault (vault.azure.net. -> 10.9.0.4:53) of ruleset rs-hub sends ${HOST} to inbound endpoint in, in ${HUB}, and the ruleset is linked to that VNet (the ruleset's link to ${HUB}): every query that arrives there is forwarded to the same endpoint again, a resolution loop.`,
    );
    expect(f?.details).toStrictEqual({
      ruleset: RS('rs-hub'),
      rule: 'vault',
      domain: 'vault.azure.net.',
      target: '10.9.0.4:53',
      vnetId: HUB.toLowerCase(),
      inboundEndpointId: INBOUND,
      hosts: [HOST],
    });
    expect([f?.resourceId, f?.fix, f?.confirm]).toEqual([RS('rs-hub'), undefined, CONFIRM('rs-hub')]);
  });
});
