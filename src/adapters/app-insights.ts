import { TelemetryClient } from 'applicationinsights';
import type { TokenCredential } from '@azure/core-auth';
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
 * (unless the operator set them): statsbeat and SDK stats (their own ingestion traffic and timers), standard
 * metrics, and HTTP keep-alive on its sender, so no idle socket to ingestion outlives a flush. Not switchable: the
 * exporter's settings lookup (settings.sdk.monitor.azure.com), which comes with its offline storage; its timer is
 * unref'd, so it does not keep a process alive.
 */
export function quietSdk(env: NodeJS.ProcessEnv): void {
  const off: Readonly<Record<string, string>> = {
    APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
    APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
    APPLICATIONINSIGHTS_SDKSTATS_DISABLED: 'true',
    APPLICATION_INSIGHTS_NO_STANDARD_METRICS: 'true',
    APPLICATION_INSIGHTS_NO_HTTP_AGENT_KEEP_ALIVE: 'true',
  };
  for (const [k, v] of Object.entries(off)) env[k] ??= v;
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
