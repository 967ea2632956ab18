import type { AddressOwner, NetworkInterfaceRecord, PrivateEndpointRecord } from './types';

/** Looks the address up in the NIC lists of the subscriptions, then names what the NIC's endpoint connects to. */
export async function findAddressOwner(
  address: string,
  subscriptionIds: readonly string[],
  lists: {
    nics: (sub: string) => Promise<readonly NetworkInterfaceRecord[]>;
    endpoints: (sub: string) => Promise<readonly PrivateEndpointRecord[]>;
  },
): Promise<AddressOwner | undefined> {
  for (const sub of subscriptionIds) {
    const nic = (await lists.nics(sub)).find((n) => n.ipConfigurations.some((c) => c.privateIpAddress === address));
    if (!nic) continue;
    const pe = (await lists.endpoints(sub)).find((e) =>
      e.networkInterfaceIds.some((id) => id.toLowerCase() === nic.id.toLowerCase()),
    );
    if (!pe) continue;
    return {
      address,
      privateEndpointId: pe.id,
      networkInterfaceId: nic.id,
      targetResourceIds: pe.connections.flatMap((c) => (c.privateLinkServiceId ? [c.privateLinkServiceId] : [])),
    };
  }
  return undefined;
}
