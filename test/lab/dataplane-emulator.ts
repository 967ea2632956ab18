import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as https from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { LabPki } from './tls';
import { DEFAULT_HOST, SocketTracker, closeServer, listen, plainAddress } from './net';

export interface DataplaneVault {
  host: string;
  publicNetworkAccess: 'Enabled' | 'Disabled';
  /** Shown in the public-access 403 text; defaults to eastus. */
  location?: string;
  /** Tenant named in the 401 challenge; defaults to a fixed lab GUID. */
  tenantId?: string;
}

export interface DataplaneEndpoint {
  represents: string;
  kind: 'private' | 'public';
  servesHost?: string;
  clientAddress?: string;
  listenHost?: string;
  listenPort?: number;
}

export interface DataplaneRequestLog {
  represents: string;
  sni?: string;
  host?: string;
  path: string;
  status: number;
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

const LAB_TENANT = '72f988bf-0000-4000-8000-00000000a11b';
const PUBLIC_CLIENT_ADDRESS = '203.0.113.10';
const SERVICE_VERSION = '1.9.2795.1';

/** The sovereign cloud decides both the token audience and the login authority in the 401 challenge. */
function cloudOf(host: string): { resource: string; login: string } {
  if (host.endsWith('.vault.usgovcloudapi.net')) return { resource: 'https://vault.usgovcloudapi.net', login: 'https://login.microsoftonline.us' };
  if (host.endsWith('.vault.azure.cn')) return { resource: 'https://vault.azure.cn', login: 'https://login.chinacloudapi.cn' };
  if (host.endsWith('.managedhsm.azure.net')) return { resource: 'https://managedhsm.azure.net', login: 'https://login.microsoftonline.com' };
  return { resource: 'https://vault.azure.net', login: 'https://login.microsoftonline.com' };
}

function hostWithoutPort(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  return h.replace(/:\d+$/, '').replace(/\.$/, '');
}

interface Listener {
  endpoint: DataplaneEndpoint;
  server: https.Server;
  tracker: SocketTracker;
  host: string;
  port: number;
}

/**
 * Key Vault's data plane as the network sees it: private endpoint listeners that only serve their own
 * vault (anything else gets the 403 "This TCP connection does not allow access to ..." that the probe
 * exists to explain) and a public listener that honours publicNetworkAccess.
 */
export class DataplaneEmulator {
  readonly requests: DataplaneRequestLog[] = [];
  private readonly vaults = new Map<string, DataplaneVault>();

  private constructor(private readonly listeners: Map<string, Listener>) {}

  static async start(opts: DataplaneEmulatorOptions): Promise<DataplaneEmulator> {
    const { key, cert } = opts.pki.issue(KEY_VAULT_CERT_NAMES);
    const listeners = new Map<string, Listener>();
    const emulator = new DataplaneEmulator(listeners);
    for (const v of opts.vaults) emulator.setVault(v);
    try {
      for (const endpoint of opts.endpoints) {
        if (listeners.has(endpoint.represents)) throw new Error(`two dataplane endpoints represent ${endpoint.represents}`);
        if (endpoint.kind === 'private' && !endpoint.servesHost) throw new Error(`private endpoint ${endpoint.represents} needs servesHost`);
        const server = https.createServer({ key, cert });
        const tracker = new SocketTracker(server);
        const host = endpoint.listenHost ?? DEFAULT_HOST;
        const port = await listen(server, host, endpoint.listenPort ?? 0);
        const listener: Listener = { endpoint, server, tracker, host, port };
        server.on('request', (req: IncomingMessage, res: ServerResponse) => emulator.handle(listener, req, res));
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
    if (!listener) throw new Error(`no dataplane endpoint represents ${represents}; known: ${[...this.listeners.keys()].join(', ')}`);
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
    const send = (status: number, body: string, headers: Record<string, string>): void => {
      entry.status = status;
      res.writeHead(status, {
        'Content-Length': String(Buffer.byteLength(body)),
        'Cache-Control': 'no-cache',
        'x-ms-request-id': randomUUID(),
        ...headers,
      });
      res.end(body);
    };
    const json = (status: number, body: unknown, headers: Record<string, string> = {}): void =>
      send(status, JSON.stringify(body), { 'Content-Type': 'application/json; charset=utf-8', ...headers });

    if (endpoint.kind === 'private') {
      const address = endpoint.clientAddress ?? plainAddress(req.socket.remoteAddress);
      if (host === undefined || host !== endpoint.servesHost?.toLowerCase()) {
        json(
          403,
          { error: { code: 'Forbidden', message: `This TCP connection does not allow access to ${host ?? '(no Host header)'}.` } },
          { 'x-ms-keyvault-network-info': `conn_type=PrivateLink;action=Deny;addr=${address};act_addr_fam=InterNetwork;` },
        );
        return;
      }
      const vault = this.vaults.get(host);
      if (!vault) {
        send(404, `No vault ${host} behind private endpoint ${endpoint.represents}.`, { 'Content-Type': 'text/plain' });
        return;
      }
      this.asVault(vault, `conn_type=PrivateLink;action=Allow;addr=${address};act_addr_fam=InterNetwork;`, entry.path, json);
      return;
    }

    const address = endpoint.clientAddress ?? PUBLIC_CLIENT_ADDRESS;
    const vault = host ? this.vaults.get(host) : undefined;
    if (!vault) {
      send(404, 'Not Found', { 'Content-Type': 'text/plain' });
      return;
    }
    const networkInfo = `conn_type=Ipv4;addr=${address};act_addr_fam=InterNetwork;`;
    if (vault.publicNetworkAccess === 'Disabled') {
      const name = vault.host.split('.')[0] ?? vault.host;
      json(
        403,
        {
          error: {
            code: 'Forbidden',
            message:
              'Public network access is disabled and request is not from a trusted service nor via an approved private link.\r\n' +
              `Caller: addr=${address} (lab dataplane emulator)\r\n` +
              `Vault: ${name};location=${vault.location ?? 'eastus'}`,
            innererror: { code: 'ForbiddenByConnection' },
          },
        },
        { 'x-ms-keyvault-network-info': networkInfo },
      );
      return;
    }
    this.asVault(vault, networkInfo, entry.path, json);
  }

  private asVault(
    vault: DataplaneVault,
    networkInfo: string,
    path: string,
    json: (status: number, body: unknown, headers?: Record<string, string>) => void,
  ): void {
    const headers = { 'x-ms-keyvault-network-info': networkInfo, 'x-ms-keyvault-service-version': SERVICE_VERSION, 'x-ms-keyvault-region': vault.location ?? 'eastus' };
    if (path.toLowerCase() === '/healthstatus') {
      json(200, { status: 'up' }, headers);
      return;
    }
    const cloud = cloudOf(vault.host);
    json(
      401,
      { error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' } },
      { ...headers, 'WWW-Authenticate': `Bearer authorization="${cloud.login}/${vault.tenantId ?? LAB_TENANT}", resource="${cloud.resource}"` },
    );
  }
}
