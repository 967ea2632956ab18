import { resourceName } from '../endpoints';
import { commands } from '../commands';
import { finding, type Finding } from '../findings';
import type { CheckInput } from './check';

/** ENDPOINT_READ_FAILED: an endpoint or NIC read failed, so the vault's side of the link is all the probe knows. */
export function checkEndpointRead({ expected }: CheckInput): Finding[] {
  if (!expected) return [];
  return expected.endpoints
    .filter((ep) => ep.foreign === undefined)
    .flatMap((ep) =>
      ep.errors.map((e) => {
        // A batched inventory fails the subscription's list, not the endpoint: the finding still names the endpoint.
        const id = /\/(privateEndpoints|networkInterfaces)\//i.test(String(e.resourceId))
          ? e.resourceId
          : (ep.connection.privateEndpointId ?? e.resourceId);
        return finding(
          'ENDPOINT_READ_FAILED',
          `Could not read ${resourceName(e.resourceId)} (${e.operation}): ${e.statusCode ?? 'no status'} ${e.code ?? ''} ${e.message}`
            .replace(/\s+/g, ' ')
            .trim(),
          {
            privateEndpointId: ep.connection.privateEndpointId ?? e.resourceId ?? '',
            statusCode: e.statusCode,
            armErrorCode: e.code,
          },
          {
            resourceId: id,
            // A 404 is no missing permission: the resource is gone, and the vault's connection to it is what remains.
            ...(e.statusCode === 404
              ? {
                  remediation: `${resourceName(e.resourceId)} does not exist (404): no permission is missing. If the vault still lists a connection to it, delete that connection (see PE_CONNECTION_NOT_APPROVED).`,
                }
              : {}),
            ...(id
              ? { confirm: /networkInterfaces/i.test(id) ? commands.showNic(id) : commands.showEndpoint(id) }
              : {}),
          },
        );
      }),
    );
}
