import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { type PredictedResource, type Snapshot, appSettingsOf, literalSetting, prop } from './support/arm';
import { type BicepCli, locateBicep, runBicep } from './support/bicep-cli';
import { INFRA_DIR } from './support/paths';

/**
 * Landing-zone scale (issue 23): main.bicep with 300 sites in 6 regions, their subnets spread over 30 subscriptions,
 * compiled and predicted by the real Bicep CLI (`bicep snapshot`). The counts are held to the limits stated below.
 */

// Stated limits, each with its source.
/** Storage accounts per region per subscription (Azure subscription limits: 250 by default). */
const STORAGE_ACCOUNTS_PER_REGION_LIMIT = 250;
/** Role assignments per subscription (Azure RBAC limits: 4,000). */
const ROLE_ASSIGNMENTS_PER_SUBSCRIPTION_LIMIT = 4000;
/** Resources in one ARM template, copies counted (ARM template limits: 800); the modules are deployments there. */
const TEMPLATE_RESOURCES_LIMIT = 800;
/** Virtual network rules per storage account (Azure Storage network security: 400). */
const STORAGE_VNET_RULES_LIMIT = 400;
/** Compiled template size (ARM template limits: 4 MB). */
const TEMPLATE_BYTES_LIMIT = 4 * 1024 * 1024;
/** The Functions host ID is at most 32 characters; apps that share an account need distinct IDs. */
const HOST_ID_MAX = 32;

const SITE_COUNT = 300;
const REGIONS = ['westeurope', 'northeurope', 'swedencentral', 'eastus2', 'centralus', 'uksouth'];
const SUBSCRIPTIONS = Array.from(
  { length: 30 },
  (_, i) => `${(i + 1).toString(16).padStart(8, '0')}-0000-0000-0000-${(i + 1).toString(16).padStart(12, '0')}`,
);
const DEPLOYMENT_SUBSCRIPTION = '11111111-1111-1111-1111-111111111111';

interface ScaleSite {
  readonly name: string;
  readonly location: string;
  readonly subnetId: string;
}

const SITES: readonly ScaleSite[] = Array.from({ length: SITE_COUNT }, (_, i) => {
  const n = String(i + 1).padStart(3, '0');
  const sub = SUBSCRIPTIONS[i % SUBSCRIPTIONS.length] ?? '';
  return {
    name: `spoke-${n}`,
    location: REGIONS[i % REGIONS.length] ?? '',
    subnetId: `/subscriptions/${sub}/resourceGroups/rg-net-${n}/providers/Microsoft.Network/virtualNetworks/vnet-spoke-${n}/subnets/snet-kvprobe`,
  };
});

function params(extra: readonly string[] = []): string {
  return [
    `param environmentName = 'kvscale'`,
    `param location = 'westeurope'`,
    `param probeSites = [`,
    ...SITES.map((s) => `  { name: '${s.name}', location: '${s.location}', subnetId: '${s.subnetId}' }`),
    `]`,
    `param probeSubscriptionIds = [${SUBSCRIPTIONS.map((s) => `'${s}'`).join(', ')}]`,
    ...extra,
  ].join('\n');
}

const lookup = locateBicep();
if ('missing' in lookup) {
  const inCi = process.env.CI !== undefined && !['', '0', 'false'].includes(process.env.CI.toLowerCase());
  describe('300 sites', () => {
    if (inCi) test('the Bicep CLI is available (required in CI)', () => fail(lookup.missing));
    else test.skip(`SKIPPED (no Bicep CLI): ${lookup.missing}`, () => undefined);
  });
} else {
  describeScale(lookup.found);
}

function fail(message: string): never {
  throw new Error(message);
}

