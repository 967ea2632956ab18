import { vaultHostname } from '../clouds';
import { commands } from '../commands';
import { finding } from '../findings';
import type { ArmReadError, VaultRecord } from '../types';
import { armReadFailed, toReadError } from './read-errors';
import type { BudgetedReader } from './reader';
import type { Discovered, Discovery, ProbeRequest } from './types';

/** Stage 1: turns the request into vaults, reading each subscription's vault list at most once. */
export async function discover(request: ProbeRequest, reader: BudgetedReader): Promise<Discovery> {
  let req = request;
  if (req.subscriptions.length === 0) {
    try {
      req = { ...req, subscriptions: (await reader.scopeSubscriptions()) ?? [] };
    } catch (error) {
      const e = toReadError(error, "list the scope's subscriptions", undefined);
      return {
        items: [
          {
            kind: 'unreadable',
            scope: 'subscription',
            label: 'scope',
            vaultId: null,
            host: null,
            findings: [armReadFailed(e)],
          },
        ],
        skipped: 0,
      };
    }
  }
  const needLists = req.targets.length === 0 || req.targets.some((t) => t.kind === 'name');
  const lists = new Map<string, { vaults: VaultRecord[] } | { error: ArmReadError }>();
  if (needLists) {
    await Promise.all(
      req.subscriptions.map(async (sub) => {
        try {
          lists.set(sub, { vaults: await reader.vaults(sub) });
        } catch (error) {
          lists.set(sub, { error: toReadError(error, 'list vaults', `/subscriptions/${sub}`) });
        }
      }),
    );
  }
  const listErrors = [...lists.values()].flatMap((l) => ('error' in l ? [l.error] : []));

  if (req.targets.length === 0) {
    const items: Discovered[] = [];
    let skipped = 0;
    for (const sub of req.subscriptions) {
      const list = lists.get(sub);
      if (!list) continue;
      if ('error' in list) {
        items.push({
          kind: 'unreadable',
          scope: 'subscription',
          label: sub,
          vaultId: `/subscriptions/${sub}`,
          host: null,
          findings: [armReadFailed(list.error)],
        });
        continue;
      }
      for (const vault of list.vaults) {
        const item: Discovered =
          vault.connectionsListed === false ? await readUnlisted(vault, reader) : { kind: 'vault', vault };
        if (item.kind === 'unreadable' || item.vault.connections.length > 0) items.push(item);
        else skipped++;
      }
    }
    return { items, skipped, subscriptions: req.subscriptions };
  }

  const items = await Promise.all(
    req.targets.map(async (target): Promise<Discovered> => {
      if (target.kind === 'id') {
        try {
          return { kind: 'vault', vault: await reader.vault(target) };
        } catch (error) {
          const e = toReadError(error, 'get vault', target.id);
          const notFound = e.statusCode === 404;
          return {
            kind: 'unreadable',
            scope: 'vault',
            label: target.name,
            vaultId: target.id,
            host: vaultHostname(target.name, req.cloud),
            findings: [
              notFound
                ? finding(
                    'VAULT_NOT_FOUND',
                    `Vault ${target.id} does not exist (ARM answered 404 ${e.code ?? ''}).`.replace(' )', ')'),
                    { vault: target.name, subscriptions: [target.subscriptionId] },
                    { resourceId: target.id, confirm: commands.listVaults(target.subscriptionId, target.name) },
                  )
                : armReadFailed(e),
            ],
          };
        }
      }
      const wanted = target.name.toLowerCase();
      for (const list of lists.values()) {
        if ('vaults' in list) {
          const found = list.vaults.find((v) => v.name.toLowerCase() === wanted);
          if (found)
            return {
              kind: 'vault',
              vault: found,
              ...(target.configuredAs ? { configuredAs: target.configuredAs } : {}),
            };
        }
      }
      const host = vaultHostname(target.name, req.cloud);
      return {
        kind: 'unreadable',
        scope: 'vault',
        label: target.name,
        vaultId: null,
        host,
        findings:
          listErrors.length > 0
            ? listErrors.map(armReadFailed)
            : [
                finding(
                  'VAULT_NOT_FOUND',
                  `Vault ${target.name} was not found in subscription(s) ${req.subscriptions.join(', ')}.`,
                  { vault: target.name, subscriptions: [...req.subscriptions] },
                  { confirm: req.subscriptions.map((sub) => commands.listVaults(sub, target.name)) },
                ),
              ],
      };
    }),
  );
  return { items, skipped: 0, subscriptions: req.subscriptions };
}

/**
 * A list entry without `privateEndpointConnections` says nothing about the vault's endpoints: read the vault itself
 * before deciding it has none, so a vault with endpoints is never skipped as endpoint-less (a silent green).
 */
async function readUnlisted(vault: VaultRecord, reader: BudgetedReader): Promise<Discovered> {
  // getVault reads Key Vaults; a Managed HSM list entry always carries its connections (ARM's own list does).
  if (vault.kind === 'managedHsm') return { kind: 'vault', vault };
  try {
    const full = await reader.vault({
      subscriptionId: vault.subscriptionId,
      resourceGroup: vault.resourceGroup,
      name: vault.name,
    });
    return { kind: 'vault', vault: { ...full, connectionsListed: true } };
  } catch (error) {
    const e = toReadError(error, 'get vault', vault.id);
    return {
      kind: 'unreadable',
      scope: 'vault',
      label: vault.name,
      vaultId: vault.id,
      host: vault.host,
      findings: [armReadFailed(e)],
    };
  }
}
