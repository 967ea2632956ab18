import { tagValue } from './tags';
import type { VaultRecord } from './types';

/**
 * The vault tag that names the vault's owner: a short key the owner chose (`kvprobe-owner=payments`). The probe
 * carries it, lower case, in the vault's result and its telemetry state, and a vault owner's alert rule (alertOwners
 * `tag`) keeps the objects that break a vault with that key. Tag names are matched without regard to case, as ARM
 * does.
 */
export const OWNER_TAG = 'kvprobe-owner';

/**
 * The owner key of a vault: its `kvprobe-owner` tag's value, trimmed and lower case, with the separators of the
 * telemetry's packed states (`,` `;` `|` `=`) made spaces; undefined when the vault has no such tag or it is empty.
 */
export function ownerOf(vault: Pick<VaultRecord, 'tags'> | undefined): string | undefined {
  const value = tagValue(vault, OWNER_TAG);
  const key = (value ?? '')
    .replace(/[,;|=]/g, ' ')
    .trim()
    .toLowerCase();
  return key === '' ? undefined : key;
}

/** `{ owner }` for a result when the vault is tagged with an owner key, else nothing (the field is absent). */
export function ownerField(vault: Pick<VaultRecord, 'tags'> | undefined): { readonly owner?: string } {
  const owner = ownerOf(vault);
  return owner === undefined ? {} : { owner };
}
