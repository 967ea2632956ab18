import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { NetworkManagementClient } from '@azure/arm-network';
import { PrivateDnsManagementClient, type RecordSet, type VirtualNetworkLink } from '@azure/arm-privatedns';
import { DnsResolverManagementClient } from '@azure/arm-dnsresolver';
import { mapForwardingRuleset, mapInboundEndpoint } from './dns-resolver-mappers';
import { guard } from './arm-errors';
import type { TokenCredential } from '@azure/core-auth';
import { isRestError } from '@azure/core-rest-pipeline';
import type { CloudProfile } from '../probe/clouds';
import { readableId, type Inventory } from '../probe/inventory';
import { parseArmId } from '../probe/names';
import { findAddressOwner } from '../probe/address-owner';
import type {
  AddressOwner,
  ForwardingRulesetRecord,
  InboundEndpointRecord,
  NetworkInterfaceRecord,
  PrivateDnsZoneRecord,
  PrivateEndpointRecord,
  VaultRecord,
  VirtualNetworkRecord,
  ZoneGroupRecord,
} from '../probe/types';
import { collectPages, createBoundedHttpClient, guardPolicy } from './arm-http';
import {
  mapManagedHsm,
  mapNetworkInterface,
  mapPrivateDnsZone,
  mapPrivateEndpoint,
  mapVault,
  mapVirtualNetwork,
  mapZoneGroup,
} from './arm-mappers';

export interface ArmInventoryOptions {
  readonly credential: TokenCredential;
  readonly cloud: CloudProfile;
  /** Retries of throttled (429, honouring Retry-After) and transient failures. */
  readonly maxRetries?: number;
  /** Timeout of each HTTP request (each page of a list, each retry), not of a whole paged list. */
  readonly requestTimeoutMs?: number;
  /** The HTTP client of every SDK client (bounded bodies); shared with Resource Graph by the composition root. */
  readonly httpClient?: ReturnType<typeof createBoundedHttpClient>;
  /** The run's signal, once a run has started: every request, every page included, ends with it. */
  readonly runSignal?: () => AbortSignal | undefined;
}

/** The expected state read resource by resource through the ARM SDKs. */
export class ArmInventory implements Inventory {
  private readonly keyVault = new Map<string, KeyVaultManagementClient>();
  private readonly network = new Map<string, NetworkManagementClient>();
  private readonly privateDns = new Map<string, PrivateDnsManagementClient>();
  private readonly dnsResolver = new Map<string, DnsResolverManagementClient>();

  private readonly http: ReturnType<typeof createBoundedHttpClient>;
  private readonly origin: string;

  constructor(private readonly options: ArmInventoryOptions) {
    this.http = options.httpClient ?? createBoundedHttpClient();
    this.origin = new URL(options.cloud.armEndpoint).origin;
  }

  /** Per-operation options: the caller's signal, and a timeout on every request the operation sends. */
  private op(signal: AbortSignal): { abortSignal: AbortSignal; requestOptions?: { timeout: number } } {
    return {
      abortSignal: signal,
      ...(this.options.requestTimeoutMs ? { requestOptions: { timeout: this.options.requestTimeoutMs } } : {}),
    };
  }

  describe(): { source: string; fromCache: readonly never[] } {
    return { source: 'per-vault', fromCache: [] };
  }

  private clientOptions(): ConstructorParameters<typeof KeyVaultManagementClient>[2] & object {
    const endpoint = this.options.cloud.armEndpoint;
    return {
      endpoint,
      httpClient: this.http,
      additionalPolicies: [
        {
          policy: guardPolicy({
            origin: this.origin,
            timeoutMs: this.options.requestTimeoutMs ?? 30_000,
            runSignal: this.options.runSignal ?? (() => undefined),
          }),
          position: 'perRetry',
        },
      ],
      // Ask for the selected cloud's ARM audience explicitly: some clients default to the public cloud's.
      credentials: { scopes: [`${endpoint}/.default`] },
      retryOptions: { maxRetries: this.options.maxRetries ?? 3 },
      userAgentOptions: { userAgentPrefix: 'kv-privatelink-probe' },
    };
  }

  /** One client per SDK and subscription, made on first use. */
  private client<C>(cache: Map<string, C>, subscriptionId: string, make: (sub: string) => C): C {
    let c = cache.get(subscriptionId);
    if (!c) {
      c = make(subscriptionId);
      cache.set(subscriptionId, c);
    }
    return c;
  }

  private kv(subscriptionId: string): KeyVaultManagementClient {
    return this.client(
      this.keyVault,
      subscriptionId,
      (sub) => new KeyVaultManagementClient(this.options.credential, sub, this.clientOptions()),
    );
  }

  private net(subscriptionId: string): NetworkManagementClient {
    return this.client(
      this.network,
      subscriptionId,
      (sub) => new NetworkManagementClient(this.options.credential, sub, this.clientOptions()),
    );
  }

