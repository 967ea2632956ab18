import type { Finding } from '../findings';
import type { VaultRecord } from '../types';
import type { Discovered } from './types';

/** What every stage needs to know about an item, whether it is a vault or a scope the probe could not read. */
export interface Identity {
  readonly name: string;
  readonly vaultId: string | null;
  readonly scope: 'vault' | 'subscription';
  readonly host: string | null;
  /** The vault's record; undefined for an unreadable scope. */
  readonly vault: VaultRecord | undefined;
  readonly configuredAs: string | undefined;
  /** What discovery already found (why a scope is unreadable); none for a vault. */
  readonly findings: readonly Finding[];
}

/** The one place that branches on the kind of a discovered item. */
export function identify(item: Discovered): Identity {
  return item.kind === 'vault'
    ? {
        name: item.vault.name,
        vaultId: item.vault.id,
        scope: 'vault',
        host: item.vault.host,
        vault: item.vault,
        configuredAs: item.configuredAs,
        findings: [],
      }
    : {
        name: item.label,
        vaultId: item.vaultId,
        scope: item.scope,
        host: item.host,
        vault: undefined,
        configuredAs: undefined,
        findings: item.findings,
      };
}
