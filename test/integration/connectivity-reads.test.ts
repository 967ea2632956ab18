import { ArmInventory } from '../../src/adapters/arm-inventory';
import { cloudProfile } from '../../src/probe/clouds';
import { InventoryError } from '../../src/probe/inventory';
import { ArmEmulator } from '../lab/arm-emulator';
import { PROBE_ROLE_ACTIONS } from '../lab/lab';
import { compileScenario, labVnetId, SUB_APP, type Scenario } from '../lab/scenario';
import type { LabPki } from '../lab/tls';
import { tokenCredential, useLabPki } from './lab-fixtures';

// issue 10: the Virtual WAN and AVNM reads of the ARM adapter, through the real @azure/arm-network client, against
// the lab's ARM emulator (its routes, api-versions and authorization).
const labPki = useLabPki();
let pki: LabPki;
beforeAll(() => {
  pki = labPki();
});

const scenario: Scenario = {
  name: 'connectivity-reads',
  description: 'two hubs of one WAN, and a VNet under three AVNM configurations',
  vaults: [],
  probeVnet: {},
  connectivity: {
    vnets: { 'vnet-b': { addressPrefixes: ['10.2.0.0/16'], location: 'northeurope' } },
    virtualWan: {
      type: 'Standard',
      hubs: [
        { name: 'hub-weu', location: 'westeurope', addressPrefix: '10.100.0.0/23', connections: ['vnet-probe'] },
        {
          name: 'hub-neu',
          location: 'northeurope',
          addressPrefix: '10.101.0.0/23',
          connections: ['vnet-b'],
          customRouting: ['vnet-b'],
        },
      ],
    },
    networkManager: {
      configurations: ['mesh-1', 'mesh-2', 'mesh-3'].map((name, i) => ({
        name,
        topology: 'Mesh' as const,
        isGlobal: i === 0,
        groups: [{ name: `ng-${i}`, members: ['vnet-probe', 'vnet-b'] }],
      })),
    },
  },
  expect: {},
};

describe('Virtual WAN and AVNM reads through the ARM SDK', () => {
  let arm: ArmEmulator;
  const inventory = (actions: readonly string[] = PROBE_ROLE_ACTIONS): ArmInventory =>
    new ArmInventory({
      credential: tokenCredential(arm.trustedToken(actions)),
      cloud: cloudProfile('AzureCloud', arm.url),
      maxRetries: 0,
    });
  const signal = new AbortController().signal;

  beforeAll(async () => {
    arm = await ArmEmulator.start({ pki, pageSize: 2 });
    for (const r of compileScenario(scenario).resources) arm.put(r);
  });
  afterAll(async () => {
    await arm.stop();
  });

  it('lists the hubs with their connections, route tables and WAN', async () => {
    const hubs = await inventory().listVirtualHubs(SUB_APP, signal);
    expect(hubs.map((h) => [h.id.split('/').pop(), h.wanType, h.wanHubIds?.length, h.connections.length])).toEqual([
      ['hub-weu', 'Standard', 2, 1],
      ['hub-neu', 'Standard', 2, 1],
    ]);
    expect(hubs[1]?.connections[0]).toMatchObject({
      remoteVirtualNetworkId: labVnetId(scenario, 'vnet-b'),
      provisioningState: 'Succeeded',
      propagatedLabels: ['shared'],
    });
    expect(hubs[0]?.connections[0]?.associatedRouteTableId).toMatch(/\/hubRouteTables\/defaultRouteTable$/);
  });

  it('without virtualWans/read, the hubs are still listed: type from the sku, the WAN hubs unknown', async () => {
    const actions = PROBE_ROLE_ACTIONS.filter((a) => a !== 'Microsoft.Network/virtualWans/read');
    const hubs = await inventory(actions).listVirtualHubs(SUB_APP, signal);
    expect(hubs.map((h) => [h.wanType, h.wanHubIds])).toEqual([
      ['Standard', undefined],
      ['Standard', undefined],
    ]);
  });

  it('without virtualHubs/read, the list fails with what ARM said', async () => {
    const actions = PROBE_ROLE_ACTIONS.filter((a) => a !== 'Microsoft.Network/virtualHubs/read');
    const error = await inventory(actions)
      .listVirtualHubs(SUB_APP, signal)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InventoryError);
    expect(error).toMatchObject({ statusCode: 403, code: 'AuthorizationFailed', operation: 'list virtual hubs' });
  });

  it("pages a VNet's effective connectivity configurations by the body's skipToken", async () => {
    const before = arm.requests.length;
    const configs = await inventory().listEffectiveConnectivityConfigurations(labVnetId(scenario, 'vnet-b'), signal);
    expect(configs.map((c) => [c.id.split('/').pop(), c.topology, c.isGlobal, c.memberGroupIds.length])).toEqual([
      ['mesh-1', 'Mesh', true, 1],
      ['mesh-2', 'Mesh', false, 1],
      ['mesh-3', 'Mesh', false, 1],
    ]);
    const posts = arm.requests.slice(before).filter((r) => r.method === 'POST');
    expect(posts.map((r) => r.status)).toEqual([200, 200]);
  });

  it('a VNet ARM does not hold is a 404; no role, a 403', async () => {
    await expect(
      inventory().listEffectiveConnectivityConfigurations(labVnetId(scenario, 'vnet-gone'), signal),
    ).rejects.toMatchObject({ statusCode: 404, code: 'ResourceNotFound' });
    await expect(
      inventory(['*/read']).listEffectiveConnectivityConfigurations(labVnetId(scenario, 'vnet-b'), signal),
    ).rejects.toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' });
  });
});
