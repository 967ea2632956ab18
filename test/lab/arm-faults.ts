import type * as http from 'node:http';
import { segmentsOf } from './arm-store';
import { sendError, type ArmRequestLog } from './arm-wire';

export interface ArmFaultRequest {
  method: string;
  /** URL path as the client sent it (original casing, still percent-encoded). */
  path: string;
  /** Query string without the leading `?`. */
  query: string;
}

export interface ArmFault {
  match: (req: ArmFaultRequest) => boolean;
  kind: 'latency' | 'status' | 'reset' | 'truncate' | 'malformed' | 'hang' | 'respond';
  ms?: number;
  status?: number;
  retryAfterSeconds?: number;
  /** How many matching requests the fault applies to; undefined means every one. */
  times?: number;
  // --- issue 11 (hostile ARM): a fault kind whose answer is written by test/lab/hostile-arm.ts. ---
  /** For kind 'respond': writes the whole answer (or none, for a hang). */
  respond?: (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => void;
  // --- end issue 11 ---
  /** Count `times` per caller (bearer token's principal), so the CLI and the app each meet the fault. */
  perPrincipal?: boolean;
}

interface ActiveFault {
  fault: ArmFault;
  remaining: number | undefined;
  /** For perPrincipal faults: what is left per principal. */
  remainingBy: Map<string, number>;
}

// Codes ARM (or its gateways) use for these statuses, so clients that branch on error.code see real ones.
const ERROR_CODES: Record<number, string> = {
  400: 'BadRequest',
  401: 'AuthenticationFailed',
  403: 'AuthorizationFailed',
  404: 'ResourceNotFound',
  408: 'RequestTimeout',
  409: 'Conflict',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

/** Faults in front of ARM (network, gateways): they fire before authentication, in the order they were added. */
export class ArmFaults {
  private active: ActiveFault[] = [];

  add(fault: ArmFault): void {
    this.active.push({ fault, remaining: fault.times, remainingBy: new Map() });
  }

  clear(): void {
    this.active = [];
  }

  /** Counts the request against every matching fault: the summed latency, and the first fault that answers it. */
  pick(
    req: ArmFaultRequest,
    caller: string,
    baseLatencyMs: number,
  ): { delayMs: number; latencyFault: boolean; terminal: ArmFault | undefined } {
    let delayMs = baseLatencyMs;
    let latencyFault = false;
    for (const active of this.active) {
      const perPrincipal = active.fault.perPrincipal === true && active.fault.times !== undefined;
      if (perPrincipal && (active.remainingBy.get(caller) ?? active.fault.times ?? 0) <= 0) continue;
      if (!perPrincipal && active.remaining !== undefined && active.remaining <= 0) continue;
      let matched: boolean;
      try {
        matched = active.fault.match(req);
      } catch {
        matched = false;
      }
      if (!matched) continue;
      if (perPrincipal) active.remainingBy.set(caller, (active.remainingBy.get(caller) ?? active.fault.times ?? 0) - 1);
      else if (active.remaining !== undefined) active.remaining -= 1;
      if (active.fault.kind === 'latency') {
        delayMs += active.fault.ms ?? 0;
        latencyFault = true;
        continue;
      }
      return { delayMs, latencyFault, terminal: active.fault };
    }
    return { delayMs, latencyFault, terminal: undefined };
  }

  /** Answers (or drops) the request as the fault says. */
  apply(
    fault: ArmFault,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    entry: ArmRequestLog,
    baseUrl: string,
  ): void {
    switch (fault.kind) {
      case 'latency':
        return;
      case 'status': {
        const status = fault.status ?? 500;
        if (fault.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(fault.retryAfterSeconds));
        if (status === 429) {
          // ARM's own throttling: the buckets are empty, and the body says which one and for how long.
          const sub = segmentsOf(entry.path)[1] ?? '';
          res.setHeader('x-ms-ratelimit-remaining-subscription-reads', '0');
          res.setHeader('x-ms-ratelimit-remaining-subscription-global-reads', '0');
          sendError(
            res,
            429,
            'SubscriptionRequestsThrottled',
            `Number of 'read' requests for subscription '${sub}' actor 'lab' exceeded. Please try again after '${fault.retryAfterSeconds ?? 1}' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling`,
          );
          return;
        }
        sendError(
          res,
          status,
          ERROR_CODES[status] ?? `HttpStatus${status}`,
          `Injected HTTP ${status} from the lab ARM emulator.`,
        );
        return;
      }
      case 'reset':
        // Node clients report this as ECONNRESET ("socket hang up"). A true RST would need the raw TCP
        // socket under the TLS one, and destroying that behind the HTTP server's back crashes its close().
        req.socket.destroy();
        return;
      case 'truncate': {
        const body = Buffer.from(
          JSON.stringify({ value: [], note: 'this body is cut short on purpose by the lab ARM emulator' }),
        );
        res.writeHead(200, {
          'Content-Type': 'application/json; charset=utf-8',
          'Content-Length': String(body.length + 512),
        });
        entry.status = 200;
        res.write(body.subarray(0, Math.floor(body.length / 2)), () => req.socket.end());
        return;
      }
      case 'malformed': {
        const body = '<html><body><h1>Bad Gateway</h1><p>not JSON, injected by the lab ARM emulator</p></body></html>';
        res.writeHead(200, {
          'Content-Type': 'application/json; charset=utf-8',
          'Content-Length': String(Buffer.byteLength(body)),
        });
        res.end(body);
        return;
      }
      case 'hang':
        // Never answer; stop() destroys the socket.
        return;
      // --- issue 11 (hostile ARM) ---
      case 'respond':
        fault.respond?.(req, res, new URL(req.url ?? '/', baseUrl));
        return;
      // --- end issue 11 ---
    }
  }
}
