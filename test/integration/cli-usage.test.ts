import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { ArmEmulator } from '../lab/arm-emulator';
import { createLabPki } from '../lab/tls';

const ROOT = resolve(__dirname, '..', '..');
const SUB = '4b1f7a2e-6c3d-4e5f-8a9b-0c1d2e3f4a5b';

describe('kvprobe usage errors: exit 2, nothing sent', () => {
  const pki = createLabPki();
  let arm: ArmEmulator;
  beforeAll(async () => {
    arm = await ArmEmulator.start({ pki });
  });
  afterAll(() => arm.stop());

  const run = (args: string[]) =>
    spawnSync(process.execPath, [join(ROOT, 'bin', 'kvprobe'), ...args], {
      encoding: 'utf8',
      env: { ...process.env, NODE_EXTRA_CA_CERTS: pki.caCertPath, KVPROBE_ACCESS_TOKEN: 'x' },
      timeout: 30_000,
    });

  it.each([
    [['check', '--subscription', SUB, '--vault', 'bad--name'], '--vault "bad--name" is not a valid Key Vault name'],
    [['check', '--vault', 'kv1'], '--vault kv1 is a name: give --subscription to search'],
    [['check', '--subscription', SUB, '--vault', '/subscriptions/x/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1'], '--vault "/subscriptions/x/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1" has subscription "x", which is not a GUID.'],
    [['check', '--subscription', SUB, '--timeout', '0'], '--timeout "0" is not allowed: use a whole number from 100 to 120000.'],
    [['check', '--subscription', SUB, '--cloud', 'AzureGermanCloud'], '--cloud "AzureGermanCloud" is not allowed'],
  ])('%j', (args, message) => {
    const before = arm.requests.length;
    const r = run([...args, '--arm-endpoint', arm.url]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`kvprobe: error: ${message}`);
    expect(arm.requests.length).toBe(before);
  });

  it('--help documents every flag and exits 0', () => {
    const r = run(['check', '--help']);
    expect(r.status).toBe(0);
    for (const flag of ['--vault', '--subscription', '--location', '--cloud', '--arm-endpoint', '--dns-server', '--connect-to', '--no-dataplane', '--timeout', '--output']) {
      expect(r.stdout).toContain(flag);
    }
  });
});
