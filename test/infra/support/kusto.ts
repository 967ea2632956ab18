/// <reference types="@kusto/language-service-next" />
// The Kusto language service is a Bridge.NET build: these two scripts define the global `Kusto` namespace that the
// reference above types.
import '@kusto/language-service-next/bridge.min.js';
import '@kusto/language-service-next/Kusto.Language.Bridge.min.js';

import {
  AVAILABILITY_DIMENSIONS,
  EVENTS,
  FINDING_DIMENSIONS,
  HEARTBEAT_DIMENSIONS,
  HEARTBEAT_MEASUREMENTS,
  RESOLVED_DIMENSIONS,
  SNAPSHOT_DIMENSIONS,
} from '../../../src/telemetry/schema';
import {
  ESTATE_DIAGNOSIS_DIMENSIONS,
  ESTATE_DIAGNOSIS_MEASUREMENTS,
  ESTATE_HEARTBEAT_MEASUREMENTS,
} from '../../../src/telemetry/estate';
import { FINDING_CAUSES, FINDING_CODES } from '../../../src/probe/findings';
import type { Severity, VaultStatus } from '../../../src/probe/types';
import { RESOURCES_TABLE_COLUMNS } from '../../lab/resource-graph-emulator';

import Syntax = Kusto.Language.Syntax;

/**
 * The Application Insights tables the alerts and the workbook query, with the classic (resource-scoped) column names
 * and types. The rules are scoped to the Application Insights resource, so workspace names (AppEvents,
 * AppAvailabilityResults, Properties) are unknown here on purpose: using them is an error.
 */
const COMMON_COLUMNS = [
  'timestamp:datetime',
  'itemType:string',
  'customDimensions:dynamic',
  'customMeasurements:dynamic',
  'operation_Name:string',
  'operation_Id:string',
  'operation_ParentId:string',
  'operation_SyntheticSource:string',
  'session_Id:string',
  'user_Id:string',
  'user_AuthenticatedId:string',
  'user_AccountId:string',
  'application_Version:string',
  'client_Type:string',
  'client_Model:string',
  'client_OS:string',
  'client_IP:string',
  'client_City:string',
  'client_StateOrProvince:string',
  'client_CountryOrRegion:string',
  'client_Browser:string',
  'cloud_RoleName:string',
  'cloud_RoleInstance:string',
  'appId:string',
  'appName:string',
  'iKey:string',
  'sdkVersion:string',
  'itemId:string',
  'itemCount:int',
];

export const TABLE_SCHEMAS: Readonly<Record<string, string>> = {
  customEvents: `(name:string, ${COMMON_COLUMNS.join(', ')})`,
  availabilityResults: `(id:string, name:string, location:string, success:bool, message:string, size:real, duration:real, performanceBucket:string, ${COMMON_COLUMNS.join(', ')})`,
};

/**
 * The tables of a Log Analytics workspace that the denied-requests alert and panel read: the Key Vault audit logs in
 * either collection mode. Columns and types as Microsoft documents them; only the columns the queries may use are
 * declared, so a misspelt or undocumented column is an error.
 * - AZKVAuditLogs: learn.microsoft.com/azure/azure-monitor/reference/tables/azkvauditlogs (MicrosoftDocs
 *   azure-reference-other, azure-monitor-ref/tables/includes/azkvauditlogs-include.md).
 * - AzureDiagnostics: learn.microsoft.com/azure/azure-monitor/reference/tables/azurediagnostics (the columns every
 *   workspace has, azure-monitor-ref/tables/azurediagnostics.md). Key Vault's own `isAddressAuthorized_b` is not among
 *   them, so the queries read it with column_ifexists().
 */
