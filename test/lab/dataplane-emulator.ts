import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as https from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { LabPki } from './tls';
import { LAB_TENANT, readLabToken } from './tokens';
import { DEFAULT_HOST, SocketTracker, closeServer, listen, plainAddress } from './net';

/** Which form of `x-ms-keyvault-network-info` an endpoint sends (see FACTS.md, data plane). */
export type NetworkInfoForm = 'current' | 'legacy' | 'bare' | 'none';

export interface DataplaneVault {
  host: string;
  publicNetworkAccess: 'Enabled' | 'Disabled';
  /** The vault firewall (networkAcls); default: allow. Applies to public-path calls only. */
  networkAcls?: {
    defaultAction: 'Allow' | 'Deny';
    ipRules: string[];
    /** A VNet rule names the probe's subnet (service endpoint). */ admitsProbeVnet?: boolean;
  };
  /** rbac (default) answers ForbiddenByRbac once the path is accepted; access-policy answers AccessDenied. */
  authorization?: 'rbac' | 'access-policy';
  /** Shown in error texts; defaults to westeurope. */
  location?: string;
  /** The vault's tenant: tokens from another tenant get 401. Defaults to the lab tenant. */
  tenantId?: string;
}

export interface DataplaneEndpoint {
  represents: string;
  kind: 'private' | 'public';
  servesHost?: string;
  /** The private endpoint resource this listener stands for, named in the PrivateLink form of the header. */
  privateEndpointId?: string;
  /** The caller's address as this endpoint reports it; default: the socket's. */
  clientAddress?: string;
  /** The header form this endpoint sends; default current. */
  networkInfoForm?: NetworkInfoForm;
  /**
   * issue 20: a public endpoint reached over the Key Vault service endpoint of this subnet (the probe's): the header
   * names it (`conn_type=Subnet;subnet=<id>;…`) and the caller's private address.
   */
  serviceEndpointSubnet?: string;
  listenHost?: string;
  listenPort?: number;
}

export interface DataplaneRequestLog {
  represents: string;
  sni?: string;
  host?: string;
  path: string;
  /** The token's audience, when a bearer token was sent. */
  audience?: string;
  status: number;
  innerErrorCode?: string;
}

export interface DataplaneEmulatorOptions {
  pki: LabPki;
  vaults: DataplaneVault[];
  endpoints: DataplaneEndpoint[];
}

/** One certificate for every listener, as the real front ends present for all vaults they serve. */
export const KEY_VAULT_CERT_NAMES = [
  '*.vault.azure.net',
  '*.vault.usgovcloudapi.net',
  '*.vault.azure.cn',
  '*.privatelink.vaultcore.azure.net',
  '*.managedhsm.azure.net',
];

const PUBLIC_CLIENT_ADDRESS = '203.0.113.10';

/**
 * The collections Key Vault and Managed HSM serve (the Key Vault REST reference's operation groups), each with up
 * to two more segments (a name, a version or an action): anything else is a 404 once the token is accepted.
 */
const SERVED_PATH =
  /^\/(secrets|keys|certificates|deletedsecrets|deletedkeys|deletedcertificates|storage|deletedstorage|rng|settings|securitydomain)(\/[^/]+){0,3}\/?$/i;
const SERVICE_VERSION = '1.9.3019.1';

/** The sovereign cloud decides both the token audience and the login authority in the 401 challenge. */
function cloudOf(host: string): { resource: string; login: string } {
  if (host.endsWith('.vault.usgovcloudapi.net'))
    return { resource: 'https://vault.usgovcloudapi.net', login: 'https://login.microsoftonline.us' };
  if (host.endsWith('.vault.azure.cn'))
    return { resource: 'https://vault.azure.cn', login: 'https://login.chinacloudapi.cn' };
  if (host.endsWith('.managedhsm.azure.net'))
    return { resource: 'https://managedhsm.azure.net', login: 'https://login.microsoftonline.com' };
  return { resource: 'https://vault.azure.net', login: 'https://login.microsoftonline.com' };
}

function hostWithoutPort(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  return h.replace(/:\d+$/, '').replace(/\.$/, '');
}

