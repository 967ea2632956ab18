import { commands } from '../commands';
import { expectsPrivateFrom } from '../expectation';
import { finding, type Finding } from '../findings';
import { isPrivateAddress } from '../ip';
import type { DataplaneObservation } from '../types';
import type { CheckInput } from './check';

/** Parses `x-ms-keyvault-network-info` (`conn_type=Ipv4;addr=1.2.3.4;act_addr_fam=InterNetwork;`). */
export function parseNetworkInfo(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim().toLowerCase()] = part.slice(eq + 1).trim();
  }
  return out;
}

function where(o: DataplaneObservation): string {
  if (o.via) return `${o.address} through proxy ${o.via}`;
  return o.connectedTo ? `${o.address} (connected via ${o.connectedTo})` : o.address;
}

function judge(o: DataplaneObservation, host: string, expectsPrivate: boolean): Finding[] {
  if (o.failure) {
    return [
      finding(
        'DATAPLANE_UNREACHABLE',
        `GET https://${host}/healthstatus on ${where(o)} failed during ${o.failure.phase}: ${o.failure.code} ${o.failure.message}`,
        { address: o.address, phase: o.failure.phase, errorCode: o.failure.code },
      ),
    ];
  }
  const status = o.status ?? 0;
  if (status === 403 && o.tcpConnectionForbidden) {
    return [
      finding(
        'DATAPLANE_TCP_CONNECTION_FORBIDDEN',
        o.via
          ? `${where(o)} answered 403 "${o.errorMessage ?? 'This TCP connection does not allow access'}": the proxy sends another Host or SNI than ${host}, or reaches an endpoint that does not serve this vault.`
          : `${where(o)} answered 403 "${o.errorMessage ?? 'This TCP connection does not allow access'}" for Host ${host}: this address does not serve this vault.`,
        { address: o.address, status, innerErrorCode: o.innerErrorCode, serverMessage: o.errorMessage },
      ),
    ];
  }
  if (status === 403) {
    return [
      finding(
        'DATAPLANE_FORBIDDEN',
        `${where(o)} answered 403 ${o.innerErrorCode ?? o.errorCode ?? ''} for ${host}: ${o.errorMessage ?? 'no message'}`.replace(/\s+/g, ' '),
        { address: o.address, status, errorCode: o.errorCode, innerErrorCode: o.innerErrorCode, serverMessage: o.errorMessage },
      ),
    ];
  }
  if (status < 200 || status >= 300) {
    return [
      finding(
        'DATAPLANE_UNREACHABLE',
        `GET https://${host}/healthstatus on ${where(o)} answered HTTP ${status}, not 200.`,
        { address: o.address, phase: 'http', errorCode: `HTTP_${status}` },
      ),
    ];
  }
  if (!expectsPrivate) return [];
  if (!o.networkInfo) {
    return [
      finding(
        'DATAPLANE_NOT_PRIVATE',
        `${where(o)} answered /healthstatus without an x-ms-keyvault-network-info header: the answer did not come from Key Vault over private link.`,
        { address: o.address },
      ),
    ];
  }
  const info = parseNetworkInfo(o.networkInfo);
  const connType = info['conn_type'];
  const clientAddress = info['addr'];
  const publicClient = clientAddress !== undefined && !isPrivateAddress(clientAddress);
  if ((connType ?? '').toLowerCase() === 'privatelink' && !publicClient) return [];
  return [
    finding(
      'DATAPLANE_NOT_PRIVATE',
      `Key Vault saw the request on ${where(o)} arrive as ${connType ?? 'unknown'} from ${clientAddress ?? 'an unknown address'}, not over private link.`,
      { address: o.address, networkInfo: o.networkInfo, clientAddress, connType },
    ),
  ];
}

/** DATAPLANE_*: judges each /healthstatus answer. */
export function checkDataplane({ expected, observed, vnetId }: CheckInput): Finding[] {
  // A vault that is public by design from this site answers publicly, rightly.
  const expectsPrivate = expectsPrivateFrom(expected, vnetId);
  // Every data-plane finding is confirmed the same way: the same request, by hand, to the same address.
  return observed.dataplane.flatMap((o) =>
    judge(o, observed.host, expectsPrivate).map((f) => ({
      ...f,
      ...(expected ? { resourceId: expected.vault.id } : {}),
      command: o.via ? `curl -sv --proxy ${o.via} https://${observed.host}/healthstatus` : commands.curlHealth(observed.host, o.address),
    })),
  );
}
