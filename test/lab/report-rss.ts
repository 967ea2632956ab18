import { appendFileSync } from 'node:fs';

/**
 * Preloaded into a CLI process by the fault suite (NODE_OPTIONS=--require): on exit, appends the process's peak
 * resident set size in MiB to KVPROBE_RSS_FILE.
 */
const file = process.env['KVPROBE_RSS_FILE'];
if (file) {
  process.on('exit', () => {
    appendFileSync(file, `${Math.round(process.resourceUsage().maxRSS / 1024)}\n`);
  });
}
