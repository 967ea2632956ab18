import { authenticatedReadPath, dataplaneAudience } from '../clouds';
import { commands, curlAuthenticated, showCertificate } from '../commands';
import { finding, type DataplaneRequest, type Finding } from '../findings';
import { parseNetworkInfo, type NetworkInfo } from '../network-info';
import { arrivalFinding } from './dataplane-arrival';
import type { DataplaneAnswer, DataplaneObservation, ExpectedState, Site } from '../types';
import { expectsPrivateFrom, sitePrefixes } from '../expectation';
import type { CheckInput } from './check';
import { connectedEndpointIds, lower, ownersOf, preferredEndpoints } from './dataplane-endpoints';

export { preferredEndpoints } from './dataplane-endpoints';

function where(o: DataplaneObservation): string {
  if (o.via) return `${o.address} through proxy ${o.via}`;
  return o.connectedTo ? `${o.address} (connected via ${o.connectedTo})` : o.address;
}

const ACCEPTED_403 = new Set(['forbiddenbyrbac', 'accessdenied', 'forbiddenbypolicy']);

/**
 * The authenticated read passed the network checks: Key Vault went on to authorization (or answered it). A Managed
 * HSM refuses a caller without a local role with a top-level `AccessDenied` ("Not authorized to access
 * Microsoft.KeyVault/managedHsm/…") and no inner error (FACTS.md): that too is authorization, past the network.
 */
function pathAccepted(a: DataplaneAnswer, hsm: boolean): boolean {
  const status = a.status ?? 0;
  if (status === 403) {
    if (a.tcpConnectionForbidden) return false;
    // An absent code reads as `undefined`, which is no code Key Vault sends.
    if (hsm && !a.innerErrorCode && String(a.errorCode).toLowerCase() === 'accessdenied') return true;
    return ACCEPTED_403.has(String(a.innerErrorCode).toLowerCase());
  }
  return (status >= 200 && status < 300) || status === 404;
}

interface Context {
  readonly host: string;
  readonly expected: ExpectedState | undefined;
  readonly site: Site | undefined;
  readonly audience: string;
  readonly prefixes: readonly string[];
  /** The IDs of the endpoints the vault has a connection with (connectedEndpointIds). */
  readonly connected: Set<string>;
  /** This site should reach the vault over private link (the site expectation; any endpoint without a known VNet). */
  readonly expectsPrivate: boolean;
  /** A Managed HSM: its refusals have their own shape. */
  readonly hsm: boolean;
}

/** The finding for a 403 that refused the network path, from either request; undefined when it is not one. */
function refusal(
  o: DataplaneObservation,
  a: DataplaneAnswer,
  request: DataplaneRequest,
  info: NetworkInfo | undefined,
  c: Context,
): Finding | undefined {
  const status = a.status ?? 0;
  if (status !== 403 || (request === 'authenticated' && pathAccepted(a, c.hsm))) return undefined;
  const via = o.via ? { via: o.via } : {};
  const reproduce = request === 'authenticated' ? 'the authenticated read' : 'GET /healthstatus';
  if (a.tcpConnectionForbidden) {
    const landed = info?.privateEndpointId;
    const others = landed && !c.connected.has(lower(landed)) ? ownersOf(landed, c.expected) : undefined;
    const arrivedAt = landed
      ? ` The connection arrived through private endpoint ${landed}${others && others.length > 0 ? `, which serves ${others.join(', ')}` : ''}.`
      : info?.privateEndpointText
        ? ` Key Vault named the endpoint "${info.privateEndpointText}", which is no private endpoint resource ID.`
        : '';
    return finding(
      'DATAPLANE_TCP_CONNECTION_FORBIDDEN',
      o.via
        ? `${where(o)} answered ${reproduce} with 403 "${a.errorMessage ?? 'This TCP connection does not allow access'}": the proxy sends another Host or SNI than ${c.host}, or reaches an endpoint that does not serve this vault.${arrivedAt}`
        : `${where(o)} answered ${reproduce} with 403 "${a.errorMessage ?? 'This TCP connection does not allow access'}" for Host ${c.host}: this address does not serve this vault.${arrivedAt}`,
      {
        address: o.address,
        status,
        request,
        ...via,
        innerErrorCode: a.innerErrorCode,
        serverMessage: a.errorMessage,
        privateEndpointId: landed,
        otherResourceIds: others,
      },
      { resourceId: landed ?? c.expected?.vault.id },
    );
  }
  return finding(
    'DATAPLANE_FORBIDDEN',
    `${where(o)} answered ${reproduce} with 403 ${a.innerErrorCode ?? a.errorCode ?? ''} for ${c.host}${info?.clientAddress ? ` (caller seen as ${info.clientAddress}${info.connType ? `, ${info.connType}` : ''})` : ''}: ${a.errorMessage ?? 'no message'}`.replace(
      /\s+/g,
      ' ',
    ),
    {
      address: o.address,
      status,
      request,
      ...via,
      errorCode: a.errorCode,
      innerErrorCode: a.innerErrorCode,
      serverMessage: a.errorMessage,
      connType: info?.connType,
      clientAddress: info?.clientAddress,
    },
  );
}