export const WORKSPACE_TABLE_SCHEMAS: Readonly<Record<string, string>> = {
  AZKVAuditLogs:
    '(TimeGenerated:datetime, _ResourceId:string, _SubscriptionId:string, TenantId:string, Type:string, SourceSystem:string, ' +
    'OperationName:string, OperationVersion:string, ResultType:string, ResultSignature:string, ResultDescription:string, ' +
    'HttpStatusCode:int, DurationMs:int, CallerIpAddress:string, ClientInfo:string, CorrelationId:string, Id:string, ' +
    'Identity:dynamic, RequestUri:string, IsAddressAuthorized:bool, AddressAuthorizationType:string, SubnetId:string, ' +
    'IsRbacAuthorized:bool, IsAccessPolicyMatch:bool, TrustedService:string, Tlsversion:string, NetworkAcls:dynamic, Properties:dynamic)',
  AzureDiagnostics:
    '(TimeGenerated:datetime, _ResourceId:string, Resource:string, ResourceGroup:string, ResourceProvider:string, ResourceType:string, ' +
    'SubscriptionId:string, TenantId:string, Type:string, SourceSystem:string, Category:string, OperationName:string, OperationVersion:string, ' +
    'ResultType:string, ResultSignature:string, ResultDescription:string, DurationMs:long, CallerIPAddress:string, CorrelationId:string, ' +
    'httpStatusCode_d:real, requestUri_s:string, id_s:string, clientInfo_s:string, identity_claim_appid_g:guid, identity_claim_ipaddr_s:string, ' +
    'subnetId_s:string, isAccessPolicyMatch_b:bool, AdditionalFields:dynamic)',
};

/**
 * Resource Graph's `resources` table with the columns Microsoft documents (see RESOURCES_TABLE_COLUMNS in
 * test/lab/resource-graph-emulator.ts): a query that names any other column does not bind.
 */
export const RESOURCE_GRAPH_TABLE_SCHEMAS: Readonly<Record<string, string>> = {
  resources: `(${Object.entries(RESOURCES_TABLE_COLUMNS)
    .map(([name, type]) => `['${name}']:${type === 'object' ? 'dynamic' : type}`)
    .join(', ')})`,
};

export type KqlScope = 'appinsights' | 'workspace' | 'resourcegraph';

const cachedGlobals = new Map<KqlScope, Kusto.Language.GlobalState>();

function globals(scope: KqlScope = 'appinsights'): Kusto.Language.GlobalState {
  let state = cachedGlobals.get(scope);
  if (state === undefined) {
    const schemas =
      scope === 'appinsights'
        ? TABLE_SCHEMAS
        : scope === 'workspace'
          ? WORKSPACE_TABLE_SCHEMAS
          : RESOURCE_GRAPH_TABLE_SCHEMAS;
    const tables = Object.entries(schemas).map(
      ([name, schema]) => new Kusto.Language.Symbols.TableSymbol.$ctor7(name, schema, null),
    );
    const database = new Kusto.Language.Symbols.DatabaseSymbol.$ctor2(scope, null, tables);
    state = Kusto.Language.GlobalState.Default?.WithDatabase(database) ?? undefined;
    if (!state) {
      throw new Error('Kusto.Language.GlobalState.Default.WithDatabase returned nothing');
    }
    cachedGlobals.set(scope, state);
  }
  return state;
}

export interface KqlDiagnostic {
  readonly severity: string;
  readonly code: string;
  readonly message: string;
  /** The query text around the diagnostic. */
  readonly near: string;
}

function parse(query: string, scope: KqlScope = 'appinsights'): Kusto.Language.KustoCode {
  const code = Kusto.Language.KustoCode.ParseAndAnalyze(query, globals(scope));
  if (!code) {
    throw new Error('KustoCode.ParseAndAnalyze returned nothing');
  }
  return code;
}

/** Parses and analyses a query against the tables above; returns every diagnostic (syntax and semantic). */
export function analyzeKql(query: string, scope: KqlScope = 'appinsights'): KqlDiagnostic[] {
  const list = parse(query, scope).GetDiagnostics();
  const result: KqlDiagnostic[] = [];
  for (let i = 0; list !== null && i < list.Count; i += 1) {
    const d = list.getItem(i);
    const start = Math.max(0, d.Start - 20);
    result.push({
      severity: d.Severity ?? '',
      code: d.Code ?? '',
      message: d.Message ?? '',
      near: query.slice(start, d.Start + Math.max(d.Length, 1) + 20),
    });
  }
  return result;
}