function describeScale(cli: BicepCli): void {
  describe(`300 sites, 6 regions, 30 subscriptions (Bicep ${cli.version})`, () => {
    let work = '';
    let perSubscription: Snapshot;
    let managementGroup: Snapshot;
    let template: Record<string, unknown> = {};
    let templateBytes = 0;

    const snapshot = (label: string, text: string): Snapshot => {
      const dir = fs.mkdtempSync(path.join(work, `${label}-`));
      const file = path.join(dir, `${label}.bicepparam`);
      const using = path.relative(dir, path.join(INFRA_DIR, 'main.bicep')).split(path.sep).join('/');
      fs.writeFileSync(file, `using '${using}'\n\n${text}\n`);
      const r = runBicep(cli, [
        'snapshot',
        file,
        '--mode',
        'overwrite',
        '--subscription-id',
        DEPLOYMENT_SUBSCRIPTION,
        '--tenant-id',
        '22222222-2222-2222-2222-222222222222',
        '--location',
        'westeurope',
        '--deployment-name',
        `kvprobe-${label}`,
      ]);
      const out = path.join(dir, `${label}.snapshot.json`);
      if (r.status !== 0 || !fs.existsSync(out)) fail(`bicep snapshot ${label} failed:\n${r.stdout}\n${r.stderr}`);
      return JSON.parse(fs.readFileSync(out, 'utf8')) as Snapshot;
    };

    beforeAll(() => {
      work = fs.mkdtempSync(path.join(os.tmpdir(), 'kvprobe-scale-'));
      const built = path.join(work, 'main.json');
      const r = runBicep(cli, ['build', path.join(INFRA_DIR, 'main.bicep'), '--outfile', built]);
      if (r.status !== 0) fail(`bicep build failed:\n${r.stdout}\n${r.stderr}`);
      templateBytes = fs.statSync(built).size;
      template = JSON.parse(fs.readFileSync(built, 'utf8')) as Record<string, unknown>;
      perSubscription = snapshot('s300', params());
      managementGroup = snapshot('s300mg', params([`param readerRoleManagementGroupId = 'mg-landing-zones'`]));
    }, 600_000);

    afterAll(() => {
      if (work) fs.rmSync(work, { recursive: true, force: true });
    });

    const ofType = (snap: Snapshot, type: string): PredictedResource[] =>
      snap.predictedResources.filter((r) => r.type.toLowerCase() === type.toLowerCase());
    const roleOf = (a: PredictedResource): string =>
      String(prop(a.properties, 'roleDefinitionId')).split('/').pop() ?? '';

    test('the prediction has no diagnostics, and one Function App and plan per site', () => {
      expect(perSubscription.diagnostics).toEqual([]);
      expect(ofType(perSubscription, 'Microsoft.Web/sites')).toHaveLength(300);
      expect(ofType(perSubscription, 'Microsoft.Web/serverfarms')).toHaveLength(300);
    });

    test('one storage account per region (6), below the 250 per region, one container per site in its region', () => {
      const accounts = ofType(perSubscription, 'Microsoft.Storage/storageAccounts');
      expect(accounts).toHaveLength(6);
      expect(accounts.map((a) => a.location).sort()).toEqual([...REGIONS].sort());
      const perRegion = new Map<string, number>();
      for (const a of accounts) perRegion.set(a.location ?? '', (perRegion.get(a.location ?? '') ?? 0) + 1);
      expect(Math.max(...perRegion.values())).toBeLessThanOrEqual(1);
      expect(accounts.length).toBeLessThanOrEqual(STORAGE_ACCOUNTS_PER_REGION_LIMIT);
      const containers = ofType(perSubscription, 'Microsoft.Storage/storageAccounts/blobServices/containers');
      expect(containers).toHaveLength(300);
      for (const site of SITES) {
        const app = ofType(perSubscription, 'Microsoft.Web/sites').find(
          (w) => prop(w.properties, 'virtualNetworkSubnetId') === site.subnetId,
        );
        const value = String(prop(app?.properties, 'functionAppConfig', 'deployment', 'storage', 'value'));
        const account = accounts.find((a) => value.includes(`'${a.id}'`));
        expect([site.name, account?.location]).toEqual([site.name, site.location]);
        expect(value).toContain(`'app-package-${site.name}'`);
        expect(
          containers.some(
            (c) => c.id.startsWith(`${account?.id ?? '?'}/`) && c.name.endsWith(`app-package-${site.name}`),
          ),
        ).toBe(true);
      }
    });

    test('every site has its own host ID of at most 32 characters (the sites share an account)', () => {
      const ids = ofType(perSubscription, 'Microsoft.Web/sites').map((w) =>
        literalSetting(appSettingsOf(w), 'AzureFunctionsWebHost__hostid'),
      );
      expect(new Set(ids).size).toBe(300);
      expect(Math.max(...ids.map((id) => id.length))).toBeLessThanOrEqual(HOST_ID_MAX);
    });

    test('role assignments: 3 storage roles per region, 1 reader per subscription, 1 publisher: 49, below 4,000', () => {
      const assignments = ofType(perSubscription, 'Microsoft.Authorization/roleAssignments');
      const role = ofType(perSubscription, 'Microsoft.Authorization/roleDefinitions');
      expect(role).toHaveLength(1);
      const reader = assignments.filter((a) => roleOf(a) === role[0]?.name);
      expect(reader).toHaveLength(30);
      expect(assignments.filter((a) => a.id.includes('/Microsoft.Storage/storageAccounts/'))).toHaveLength(18);
      expect(assignments).toHaveLength(49);
      // No site adds one: 300 sites cost what 6 would in the same regions.
      expect(assignments.length).toBeLessThanOrEqual(ROLE_ASSIGNMENTS_PER_SUBSCRIPTION_LIMIT);
    });

    test('management-group mode: no role in the subscriptions, only the 19 storage and publisher assignments', () => {
      expect(managementGroup.diagnostics).toEqual([]);
      expect(ofType(managementGroup, 'Microsoft.Authorization/roleDefinitions')).toHaveLength(0);
      const assignments = ofType(managementGroup, 'Microsoft.Authorization/roleAssignments');
      expect(assignments).toHaveLength(19);
      expect(assignments.filter((a) => a.id.startsWith('/subscriptions/0000'))).toEqual([]);
    });

    test("locked down by default: each account admits only its region's 50 subnets (below 400 rules), Deny otherwise", () => {
      for (const account of ofType(perSubscription, 'Microsoft.Storage/storageAccounts')) {
        const acls = prop(account.properties, 'networkAcls');
        expect(prop(acls, 'defaultAction')).toBe('Deny');
        const rules = (prop(acls, 'virtualNetworkRules') as { id: string }[]).map((r) => r.id).sort();
        expect(rules).toEqual(
          SITES.filter((s) => s.location === account.location)
            .map((s) => s.subnetId)
            .sort(),
        );
        expect(rules.length).toBeLessThanOrEqual(STORAGE_VNET_RULES_LIMIT);
        expect(prop(account.properties, 'allowSharedKeyAccess')).toBe(false);
      }
    });

    test('deployments: 342 in the template (below 800), the sites in batches of 50, the template below 4 MB', () => {
      const resources = template['resources'] as Record<string, Record<string, unknown>>;
      const modules = Object.entries(resources).filter(([, r]) => r['type'] === 'Microsoft.Resources/deployments');
      const copies = Object.fromEntries(
        modules.filter(([, r]) => r['copy'] !== undefined).map(([name, r]) => [name, r['copy']]),
      );
      expect(Object.keys(copies).sort()).toEqual(['readerAssignments', 'siteStorage', 'sites']);
      // The per-site loop is bounded: ARM deploys at most 50 sites at once.
      expect(prop(copies['sites'], 'mode')).toBe('serial');
      expect(prop(copies['sites'], 'batchSize')).toBe(50);
      const fixed = modules.length - Object.keys(copies).length;
      const deployments = fixed + SUBSCRIPTIONS.length + REGIONS.length + SITE_COUNT;
      expect(deployments).toBe(342);
      expect(deployments + 1).toBeLessThanOrEqual(TEMPLATE_RESOURCES_LIMIT);
      expect(templateBytes).toBeLessThan(TEMPLATE_BYTES_LIMIT);
    });
  });
}