function ipv4(address: string): number | undefined {
  const parts = address.split('.').map(Number);
  return parts.length === 4 && parts.every((p) => Number.isInteger(p) && p >= 0 && p <= 255)
    ? parts.reduce((a, p) => a * 256 + p, 0)
    : undefined;
}

/** True when `address` matches an IP rule (`a.b.c.d` or `a.b.c.d/n`). */
function inRule(address: string, rule: string): boolean {
  const [base = '', bits = '32'] = rule.split('/');
  const a = ipv4(address);
  const b = ipv4(base);
  if (a === undefined || b === undefined) return false;
  const size = 2 ** (32 - Number(bits));
  return Math.floor(a / size) === Math.floor(b / size);
}

/** The header for a connection: how it arrived, from which address, through which endpoint. */
export function networkInfoHeader(
  form: NetworkInfoForm,
  arrival: { privateEndpointId?: string; address: string; subnet?: string },
): string {
  if (form === 'none') return '';
  if (form === 'bare') return `addr=${arrival.address}`;
  if (arrival.subnet !== undefined && arrival.privateEndpointId === undefined) {
    return form === 'legacy'
      ? `addr=${arrival.address};act_addr_fam=InterNetworkV6;`
      : `conn_type=Subnet;subnet=${arrival.subnet};addr=${arrival.address};act_addr_fam=InterNetworkV6;`;
  }
  if (arrival.privateEndpointId !== undefined) {
    return form === 'legacy'
      ? `addr=${arrival.address};act_addr_fam=InterNetworkV6;`
      : `conn_type=PrivateLink;private_endpoint=${arrival.privateEndpointId};addr=${arrival.address};act_addr_fam=InterNetworkV6;`;
  }
  return form === 'legacy'
    ? `addr=${arrival.address};act_addr_fam=InterNetwork;`
    : `conn_type=Ipv4;addr=${arrival.address};act_addr_fam=InterNetwork;`;
}

interface Listener {
  endpoint: DataplaneEndpoint;
  server: https.Server;
  tracker: SocketTracker;
  host: string;
  port: number;
}

type Json = (status: number, body: unknown, headers?: Record<string, string>) => void;

/**
 * Key Vault's data plane as the network sees it. GET /healthstatus answers 200 on every listener whatever the Host
 * or the firewall says, with a network header that tells how the connection arrived. Every other path needs a
 * bearer token (401 without one); with one, the lab judges in this order: the token's audience, tenant and expiry
 * (401), the api-version (400 without one), the path (404 for one Key Vault does not serve),
 * the endpoint and Host (403 "This TCP connection does not allow access" where a private endpoint does not serve
 * the Host), the firewall on the public path (ForbiddenByConnection, ForbiddenByFirewall), then authorization
 * (ForbiddenByRbac or AccessDenied: the lab grants no data-plane role to anyone).
 */
export class DataplaneEmulator {
  readonly requests: DataplaneRequestLog[] = [];
  /** TCP connections accepted on any listener, before TLS: what a test counts to prove nothing connected. */
  connections = 0;
  private readonly vaults = new Map<string, DataplaneVault>();

  private constructor(private readonly listeners: Map<string, Listener>) {}

  static async start(opts: DataplaneEmulatorOptions): Promise<DataplaneEmulator> {
    const { key, cert } = opts.pki.issue(KEY_VAULT_CERT_NAMES);
    const listeners = new Map<string, Listener>();
    const emulator = new DataplaneEmulator(listeners);
    for (const v of opts.vaults) emulator.setVault(v);
    try {
      for (const endpoint of opts.endpoints) {
        if (listeners.has(endpoint.represents))
          throw new Error(`two dataplane endpoints represent ${endpoint.represents}`);
        if (endpoint.kind === 'private' && !endpoint.servesHost)
          throw new Error(`private endpoint ${endpoint.represents} needs servesHost`);
        const server = https.createServer({ key, cert });
        const tracker = new SocketTracker(server);
        const host = endpoint.listenHost ?? DEFAULT_HOST;
        const port = await listen(server, host, endpoint.listenPort ?? 0);
        const listener: Listener = { endpoint, server, tracker, host, port };
        server.on('request', (req: IncomingMessage, res: ServerResponse) => emulator.handle(listener, req, res));
        server.on('connection', () => emulator.connections++);
        listeners.set(endpoint.represents, listener);
      }
    } catch (err) {
      await emulator.stop();
      throw err;
    }
    return emulator;
  }