/** The result columns of a tabular query (`name:type`), as the analyzer infers them against the schema. */
export function resultColumns(query: string, scope: KqlScope = 'appinsights'): string[] {
  const type = parse(query, scope).ResultType;
  if (type === null || !(type instanceof Kusto.Language.Symbols.TableSymbol)) return [];
  const columns = type.Columns;
  const out: string[] = [];
  for (let i = 0; columns !== null && i < columns.Count; i += 1) {
    const c = columns.getItem(i);
    out.push(`${c?.Name ?? ''}:${c?.Type?.Name ?? ''}`);
  }
  return out;
}

export function kqlErrors(query: string, scope: KqlScope = 'appinsights'): KqlDiagnostic[] {
  return analyzeKql(query, scope).filter((d) => d.severity === 'Error');
}

/** Replaces the `__NAME__` placeholders Bicep substitutes; throws on a placeholder without a value. */
export function fillPlaceholders(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/__([A-Z][A-Z0-9_]*?)__/g, (whole: string, name: string) => {
    const value = values[name];
    if (value === undefined) {
      throw new Error(`no sample value for placeholder ${whole}`);
    }
    return value;
  });
}

/** Replaces workbook parameters ({TimeRange}, {TimeRange:grain}) with KQL that stands for them; throws on others. */
export function fillWorkbookParameters(query: string): string {
  return query.replace(/\{([A-Za-z][A-Za-z0-9]*)(?::([A-Za-z]+))?\}/g, (whole: string, name: string, part?: string) => {
    if (name === 'TimeRange' && part === undefined) {
      return '> ago(1d)';
    }
    if (name === 'TimeRange' && part === 'grain') {
      return '1h';
    }
    throw new Error(`unknown workbook parameter ${whole}`);
  });
}

// The values of the status and severity dimensions. `satisfies` makes the compiler flag a value added to or removed
// from the types in src/probe/types.ts.
const STATUS_VALUES = { healthy: true, unhealthy: true, unknown: true } satisfies Record<VaultStatus, true>;
const SEVERITY_VALUES = { error: true, warning: true, info: true } satisfies Record<Severity, true>;
const CAUSE_VALUES = new Set<string>(FINDING_CAUSES);

/** What a query reads from the telemetry, as found in its syntax tree. */
export interface TelemetryUse {
  readonly tables: ReadonlySet<string>;
  readonly eventNames: ReadonlySet<string>;
  readonly dimensions: ReadonlySet<string>;
  readonly measurements: ReadonlySet<string>;
  readonly findingCodes: ReadonlySet<string>;
  readonly codePrefixes: ReadonlySet<string>;
  /** Things that are wrong whatever the schema says, e.g. a dimension read by a computed key. */
  readonly problems: readonly string[];
}

type Bag = 'customDimensions' | 'customMeasurements';

function nameOf(node: Syntax.SyntaxNode | null): string | undefined {
  if (node !== null && node.Kind === Syntax.SyntaxKind.NameReference) {
    return (node as Syntax.NameReference).SimpleName ?? undefined;
  }
  return undefined;
}

function stringLiteral(node: Syntax.SyntaxNode | null): string | undefined {
  if (node !== null && node.Kind === Syntax.SyntaxKind.StringLiteralExpression) {
    const value: unknown = (node as Syntax.LiteralExpression).LiteralValue;
    return typeof value === 'string' ? value : undefined;
  }
  return undefined;
}

function text(node: Syntax.SyntaxNode): string {
  return node.ToString(Syntax.IncludeTrivia.SingleLine)?.trim() ?? '';
}

/** `tostring(x)` -> x; anything else unchanged. */
function unwrapToString(node: Syntax.SyntaxNode): Syntax.SyntaxNode {
  if (node.Kind === Syntax.SyntaxKind.FunctionCallExpression) {
    const call = node as Syntax.FunctionCallExpression;
    const args = call.ArgumentList?.Expressions;
    if (call.Name?.SimpleName === 'tostring' && args !== null && args !== undefined && args.Count === 1) {
      const only = args.getItem$1(0)?.Element$1;
      if (only) {
        return only;
      }
    }
  }
  return node;
}

