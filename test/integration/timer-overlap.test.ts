import { InvocationContext, type Timer } from '@azure/functions';
import { createTimerHandler } from '../../src/functions/probe-timer';
import { gatedRuntime } from '../support/gated-runtime';

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
    const gated = gatedRuntime({ PROBE_SUBSCRIPTIONS: SUB }, () => gate);
    const { lists } = gated;
    // Every run's heartbeat, as the App Insights publisher would send it.
    const heartbeats: (Record<string, number> | undefined)[] = [];
    const runtime = {
      ...gated.runtime,
      publisher: () => ({
        publish: (t: { events: readonly { name: string; measurements?: Record<string, number> }[] }) =>
          heartbeats.push(t.events.find((e) => e.name === 'KvProbeHeartbeat')?.measurements),
        flush: async () => true,
      }),
    };
    const handler = createTimerHandler(runtime);
    const logs: string[] = [];
    const context = (): InvocationContext =>
      new InvocationContext({ logHandler: (level, ...args) => logs.push(`${level}: ${args.map(String).join(' ')}`) });
    const first = handler(timer, context());
    await new Promise((r) => setImmediate(r));
    await handler(timer, context());
    expect(lists()).toBe(1);
    expect(logs.some((l) => l.startsWith('warning: kvprobe: the previous run is still going'))).toBe(true);
    release();
    await first;
    gate = Promise.resolve();
    await handler(timer, context());
    expect(lists()).toBe(2);
    // The refused run is counted in the next heartbeat, and only there.
    expect(heartbeats.map((m) => m?.['overlappingRunsSkipped'])).toEqual([1, 0]);
  });
});
