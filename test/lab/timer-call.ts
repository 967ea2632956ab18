import { InvocationContext, type Timer } from '@azure/functions';

/**
 * What the Functions host hands the timer handler for one invocation, as the lab's app processes build it: a context
 * whose log lines are kept (`logs`), and a timer that is not past due.
 */
export function timerCall(invocationId: string): { context: InvocationContext; timer: Timer; logs: string[] } {
  const logs: string[] = [];
  const context = new InvocationContext({
    functionName: 'probeTimer',
    invocationId,
    logHandler: (level, ...args) => logs.push(`${level}: ${args.map(String).join(' ')}`),
  });
  const now = new Date().toISOString();
  const timer: Timer = {
    isPastDue: false,
    schedule: { adjustForDST: false },
    scheduleStatus: { last: new Date(0).toISOString(), next: now, lastUpdated: now },
  };
  return { context, timer, logs };
}