  private dns(subscriptionId: string): PrivateDnsManagementClient {
    return this.client(
      this.privateDns,
      subscriptionId,
      (sub) => new PrivateDnsManagementClient(this.options.credential, sub, this.clientOptions()),
    );
  }

  private resolver(subscriptionId: string): DnsResolverManagementClient {
    return this.client(
      this.dnsResolver,
      subscriptionId,
      (sub) => new DnsResolverManagementClient(this.options.credential, sub, this.clientOptions()),
    );
  }

  /** The forwarding rulesets linked to the VNet (POST …/listDnsForwardingRulesets), then each one's rules and links. */
  async listForwardingRulesets(vnetId: string, signal: AbortSignal): Promise<ForwardingRulesetRecord[]> {
    return guard('list DNS forwarding rulesets', vnetId, async () => {
      const v = readableId(vnetId, 'list DNS forwarding rulesets');
      const ids: string[] = [];
      for await (const r of this.resolver(v.subscriptionId).dnsForwardingRulesets.listByVirtualNetwork(
        v.resourceGroup,
        v.name,
        this.op(signal),
      ))
        if (r.id) ids.push(r.id);
      const out: ForwardingRulesetRecord[] = [];
      for (const id of ids) {
        const p = readableId(id, 'list DNS forwarding rules');
        const client = this.resolver(p.subscriptionId);
        const rules = [];
        for await (const rule of client.forwardingRules.list(p.resourceGroup, p.name, this.op(signal)))
          rules.push(rule);
        const links = [];
        for await (const link of client.virtualNetworkLinks.list(p.resourceGroup, p.name, this.op(signal)))
          links.push(link);
        out.push(mapForwardingRuleset(id, rules, links));
      }
      return out;
    });
  }

  /** Every DNS Private Resolver of the subscriptions, and each one's inbound endpoints. */
  async listInboundEndpoints(
    subscriptionIds: readonly string[],
    signal: AbortSignal,
  ): Promise<InboundEndpointRecord[]> {
    const out: InboundEndpointRecord[] = [];
    for (const sub of subscriptionIds) {
      await guard('list DNS resolvers', `/subscriptions/${sub}`, async () => {
        const client = this.resolver(sub);
        for await (const r of client.dnsResolvers.list(this.op(signal))) {
          const p = parseArmId(r.id ?? '');
          if (!p || !r.virtualNetwork?.id) continue;
          for await (const e of client.inboundEndpoints.list(p.resourceGroup, p.name, this.op(signal)))
            out.push(mapInboundEndpoint(e, r.virtualNetwork.id));
        }
      });
    }
    return out;
  }

  /** The zone, its A record sets and its VNet links: three reads. */
  async getPrivateDnsZone(id: string, signal: AbortSignal): Promise<PrivateDnsZoneRecord> {
    return guard('get private DNS zone', id, async () => {
      const p = readableId(id, 'get private DNS zone');
      const client = this.dns(p.subscriptionId);
      const zone = await client.privateZones.get(p.resourceGroup, p.name, this.op(signal));
      return this.zoneWithChildren(client, p.resourceGroup, zone, signal);
    });
  }

  private async zoneWithChildren(
    client: PrivateDnsManagementClient,
    resourceGroup: string,
    zone: Parameters<typeof mapPrivateDnsZone>[0],
    signal: AbortSignal,
  ): Promise<PrivateDnsZoneRecord> {
    const name = zone.name ?? '';
    const records: RecordSet[] = [];
    await collectPages(
      client.recordSets.listByType(resourceGroup, name, 'A', this.op(signal)).byPage(),
      this.origin,
      (r) => void records.push(r),
    );
    const links: VirtualNetworkLink[] = [];
    await collectPages(
      client.virtualNetworkLinks.list(resourceGroup, name, this.op(signal)).byPage(),
      this.origin,
      (l) => void links.push(l),
    );
    return mapPrivateDnsZone(zone, records, links);
  }

  /** The subscription's private DNS zones named `names` (case-insensitively), each with records and links. */
  async listPrivateDnsZones(
    subscriptionId: string,
    names: readonly string[],
    signal: AbortSignal,
  ): Promise<PrivateDnsZoneRecord[]> {
    return guard('list private DNS zones', `/subscriptions/${subscriptionId}`, async () => {
      const wanted = new Set(names.map((n) => n.toLowerCase()));
      const client = this.dns(subscriptionId);
      const out: PrivateDnsZoneRecord[] = [];
      const zones: Parameters<typeof mapPrivateDnsZone>[0][] = [];
      await collectPages(client.privateZones.list(this.op(signal)).byPage(), this.origin, (z) => {
        if (wanted.has(String(z.name ?? '').toLowerCase())) zones.push(z);
      });
      for (const z of zones) {
        const rg = parseArmId(typeof z.id === 'string' ? z.id : '')?.resourceGroup ?? '';
        out.push(await this.zoneWithChildren(client, rg, z, signal));
      }
      return out;
    });
  }

