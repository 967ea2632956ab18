import { ConfigError, probeRequestFor } from '../config';
import { probeDepsFor } from '../engine';
import { runProbe } from '../probe/pipeline';
import { parseCommand } from './args';
import { exitCodeFor, renderTable } from './render';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The CLI: parse, run the engine, render, choose the exit code. Returns the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parseCommand>;
  try {
    parsed = parseCommand(argv);
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const p of error.problems) io.stderr(`kvprobe: error: ${p}\n`);
      io.stderr('Run "kvprobe check --help" for usage.\n');
      return 2;
    }
    throw error;
  }
  if (parsed.kind === 'help') {
    io.stdout(parsed.text);
    return 0;
  }
  const o = parsed.options;
  const report = await runProbe(probeRequestFor(o, { dataplane: o.dataplane }), probeDepsFor(o, io.env));
  io.stdout(o.output === 'json' ? JSON.stringify(report, null, 2) + '\n' : renderTable(report));
  return exitCodeFor(report);
}

/** Entry point of bin/kvprobe. */
export function run(): void {
  main(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
  }).then(
    (code) => exitAfterOutput(code),
    (error: unknown) => {
      process.stderr.write(`kvprobe: internal error (exit code 4, a bug: please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      exitAfterOutput(4);
    },
  );
}

/**
 * Exits once stdout and stderr are flushed, without waiting for what the run abandoned: a getaddrinfo stuck in a
 * thread-pool thread, a request past its deadline, an SDK timer. The report is the CLI's only product.
 */
function exitAfterOutput(code: number): void {
  process.exitCode = code;
  const done = (): void => {
    // Under bin/kvprobe's supervisor: it exits with this code at once, even if this process cannot (see there).
    if (process.send) process.send({ exitCode: code }, () => process.exit(code));
    else process.exit(code);
  };
  process.stdout.write('', () => process.stderr.write('', done));
}
