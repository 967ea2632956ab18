import { cutCodePoints } from '../probe/sanitize';
import type { AvailabilityRecord, EventRecord } from '../telemetry/records';

/**
 * Application Insights' documented field limits (data model pages: custom property keys 150 characters, values
 * 8,192; event names 512; availability names 1,024 and messages 8,192). Ingestion cuts longer values silently, so
 * the probe cuts first, below the limits, says so in the value, and lists the cut properties in `truncated`.
 */
export const TELEMETRY_LIMITS = {
  propertyKey: 150,
  propertyValue: 8192,
  eventName: 512,
  availabilityName: 1024,
  availabilityMessage: 8192,
} as const;

/** The property that names the properties cut to fit (comma-separated keys); absent when none was. */
export const TRUNCATED_PROPERTY = 'truncated';

/** `value` when it fits `max`, else its head and a marker that says how long it was, `max` characters in all. */
export function fit(value: string, max: number): { value: string; cut: boolean } {
  if (value.length <= max) return { value, cut: false };
  const marker = `…[truncated, ${value.length} characters]`;
  return { value: cutCodePoints(value, max - marker.length) + marker, cut: true };
}

/** Every key and value below the limits, and `truncated` naming the values that were cut. */
export function fitProperties(properties: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  const cut: string[] = [];
  for (const [k, v] of Object.entries(properties)) {
    const key = fit(k, TELEMETRY_LIMITS.propertyKey).value;
    const value = fit(v, TELEMETRY_LIMITS.propertyValue);
    if (value.cut) cut.push(key);
    out[key] = value.value;
  }
  if (cut.length > 0) out[TRUNCATED_PROPERTY] = fit(cut.join(','), TELEMETRY_LIMITS.propertyValue).value;
  return out;
}

/** An availability result that ingestion takes whole. */
export function fitAvailability(a: AvailabilityRecord): AvailabilityRecord {
  return {
    ...a,
    name: fit(a.name, TELEMETRY_LIMITS.availabilityName).value,
    runLocation: fit(a.runLocation, TELEMETRY_LIMITS.availabilityName).value,
    message: fit(a.message, TELEMETRY_LIMITS.availabilityMessage).value,
    properties: fitProperties(a.properties),
  };
}

/** An event that ingestion takes whole. */
export function fitEvent(e: EventRecord): EventRecord {
  return { ...e, name: fit(e.name, TELEMETRY_LIMITS.eventName).value, properties: fitProperties(e.properties) };
}