/** `bag.key` or `bag['key']` -> [bag, key]; `bag[expr]` -> [bag, undefined]; anything else -> undefined. */
function bagAccess(node: Syntax.SyntaxNode): [Bag, string | undefined] | undefined {
  if (node.Kind === Syntax.SyntaxKind.PathExpression) {
    const path = node as Syntax.PathExpression;
    const bag = nameOf(path.Expression);
    if (bag === 'customDimensions' || bag === 'customMeasurements') {
      return [bag, nameOf(path.Selector)];
    }
  }
  if (node.Kind === Syntax.SyntaxKind.ElementExpression) {
    const element = node as Syntax.ElementExpression;
    const bag = nameOf(element.Expression);
    if (bag === 'customDimensions' || bag === 'customMeasurements') {
      const selector = element.Selector;
      const inner =
        selector !== null && selector.Kind === Syntax.SyntaxKind.BracketedExpression
          ? (selector as Syntax.BracketedExpression).Expression
          : null;
      return [bag, stringLiteral(inner)];
    }
  }
  return undefined;
}

const FINDING_CODE_SHAPE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;
const CODE_PREFIX_SHAPE = /^[A-Z][A-Z0-9]*_$/;

/** Walks the query's syntax tree and collects the telemetry names it uses. */
export function telemetryUse(query: string): TelemetryUse {
  const code = parse(query);
  const tables = new Set<string>();
  const eventNames = new Set<string>();
  const dimensions = new Set<string>();
  const measurements = new Set<string>();
  const findingCodes = new Set<string>();
  const codePrefixes = new Set<string>();
  const problems: string[] = [];
  const bagNamesInAccess = new Set<Syntax.SyntaxNode>();

  code.Syntax?.WalkNodes((node: Syntax.SyntaxNode) => {
    const name = nameOf(node);
    if (name !== undefined && name in TABLE_SCHEMAS) {
      tables.add(name);
    }
    const access = bagAccess(node);
    if (access !== undefined) {
      const [bag, key] = access;
      const bagNode =
        node.Kind === Syntax.SyntaxKind.PathExpression
          ? (node as Syntax.PathExpression).Expression
          : (node as Syntax.ElementExpression).Expression;
      if (bagNode !== null) {
        bagNamesInAccess.add(bagNode);
      }
      if (key === undefined) {
        problems.push(`${bag} is indexed by a computed key in "${text(node)}": use a literal name`);
      } else if (bag === 'customDimensions') {
        dimensions.add(key);
      } else {
        measurements.add(key);
      }
    }
    const literal = stringLiteral(node);
    if (literal !== undefined) {
      if (literal.startsWith('KvProbe')) {
        eventNames.add(literal);
      } else if (FINDING_CODE_SHAPE.test(literal)) {
        findingCodes.add(literal);
      } else if (CODE_PREFIX_SHAPE.test(literal)) {
        codePrefixes.add(literal);
      }
    }
  });

  // A bag used whole (`project customDimensions`, `customDimensions has 'x'`) hides which names the query relies on.
  code.Syntax?.WalkNodes((node: Syntax.SyntaxNode) => {
    const name = nameOf(node);
    if ((name === 'customDimensions' || name === 'customMeasurements') && !bagNamesInAccess.has(node)) {
      problems.push(`${name} is used without naming a key (at "${node.Parent !== null ? text(node.Parent) : name}")`);
    }
  });

  // Literal values compared with the status and severity dimensions must be values the probe emits.
  code.Syntax?.WalkNodes((node: Syntax.SyntaxNode) => {
    if (node.Kind !== Syntax.SyntaxKind.EqualExpression && node.Kind !== Syntax.SyntaxKind.NotEqualExpression) {
      return;
    }
    const binary = node as Syntax.BinaryExpression;
    const value = stringLiteral(binary.Right);
    if (binary.Left === null || value === undefined) {
      return;
    }
    const left = unwrapToString(binary.Left);
    const access = bagAccess(left);
    const field = access !== undefined ? access[1] : nameOf(left);
    if (field === 'status' && !(value in STATUS_VALUES)) {
      problems.push(`status compared with '${value}', not one of ${Object.keys(STATUS_VALUES).join(', ')}`);
    }
    if (field === 'severity' && !(value in SEVERITY_VALUES)) {
      problems.push(`severity compared with '${value}', not one of ${Object.keys(SEVERITY_VALUES).join(', ')}`);
    }
    if (field === 'cause' && !CAUSE_VALUES.has(value)) {
      problems.push(`cause compared with '${value}', not one of ${FINDING_CAUSES.join(', ')}`);
    }
  });

  return { tables, eventNames, dimensions, measurements, findingCodes, codePrefixes, problems };
}

