import { commands } from '../commands';
import { resourceName } from '../endpoints';
import { finding, type Finding } from '../findings';
import type { CheckInput } from './check';

/** ENDPOINT_BELONGS_TO_OTHER_RESOURCE: a resolved private IP is the endpoint NIC of another resource. */
export function checkAddressOwner({ expected, observed }: CheckInput): Finding[] {
  if (!expected?.addressOwners) return [];
  const self = expected.vault.id.toLowerCase();
  return expected.addressOwners
    .filter((o) => !o.targetResourceIds.some((t) => t.toLowerCase() === self))
    .map((o) => {
      const others = o.targetResourceIds.map(resourceName).join(', ') || 'another resource';
      return finding(
        'ENDPOINT_BELONGS_TO_OTHER_RESOURCE',
        `${observed.host} resolves to ${o.address}, the IP of private endpoint ${resourceName(o.privateEndpointId)} of ${others}: connections there are refused for this vault with 403.`,
        { address: o.address, privateEndpointId: o.privateEndpointId, otherResourceIds: [...o.targetResourceIds] },
        { resourceId: o.privateEndpointId, confirm: commands.showEndpointTargets(o.privateEndpointId) },
      );
    });
}
