import type { VaultRecord } from './types';

/** The value of a vault's tag `name`, matched without regard to case as ARM matches tag names; else undefined. */
export function tagValue(vault: Pick<VaultRecord, 'tags'> | undefined, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return Object.entries(vault?.tags ?? {}).find(([k]) => k.toLowerCase() === wanted)?.[1];
}
