import { randomUUID } from 'node:crypto';
import type * as http from 'node:http';
import type { ArmFault } from './arm-faults';

/** One request as the ARM emulator saw and answered it. */
export interface ArmRequestLog {
  method: string;
  path: string;
  query: string;
  timestamp: number;
  /** HTTP status sent, or 0 while pending and when no status line was ever sent (reset, hang). */
  status: number;
  fault?: ArmFault['kind'];
  /** Request body as text, for requests that carry one (Resource Graph queries); cut at 64 KiB. */
  body?: string;
  /** `<METHOD> <resource type>` (see arm-operations.ts), for every request that got past the faults. */
  operation?: string;
  /** The RBAC action checked: a string, null when none is needed, undefined when the operation is unknown. */
  action?: string | null;
  /** Client ID of the principal whose token authenticated the request. */
  principal?: string;
  /** The body sent back, as text, when the emulator records responses (ArmEmulator.recordResponses). */
  response?: string;
}

/** Keeps the body `res` ends with on `entry.response` (the fuzzing checks what each mutated resource was served as). */
export function recordResponse(res: http.ServerResponse, entry: ArmRequestLog): void {
  const end = res.end.bind(res) as (...args: unknown[]) => http.ServerResponse;
  res.end = ((...args: unknown[]) => {
    const chunk = args[0];
    if (typeof chunk === 'string' || Buffer.isBuffer(chunk)) entry.response = chunk.toString('utf8');
    return end(...args);
  }) as typeof res.end;
}

export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

/**
 * Collects a request body without ever rejecting: a reset or aborted request resolves with what arrived.
 * Reading also drains the socket, which keeps keep-alive connections usable.
 */
export function readBody(req: http.IncomingMessage): Promise<{ text: string; tooLarge: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    const done = (): void => resolve({ text: Buffer.concat(chunks).toString('utf8'), tooLarge });
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.once('end', done);
    req.once('error', done);
    req.once('close', done);
  });
}

/** A JSON answer with ARM's request-id headers. */
export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  requestId: string = randomUUID(),
): void {
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(payload.length),
    'Cache-Control': 'no-cache',
    'x-ms-request-id': requestId,
    'x-ms-correlation-request-id': requestId,
  });
  res.end(payload);
}

/** ARM's error shape: `{ error: { code, message } }`. */
export function sendError(res: http.ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { code, message } });
}

/** ARM's answer to a request without ?api-version=, before any provider sees it (every route checks it first). */
export function sendMissingApiVersion(res: http.ServerResponse): void {
  sendError(
    res,
    400,
    'MissingApiVersionParameter',
    'The api-version query parameter (?api-version=) is required for all requests.',
  );
}
