import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { ArmEmulator } from '../lab/arm-emulator';
import type { LabPki } from '../lab/tls';
import { RG, SUB, armRaw, tokenCredential, useLabPki, vault, vaultId } from './lab-fixtures';

const labPki = useLabPki();
let pki: LabPki;
beforeAll(() => {
  pki = labPki();
});

describe('ARM emulator faults (arm-faults.ts) through raw HTTPS and the real Azure SDK', () => {
  let arm: ArmEmulator;
  let kv: KeyVaultManagementClient;

  beforeAll(async () => {
    arm = await ArmEmulator.start({ pki });
    for (const name of ['kv1', 'kv2', 'kv3']) arm.put(vault(name));
    kv = new KeyVaultManagementClient(tokenCredential(arm.trustedToken()), SUB, {
      endpoint: arm.url,
      credentials: { scopes: [`${arm.url}/.default`] },
    });
  });

  afterAll(async () => {
    await arm.stop();
  });

  beforeEach(() => {
    arm.clearFaults();
    arm.requests.length = 0;
  });

  it('injects latency, resets, truncated and malformed bodies', async () => {
    const path = `${vaultId('kv1')}?api-version=2026-02-01`;
    arm.addFault({ match: () => true, kind: 'latency', ms: 150, times: 1 });
    const started = Date.now();
    expect((await armRaw(arm, pki, path)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);

    arm.addFault({ match: () => true, kind: 'reset', times: 1 });
    await expect(armRaw(arm, pki, path)).rejects.toMatchObject({ code: 'ECONNRESET' });

    arm.addFault({ match: () => true, kind: 'truncate', times: 1 });
    await expect(armRaw(arm, pki, path)).rejects.toThrow();

    arm.addFault({ match: () => true, kind: 'malformed', times: 1 });
    const malformed = await armRaw(arm, pki, path);
    expect(malformed.status).toBe(200);
    expect(() => JSON.parse(malformed.body) as unknown).toThrow();

    arm.addFault({ match: (r) => r.method === 'GET', kind: 'status', status: 503, times: 1 });
    const unavailable = await armRaw(arm, pki, path);
    expect(unavailable.status).toBe(503);
    expect((JSON.parse(unavailable.body) as { error: { code: string } }).error.code).toBe('ServiceUnavailable');

    expect((await armRaw(arm, pki, path)).status).toBe(200);
    expect(arm.requests.map((r) => r.fault ?? '-')).toEqual([
      'latency',
      'reset',
      'truncate',
      'malformed',
      'status',
      '-',
    ]);
  });

  it('lets an AbortSignal end a hanging request', async () => {
    arm.addFault({ match: (r) => r.path.endsWith('/vaults/kv3'), kind: 'hang', times: 1 });
    const started = Date.now();
    const err: unknown = await kv.vaults
      .get(RG, 'kv3', { abortSignal: AbortSignal.timeout(300) })
      .catch((e: unknown) => e);
    expect((err as Error).name).toBe('AbortError');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('stops promptly while a request hangs', async () => {
    const other = await ArmEmulator.start({ pki });
    other.addFault({ match: () => true, kind: 'hang' });
    const pending = armRaw(other, pki, '/subscriptions/x/resourceGroups/y').catch((e: unknown) => e);
    for (let i = 0; i < 100 && other.requests.length === 0; i += 1) await new Promise((r) => setTimeout(r, 10));
    expect(other.requests).toHaveLength(1);
    const started = Date.now();
    await other.stop();
    expect(Date.now() - started).toBeLessThan(500);
    expect(await pending).toMatchObject({ code: 'ECONNRESET' });
  });
});
