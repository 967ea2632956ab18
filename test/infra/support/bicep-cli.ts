import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { REPO_ROOT } from './paths';

export interface BicepCli {
  /** The executable to run. */
  readonly path: string;
  /** Where it was found: BICEP_PATH, .tools/bicep, PATH, or az. */
  readonly source: string;
  readonly version: string;
}

export type BicepLookup = { readonly found: BicepCli } | { readonly missing: string };

function versionOf(executable: string, prefixArgs: readonly string[] = []): string | undefined {
  const result = spawnSync(executable, [...prefixArgs, '--version'], { encoding: 'utf8', timeout: 60_000 });
  if (result.error || result.status !== 0) {
    return undefined;
  }
  return `${result.stdout}${result.stderr}`.trim();
}

/**
 * Finds the Bicep CLI, in this order: $BICEP_PATH, .tools/bicep/bicep (scripts/install-bicep.sh), `bicep` on PATH,
 * the binary the Azure CLI manages for `az bicep` (~/.azure/bin/bicep). The first that runs wins.
 */
export function locateBicep(): BicepLookup {
  const tried: string[] = [];
  const candidates: { source: string; path: string }[] = [];
  const fromEnv = process.env.BICEP_PATH;
  if (fromEnv) {
    candidates.push({ source: 'BICEP_PATH', path: fromEnv });
  }
  candidates.push({ source: '.tools/bicep', path: path.join(REPO_ROOT, '.tools', 'bicep', 'bicep') });
  candidates.push({ source: 'PATH', path: 'bicep' });
  for (const candidate of candidates) {
    const version = versionOf(candidate.path);
    if (version !== undefined) {
      return { found: { ...candidate, version } };
    }
    tried.push(`${candidate.source} (${candidate.path})`);
  }
  // `az bicep` runs its own copy of the CLI; use that binary directly (az bicep has no `snapshot` passthrough).
  if (versionOf('az', ['bicep']) !== undefined) {
    const azManaged = path.join(os.homedir(), '.azure', 'bin', 'bicep');
    const version = fs.existsSync(azManaged) ? versionOf(azManaged) : undefined;
    if (version !== undefined) {
      return { found: { source: 'az bicep', path: azManaged, version } };
    }
    tried.push(`az bicep (no runnable ${azManaged})`);
  } else {
    tried.push('az bicep');
  }
  return {
    missing: `no Bicep CLI found (tried ${tried.join(', ')}). Run scripts/install-bicep.sh, or set BICEP_PATH.`,
  };
}

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runBicep(cli: BicepCli, args: readonly string[], cwd: string = REPO_ROOT): RunResult {
  const result = spawnSync(cli.path, [...args], {
    cwd,
    encoding: 'utf8',
    timeout: 180_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) {
    throw result.error;
  }
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface BicepDiagnostic {
  readonly file: string;
  readonly line: number;
  readonly level: 'Error' | 'Warning' | 'Info';
  readonly code: string;
  readonly message: string;
}

const DIAGNOSTIC_LINE = /^(.+?)\((\d+),(\d+)\) : (Error|Warning|Info) ([^:]+): (.*)$/;

/**
 * Parses the CLI's default diagnostic format, `file(line,col) : Level code: message`. Lines that are neither
 * diagnostics nor empty are returned as `unparsed`, so that a changed format cannot hide an error.
 */
export function parseDiagnostics(output: string): { diagnostics: BicepDiagnostic[]; unparsed: string[] } {
  const diagnostics: BicepDiagnostic[] = [];
  const unparsed: string[] = [];
  for (const line of output.split(/\r?\n/)) {
    if (line.trim() === '') {
      continue;
    }
    const match = DIAGNOSTIC_LINE.exec(line);
    if (match === null) {
      unparsed.push(line);
      continue;
    }
    diagnostics.push({
      file: match[1] ?? '',
      line: Number(match[2]),
      level: match[4] as BicepDiagnostic['level'],
      code: (match[5] ?? '').trim(),
      message: match[6] ?? '',
    });
  }
  return { diagnostics, unparsed };
}

export function formatDiagnostic(d: BicepDiagnostic): string {
  return `${path.relative(REPO_ROOT, d.file)}:${d.line} ${d.level} ${d.code}: ${d.message}`;
}
