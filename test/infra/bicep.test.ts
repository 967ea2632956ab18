import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import {
  type BicepCli,
  type BicepDiagnostic,
  formatDiagnostic,
  locateBicep,
  parseDiagnostics,
  runBicep,
} from './support/bicep-cli';
import {
  type PredictedResource,
  type Snapshot,
  appSettingsOf,
  expressionSetting,
  literalSetting,
  prop,
} from './support/arm';
import { fillWorkbookParameters, kqlErrors, schemaProblems } from './support/kusto';
import { INFRA_DIR, REPO_ROOT, filesUnder, readRoleActions, repoRelative } from './support/paths';
import { queriesOfWorkbook } from './support/workbook';
import { causeQuery } from './support/alert-query';

/** The cause rules' dimensions: what the notification must say (the object, its codes, where, and the fix). */
const CAUSE_DIMENSIONS = ['object', 'codes', 'vaults', 'sites', 'fix'];
import { describeWhere } from '../support/environment';

/**
 * Builds and lints every Bicep file, then asks the Bicep CLI to predict the deployment (`bicep snapshot`, which
 * expands the per-site loops and evaluates everything known before deployment) for test parameters, and checks
 * the predicted resources. Needs the Bicep CLI: scripts/install-bicep.sh puts it in .tools/bicep/.
 */

const lookup = locateBicep();

// Without the Bicep CLI the suite is skipped with the reason (test/support/environment.ts); under CI it fails.
if ('missing' in lookup) {
  describeWhere(`the Bicep CLI (${lookup.missing})`, 'Bicep', () => {
    test('builds, lints and predicts every Bicep file', () => undefined);
  });
} else {
  describeBicep(lookup.found);
}

// ---------------------------------------------------------------------------------------------------------------
// Test deployment inputs.

const DEPLOYMENT_SUBSCRIPTION = '11111111-1111-1111-1111-111111111111';
const TENANT = '22222222-2222-2222-2222-222222222222';
const SUB_A = 'aaaaaaaa-0000-0000-0000-00000000000a';
const SUB_B = 'bbbbbbbb-0000-0000-0000-00000000000b';
/** Read only by the second site (its own scope). */
const SUB_C = 'cccccccc-0000-0000-0000-00000000000c';
const LOG_WORKSPACE = `/subscriptions/${SUB_A}/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/log-vaults`;
const ITSM_ACTION_GROUP = `/subscriptions/${SUB_A}/resourceGroups/rg-ops/providers/Microsoft.Insights/actionGroups/ag-itsm`;
const LOGIC_APP = `/subscriptions/${SUB_A}/resourceGroups/rg-ops/providers/Microsoft.Logic/workflows/la-incidents`;
const PAYMENTS_ACTION_GROUP = `/subscriptions/${SUB_A}/resourceGroups/rg-payments/providers/Microsoft.Insights/actionGroups/ag-payments`;
const ORDERS_ACTION_GROUP = `/subscriptions/${SUB_B}/resourceGroups/rg-orders/providers/Microsoft.Insights/actionGroups/ag-orders`;

interface TestSite {
  readonly name: string;
  readonly location: string;
  readonly vnetId: string;
  readonly dnsServers?: readonly string[];
  /** The site's own scope (ProbeSite.subscriptionIds / vaults). */
  readonly subscriptionIds?: readonly string[];
  readonly vaults?: readonly string[];
  /** PROBE_SITE_VAULTS and PROBE_SITE_SCOPE (issue 23's site scope). */
  readonly siteVaults?: readonly string[];
  readonly siteScope?: 'private' | 'all';
  /** issue 25: ProbeSite.estate (PROBE_ESTATE=on). */
  readonly estate?: boolean;
  /** issue 25: ProbeSite.estateQueryDns (PROBE_ESTATE_QUERY_DNS=on). */
  readonly estateQueryDns?: boolean;
}

const SITES: readonly TestSite[] = [
  {
    name: 'hub',
    location: 'westeurope',
    vnetId: `/subscriptions/${SUB_A}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-hub`,
  },
  {
    name: 'spoke-1',
    location: 'northeurope',
    vnetId: `/subscriptions/${SUB_B}/resourceGroups/rg-spoke/providers/Microsoft.Network/virtualNetworks/vnet-spoke-1`,
    dnsServers: ['10.1.0.4', '10.1.0.5'],
    subscriptionIds: [SUB_C],
    vaults: ['kv-spoke-only'],
    siteVaults: ['kv-shared-1', 'kv-shared-2'],
    siteScope: 'all',
    estate: true,
    estateQueryDns: true,
  },
];
const subnetIdOf = (site: TestSite): string => `${site.vnetId}/subnets/snet-probe`;
const VAULTS = [
  'kv-payments',
  `/subscriptions/${SUB_B}/resourceGroups/rg-kv/providers/Microsoft.KeyVault/vaults/kv-orders`,
];

function bicepString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function siteLiteral(site: TestSite): string {
  const list = (name: string, values: readonly string[] | undefined): string =>
    values ? `, ${name}: [${values.map(bicepString).join(', ')}]` : '';
  return `{ name: ${bicepString(site.name)}, location: ${bicepString(site.location)}, subnetId: ${bicepString(subnetIdOf(site))}${list('dnsServers', site.dnsServers)}${list('subscriptionIds', site.subscriptionIds)}${list('vaults', site.vaults)}${list('siteVaults', site.siteVaults)}${site.siteScope ? `, siteScope: ${bicepString(site.siteScope)}` : ''}${site.estate ? ', estate: true' : ''}${site.estateQueryDns ? ', estateQueryDns: true' : ''} }`;
}

