import * as https from 'node:https';
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { TelemetryClient, type AzureMonitorOpenTelemetryOptions } from 'applicationinsights';
import type { TokenCredential } from '@azure/core-auth';
import { createDefaultHttpClient, type HttpClient } from '@azure/core-rest-pipeline';
import { ManagedIdentityCredential } from '@azure/identity';
import type { AvailabilityRecord, EventRecord } from '../telemetry/records';

/** `Authorization=AAD[;ClientId=<id>]` → a managed identity credential (user-assigned when ClientId is given). */
export function entraCredential(authenticationString: string | undefined): TokenCredential | undefined {
  if (!authenticationString) return undefined;
  const parts = new Map(
    authenticationString.split(';').flatMap((kv) => {
      const i = kv.indexOf('=');
      return i > 0 ? [[kv.slice(0, i).trim().toLowerCase(), kv.slice(i + 1).trim()] as const] : [];
    }),
  );
  if (parts.get('authorization')?.toLowerCase() !== 'aad') return undefined;
  const clientId = parts.get('clientid');
  return clientId ? new ManagedIdentityCredential({ clientId }) : new ManagedIdentityCredential();
}

/**
 * The SDK's background work the probe does not need, switched off by the variables the SDK reads at start-up
 * (unless the operator set them): statsbeat and SDK stats (their own ingestion traffic and timers) and standard
 * metrics. Not switchable: the exporter's settings lookup (settings.sdk.monitor.azure.com, "OneSettings"), which the
 * first exporter starts from its constructor, 5-15 s later and then hourly. Its timer is unref'd; while its GETs run
 * (10 s timeout each, on the SDK's own HTTP client) they hold a process that is otherwise done. docs/DESIGN.md's
 * Reliability section says so. (APPLICATION_INSIGHTS_NO_HTTP_AGENT_KEEP_ALIVE is read by applicationinsights 3.x and
 * used for nothing: the sender's connections are the probe's own, see ingestionHttpClient.)
 */
export function quietSdk(env: NodeJS.ProcessEnv): void {
  const off: Readonly<Record<string, string>> = {
    APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
    APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
    APPLICATIONINSIGHTS_SDKSTATS_DISABLED: 'true',
    APPLICATION_INSIGHTS_NO_STANDARD_METRICS: 'true',
  };
  for (const [k, v] of Object.entries(off)) env[k] ??= v;
}

/**
 * An ingestion POST that has no answer within this ends; the SDK then keeps its items on disk and retries them. It is
 * below the timer's flush wait (15 s, FLUSH_TIMEOUT_MS in functions/probe-timer.ts), so a hung ingestion endpoint
 * has no request open when the handler returns.
 */
export const INGESTION_REQUEST_TIMEOUT_MS = 10_000;

/** Connections that never keep the process alive by themselves: each socket is unref'd as it is made. */
class DetachedAgent extends https.Agent {
  override createConnection(
    options: https.RequestOptions,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    const socket = super.createConnection(options, callback);
    if (socket instanceof Socket) socket.unref();
    return socket;
  }
}

/**
 * The exporter's HTTP client: every request gets INGESTION_REQUEST_TIMEOUT_MS, and, unless a proxy policy chose its
 * own agent, a connection of its own (no keep-alive) that does not hold the event loop. A pending POST to an
 * ingestion endpoint that never answers was seen keeping Node alive for more than 100 s after the handler returned.
 */
export function ingestionHttpClient(
  timeoutMs = INGESTION_REQUEST_TIMEOUT_MS,
  inner: HttpClient = createDefaultHttpClient(),
): HttpClient {
  const agent = new DetachedAgent({ keepAlive: false });
  return {
    sendRequest(request) {
      if (!(request.timeout > 0) || request.timeout > timeoutMs) request.timeout = timeoutMs;
      request.agent ??= agent;
      return inner.sendRequest(request);
    },
  };
}

/**
 * The SDK's options for an isolated client: the probe's HTTP client for the exporter, and every instrumentation and
 * collector its configuration names turned off (with `useGlobalProviders: false` the SDK enables none of them, but
 * the options say so rather than rely on it). The SDK's defaults for these options would otherwise apply.
 */
export function sdkOptions(connectionString: string): AzureMonitorOpenTelemetryOptions {
  const off = { enabled: false } as const;
  return {
    azureMonitorExporterOptions: { connectionString, disableOfflineStorage: false, httpClient: ingestionHttpClient() },
    enableAutoCollectExceptions: false,
    enableAutoCollectPerformance: false,
    enableLiveMetrics: false,
    enableStandardMetrics: false,
    enablePerformanceCounters: false,
    instrumentationOptions: {
      http: off,
      azureSdk: off,
      mongoDb: off,
      mySql: off,
      postgreSql: off,
      redis: off,
      redis4: off,
      bunyan: off,
      winston: off,
      console: off,
    },
  };
}

/** Where run telemetry goes. */
export interface TelemetryPublisher {
  publish(records: { availability: readonly AvailabilityRecord[]; events: readonly EventRecord[] }): void;
  /** Resolves `true` when the SDK reported the flush done within `timeoutMs`, else `false`; never throws. */
  flush(timeoutMs: number): Promise<boolean>;
}

/**
 * An isolated TelemetryClient (no global OpenTelemetry providers, so the Functions host's own instrumentation is
 * not doubled). Ingestion failures are retried by the SDK from its offline store; the caller also logs results.
 */
export function createAppInsightsPublisher(
  connectionString: string,
  authenticationString?: string,
): TelemetryPublisher {
  quietSdk(process.env);
  const client = new TelemetryClient(connectionString, { useGlobalProviders: false });
  client.config.azureMonitorOpenTelemetryOptions = sdkOptions(connectionString);
  // With local auth disabled on the resource, ingestion takes only Entra tokens. The Functions host reads
  // APPLICATIONINSIGHTS_AUTHENTICATION_STRING itself; the SDK's TelemetryClient needs the credential handed over.
  const aad = entraCredential(authenticationString);
  if (aad) client.config.aadTokenCredential = aad;
  return {
    publish({ availability, events }) {
      for (const a of availability) {
        client.trackAvailability({
          id: a.id,
          name: a.name,
          duration: a.duration,
          success: a.success,
          runLocation: a.runLocation,
          message: a.message,
          properties: a.properties,
        });
      }
      for (const e of events) {
        client.trackEvent({
          name: e.name,
          properties: e.properties,
          ...(e.measurements ? { measurements: e.measurements } : {}),
        });
      }
    },
    async flush(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      try {
        return await Promise.race([client.flush().then(() => true as const), timeout]);
      } catch {
        return false;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
