import { cleanDeep, cleanText } from '../sanitize';
import type { Severity } from '../types';
import { CLIENT_FINDINGS, type ClientFindingDetails } from './client';
import { DATAPLANE_FINDINGS, type DataplaneFindingDetails } from './dataplane';
import { DNS_FINDINGS, type DnsFindingDetails } from './dns';
import { ENDPOINT_FINDINGS, type EndpointFindingDetails } from './endpoint';
import type { FindingCause, FindingInfo } from './info';
import { INVENTORY_FINDINGS, type InventoryFindingDetails } from './inventory';
import { PROBE_FINDINGS, type ProbeFindingDetails } from './probe';
import { ZONE_FINDINGS, type ZoneFindingDetails } from './zone';

export { FINDING_CAUSES, type FindingCause, type FindingInfo } from './info';
export type { DataplaneRequest } from './dataplane';

/**
 * The facts each finding carries, by code: the union of the cause files' details (one file per cause, each code
 * declared in its cause's file with its row). The codes are public interface: the JSON output, the telemetry and the
 * alert queries use them. Adding a code makes the compiler ask for its metadata row.
 */
export interface FindingDetails
  extends
    InventoryFindingDetails,
    ProbeFindingDetails,
    EndpointFindingDetails,
    ZoneFindingDetails,
    DnsFindingDetails,
    DataplaneFindingDetails,
    ClientFindingDetails {}

export type FindingCode = keyof FindingDetails;

interface FindingBase<C extends FindingCode> {
  readonly code: C;
  readonly severity: Severity;
  /** One sentence with the concrete values: which address, which endpoint, which state. */
  readonly message: string;
  readonly remediation: string;
  readonly details: FindingDetails[C];
  /** The ARM ID of the object to change (a record set, a zone, an endpoint, a VNet, the vault). */
  readonly resourceId?: string;
  /**
   * Commands that change something, in order, with the real names filled in and quoted (commands.ts): together
   * they repair what this finding names. Absent when no command repairs it from here.
   */
  readonly fix?: readonly string[];
  /** Commands that only read: how to see the fault by hand, and that a fix worked. */
  readonly confirm?: readonly string[];
}

/** A finding: a discriminated union on `code`. */
export type Finding = { [C in FindingCode]: FindingBase<C> }[FindingCode];

/** Each cause's table, in the order of FINDING_CAUSES (a cause without its table does not compile). */
export const FINDINGS_BY_CAUSE: {
  readonly [C in FindingCause]: Readonly<Record<string, FindingInfo & { readonly cause: C }>>;
} = {
  inventory: INVENTORY_FINDINGS,
  probe: PROBE_FINDINGS,
  endpoint: ENDPOINT_FINDINGS,
  zone: ZONE_FINDINGS,
  dns: DNS_FINDINGS,
  dataplane: DATAPLANE_FINDINGS,
  client: CLIENT_FINDINGS,
};

/** Every code's metadata, most upstream cause first (a code without its row does not compile). */
export const FINDINGS: Readonly<Record<FindingCode, FindingInfo>> = {
  ...INVENTORY_FINDINGS,
  ...PROBE_FINDINGS,
  ...ENDPOINT_FINDINGS,
  ...ZONE_FINDINGS,
  ...DNS_FINDINGS,
  ...DATAPLANE_FINDINGS,
  ...CLIENT_FINDINGS,
};

export const FINDING_CODES = Object.keys(FINDINGS) as FindingCode[];

/** A finding's message may quote a few server strings of up to 500 characters each. */
export const FINDING_MESSAGE_MAX = 1500;
const FINDING_COMMAND_MAX = 4000;

/** Builds a finding, taking severity and remediation from the table unless given. */
export function finding<C extends FindingCode>(
  code: C,
  message: string,
  details: FindingDetails[C],
  overrides: {
    severity?: Severity;
    remediation?: string;
    resourceId?: string | undefined;
    fix?: string | readonly string[] | undefined;
    confirm?: string | readonly string[] | undefined;
  } = {},
): FindingBase<C> {
  const info = FINDINGS[code];
  // Messages and details quote servers (ARM errors, Key Vault's 403, DNS answers, proxy URLs): cleaned here, once,
  // so no output (table, JSON, telemetry, function log, HTTP body) sees control characters or credentials.
  return {
    code,
    severity: overrides.severity ?? info.severity,
    message: cleanText(message, FINDING_MESSAGE_MAX),
    remediation: cleanText(overrides.remediation ?? info.remediation, FINDING_MESSAGE_MAX),
    details: cleanDeep(details),
    ...(overrides.resourceId ? { resourceId: cleanText(overrides.resourceId, FINDING_MESSAGE_MAX) } : {}),
    ...(commandList(overrides.fix) ? { fix: commandList(overrides.fix) } : {}),
    ...(commandList(overrides.confirm) ? { confirm: commandList(overrides.confirm) } : {}),
  };
}

/** The non-empty commands given, cleaned; undefined when none. */
function commandList(given: string | readonly string[] | undefined): readonly string[] | undefined {
  const list = (typeof given === 'string' ? [given] : (given ?? [])).filter((c) => c.trim() !== '');
  return list.length > 0 ? list.map((c) => cleanText(c, FINDING_COMMAND_MAX)) : undefined;
}