function fullParams(): string {
  return [
    `param environmentName = 'kvtest'`,
    `param location = 'westeurope'`,
    `param probeSites = [`,
    ...SITES.map((site) => `  ${siteLiteral(site)}`),
    `]`,
    `param probeSubscriptionIds = [${bicepString(SUB_A)}, ${bicepString(SUB_B)}]`,
    `param probeVaults = [${VAULTS.map(bicepString).join(', ')}]`,
    `param alertEmailReceivers = ['ops@example.com', 'secops@example.com']`,
    `param alertWebhookUrls = ['https://hooks.example.com/kvprobe']`,
    `param alertLogicAppResourceId = ${bicepString(LOGIC_APP)}`,
    `param alertActionGroupIds = [${bicepString(ITSM_ACTION_GROUP)}]`,
    // payments names its vaults; orders selects them by the kvprobe-owner tag.
    `param alertOwners = [{ name: 'payments', vaults: ['KV-Payments', 'kv-ledger'], actionGroupIds: [${bicepString(PAYMENTS_ACTION_GROUP)}] }, { name: 'orders', tag: 'Orders', actionGroupIds: [${bicepString(ORDERS_ACTION_GROUP)}] }]`,
    `param alertMaintenanceWindow = { effectiveFrom: '2026-12-05T22:00:00', timeZone: 'UTC', recurrences: [{ recurrenceType: 'Weekly', daysOfWeek: ['Saturday'], startTime: '22:00:00', endTime: '23:59:59' }] }`,
    `param vaultLogWorkspaceIds = [${bicepString(LOG_WORKSPACE)}]`,
  ].join('\n');
}

function minimalParams(): string {
  return [
    `param environmentName = 'kvmin'`,
    `param location = 'swedencentral'`,
    `param probeSites = [${siteLiteral({ ...SITES[0]!, location: 'swedencentral' })}]`,
    `param probeIntervalMinutes = 2`,
  ].join('\n');
}

// Built-in roles the deployment may assign, by GUID; anything else (a Key Vault data-plane role, Contributor...) is
// a finding.
const STORAGE_BLOB_DATA_OWNER = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b';
const STORAGE_QUEUE_DATA_CONTRIBUTOR = '974c5e8b-45b9-4653-ba55-5f855dd0fb88';
const STORAGE_TABLE_DATA_CONTRIBUTOR = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3';
const MONITORING_METRICS_PUBLISHER = '3913510d-42f4-4e42-8a64-420c390055eb';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Warnings whose verdict depends on the calendar, not on the code: reported, not failed (see docs/DEPLOY.md). */
const CLOCK_DEPENDENT_RULES = new Set(['use-recent-api-versions']);

// ---------------------------------------------------------------------------------------------------------------

