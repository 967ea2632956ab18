import type { FindingCode } from '../findings';

/** Objects that are no ARM resource: what a diagnosis of these codes changes, whatever its resourceId. */
const NOT_ARM: Partial<Record<FindingCode, string>> = {
  DNS_RESOLVERS_DISAGREE: "this machine's name resolution (hosts file, local cache) or the VNet's DNS servers",
  PROXY_IN_PATH: 'the proxy settings (HTTPS_PROXY, NO_PROXY)',
  PRIVATELINK_HOST_IN_USE: 'the configured vault name',
  DATAPLANE_AUTH_UNAVAILABLE: "the probe's data-plane token",
  DATAPLANE_TOKEN_REJECTED: "the probe's data-plane token",
  RUN_DEADLINE_EXCEEDED: "the probe's deadline and concurrency settings",
  PROBE_STEP_FAILED: 'kvprobe itself (a defect, or an ARM value it cannot read)',
};

const PATTERNS: readonly [RegExp, (m: RegExpExecArray) => string][] = [
  [
    /\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/privateDnsZones\/([^/]+)\/A\/([^/]+)$/i,
    (m) => `record set ${m[3]} in zone ${m[2]} (${m[1]})`,
  ],
  [
    /\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/privateDnsZones\/([^/]+)\/virtualNetworkLinks\/([^/]+)$/i,
    (m) => `link ${m[3]} of zone ${m[2]} (${m[1]})`,
  ],
  [
    /\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/privateDnsZones\/([^/]+)$/i,
    (m) => `zone ${m[2]} (${m[1]})`,
  ],
  [
    /\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/dnsForwardingRulesets\/([^/]+)$/i,
    (m) => `forwarding ruleset ${m[2]} (${m[1]})`,
  ],
  [
    /\/providers\/Microsoft\.KeyVault\/(?:vaults|managedHSMs)\/([^/]+)\/privateEndpointConnections\/([^/]+)$/i,
    (m) => `connection ${m[2]} of vault ${m[1]}`,
  ],
  [
    /\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/privateEndpoints\/([^/]+)$/i,
    (m) => `private endpoint ${m[2]} (${m[1]})`,
  ],
  [
    /\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/networkInterfaces\/([^/]+)$/i,
    (m) => `NIC ${m[2]} (${m[1]})`,
  ],
  [
    /\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/virtualNetworks\/([^/]+)$/i,
    (m) => `VNet ${m[2]} (${m[1]})`,
  ],
  [/\/providers\/Microsoft\.KeyVault\/(?:vaults|managedHSMs)\/([^/]+)$/i, (m) => `vault ${m[1]}`],
  [/^\/subscriptions\/([^/]+)$/i, (m) => `subscription ${m[1]}`],
];

/** The object a diagnosis changes, in words: `record set kv-orders in zone privatelink.vaultcore.azure.net (dns)`. */
export function objectOf(code: FindingCode, resourceId: string | null | undefined): string {
  const fixed = NOT_ARM[code];
  if (fixed) return fixed;
  if (!resourceId) return 'no ARM resource';
  for (const [re, label] of PATTERNS) {
    const m = re.exec(resourceId);
    if (m) return label(m);
  }
  return resourceId;
}
