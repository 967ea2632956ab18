import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { AppInvocation, AppOutcome } from './app-process';

/** The Functions app's process (app-process.ts) as its host sees it: invoke it, then end it. */
export interface AppProcess {
  /** One invocation of the app's handler; its outcome. */
  invoke(): Promise<AppOutcome>;
  /**
   * Closes its input, on which it exits; a process that does not within 10 s is killed, not waited for. `kill`: at
   * once (a process whose getaddrinfo calls are stuck cannot exit: Node joins thread-pool threads at exit).
   */
  end(opts?: { readonly kill?: boolean }): Promise<void>;
}

/**
 * Starts the app's process with `env` as its whole environment (spawn's `env`: nothing writes process.env, the app
 * reads its settings, IDENTITY_ENDPOINT included, from what it started with). Its argv0 is this process's, so the
 * SDK's default cloud role name (`unknown_service:<argv0>`) is the one this process would send.
 */
export function startApp(invocation: AppInvocation, env: Readonly<Record<string, string | undefined>>): AppProcess {
  const child = spawn(process.execPath, [join(__dirname, 'app-process.js'), JSON.stringify(invocation)], {
    env,
    argv0: process.argv0,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiting: { done: (o: AppOutcome) => void; fail: (e: Error) => void }[] = [];
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // A process that died cannot take input; its end is reported below, with what it said.
  child.stdin.on('error', () => undefined);
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    for (let nl = stdout.indexOf('\n'); nl >= 0; nl = stdout.indexOf('\n')) {
      const line = stdout.slice(0, nl);
      stdout = stdout.slice(nl + 1);
      waiting.shift()?.done(JSON.parse(line) as AppOutcome);
    }
  });
  const exited = new Promise<number | null>((done) =>
    child.on('close', (code) => {
      for (const w of waiting.splice(0))
        w.fail(new Error(`the app process ended (${code}) without an outcome: ${stderr}`));
      done(code);
    }),
  );
  return {
    invoke: () =>
      new Promise<AppOutcome>((done, fail) => {
        waiting.push({ done, fail });
        child.stdin.write('invoke\n');
      }),
    end: async (opts) => {
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), opts?.kill ? 0 : 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