  listenerFor(represents: string): { host: string; port: number } {
    const listener = this.listeners.get(represents);
    if (!listener)
      throw new Error(
        `no dataplane endpoint represents ${represents}; known: ${[...this.listeners.keys()].join(', ')}`,
      );
    return { host: listener.host, port: listener.port };
  }

  /** Adds or replaces a vault, e.g. to flip publicNetworkAccess in the middle of a scenario. */
  setVault(vault: DataplaneVault): void {
    this.vaults.set(vault.host.toLowerCase(), { ...vault, host: vault.host.toLowerCase() });
  }

  removeVault(host: string): void {
    this.vaults.delete(host.toLowerCase());
  }

  async stop(): Promise<void> {
    await Promise.all([...this.listeners.values()].map((l) => closeServer(l.server, l.tracker)));
  }

  private handle(listener: Listener, req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    const { endpoint } = listener;
    const host = hostWithoutPort(req.headers.host);
    const sniValue = (req.socket as TLSSocket).servername;
    const entry: DataplaneRequestLog = {
      represents: endpoint.represents,
      sni: typeof sniValue === 'string' ? sniValue : undefined,
      host,
      path: (req.url ?? '/').split('?')[0] ?? '/',
      status: 0,
    };
    this.requests.push(entry);
    const address =
      endpoint.clientAddress ??
      (endpoint.kind === 'private' ? plainAddress(req.socket.remoteAddress) : PUBLIC_CLIENT_ADDRESS);
    const networkInfo = networkInfoHeader(endpoint.networkInfoForm ?? 'current', {
      address,
      ...(endpoint.kind === 'private' ? { privateEndpointId: endpoint.privateEndpointId ?? '' } : {}),
      ...(endpoint.serviceEndpointSubnet ? { subnet: endpoint.serviceEndpointSubnet } : {}),
    });
    const vault = host ? this.vaults.get(host) : undefined;
    const base = {
      ...(networkInfo ? { 'x-ms-keyvault-network-info': networkInfo } : {}),
      'x-ms-keyvault-service-version': SERVICE_VERSION,
      'x-ms-keyvault-region': vault?.location ?? 'westeurope',
    };
    const send = (status: number, body: string, headers: Record<string, string>): void => {
      entry.status = status;
      res.writeHead(status, {
        'Content-Length': String(Buffer.byteLength(body)),
        'Cache-Control': 'no-cache',
        'x-ms-request-id': randomUUID(),
        ...base,
        ...headers,
      });
      res.end(body);
    };
    const json: Json = (status, body, headers = {}) => {
      const inner = (body as { error?: { innererror?: { code?: string } } }).error?.innererror?.code;
      if (inner) entry.innerErrorCode = inner;
      send(status, JSON.stringify(body), { 'Content-Type': 'application/json; charset=utf-8', ...headers });
    };

    if (entry.path.toLowerCase() === '/healthstatus') {
      // Whatever the Host, the firewall or the vault: the diagnostics guide uses it to read the caller's address.
      send(200, 'null', { 'Content-Type': 'application/json; charset=utf-8' });
      return;
    }
    const cloud = cloudOf(host ?? endpoint.servesHost ?? '');
    const challenge = {
      'WWW-Authenticate': `Bearer authorization="${cloud.login}/${vault?.tenantId ?? LAB_TENANT}", resource="${cloud.resource}"`,
    };
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer) {
      json(
        401,
        { error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' } },
        challenge,
      );
      return;
    }
    const claims = readLabToken(bearer);
    entry.audience = claims?.aud;
    if (!claims || claims.aud.replace(/\/$/, '') !== cloud.resource) {
      json(
        401,
        {
          error: {
            code: 'Unauthorized',
            message: `AKV10022: Invalid audience. Expected ${cloud.resource}, found: ${claims?.aud ?? '(unreadable token)'}.`,
          },
        },
        challenge,
      );
      return;
    }
    const tenant = vault?.tenantId ?? LAB_TENANT;
    if (claims.tid !== tenant) {
      json(
        401,
        {
          error: {
            code: 'Unauthorized',
            message: `AKV10032: Invalid issuer. Expected one of https://sts.windows.net/${tenant}/, found https://sts.windows.net/${claims.tid}/.`,
          },
        },
        challenge,
      );
      return;
    }
    if (claims.exp * 1000 <= Date.now()) {
      json(
        401,
        {
          error: {
            code: 'Unauthorized',
            message: `AKV10000: Request is missing a valid token: the token expired at ${new Date(claims.exp * 1000).toISOString()}.`,
          },
        },
        challenge,
      );
      return;
    }
    // Every Key Vault operation takes ?api-version= (only /healthstatus, answered above, does not).
    if (!new URLSearchParams((req.url ?? '').split('?')[1] ?? '').get('api-version')) {
      json(400, {
        error: { code: 'BadParameter', message: 'The api-version query parameter is missing or empty.' },
      });
      return;
    }
    if (!SERVED_PATH.test(entry.path)) {
      json(404, { error: { code: 'NotFound', message: `The requested path ${entry.path} is not served.` } });
      return;
    }
    const caller = `appid=${claims.appid};oid=${claims.oid};iss=https://sts.windows.net/${claims.tid}/`;
    if (endpoint.kind === 'private' && host !== endpoint.servesHost?.toLowerCase()) {
      json(403, {
        error: {
          code: 'Forbidden',
          message: `This TCP connection does not allow access to ${host ?? '(no Host header)'}.`,
        },
      });
      return;
    }
    if (!vault) {
      send(404, 'Not Found', { 'Content-Type': 'text/plain' });
      return;
    }
    const where = `Vault: ${vault.host.split('.')[0] ?? vault.host};location=${vault.location ?? 'westeurope'}`;
    if (endpoint.kind === 'public') {
      if (vault.publicNetworkAccess === 'Disabled') {
        json(403, {
          error: {
            code: 'Forbidden',
            message: `Public network access is disabled and request is not from a trusted service nor via an approved private link.\r\nCaller: ${caller}\r\n${where}`,
            innererror: { code: 'ForbiddenByConnection' },
          },
        });
        return;
      }
      const acls = vault.networkAcls;
      if (acls?.defaultAction === 'Deny' && !acls.admitsProbeVnet && !acls.ipRules.some((r) => inRule(address, r))) {
        json(403, {
          error: {
            code: 'Forbidden',
            message: `Client address is not authorized and caller is not a trusted service.\r\nClient address: ${address}\r\nCaller: ${caller}\r\n${where}`,
            innererror: { code: 'ForbiddenByFirewall' },
          },
        });
        return;
      }
    }
    const kind = entry.path.toLowerCase().startsWith('/keys') ? 'keys' : 'secrets';
    if (vault.host.endsWith('.managedhsm.azure.net')) {
      // Managed HSM's local RBAC: a top-level AccessDenied, no inner error (FACTS.md, data plane).
      json(403, {
        error: {
          code: 'AccessDenied',
          message: `Not authorized to access Microsoft.KeyVault/managedHsm/keys/read/action on /keys (Activity ID: ${randomUUID()})`,
        },
      });
      return;
    }
    if (vault.authorization === 'access-policy') {
      json(403, {
        error: {
          code: 'Forbidden',
          message: `The user, group or application '${caller}' does not have ${kind} list permission on key vault '${vault.host.split('.')[0] ?? ''};location=${vault.location ?? 'westeurope'}'.`,
          innererror: { code: 'AccessDenied' },
        },
      });
      return;
    }
    json(403, {
      error: {
        code: 'Forbidden',
        message: `Caller is not authorized to perform action on resource.\r\nCaller: ${caller}\r\nAction: 'Microsoft.KeyVault/vaults/${kind}/readMetadata/action'\r\n${where}`,
        innererror: { code: 'ForbiddenByRbac' },
      },
    });
  }
}