  async listZoneGroups(privateEndpointId: string, signal: AbortSignal): Promise<ZoneGroupRecord[]> {
    return guard('list DNS zone groups', privateEndpointId, async () => {
      const p = readableId(privateEndpointId, 'list DNS zone groups');
      const out: ZoneGroupRecord[] = [];
      await collectPages(
        this.net(p.subscriptionId).privateDnsZoneGroups.list(p.resourceGroup, p.name, this.op(signal)).byPage(),
        this.origin,
        (g) => void out.push(mapZoneGroup(g)),
      );
      return out;
    });
  }

  async getVirtualNetwork(id: string, signal: AbortSignal): Promise<VirtualNetworkRecord> {
    return guard('get virtual network', id, async () => {
      const p = readableId(id, 'get virtual network');
      return mapVirtualNetwork(
        await this.net(p.subscriptionId).virtualNetworks.get(p.resourceGroup, p.name, this.op(signal)),
      );
    });
  }

  /** Per-vault reads list NICs and endpoints only here: when an address drifted and its owner is wanted. */
  findAddressOwner(
    address: string,
    subscriptionIds: readonly string[],
    signal: AbortSignal,
  ): Promise<AddressOwner | undefined> {
    return findAddressOwner(address, subscriptionIds, {
      nics: (sub) => this.listNetworkInterfaces(sub, signal),
      endpoints: (sub) => this.listPrivateEndpoints(sub, signal),
    });
  }

  async listVaults(subscriptionId: string, signal: AbortSignal): Promise<VaultRecord[]> {
    return guard('list vaults', `/subscriptions/${subscriptionId}`, async () => {
      const out: VaultRecord[] = [];
      await collectPages(
        this.kv(subscriptionId).vaults.listBySubscription(this.op(signal)).byPage(),
        this.origin,
        (v) => {
          out.push(mapVault(v, this.options.cloud.vaultSuffix));
        },
      );
      // Managed HSMs go through the same engine; an identity without managedHSMs/read just sees none.
      try {
        await collectPages(
          this.kv(subscriptionId).managedHsms.listBySubscription(this.op(signal)).byPage(),
          this.origin,
          (h) => {
            out.push(mapManagedHsm(h, this.options.cloud.hsmSuffix));
          },
        );
      } catch (error) {
        if (!(isRestError(error) && (error.statusCode === 403 || error.statusCode === 404))) throw error;
      }
      return out;
    });
  }

  /** Every private endpoint of the subscription, paged. */
  async listPrivateEndpoints(subscriptionId: string, signal: AbortSignal): Promise<PrivateEndpointRecord[]> {
    return guard('list private endpoints', `/subscriptions/${subscriptionId}`, async () => {
      const out: PrivateEndpointRecord[] = [];
      await collectPages(
        this.net(subscriptionId).privateEndpoints.listBySubscription(this.op(signal)).byPage(),
        this.origin,
        (pe) => void out.push(mapPrivateEndpoint(pe)),
      );
      return out;
    });
  }

  /** Every NIC of the subscription, paged; only those of private endpoints are kept. */
  async listNetworkInterfaces(subscriptionId: string, signal: AbortSignal): Promise<NetworkInterfaceRecord[]> {
    return guard('list network interfaces', `/subscriptions/${subscriptionId}`, async () => {
      const out: NetworkInterfaceRecord[] = [];
      await collectPages(
        this.net(subscriptionId).networkInterfaces.listAll(this.op(signal)).byPage(),
        this.origin,
        (nic) => {
          if (nic.privateEndpoint) out.push(mapNetworkInterface(nic));
        },
      );
      return out;
    });
  }

  async getVault(
    ref: { subscriptionId: string; resourceGroup: string; name: string },
    signal: AbortSignal,
  ): Promise<VaultRecord> {
    const id = `/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroup}/providers/Microsoft.KeyVault/vaults/${ref.name}`;
    return guard('get vault', id, async () =>
      mapVault(
        await this.kv(ref.subscriptionId).vaults.get(ref.resourceGroup, ref.name, this.op(signal)),
        this.options.cloud.vaultSuffix,
      ),
    );
  }

  async getPrivateEndpoint(id: string, signal: AbortSignal): Promise<PrivateEndpointRecord> {
    return guard('get private endpoint', id, async () => {
      const p = readableId(id, 'get private endpoint');
      return mapPrivateEndpoint(
        await this.net(p.subscriptionId).privateEndpoints.get(p.resourceGroup, p.name, this.op(signal)),
      );
    });
  }

  async getNetworkInterface(id: string, signal: AbortSignal): Promise<NetworkInterfaceRecord> {
    return guard('get network interface', id, async () => {
      const p = readableId(id, 'get network interface');
      return mapNetworkInterface(
        await this.net(p.subscriptionId).networkInterfaces.get(p.resourceGroup, p.name, this.op(signal)),
      );
    });
  }
}

// subscriptions.ts reads ARM error bodies through here.
export { armError } from './arm-errors';
