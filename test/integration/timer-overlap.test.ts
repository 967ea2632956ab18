import { InvocationContext, type Timer } from '@azure/functions';
import { readAppSettings } from '../../src/config';
import { createTimerHandler } from '../../src/functions/probe-timer';
import type { TriggerRuntime } from '../../src/functions/runtime';

const SUB = '4b1f7a2e-6c3d-4e5f-8a9b-0c1d2e3f4a5b';
const timer: Timer = {
  isPastDue: false,
  schedule: { adjustForDST: false },
  scheduleStatus: { last: '', next: '', lastUpdated: '' },
};

describe('timer overlap (issue 11)', () => {
  it('refuses a second run while one is going, logs it, and runs again once the first ended', async () => {
    let release: () => void = () => undefined;
    let gate = new Promise<void>((r) => (release = r));
    let runs = 0;
    const runtime: TriggerRuntime = {
      settings: ({ requireScope }) => readAppSettings({ PROBE_SUBSCRIPTIONS: SUB }, { requireScope }),
      probeDeps: () => ({
        inventory: {
          listVaults: async () => {
            runs++;
            await gate;
            return [];
          },
          getVault: () => Promise.reject(new Error('unused')),
          getPrivateEndpoint: () => Promise.reject(new Error('unused')),
          getNetworkInterface: () => Promise.reject(new Error('unused')),
        },
        observer: {
          resolveOs: async () => ({ addresses: [], durationMs: 0 }),
          resolveDns: async () => ({ servers: [], cnames: [], addresses: [], durationMs: 0 }),
          probeDataplane: () => Promise.reject(new Error('unused')),
          proxyFor: () => undefined,
        },
      }),
      publisher: () => undefined,
    };
    const handler = createTimerHandler(runtime);
    const logs: string[] = [];
    const context = (): InvocationContext =>
      new InvocationContext({ logHandler: (level, ...args) => logs.push(`${level}: ${args.map(String).join(' ')}`) });
    const first = handler(timer, context());
    await new Promise((r) => setImmediate(r));
    await handler(timer, context());
    expect(runs).toBe(1);
    expect(logs.some((l) => l.startsWith('warning: kvprobe: the previous run is still going'))).toBe(true);
    release();
    await first;
    gate = Promise.resolve();
    await handler(timer, context());
    expect(runs).toBe(2);
  });
});
