import { EVENTS } from '../../src/telemetry/schema';
import { inLabNamespace, Lab } from './lab';
import { chooseMode, runCli, runInNamespace, runTimer } from './run';
import { ESTATE_SCENARIOS } from './estate-scenarios';
import { ALL_SCENARIOS, scenarioByName, SHOWCASE } from './scenarios';

const USAGE = `Usage: npm run demo [-- --list | --scenario <name> [--output table|json|html]]

Starts the private-link lab (ARM, DNS, the Key Vault data plane and Application Insights ingestion, all on
this machine, inside a network namespace) and runs the real kvprobe CLI against it. No Azure subscription
and no network beyond this machine are needed.
`;

function argValue(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function demo(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (argv.includes('--list')) {
    const width = Math.max(...ALL_SCENARIOS.map((s) => s.name.length));
    const line = (s: (typeof ALL_SCENARIOS)[number]): string => `  ${s.name.padEnd(width)}  ${s.description}\n`;
    process.stdout.write('Scenarios:\n');
    for (const s of ALL_SCENARIOS.filter((x) => !x.topology)) process.stdout.write(line(s));
    // issue 10: each healthy topology, then the broken twin that must still be caught.
    process.stdout.write('\nHealthy topologies (no error, no unintended warning) and their broken twins:\n');
    for (const healthy of ALL_SCENARIOS.filter((x) => x.topology && !x.topology.twin)) {
      process.stdout.write(line(healthy));
      for (const twin of ALL_SCENARIOS.filter((x) => x.topology?.twin && x.topology.name === healthy.topology?.name))
        process.stdout.write(`    twin: ${twin.name}  ${twin.description}\n`);
    }
    process.stdout.write('\nEstates (kvprobe map: every VNet predicted, judged and ranked):\n');
    for (const s of ESTATE_SCENARIOS) process.stdout.write(line(s));
    return 0;
  }
  const name = argValue(argv, '--scenario') ?? SHOWCASE.name;
  const output = argValue(argv, '--output') ?? 'table';
  if (output !== 'table' && output !== 'json' && output !== 'html') {
    process.stderr.write(`demo: --output "${output}" is not allowed: use table, json or html.\n`);
    return 2;
  }
  let scenario;
  try {
    scenario = scenarioByName(name);
  } catch (error) {
    process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }

  const mode = chooseMode();
  if (mode === 'namespace' && !inLabNamespace()) {
    const r = runInNamespace(__filename, argv);
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    return r.status ?? 1;
  }

  const lab = await Lab.start(scenario, mode);
  try {
    if (scenario.estate) return await estateDemo(lab, output);
    // html: the CLI's own --output html (the last --output wins), the page alone on stdout.
    const cli = output === 'html' ? await runCli(lab, ['--output', 'html'], 'table') : await runCli(lab, [], output);
    if (output === 'json' || output === 'html') {
      process.stdout.write(cli.stdout);
      if (output === 'html' && cli.stderr) process.stderr.write(cli.stderr);
      return 0;
    }
    const say = (line = ''): boolean => process.stdout.write(line + '\n');
    say(`Lab scenario "${scenario.name}": ${scenario.description}`);
    say(
      mode === 'namespace'
        ? `Mode: namespace. The lab runs in a network namespace: ARM at ${lab.arm.url}, DNS at 127.0.0.1:53, ${lab.compiled.dataplaneEndpoints.length} Key Vault endpoints on their own IPs.`
        : `Mode: loopback (no network namespaces here). ARM at ${lab.arm.url}, DNS at ${lab.dns.address()}, ${lab.compiled.dataplaneEndpoints.length} Key Vault endpoints on 127.0.0.1 reached with --connect-to; getaddrinfo is answered by the lab.`,
    );
    say();
    say(`$ kvprobe ${cli.args.filter((a, i, all) => a !== 'json' || all[i - 1] !== '--output').join(' ')}`);
    process.stdout.write(cli.stdout);
    if (cli.stderr) process.stderr.write(cli.stderr);
    say(`(exit code ${cli.exitCode})`);
    say();
    const timer = await runTimer(lab);
    const findings = timer.events.filter((e) => e['name'] === EVENTS.finding).length;
    const heartbeats = timer.events.filter((e) => e['name'] === EVENTS.heartbeat).length;
    say(
      'The same probe as the Functions timer trigger (managed identity from the lab token endpoint) sent its telemetry to',
    );
    say(
      `the lab's Application Insights ingestion at ${lab.sink.url}v2.1/track: ${timer.availability.length} availability results, ${findings} ${EVENTS.finding} events, ${heartbeats} ${EVENTS.heartbeat} (in ${timer.durationMs} ms).`,
    );
    say(`ARM requests: ${lab.arm.requests.length}. Run "npm run demo -- --list" for every scenario.`);
    return 0;
  } finally {
    await lab.stop();
  }
}

/** issue 25: an estate scenario runs `kvprobe map`: the diagnoses and the VNet-by-vault matrix (or its HTML). */
async function estateDemo(lab: Lab, output: 'table' | 'json' | 'html'): Promise<number> {
  // In a namespace the lab serves the estate's VM DNS servers: the map asks those it reaches (coverage queried).
  const query = lab.mode === 'namespace' ? ['--query-dns'] : [];
  const cli =
    output === 'html'
      ? await runCli(lab, [...query, '--output', 'html'], 'table', {}, 'map')
      : await runCli(lab, query, output, {}, 'map');
  if (output !== 'table') {
    process.stdout.write(cli.stdout);
    if (cli.stderr) process.stderr.write(cli.stderr);
    return 0;
  }
  const say = (line = ''): boolean => process.stdout.write(line + '\n');
  say(`Lab estate "${lab.scenario.name}": ${lab.scenario.description}`);
  say(`ARM at ${lab.arm.url}; the probe stands in ${lab.compiled.vnetId ?? 'no VNet'}.`);
  say();
  say(`$ kvprobe ${cli.args.join(' ')}`);
  process.stdout.write(cli.stdout);
  if (cli.stderr) process.stderr.write(cli.stderr);
  say(`(exit code ${cli.exitCode}; ARM requests: ${lab.arm.requests.length})`);
  return 0;
}

demo(process.argv.slice(2)).then(
  (code) => process.stdout.write('', () => process.exit(code)),
  (error: unknown) => {
    process.stderr.write(`demo: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