function judge(o: DataplaneObservation, c: Context): Finding[] {
  const via = o.via ? { via: o.via } : {};
  if (o.failure) {
    if (o.failure.phase === 'tls' && o.tls && !o.tls.authorized) {
      return [
        finding(
          'DATAPLANE_TLS_UNTRUSTED',
          `The certificate on ${where(o)} for ${c.host} failed verification (${o.tls.error ?? o.failure.code}): subject ${o.tls.subject ?? 'unknown'}, issuer ${o.tls.issuer ?? 'unknown'}. Nothing was sent over it.`,
          {
            address: o.address,
            ...via,
            error: o.tls.error ?? o.failure.code,
            subject: o.tls.subject,
            issuer: o.tls.issuer,
          },
          { confirm: showCertificate(c.host, o.address, o.via) },
        ),
      ];
    }
    return [
      finding(
        'DATAPLANE_UNREACHABLE',
        `GET https://${c.host}/healthstatus on ${where(o)} failed during ${o.failure.phase}: ${o.failure.code} ${o.failure.message}`,
        { address: o.address, phase: o.failure.phase, errorCode: o.failure.code, ...via },
      ),
    ];
  }
  const info = o.networkInfo ? parseNetworkInfo(o.networkInfo) : undefined;
  const out: Finding[] = [];
  let accepted = false;
  const a = o.authenticated;
  if (a && !a.failure) {
    const refused = refusal(o, a, 'authenticated', info, c);
    if (refused) return [refused];
    if (a.status === 401) {
      out.push(
        finding(
          'DATAPLANE_TOKEN_REJECTED',
          `${where(o)} answered the authenticated read with 401 ${a.errorCode ?? ''}: ${a.errorMessage ?? 'no message'}`.replace(
            /\s+/g,
            ' ',
          ),
          {
            address: o.address,
            ...via,
            status: 401,
            audience: c.audience,
            errorCode: a.errorCode,
            serverMessage: a.errorMessage,
          },
          { confirm: commands.tokenTenant(c.audience) },
        ),
      );
    } else accepted = pathAccepted(a, c.hsm);
  }
  const refusedHealth = refusal(o, o, 'healthstatus', info, c);
  if (refusedHealth) return [...out, refusedHealth];
  const status = o.status ?? 0;
  if (status < 200 || status >= 300) {
    return [
      ...out,
      finding(
        'DATAPLANE_UNREACHABLE',
        `GET https://${c.host}/healthstatus on ${where(o)} answered HTTP ${status}, not 200.`,
        {
          address: o.address,
          phase: 'http',
          errorCode: `HTTP_${status}`,
          ...via,
        },
      ),
    ];
  }
  const landed = info?.privateEndpointId;
  if (landed && !c.connected.has(lower(landed)) && !accepted) {
    const others = ownersOf(landed, c.expected);
    out.push(
      finding(
        'DATAPLANE_ENDPOINT_OF_OTHER_RESOURCE',
        `The connection to ${where(o)} arrived through private endpoint ${landed}, which is not one of ${c.host}'s endpoints${others.length > 0 ? ` (it serves ${others.join(', ')})` : ''}: Key Vault will refuse this vault's calls there with 403 "This TCP connection does not allow access".`,
        {
          address: o.address,
          ...via,
          privateEndpointId: landed,
          otherResourceIds: others,
          networkInfo: o.networkInfo ?? '',
        },
        { resourceId: landed, confirm: commands.showEndpoint(landed) },
      ),
    );
    return out;
  }
  if (!c.expectsPrivate) return out;
  // Managed HSM front ends have been recorded answering without the network header (FACTS.md): its absence there
  // says nothing about the path, only its presence does.
  if (!info && c.expected?.vault.kind === 'managedHsm') return out;
  const notPrivate = arrivalFinding(o, info, c.expected, c.site, c.prefixes, where(o));
  if (notPrivate) {
    out.push(notPrivate);
    return out;
  }
  if (landed) {
    const preferred = preferredEndpoints(c.expected, c.site, o.address);
    if (preferred.size > 0 && !preferred.has(lower(landed))) {
      out.push(
        finding(
          'DATAPLANE_ENDPOINT_NOT_PREFERRED',
          `The connection to ${where(o)} arrived through ${landed}, one of ${c.host}'s endpoints, but this site should use ${[...preferred].join(', ')}.`,
          { address: o.address, ...via, privateEndpointId: landed, preferred: [...preferred] },
          { resourceId: landed, confirm: commands.nslookup(c.host) },
        ),
      );
    }
  }
  return out;
}