/**
 * Checks a query's telemetry names against src/telemetry/schema.ts and src/probe/findings/. Returns the problems
 * (empty: the query reads only what the probe emits).
 */
export function schemaProblems(query: string): string[] {
  const use = telemetryUse(query);
  const problems = [...use.problems];
  const knownEvents = new Set<string>(Object.values(EVENTS));

  for (const event of use.eventNames) {
    if (!knownEvents.has(event)) {
      problems.push(`unknown event name '${event}' (EVENTS has ${[...knownEvents].join(', ')})`);
    }
  }
  if (use.tables.has('customEvents') && ![...use.eventNames].some((event) => knownEvents.has(event))) {
    problems.push("reads customEvents without filtering on one of the probe's event names");
  }

  // The dimensions a query may read: those of the telemetry it reads.
  const allowedDimensions = new Set<string>();
  const allowedMeasurements = new Set<string>();
  if (use.tables.has('availabilityResults')) {
    Object.values(AVAILABILITY_DIMENSIONS).forEach((d) => allowedDimensions.add(d));
  }
  if (use.eventNames.has(EVENTS.finding)) {
    Object.values(FINDING_DIMENSIONS).forEach((d) => allowedDimensions.add(d));
  }
  if (use.eventNames.has(EVENTS.resolved)) {
    Object.values(RESOLVED_DIMENSIONS).forEach((d) => allowedDimensions.add(d));
  }
  if (use.eventNames.has(EVENTS.snapshot)) {
    Object.values(SNAPSHOT_DIMENSIONS).forEach((d) => allowedDimensions.add(d));
  }
  if (use.eventNames.has(EVENTS.heartbeat)) {
    Object.values(HEARTBEAT_DIMENSIONS).forEach((d) => allowedDimensions.add(d));
    Object.values(HEARTBEAT_MEASUREMENTS).forEach((m) => allowedMeasurements.add(m));
  }
  // issue 25: the estate pass's events.
  if (use.eventNames.has(EVENTS.estateDiagnosis)) {
    Object.values(ESTATE_DIAGNOSIS_DIMENSIONS).forEach((d) => allowedDimensions.add(d));
    Object.values(ESTATE_DIAGNOSIS_MEASUREMENTS).forEach((m) => allowedMeasurements.add(m));
  }
  if (use.eventNames.has(EVENTS.estateHeartbeat)) {
    ['location', 'version', 'vnetId'].forEach((d) => allowedDimensions.add(d));
    Object.values(ESTATE_HEARTBEAT_MEASUREMENTS).forEach((m) => allowedMeasurements.add(m));
  }
  for (const dimension of use.dimensions) {
    if (!allowedDimensions.has(dimension)) {
      problems.push(
        `unknown dimension '${dimension}' (allowed here: ${[...allowedDimensions].sort().join(', ') || 'none'})`,
      );
    }
  }
  for (const measurement of use.measurements) {
    if (!allowedMeasurements.has(measurement)) {
      problems.push(
        `unknown measurement '${measurement}' (allowed here: ${[...allowedMeasurements].sort().join(', ') || 'none'})`,
      );
    }
  }

  const codes = new Set<string>(FINDING_CODES);
  for (const findingCode of use.findingCodes) {
    if (!codes.has(findingCode)) {
      problems.push(`unknown finding code '${findingCode}'`);
    }
  }
  for (const prefix of use.codePrefixes) {
    problems.push(
      FINDING_CODES.some((c) => c.startsWith(prefix))
        ? `selects finding codes by the prefix '${prefix}': select by cause (FindingInfo.cause) instead`
        : `no finding code starts with '${prefix}'`,
    );
  }
  return problems;
}