function describeBicep(cli: BicepCli): void {
  describe(`Bicep (${cli.version}; from ${cli.source})`, () => {
    let work = '';
    let buildOutput = '';
    let buildStatus: number | null = null;
    let lintOutput = '';
    let lintStatus: number | null = null;
    let mainTemplate: Record<string, unknown> = {};
    // A failed prediction is kept as its error, so that the build and lint checks still report on their own.
    let fullResult: Snapshot | Error = new Error('not run');
    let fullAgainResult: Snapshot | Error = new Error('not run');
    let minimalResult: Snapshot | Error = new Error('not run');
    let badNameResult: Snapshot | Error = new Error('not run');
    const need = (result: Snapshot | Error): Snapshot => {
      if (result instanceof Error) {
        throw result;
      }
      return result;
    };

    /** Writes a .bicepparam next to nothing else and predicts the deployment with `bicep snapshot`. */
    const snapshot = (label: string, params: string, deploymentName: string): Snapshot => {
      const dir = fs.mkdtempSync(path.join(work, `${label}-`));
      const paramFile = path.join(dir, `${label}.bicepparam`);
      // `using` takes a relative path.
      const using = path.relative(dir, path.join(INFRA_DIR, 'main.bicep')).split(path.sep).join('/');
      fs.writeFileSync(paramFile, `using '${using}'\n\n${params}\n`);
      const result = runBicep(cli, [
        'snapshot',
        paramFile,
        '--mode',
        'overwrite',
        '--subscription-id',
        DEPLOYMENT_SUBSCRIPTION,
        '--tenant-id',
        TENANT,
        '--location',
        'westeurope',
        '--deployment-name',
        deploymentName,
      ]);
      const out = path.join(dir, `${label}.snapshot.json`);
      if (result.status !== 0 || !fs.existsSync(out)) {
        throw new Error(`bicep snapshot ${label} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
      }
      return JSON.parse(fs.readFileSync(out, 'utf8')) as Snapshot;
    };

    beforeAll(() => {
      work = fs.mkdtempSync(path.join(os.tmpdir(), 'kvprobe-bicep-'));
      const build = runBicep(cli, ['build', '--pattern', 'infra/**/*.bicep', '--outdir', path.join(work, 'build')]);
      buildStatus = build.status;
      buildOutput = `${build.stdout}\n${build.stderr}`;
      const lint = runBicep(cli, ['lint', '--pattern', 'infra/**/*.bicep']);
      lintStatus = lint.status;
      lintOutput = `${lint.stdout}\n${lint.stderr}`;
      const mainJson = path.join(work, 'build', 'main.json');
      if (fs.existsSync(mainJson)) {
        mainTemplate = JSON.parse(fs.readFileSync(mainJson, 'utf8')) as Record<string, unknown>;
      }
      const attempt = (label: string, params: string, deploymentName: string): Snapshot | Error => {
        try {
          return snapshot(label, params, deploymentName);
        } catch (error) {
          return error instanceof Error ? error : new Error(String(error));
        }
      };
      fullResult = attempt('full', fullParams(), 'kvprobe-1');
      fullAgainResult = attempt('again', fullParams(), 'kvprobe-2');
      minimalResult = attempt('minimal', minimalParams(), 'kvprobe-min');
      badNameResult = attempt('badname', minimalParams().replace(`name: 'hub'`, `name: 'Hub_1'`), 'kvprobe-bad');
    }, 300_000);

    afterAll(() => {
      if (work) {
        fs.rmSync(work, { recursive: true, force: true });
      }
    });

    const checkDiagnostics = (output: string, status: number | null, what: string): void => {
      const { diagnostics, unparsed } = parseDiagnostics(output);
      const clockDependent = diagnostics.filter((d) => CLOCK_DEPENDENT_RULES.has(d.code));
      if (clockDependent.length > 0) {
        console.warn(
          `${what}: clock-dependent warnings (not failed):\n${clockDependent.map(formatDiagnostic).join('\n')}`,
        );
      }
      const relevant = (d: BicepDiagnostic): boolean => d.level !== 'Info' && !CLOCK_DEPENDENT_RULES.has(d.code);
      expect(diagnostics.filter(relevant).map(formatDiagnostic)).toEqual([]);
      expect(unparsed).toEqual([]);
      expect(status).toBe(0);
    };

    describe('build and lint', () => {
      test('every .bicep file under infra/ builds with no error and no warning', () => {
        checkDiagnostics(buildOutput, buildStatus, 'bicep build');
        for (const file of filesUnder(INFRA_DIR, '.bicep')) {
          const built = path.join(work, 'build', path.relative(INFRA_DIR, file).replace(/\.bicep$/, '.json'));
          expect({ file: repoRelative(file), built: fs.existsSync(built) }).toEqual({
            file: repoRelative(file),
            built: true,
          });
        }
      });

      test('bicep lint reports no error and no warning', () => {
        checkDiagnostics(lintOutput, lintStatus, 'bicep lint');
      });

      test('the diagnostic parser recognises errors and warnings (so the two checks above can fail)', () => {
        const dir = fs.mkdtempSync(path.join(work, 'bad-'));
        fs.copyFileSync(path.join(REPO_ROOT, 'bicepconfig.json'), path.join(dir, 'bicepconfig.json'));
        fs.writeFileSync(
          path.join(dir, 'bad.bicep'),
          "param unused string\noutput url string = 'https://management.azure.com/'\noutput broken string = nope\n",
        );
        const result = runBicep(cli, ['lint', path.join(dir, 'bad.bicep')]);
        const codes = parseDiagnostics(`${result.stdout}\n${result.stderr}`).diagnostics.map(
          (d) => `${d.level} ${d.code}`,
        );
        expect(codes).toEqual(
          expect.arrayContaining(['Error no-unused-params', 'Error no-hardcoded-env-urls', 'Error BCP057']),
        );
        expect(result.status).not.toBe(0);
      });
    });

    describe('compiled main.bicep', () => {
      test('targets the subscription (it creates the resource group and assigns the role per subscription)', () => {
        expect(String(mainTemplate['$schema'])).toContain('subscriptionDeploymentTemplate');
      });

      test('main.parameters.json names only parameters of main.bicep and gives every required one', () => {
        const parameters = (mainTemplate['parameters'] ?? {}) as Record<string, Record<string, unknown>>;
        const file = JSON.parse(fs.readFileSync(path.join(INFRA_DIR, 'main.parameters.json'), 'utf8')) as {
          parameters: Record<string, { value: unknown }>;
        };
        const given = Object.keys(file.parameters);
        expect(given.filter((name) => !(name in parameters))).toEqual([]);
        const required = Object.entries(parameters)
          .filter(([, definition]) => !('defaultValue' in definition) && definition['nullable'] !== true)
          .map(([name]) => name);
        expect(required.filter((name) => !given.includes(name))).toEqual([]);
        // azd fills every value from its environment.
        for (const [name, { value }] of Object.entries(file.parameters)) {
          expect({ name, value }).toEqual({ name, value: expect.stringMatching(/^\$\{[A-Z0-9_]+(=[^}]*)?\}$/) });
        }
      });

      test('no secret is read or written: no listKeys(), account keys, instrumentation keys or SAS', () => {
        const text = JSON.stringify(mainTemplate);
        expect(text).not.toMatch(/list[A-Za-z]*Keys\(/i);
        expect(text).not.toMatch(/AccountKey=/i);
        expect(text).not.toMatch(/InstrumentationKey/i);
        expect(text).not.toMatch(/SharedAccessSignature|listAccountSas|listServiceSas/i);
        const outputs = (mainTemplate['outputs'] ?? {}) as Record<string, { type?: string }>;
        for (const [name, output] of Object.entries(outputs)) {
          expect({ name, type: output.type }).not.toEqual({ name, type: 'securestring' });
          expect(name).not.toMatch(/key|secret|password|connectionstring/i);
        }
      });
    });

    describe('predicted deployment (bicep snapshot, two sites, two subscriptions)', () => {
      let full: Snapshot;
      let fullAgain: Snapshot;
      let minimal: Snapshot;
      beforeAll(() => {
        full = need(fullResult);
        fullAgain = need(fullAgainResult);
        minimal = need(minimalResult);
      });

      const ofType = (snap: Snapshot, type: string): PredictedResource[] =>
        snap.predictedResources.filter((r) => r.type.toLowerCase() === type.toLowerCase());
      const one = (resources: PredictedResource[], what: string): PredictedResource => {
        if (resources.length !== 1 || resources[0] === undefined) {
          throw new Error(`expected one ${what}, found ${resources.map((r) => r.id).join(', ') || 'none'}`);
        }
        return resources[0];
      };
      const identityOf = (snap: Snapshot): PredictedResource =>
        one(ofType(snap, 'Microsoft.ManagedIdentity/userAssignedIdentities'), 'managed identity');
      const appInsightsOf = (snap: Snapshot): PredictedResource =>
        one(ofType(snap, 'Microsoft.Insights/components'), 'Application Insights');
      const siteApp = (snap: Snapshot, site: TestSite): PredictedResource =>
        one(
          ofType(snap, 'Microsoft.Web/sites').filter(
            (r) => prop(r.properties, 'virtualNetworkSubnetId') === subnetIdOf(site),
          ),
          `Function App in ${subnetIdOf(site)}`,
        );

      test('the prediction has no diagnostics', () => {
        expect(full.diagnostics).toEqual([]);
        expect(minimal.diagnostics).toEqual([]);
      });

      test("one Function App per site, integrated into the site's subnet, routing all traffic through the VNet", () => {
        expect(ofType(full, 'Microsoft.Web/sites')).toHaveLength(SITES.length);
        for (const site of SITES) {
          const app = siteApp(full, site);
          expect(app.location).toBe(site.location);
          expect(app.kind).toBe('functionapp,linux');
          expect(prop(app.properties, 'outboundVnetRouting', 'applicationTraffic')).toBe(true);
          expect(prop(app.properties, 'httpsOnly')).toBe(true);
          expect(Object.keys(prop(app.identity, 'userAssignedIdentities') ?? {})).toEqual([identityOf(full).id]);
        }
      });

      test('each site runs on its own Flex Consumption plan with Node 22 and identity-based deployment storage', () => {
        const plans = ofType(full, 'Microsoft.Web/serverfarms');
        const accounts = ofType(full, 'Microsoft.Storage/storageAccounts');
        expect(plans).toHaveLength(SITES.length);
        expect(accounts).toHaveLength(SITES.length);
        for (const site of SITES) {
          const app = siteApp(full, site);
          const plan = one(
            plans.filter((p) => p.id === prop(app.properties, 'serverFarmId')),
            `plan of ${site.name}`,
          );
          expect(plan.sku).toEqual({ tier: 'FlexConsumption', name: 'FC1' });
          expect(plan.location).toBe(site.location);
          expect(prop(app.properties, 'functionAppConfig', 'runtime')).toEqual({ name: 'node', version: '22' });
          const storage = prop(app.properties, 'functionAppConfig', 'deployment', 'storage');
          expect(prop(storage, 'type')).toBe('blobContainer');
          expect(prop(storage, 'authentication')).toEqual({
            type: 'UserAssignedIdentity',
            userAssignedIdentityResourceId: identityOf(full).id,
          });
          const account = one(
            accounts.filter((a) => String(prop(storage, 'value')).includes(`'${a.id}'`)),
            `deployment storage of ${site.name}`,
          );
          expect(account.location).toBe(site.location);
          expect(prop(account.properties, 'allowSharedKeyAccess')).toBe(false);
          expect(prop(account.properties, 'allowBlobPublicAccess')).toBe(false);
        }
      });

      test('app settings: PROBE_SITE is the site, PROBE_VNET_ID its integration subnet, plus the shared settings', () => {
        for (const site of SITES) {
          const settings = appSettingsOf(siteApp(full, site));
          expect(literalSetting(settings, 'PROBE_SITE')).toBe(site.name);
          expect(literalSetting(settings, 'PROBE_VNET_ID')).toBe(subnetIdOf(site));
          // A site with its own scope probes that; the others the deployment's.
          expect(literalSetting(settings, 'PROBE_SUBSCRIPTIONS')).toBe(
            (site.subscriptionIds ?? [SUB_A, SUB_B]).join(','),
          );
          expect(literalSetting(settings, 'PROBE_VAULTS')).toBe((site.vaults ?? VAULTS).join(','));
          expect(literalSetting(settings, 'PROBE_SCHEDULE')).toBe('0 */5 * * * *');
          // 80% of the 5-minute interval, below functionTimeout.
          expect(literalSetting(settings, 'PROBE_RUN_DEADLINE_MS')).toBe('240000');
          expect(expressionSetting(settings, 'PROBE_CLOUD')).toContain('environment().name');
          if (site.dnsServers) {
            expect(literalSetting(settings, 'PROBE_DNS_SERVERS')).toBe(site.dnsServers.join(','));
          } else {
            expect(settings.has('PROBE_DNS_SERVERS')).toBe(false);
          }
          // The site scope: set where the site says so; elsewhere the app's default (private) applies.
          if (site.siteVaults) expect(literalSetting(settings, 'PROBE_SITE_VAULTS')).toBe(site.siteVaults.join(','));
          else expect(settings.has('PROBE_SITE_VAULTS')).toBe(false);
          if (site.siteScope) expect(literalSetting(settings, 'PROBE_SITE_SCOPE')).toBe(site.siteScope);
          else expect(settings.has('PROBE_SITE_SCOPE')).toBe(false);
          // issue 25: only the sites that map the estate.
          if (site.estate) expect(literalSetting(settings, 'PROBE_ESTATE')).toBe('on');
          else expect(settings.has('PROBE_ESTATE')).toBe(false);
          if (site.estateQueryDns) expect(literalSetting(settings, 'PROBE_ESTATE_QUERY_DNS')).toBe('on');
          else expect(settings.has('PROBE_ESTATE_QUERY_DNS')).toBe(false);
        }
      });

      test('app settings: the identity and Entra-authenticated telemetry, no keys', () => {
        const identity = identityOf(full);
        const clientId = `reference('${identity.id}', '2024-11-30').clientId`;
        for (const site of SITES) {
          const settings = appSettingsOf(siteApp(full, site));
          expect(expressionSetting(settings, 'AZURE_CLIENT_ID')).toBe(clientId);
          expect(expressionSetting(settings, 'AzureWebJobsStorage__clientId')).toBe(clientId);
          expect(literalSetting(settings, 'AzureWebJobsStorage__credential')).toBe('managedidentity');
          expect(settings.has('AzureWebJobsStorage__accountName')).toBe(true);
          expect(settings.has('AzureWebJobsStorage')).toBe(false);
          expect(expressionSetting(settings, 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING')).toBe(
            `format('ClientId={0};Authorization=AAD', ${clientId})`,
          );
          expect(expressionSetting(settings, 'APPLICATIONINSIGHTS_CONNECTION_STRING')).toBe(
            `reference('${appInsightsOf(full).id}', '2020-02-02').ConnectionString`,
          );
          for (const [name, values] of settings) {
            for (const value of values) {
              const text = 'literal' in value ? value.literal : value.expression;
              expect({ name, text }).not.toEqual({
                name,
                text: expect.stringMatching(/AccountKey|InstrumentationKey=|listKeys|SharedAccessSignature/i),
              });
            }
          }
        }
      });

      test('only the first site carries the azd service tag', () => {
        const tagged = ofType(full, 'Microsoft.Web/sites').filter((r) => r.tags?.['azd-service-name'] !== undefined);
        expect(tagged.map((r) => [r.name, r.tags?.['azd-service-name']])).toEqual([
          [siteApp(full, SITES[0]!).name, 'probe'],
        ]);
        expect(full.outputs?.['SERVICE_PROBE_NAME']).toBe(siteApp(full, SITES[0]!).name);
        expect(full.outputs?.['PROBE_FUNCTION_APP_NAMES']).toBe(SITES.map((s) => siteApp(full, s).name).join(' '));
      });

      test('the custom role grants exactly the read actions of infra/roles/probe-reader-actions.json', () => {
        const role = one(ofType(full, 'Microsoft.Authorization/roleDefinitions'), 'custom role');
        const permissions = prop(role.properties, 'permissions') as Record<string, unknown>[];
        expect(permissions).toHaveLength(1);
        const actions = prop(permissions[0], 'actions') as string[];
        expect(actions).toEqual(readRoleActions());
        // Reads only; the /actions are reads sent as POST (issue 10: DNS Private Resolver's rulesets of a VNet, the
        // AVNM connectivity configurations in effect for a VNet).
        const readOnly = (action: string): boolean =>
          /^Microsoft\.[A-Za-z]+\/([A-Za-z]+\/)*read$/.test(action) ||
          action === 'Microsoft.Network/virtualNetworks/listDnsForwardingRulesets/action' ||
          action === 'Microsoft.Network/virtualNetworks/listNetworkManagerEffectiveConnectivityConfigurations/action';
        expect(actions.filter((action) => !readOnly(action))).toEqual([]);
        expect(prop(permissions[0], 'dataActions')).toEqual([]);
        expect(prop(permissions[0], 'notActions')).toEqual([]);
        expect(prop(role.properties, 'assignableScopes')).toEqual(
          expect.arrayContaining([`/subscriptions/${SUB_A}`, `/subscriptions/${SUB_B}`, `/subscriptions/${SUB_C}`]),
        );
        expect(role.name).toMatch(GUID);
      });

      test('the custom role is assigned to the identity at each subscription in scope, and nowhere else', () => {
        const role = one(ofType(full, 'Microsoft.Authorization/roleDefinitions'), 'custom role');
        const assignments = ofType(full, 'Microsoft.Authorization/roleAssignments').filter((a) =>
          String(prop(a.properties, 'roleDefinitionId')).endsWith(`/${role.name}`),
        );
        expect(assignments.map((a) => a.id.split('/providers/')[0]).sort()).toEqual([
          `/subscriptions/${SUB_A}`,
          `/subscriptions/${SUB_B}`,
          `/subscriptions/${SUB_C}`,
        ]);
        for (const assignment of assignments) {
          expect(String(prop(assignment.properties, 'principalId'))).toContain(identityOf(full).id);
          expect(prop(assignment.properties, 'principalType')).toBe('ServicePrincipal');
        }
      });

      test('no other role is assigned: storage data roles for the host, Monitoring Metrics Publisher, no Key Vault role', () => {
        const role = one(ofType(full, 'Microsoft.Authorization/roleDefinitions'), 'custom role');
        const assigned = ofType(full, 'Microsoft.Authorization/roleAssignments').map(
          (a) => String(prop(a.properties, 'roleDefinitionId')).split('/').pop() ?? '',
        );
        expect(new Set(assigned)).toEqual(
          new Set([
            role.name,
            STORAGE_BLOB_DATA_OWNER,
            STORAGE_QUEUE_DATA_CONTRIBUTOR,
            STORAGE_TABLE_DATA_CONTRIBUTOR,
            MONITORING_METRICS_PUBLISHER,
          ]),
        );
        for (const account of ofType(full, 'Microsoft.Storage/storageAccounts')) {
          const onAccount = ofType(full, 'Microsoft.Authorization/roleAssignments')
            .filter((a) => a.id.startsWith(`${account.id}/providers/`))
            .map((a) => String(prop(a.properties, 'roleDefinitionId')).split('/').pop());
          expect(onAccount.sort()).toEqual(
            [STORAGE_BLOB_DATA_OWNER, STORAGE_QUEUE_DATA_CONTRIBUTOR, STORAGE_TABLE_DATA_CONTRIBUTOR].sort(),
          );
        }
        const publisher = ofType(full, 'Microsoft.Authorization/roleAssignments').filter((a) =>
          String(prop(a.properties, 'roleDefinitionId')).endsWith(MONITORING_METRICS_PUBLISHER),
        );
        expect(publisher.map((a) => a.id.split('/providers/Microsoft.Authorization/')[0])).toEqual([
          appInsightsOf(full).id,
        ]);
        for (const assignment of ofType(full, 'Microsoft.Authorization/roleAssignments')) {
          expect(assignment.name).toMatch(GUID);
        }
      });

      test('Application Insights is workspace-based and accepts only Entra-authenticated ingestion', () => {
        const appInsights = appInsightsOf(full);
        const workspace = one(ofType(full, 'Microsoft.OperationalInsights/workspaces'), 'Log Analytics workspace');
        expect(prop(appInsights.properties, 'WorkspaceResourceId')).toBe(workspace.id);
        expect(prop(appInsights.properties, 'DisableLocalAuth')).toBe(true);
      });

      test('one log alert per cause rule, split by the broken object with its codes, vaults, sites and fix (one alert per broken object), plus heartbeat, denied requests and one rule per vault owner', () => {
        const rules = ofType(full, 'Microsoft.Insights/scheduledQueryRules');
        const actionGroup = one(ofType(full, 'Microsoft.Insights/actionGroups'), 'action group');
        const causeRules = (
          JSON.parse(fs.readFileSync(path.join(INFRA_DIR, 'alerts', 'cause-rules.json'), 'utf8')) as {
            rules: { key: string; causes: string[]; severity: number }[];
          }
        ).rules;
        const keyOf = (r: PredictedResource): string => r.name.split('-').slice(1, -1).join('-');
        expect(rules.map(keyOf)).toEqual([
          ...causeRules.map((r) => r.key),
          'heartbeat-missing',
          'denied-requests',
          'owner-payments',
          'owner-orders',
          'estate-diagnosis',
        ]);
        for (const rule of rules) {
          // The owner's rule notifies the owner's action groups; every other rule the platform team's.
          expect(prop(rule.properties, 'actions', 'actionGroups')).toEqual(
            keyOf(rule) === 'owner-payments'
              ? [PAYMENTS_ACTION_GROUP]
              : keyOf(rule) === 'owner-orders'
                ? [ORDERS_ACTION_GROUP]
                : [actionGroup.id, ITSM_ACTION_GROUP],
          );
          expect(prop(rule.properties, 'autoMitigate')).toBe(true);
          expect(prop(rule.properties, 'resolveConfiguration')).toEqual({ autoResolved: true, timeToResolve: 'PT5M' });
          expect(prop(rule.properties, 'evaluationFrequency')).toBe('PT5M');
        }
        for (const cause of causeRules) {
          const rule = one(
            rules.filter((r) => keyOf(r) === cause.key),
            cause.key,
          );
          const [condition] = prop(rule.properties, 'criteria', 'allOf') as Record<string, unknown>[];
          expect(prop(rule.properties, 'scopes')).toEqual([appInsightsOf(full).id]);
          expect(prop(rule.properties, 'severity')).toBe(cause.severity);
          expect((prop(condition, 'dimensions') as { name: string }[]).map((d) => d.name)).toEqual(CAUSE_DIMENSIONS);
          expect(prop(condition, 'metricMeasureColumn')).toBe('vaultCount');
          expect(prop(condition, 'threshold')).toBe(1);
          // Exactly the query the alert replay runs (test/infra/alert-replay.test.ts) for these inputs.
          expect(String(prop(condition, 'query'))).toBe(
            causeQuery({
              causes: cause.causes,
              minRuns: cause.key === 'vault-unknown' ? 3 : 2,
              includeNoPrivateEndpoint: false,
              lookbackMinutes: 125,
            }),
          );
          expect(String(prop(rule.properties, 'description'))).not.toContain('findings.ts');
        }
        const owner = one(
          rules.filter((r) => keyOf(r) === 'owner-payments'),
          'owner rule',
        );
        const [ownerCondition] = prop(owner.properties, 'criteria', 'allOf') as Record<string, unknown>[];
        expect(prop(owner.properties, 'severity')).toBe(1);
        expect((prop(ownerCondition, 'dimensions') as { name: string }[]).map((d) => d.name)).toEqual(CAUSE_DIMENSIONS);
        expect(String(prop(ownerCondition, 'query'))).toBe(
          causeQuery({
            causes: causeRules.filter((r) => r.severity === 1).flatMap((r) => r.causes),
            minRuns: 2,
            includeNoPrivateEndpoint: false,
            lookbackMinutes: 125,
            owner: { vaults: ['kv-payments', 'kv-ledger'] },
          }),
        );
        // An owner selected by tag: the owner key, lower case, and no vault names; the description says so.
        const orders = one(
          rules.filter((r) => keyOf(r) === 'owner-orders'),
          'tag owner rule',
        );
        const [ordersCondition] = prop(orders.properties, 'criteria', 'allOf') as Record<string, unknown>[];
        expect(prop(orders.properties, 'severity')).toBe(1);
        expect((prop(ordersCondition, 'dimensions') as { name: string }[]).map((d) => d.name)).toEqual(
          CAUSE_DIMENSIONS,
        );
        expect(String(prop(ordersCondition, 'query'))).toBe(
          causeQuery({
            causes: causeRules.filter((r) => r.severity === 1).flatMap((r) => r.causes),
            minRuns: 2,
            includeNoPrivateEndpoint: false,
            lookbackMinutes: 125,
            owner: { tags: ['orders'] },
          }),
        );
        expect(String(prop(orders.properties, 'description'))).toContain('tagged kvprobe-owner=Orders');
        const denied = one(
          rules.filter((r) => keyOf(r) === 'denied-requests'),
          'denied-requests rule',
        );
        expect(prop(denied.properties, 'scopes')).toEqual([LOG_WORKSPACE]);
        const [deniedCondition] = prop(denied.properties, 'criteria', 'allOf') as Record<string, unknown>[];
        expect((prop(deniedCondition, 'dimensions') as { name: string }[]).map((d) => d.name)).toEqual([
          'vault',
          'denial',
        ]);
        expect(kqlErrors(String(prop(deniedCondition, 'query')), 'workspace')).toEqual([]);
      });

      test('receivers: e-mail, webhook and a Logic App in the action group, an existing (ITSM) action group by ID', () => {
        const actionGroup = one(ofType(full, 'Microsoft.Insights/actionGroups'), 'action group');
        expect(prop(actionGroup.properties, 'emailReceivers')).toHaveLength(2);
        expect(prop(actionGroup.properties, 'webhookReceivers')).toEqual([
          { name: 'webhook-0', serviceUri: 'https://hooks.example.com/kvprobe', useCommonAlertSchema: true },
        ]);
        const [logicApp] = prop(actionGroup.properties, 'logicAppReceivers') as Record<string, unknown>[];
        expect(logicApp).toMatchObject({ name: 'logic-app', resourceId: LOGIC_APP, useCommonAlertSchema: true });
        expect(String(logicApp?.['callbackUrl'])).toContain(`${LOGIC_APP}/triggers/manual`);
      });

      test("the maintenance window is an alert processing rule that removes the action groups from the probe's alerts", () => {
        const apr = one(ofType(full, 'Microsoft.AlertsManagement/actionRules'), 'alert processing rule');
        expect(prop(apr.properties, 'actions')).toEqual([{ actionType: 'RemoveAllActionGroups' }]);
        expect(prop(apr.properties, 'scopes')).toEqual([
          `/subscriptions/${DEPLOYMENT_SUBSCRIPTION}/resourceGroups/rg-kvtest`,
        ]);
        expect(prop(apr.properties, 'conditions')).toEqual([
          { field: 'AlertRuleName', operator: 'Contains', values: ['kvprobe-'] },
        ]);
        expect(prop(apr.properties, 'schedule')).toMatchObject({
          effectiveFrom: '2026-12-05T22:00:00',
          timeZone: 'UTC',
          recurrences: [{ recurrenceType: 'Weekly', daysOfWeek: ['Saturday'] }],
        });
      });

      test('the deployed alert queries have their placeholders filled, parse, and read only emitted telemetry', () => {
        for (const rule of ofType(full, 'Microsoft.Insights/scheduledQueryRules')) {
          const [condition] = prop(rule.properties, 'criteria', 'allOf') as Record<string, unknown>[];
          const query = String(prop(condition, 'query'));
          expect({ rule: rule.name, leftovers: query.match(/__[A-Z0-9_]+__/g) }).toEqual({
            rule: rule.name,
            leftovers: null,
          });
          // Rules on the vaults' log workspaces bind against the audit tables; the others against Application Insights.
          const onWorkspaces = (prop(rule.properties, 'scopes') as string[]).every((id) =>
            /\/Microsoft\.OperationalInsights\/workspaces\//i.test(id),
          );
          expect({ rule: rule.name, errors: kqlErrors(query, onWorkspaces ? 'workspace' : 'appinsights') }).toEqual({
            rule: rule.name,
            errors: [],
          });
          if (!onWorkspaces)
            expect({ rule: rule.name, problems: schemaProblems(query) }).toEqual({ rule: rule.name, problems: [] });
        }
      });

      test('the heartbeat alert query names every expected site', () => {
        const rule = one(
          ofType(full, 'Microsoft.Insights/scheduledQueryRules').filter((r) => r.name.includes('heartbeat-missing')),
          'heartbeat rule',
        );
        const [condition] = prop(rule.properties, 'criteria', 'allOf') as Record<string, unknown>[];
        expect(String(prop(condition, 'query'))).toContain(`dynamic(${JSON.stringify(SITES.map((s) => s.name))})`);
        expect(prop(rule.properties, 'windowSize')).toBe('PT15M');
      });

      test('issue 25: the estate rule (a site maps the estate): one alert per VNet, code and object, Sev 2, its query checked', () => {
        const rules = ofType(full, 'Microsoft.Insights/scheduledQueryRules');
        const rule = one(
          rules.filter((r) => r.name.startsWith('kvprobe-estate-diagnosis-')),
          'estate rule',
        );
        expect(prop(rule.properties, 'severity')).toBe(2);
        expect(prop(rule.properties, 'scopes')).toEqual([appInsightsOf(full).id]);
        const [condition] = prop(rule.properties, 'criteria', 'allOf') as Record<string, unknown>[];
        expect((prop(condition, 'dimensions') as { name: string }[]).map((d) => d.name)).toEqual([
          'vnetId',
          'code',
          'resourceId',
        ]);
        expect(prop(condition, 'metricMeasureColumn')).toBe('pairs');
        const query = String(prop(condition, 'query'));
        expect(query).toContain('ago(10m)');
        expect(kqlErrors(query)).toEqual([]);
        expect(schemaProblems(query)).toEqual([]);
      });

      test('issue 25: the workbook has an Estate tab: a link among the tabs and its group of queries', () => {
        const workbook = one(ofType(full, 'Microsoft.Insights/workbooks'), 'workbook');
        const content = JSON.parse(String(prop(workbook.properties, 'serializedData'))) as {
          items: Record<string, unknown>[];
        };
        const tabs = content.items.find((i) => i['name'] === 'tabs');
        expect((prop(tabs, 'content', 'links') as { linkLabel: string }[]).map((l) => l.linkLabel)).toEqual([
          'Current state',
          'History',
          'Estate',
        ]);
        const group = content.items.find((i) => i['name'] === 'tab-estate');
        expect(prop(group, 'conditionalVisibility', 'value')).toBe('estate');
        expect(
          ((prop(group, 'content', 'items') as Record<string, unknown>[] | undefined) ?? []).map((i) => i['name']),
        ).toEqual(['estate-intro', 'estate-diagnoses', 'estate-coverage']);
      });

      test('the workbook is linked to Application Insights and its queries parse with the site list filled in', () => {
        const workbook = one(ofType(full, 'Microsoft.Insights/workbooks'), 'workbook');
        expect(workbook.name).toMatch(GUID);
        expect(prop(workbook.properties, 'sourceId')).toBe(appInsightsOf(full).id);
        const content = JSON.parse(String(prop(workbook.properties, 'serializedData'))) as unknown;
        const queries = queriesOfWorkbook(content);
        expect(queries.length).toBeGreaterThanOrEqual(4);
        for (const { name, query } of queries) {
          expect({ name, leftovers: query.match(/__[A-Z0-9_]+__/g) }).toEqual({ name, leftovers: null });
          const kql = fillWorkbookParameters(query);
          expect({ name, errors: kqlErrors(kql) }).toEqual({ name, errors: [] });
          expect({ name, problems: schemaProblems(kql) }).toEqual({ name, problems: [] });
        }
        const grid = queries.find((q) => q.name === 'status-grid');
        expect(grid?.query).toContain(`dynamic(${JSON.stringify(SITES.map((s) => s.name))})`);
      });

      test("the workbook shows real callers denied (the vaults' logs) beside the probe's verdict, and per-site expected addresses", () => {
        const workbook = one(ofType(full, 'Microsoft.Insights/workbooks'), 'workbook');
        const content = JSON.parse(String(prop(workbook.properties, 'serializedData'))) as {
          items: Record<string, unknown>[];
        };
        // The tabs are groups: their items count too.
        const items = content.items.flatMap((i) => [
          i,
          ...((prop(i, 'content', 'items') as Record<string, unknown>[] | undefined) ?? []),
        ]);
        const byName = new Map(items.map((i) => [String(i['name']), i]));
        const denied = byName.get('denied-requests');
        expect(prop(denied, 'content', 'crossComponentResources')).toEqual([LOG_WORKSPACE]);
        expect(prop(denied, 'content', 'resourceType')).toBe('microsoft.operationalinsights/workspaces');
        expect(kqlErrors(fillWorkbookParameters(String(prop(denied, 'content', 'query'))), 'workspace')).toEqual([]);
        expect(String(prop(denied, 'content', 'query'))).toMatch(/by vault, callerIp, denial/);
        expect(byName.has('probe-verdict')).toBe(true);
        expect(String(prop(byName.get('addresses-grid'), 'content', 'query'))).toContain(
          "customDimensions['expected']",
        );
        expect(JSON.stringify(content)).not.toMatch(/__[A-Z0-9_]+__/);
      });

      test('resource names are stable across redeploys (same inputs, another deployment name)', () => {
        const ids = (snap: Snapshot): string[] => snap.predictedResources.map((r) => r.id).sort();
        expect(ids(fullAgain)).toEqual(ids(full));
      });
    });

    describe('predicted deployment (defaults: one site, no subscriptions, no vaults, no e-mail, 2-minute interval)', () => {
      let minimal: Snapshot;
      beforeAll(() => {
        minimal = need(minimalResult);
      });

      test('the run deadline follows the interval (80% of 2 minutes) and the rules evaluate every minute', () => {
        const [app] = minimal.predictedResources.filter((r) => r.type === 'Microsoft.Web/sites');
        expect(literalSetting(appSettingsOf(app!), 'PROBE_RUN_DEADLINE_MS')).toBe('96000');
        expect(literalSetting(appSettingsOf(app!), 'PROBE_SCHEDULE')).toBe('0 */2 * * * *');
        for (const rule of minimal.predictedResources.filter(
          (r) => r.type === 'Microsoft.Insights/scheduledQueryRules',
        )) {
          expect(prop(rule.properties, 'evaluationFrequency')).toBe('PT1M');
        }
      });

      test('no audit workspaces: no denied-requests rule and no denied-requests panel; no maintenance rule', () => {
        const rules = minimal.predictedResources.filter((r) => r.type === 'Microsoft.Insights/scheduledQueryRules');
        expect(rules.map((r) => r.name).filter((n) => n.includes('denied'))).toEqual([]);
        // issue 25: no site maps the estate: no estate rule.
        expect(rules.map((r) => r.name).filter((n) => n.includes('estate'))).toEqual([]);
        expect(minimal.predictedResources.filter((r) => r.type === 'Microsoft.AlertsManagement/actionRules')).toEqual(
          [],
        );
        const [workbook] = minimal.predictedResources.filter((r) => r.type === 'Microsoft.Insights/workbooks');
        expect(String(prop(workbook?.properties, 'serializedData'))).not.toContain('denied-requests');
      });

      test('a site name with capitals or an underscore is refused before anything is created, naming the rule', () => {
        expect(badNameResult).toBeInstanceOf(Error);
        expect(String(badNameResult instanceof Error ? badNameResult.message : '')).toContain(
          'probeSites: site names must be unique, 1-24 lowercase letters, digits or hyphens, starting and ending with a letter or digit; got ["Hub_1"]',
        );
      });

      test('the deployment subscription is the scope, and PROBE_VAULTS is left unset', () => {
        const [app] = minimal.predictedResources.filter((r) => r.type === 'Microsoft.Web/sites');
        expect(app).toBeDefined();
        const settings = appSettingsOf(app!);
        expect(literalSetting(settings, 'PROBE_SUBSCRIPTIONS')).toBe(DEPLOYMENT_SUBSCRIPTION);
        expect(settings.has('PROBE_VAULTS')).toBe(false);
        const assignments = minimal.predictedResources.filter(
          (r) =>
            r.type === 'Microsoft.Authorization/roleAssignments' &&
            r.id.startsWith(`/subscriptions/${DEPLOYMENT_SUBSCRIPTION}/providers/`),
        );
        expect(assignments).toHaveLength(1);
      });

      test('without e-mail receivers there is no action group and the rules notify nobody', () => {
        expect(minimal.predictedResources.filter((r) => r.type === 'Microsoft.Insights/actionGroups')).toEqual([]);
        for (const rule of minimal.predictedResources.filter(
          (r) => r.type === 'Microsoft.Insights/scheduledQueryRules',
        )) {
          expect(prop(rule.properties, 'actions', 'actionGroups')).toEqual([]);
        }
      });
    });
  });
}