/** DATAPLANE_*: judges each address's TLS, /healthstatus answer and authenticated read. */
export function checkDataplane({ cloud, expected, expectation, observed, site }: CheckInput): Finding[] {
  const vault = expected?.vault ?? {};
  const auth = observed.dataplaneAuth;
  const audience = auth && auth.mode !== 'off' ? auth.audience : dataplaneAudience(vault, cloud);
  // A vault that is public by design from this site answers publicly, rightly.
  const c: Context = {
    host: observed.host,
    expected,
    site,
    audience,
    // The same address spaces the expectation counts: the VNet's and its connected peers' (a disconnected peer's
    // range carries no traffic from here, so an address there is not this site's).
    prefixes: sitePrefixes(site?.vnet),
    connected: connectedEndpointIds(expected),
    expectsPrivate: expectsPrivateFrom(expected, expectation),
    hsm: expected?.vault.kind === 'managedHsm',
  };
  const readPath = authenticatedReadPath(vault);
  const findings = observed.dataplane.flatMap(
    (o) =>
      judge(o, c).map((f) => ({
        ...f,
        resourceId: f.resourceId ?? expected?.vault.id,
        // Unless the check named a better one, confirm by hand with the same request to the same address.
        confirm: f.confirm ?? [
          o.authenticated && !o.authenticated.failure && f.code !== 'DATAPLANE_NOT_PRIVATE'
            ? curlAuthenticated(observed.host, o.address, audience, readPath, o.via)
            : o.via
              ? commands.curlHealthViaProxy(observed.host, o.via)
              : commands.curlHealth(observed.host, o.address),
        ],
      })) as Finding[],
  );
  if (auth?.mode === 'unavailable' && observed.dataplane.length > 0) {
    findings.push(
      finding(
        'DATAPLANE_AUTH_UNAVAILABLE',
        `No data-plane token for ${auth.audience} could be obtained (${auth.error}): only /healthstatus was asked, and it does not show the 403 "This TCP connection does not allow access".`,
        { audience: auth.audience, error: auth.error },
        { resourceId: expected?.vault.id, confirm: commands.tokenExpiry(auth.audience) },
      ),
    );
  }
  return findings;
}
