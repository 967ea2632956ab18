import { isRestError } from '@azure/core-rest-pipeline';
import { InventoryError } from '../probe/inventory';
import { ARM_MESSAGE_HEADER } from './arm-http';

/** Turns SDK errors into InventoryError, recognised by shape (isRestError), not class identity. */
export async function guard<T>(operation: string, resourceId: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof InventoryError) throw error;
    if (isRestError(error)) {
      // Paged calls report only "Pagination failed"; ARM's own words are in the body.
      const body = armError(error.response?.bodyAsText);
      const message = body?.message ?? error.response?.headers.get(ARM_MESSAGE_HEADER) ?? error.message;
      throw new InventoryError(firstLine(message), operation, resourceId, error.statusCode, body?.code ?? error.code);
    }
    throw error;
  }
}

/** `{ error: { code, message } }`, the ARM error body, when the response carried one. */
export function armError(body: string | null | undefined): { code?: string; message?: string } | undefined {
  if (!body) return undefined;
  try {
    const e = (JSON.parse(body) as { error?: { code?: unknown; message?: unknown } }).error;
    return {
      ...(typeof e?.code === 'string' ? { code: e.code } : {}),
      ...(typeof e?.message === 'string' ? { message: e.message } : {}),
    };
  } catch {
    return undefined;
  }
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).slice(0, 500);
}
