import { appendFileSync } from 'node:fs';

/**
 * Preloaded into a CLI process by the fault suite (NODE_OPTIONS=--require): appends the process's peak resident set
 * size in MiB to KVPROBE_RSS_FILE on exit, and before it reports its exit code to bin/kvprobe (which then kills it,
 * so its own exit never comes).
 */
const file = process.env['KVPROBE_RSS_FILE'];
if (file) {
  const write = (): void => appendFileSync(file, `${Math.round(process.resourceUsage().maxRSS / 1024)}\n`);
  process.on('exit', write);
  const send = process.send?.bind(process);
  if (send) {
    process.send = ((...args: Parameters<typeof send>) => {
      write();
      return send(...args);
    }) as typeof process.send;
  }
}
