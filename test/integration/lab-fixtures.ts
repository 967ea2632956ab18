import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { rmSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import * as https from 'node:https';
import type { ArmEmulator, ArmResource } from '../lab/arm-emulator';
import { createLabPki, trustLabCa, type LabPki } from '../lab/tls';

// Fixtures and raw HTTPS helpers shared by the tests of the lab's emulators (a test file per emulator).

export const SUB = '6b1c2f0e-3d4a-4e5b-8c9d-0a1b2c3d4e5f';
export const TENANT = '2f4a9d1c-7b3e-4c8a-9e6f-1d2c3b4a5e6f';
export const RG = 'rg-kv';
export const VNET_RG = 'rg-net';
export const vaultId = (name: string): string =>
  `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.KeyVault/vaults/${name}`;
export const PE_ID = `/subscriptions/${SUB}/resourceGroups/${VNET_RG}/providers/Microsoft.Network/privateEndpoints/pe-kv1`;
export const NIC_ID = `/subscriptions/${SUB}/resourceGroups/${VNET_RG}/providers/Microsoft.Network/networkInterfaces/pe-kv1.nic.0`;
export const SUBNET_ID = `/subscriptions/${SUB}/resourceGroups/${VNET_RG}/providers/Microsoft.Network/virtualNetworks/vnet1/subnets/pe`;
export const ZONE_ID = `/subscriptions/${SUB}/resourceGroups/${VNET_RG}/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net`;

/** A credential handing out one token (the emulator's trustedToken(), which it accepts). */
export const tokenCredential = (token: string): TokenCredential => ({
  getToken: async (): Promise<AccessToken> => ({ token, expiresOnTimestamp: Date.now() + 3600_000 }),
});

export function vault(name: string): ArmResource {
  return {
    id: vaultId(name),
    name,
    type: 'Microsoft.KeyVault/vaults',
    location: 'westeurope',
    tags: {},
    properties: {
      tenantId: TENANT,
      sku: { family: 'A', name: 'standard' },
      vaultUri: `https://${name}.vault.azure.net/`,
      publicNetworkAccess: 'Disabled',
      privateEndpointConnections: [
        {
          id: `${vaultId(name)}/privateEndpointConnections/pec1`,
          properties: {
            privateEndpoint: { id: PE_ID },
            privateLinkServiceConnectionState: { status: 'Approved', description: '', actionsRequired: 'None' },
            provisioningState: 'Succeeded',
          },
        },
      ],
    },
  };
}

export const privateEndpoint: ArmResource = {
  id: PE_ID,
  name: 'pe-kv1',
  type: 'Microsoft.Network/privateEndpoints',
  location: 'westeurope',
  properties: {
    provisioningState: 'Succeeded',
    subnet: { id: SUBNET_ID },
    networkInterfaces: [{ id: NIC_ID }],
    privateLinkServiceConnections: [
      {
        id: `${PE_ID}/privateLinkServiceConnections/pe-kv1`,
        name: 'pe-kv1',
        properties: {
          privateLinkServiceId: vaultId('kv1'),
          groupIds: ['vault'],
          privateLinkServiceConnectionState: {
            status: 'Approved',
            description: 'Auto-Approved',
            actionsRequired: 'None',
          },
          provisioningState: 'Succeeded',
        },
      },
    ],
    manualPrivateLinkServiceConnections: [],
    customDnsConfigs: [{ fqdn: 'kv1.vault.azure.net', ipAddresses: ['10.0.1.4'] }],
  },
};

export const nic: ArmResource = {
  id: NIC_ID,
  name: 'pe-kv1.nic.0',
  type: 'Microsoft.Network/networkInterfaces',
  location: 'westeurope',
  properties: {
    provisioningState: 'Succeeded',
    ipConfigurations: [
      {
        id: `${NIC_ID}/ipConfigurations/privateEndpointIpConfig.1`,
        name: 'privateEndpointIpConfig.1',
        properties: {
          privateIPAddress: '10.0.1.4',
          privateIPAllocationMethod: 'Dynamic',
          privateIPAddressVersion: 'IPv4',
          subnet: { id: SUBNET_ID },
          primary: true,
          privateLinkConnectionProperties: {
            groupId: 'vault',
            requiredMemberName: 'default',
            fqdns: ['kv1.vault.azure.net'],
          },
        },
      },
    ],
  },
};

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request on a fresh connection, so no keep-alive socket outlives the test. */
export function rawRequest(opts: {
  host: string;
  port: number;
  path: string;
  ca: string;
  hostHeader?: string;
  servername?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: opts.host,
        port: opts.port,
        path: opts.path,
        method: opts.method ?? 'GET',
        ca: opts.ca,
        servername: opts.servername,
        agent: false,
        headers: { ...(opts.hostHeader ? { Host: opts.hostHeader } : {}), ...opts.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const rawTokens = new WeakMap<ArmEmulator, string>();
/** The Authorization header of a client the emulator trusts (one per emulator). */
export function rawAuth(arm: ArmEmulator): Record<string, string> {
  let token = rawTokens.get(arm);
  if (!token) {
    token = arm.trustedToken();
    rawTokens.set(arm, token);
  }
  return { Authorization: `Bearer ${token}` };
}

export function armRaw(
  arm: ArmEmulator,
  pki: LabPki,
  path: string,
  headers: Record<string, string> = rawAuth(arm),
): Promise<RawResponse> {
  const url = new URL(arm.url);
  return rawRequest({ host: url.hostname, port: Number(url.port), path, ca: pki.caPem, headers });
}

/** A lab PKI for the test file: made (and trusted) before its tests, deleted after them. */
export function useLabPki(): () => LabPki {
  let pki: LabPki | undefined;
  beforeAll(() => {
    pki = createLabPki();
    trustLabCa(pki.caPem);
  });
  afterAll(() => {
    if (pki) rmSync(pki.dir, { recursive: true, force: true });
  });
  return () => {
    if (!pki) throw new Error('useLabPki(): the PKI exists only inside the tests of the file');
    return pki;
  };
}
