import { HttpRequest, InvocationContext } from '@azure/functions';
import { readAppSettings } from '../../src/config';
import { createHttpHandler } from '../../src/functions/probe-http';
import type { TriggerRuntime } from '../../src/functions/runtime';
import type { Inventory } from '../../src/probe/inventory';
import type { Observer } from '../../src/probe/observer';
import { emptyInventory } from '../support/empty-inventory';
import { prefersHtml } from '../../src/report-html/negotiate';
import { HTML_REPORT_CSP } from '../../src/report-html/page';

const SUB = '11111111-1111-1111-1111-111111111111';
const PE = `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/privateEndpoints/pe-kv1`;

// Plain in-memory stand-ins for the pipeline's two ports: kv1's record points at 10.0.0.9, its endpoint is 10.0.0.4.
const inventory: Inventory = {
  ...emptyInventory(),
  listVaults: async () => [
    {
      id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1`,
      name: 'kv1',
      subscriptionId: SUB,
      resourceGroup: 'rg',
      host: 'kv1.vault.azure.net',
      publicNetworkAccess: 'Disabled',
      connections: [{ id: 'c1', privateEndpointId: PE, status: 'Approved', provisioningState: 'Succeeded' }],
    },
  ],
  getVault: async () => {
    throw new Error('unused');
  },
  getPrivateEndpoint: async (id) => ({
    id,
    name: 'pe-kv1',
    provisioningState: 'Succeeded',
    subnetId: undefined,
    connections: [],
    networkInterfaceIds: [`${id}.nic`],
    customDnsConfigs: [],
  }),
  getNetworkInterface: async (id) => ({ id, ipConfigurations: [{ privateIpAddress: '10.0.0.4', fqdns: [] }] }),
  listVirtualHubs: async () => [],
  listEffectiveConnectivityConfigurations: async () => [],
};
const observer: Observer = {
  resolveOs: async () => ({ addresses: ['10.0.0.9'], durationMs: 1 }),
  resolveDns: async () => ({
    servers: [],
    cnames: ['kv1.privatelink.vaultcore.azure.net'],
    addresses: ['10.0.0.9'],
    durationMs: 1,
  }),
  probeDataplane: async (_host, address) => ({
    address,
    tcpConnectionForbidden: false,
    failure: { phase: 'connect', code: 'ECONNREFUSED', message: 'refused' },
    timings: { totalMs: 1 },
  }),
  proxyFor: () => undefined,
};
const runtime: TriggerRuntime = {
  settings: ({ requireScope }) =>
    readAppSettings({ PROBE_SUBSCRIPTIONS: SUB, PROBE_LOCATION: 'spoke-1' }, { requireScope }),
  probeDeps: () => ({ inventory, observer }),
  publisher: () => undefined,
};

const call = (accept: string | undefined) =>
  createHttpHandler(runtime)(
    new HttpRequest({
      method: 'GET',
      url: 'https://app.example/api/vaults/kv1/probe',
      params: { name: 'kv1' },
      headers: accept ? { accept } : {},
    }),
    new InvocationContext({ logHandler: () => undefined }),
  );

describe('HTTP trigger: HTML for browsers, JSON for everyone else', () => {
  it('answers a browser with the HTML report of the vault, under a strict CSP', async () => {
    const res = await call('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8');
    expect(res.status).toBe(503);
    expect(res.jsonBody).toBeUndefined();
    const headers = res.headers as Record<string, string>;
    expect(headers['content-type']).toBe('text/html; charset=utf-8');
    expect(headers['content-security-policy']).toBe(HTML_REPORT_CSP);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(typeof res.body).toBe('string');
    const html = res.body as string;
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('data-vault="kv1"');
    expect(html).toContain('From <b>spoke-1</b>');
    expect(html).toContain('DNS_PRIVATE_IP_MISMATCH');
  });

  it.each([undefined, '*/*', 'application/json', 'application/json, text/html;q=0.5'])(
    'answers Accept %j with the JSON contract',
    async (accept) => {
      const res = await call(accept);
      expect(res.status).toBe(503);
      expect(res.jsonBody).toMatchObject({ vault: 'kv1', status: 'unhealthy', location: 'spoke-1' });
    },
  );
});

describe('prefersHtml', () => {
  it.each([
    ['text/html', true],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', true],
    ['*/*', false],
    ['application/json', false],
    ['application/json, text/html', false],
    ['text/html, application/json', false],
    ['text/html;q=0.9, application/json;q=0.5', true],
    ['text/html;q=0', false],
    ['text/*', false],
    ['', false],
    [null, false],
  ])('%j → %s', (accept, html) => {
    expect(prefersHtml(accept)).toBe(html);
  });
});
