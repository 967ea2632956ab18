import { commands, q } from '../commands';
import { finding, type Finding } from '../findings';
import { InventoryError } from '../inventory';
import type { ArmReadError, ReadOutcome } from '../types';

/** True for an aborted or timed-out step. */
export function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

/** What @azure/identity (and the static-token credential) call a credential that gave no token. */
const CREDENTIAL_ERRORS = new Set([
  'CredentialUnavailableError',
  'AggregateAuthenticationError',
  'AuthenticationError',
]);

/** One credential's failure on one short line: its first sentence (two when the first only says it failed). */
function oneLine(text: string): string {
  const flat = text
    .replace(/\s+/g, ' ')
    .replace(/^Error: /, '')
    .trim();
  const sentences = flat.split(/(?<=\.)\s/);
  const first = sentences[0] ?? flat;
  const line = first.length < 25 || /failed\.$/.test(first) ? sentences.slice(0, 2).join(' ') : first;
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

/**
 * One line per credential tried, when `error` is a credential chain's (or one credential's) failure to give a token;
 * undefined for any other error. The chain's own text is one line of up to 1,000 characters: it is split here.
 */
export function credentialFailures(error: unknown): string[] | undefined {
  if (!(error instanceof Error) || !CREDENTIAL_ERRORS.has(error.name)) return undefined;
  const inner = (error as { errors?: unknown }).errors;
  if (Array.isArray(inner) && inner.length > 0)
    return inner.map((e) => oneLine(e instanceof Error ? e.message : String(e)));
  // DefaultAzureCredential's CredentialUnavailableError lists each credential's failure after its first line.
  const parts = error.message
    .split(
      /\n|(?=\b(?:EnvironmentCredential|WorkloadIdentityCredential|ManagedIdentityCredential|AzureCliCredential|AzurePowerShellCredential|AzureDeveloperCliCredential|VisualStudioCodeCredential|SharedTokenCacheCredential)\b)/,
    )
    .map((p) => p.trim())
    .filter((p) => /Credential\b/.test(p) && !/^CredentialUnavailableError/.test(p));
  return parts.length > 1 ? parts.map(oneLine) : [oneLine(error.message)];
}

/** Turns whatever a read threw into data. */
/** One read whose failure is kept as data (a `ReadOutcome`), never thrown: the stages that only sharpen the site's view. */
export async function readOutcome<T>(read: () => Promise<T>, operation: string, id: string): Promise<ReadOutcome<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    return { ok: false, error: toReadError(error, operation, id) };
  }
}

export function toReadError(error: unknown, operation: string, resourceId: string | undefined): ArmReadError {
  const tried = credentialFailures(error);
  if (tried) {
    return {
      operation,
      resourceId,
      statusCode: undefined,
      code: 'CredentialUnavailable',
      message: tried.join(' | '),
      tried,
    };
  }
  if (error instanceof InventoryError) {
    return {
      operation,
      resourceId: error.resourceId ?? resourceId,
      statusCode: error.statusCode,
      code: error.code,
      message: error.message,
    };
  }
  if (isAbort(error)) {
    return {
      operation,
      resourceId,
      statusCode: undefined,
      code: 'Timeout',
      message: 'the request did not complete within the step timeout',
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { operation, resourceId, statusCode: undefined, code: undefined, message };
}

export function armReadFailed(e: ArmReadError): Finding {
  if (e.tried) {
    return finding(
      'CREDENTIAL_UNAVAILABLE',
      `No credential gave a token for ARM (${e.tried.length} tried); nothing was read. Fix: az login; in Azure a managed identity (AZURE_CLIENT_ID); or KVPROBE_ACCESS_TOKEN.`,
      { tried: [...e.tried] },
      { resourceId: e.resourceId, fix: 'az login', confirm: 'az account get-access-token --query expiresOn' },
    );
  }
  const status = e.statusCode !== undefined ? ` HTTP ${e.statusCode}` : '';
  const code = e.code ? ` ${e.code}` : '';
  const id = e.resourceId;
  const confirm = !id
    ? undefined
    : /\/providers\/Microsoft\.KeyVault\/vaults\//i.test(id)
      ? commands.showVault(id)
      : /^\/subscriptions\/[^/]+$/i.test(id)
        ? `az keyvault list --subscription ${q(id.split('/')[2] ?? '')} --query "[].id"`
        : `az resource show --ids ${q(id)}`;
  return finding(
    'ARM_READ_FAILED',
    `ARM ${e.operation} failed${status}${code}: ${e.message}`,
    { operation: e.operation, resourceId: e.resourceId, statusCode: e.statusCode, armErrorCode: e.code },
    { resourceId: id, confirm },
  );
}
/** ARM's answers to a read the identity may not make: another tenant's resource, a managed service's, no role. */
const DENIED_CODES = new Set([
  'invalidauthenticationtokentenant',
  'linkedauthorizationfailed',
  'authorizationfailed',
  'invalidauthenticationtoken',
]);

/**
 * True when a read failed because the identity may not read it: 401 or 403 (`InvalidAuthenticationTokenTenant`,
 * `LinkedAuthorizationFailed`, `AuthorizationFailed`), or one of those codes where no status came with it. Not a
 * timeout, a 429 or a 5xx: those are transient wherever the resource lives.
 */
export function isDenied(e: ArmReadError): boolean {
  if (e.statusCode === 401 || e.statusCode === 403) return true;
  return e.statusCode === undefined && DENIED_CODES.has((e.code ?? '').toLowerCase());
}
