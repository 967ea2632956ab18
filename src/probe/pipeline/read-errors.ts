import { commands, q } from '../commands';
import { finding, type Finding } from '../findings';
import { InventoryError } from '../inventory';
import type { ArmReadError } from '../types';

/** True for an aborted or timed-out step. */
export function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

/** Turns whatever a read threw into data. */
export function toReadError(error: unknown, operation: string, resourceId: string | undefined): ArmReadError {
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
