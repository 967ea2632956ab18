import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { INFRA_DIR, REPO_ROOT } from './support/paths';

/** The project files around the Bicep: linter configuration, azd project, Bicep installer, deploy hook. */

const read = (relative: string): string => fs.readFileSync(path.join(REPO_ROOT, relative), 'utf8');
const isExecutable = (relative: string): boolean => (fs.statSync(path.join(REPO_ROOT, relative)).mode & 0o111) !== 0;

describe('bicepconfig.json', () => {
  const config = JSON.parse(read('bicepconfig.json')) as {
    analyzers: { core: { enabled: boolean; rules: Record<string, { level: string; maxAllowedAgeInDays?: number }> } };
  };
  const rules = config.analyzers.core.rules;

  test('the linter is on and every rule has a deliberate level', () => {
    expect(config.analyzers.core.enabled).toBe(true);
    for (const [name, rule] of Object.entries(rules)) {
      expect({ name, level: rule.level }).toEqual({ name, level: expect.stringMatching(/^(error|warning|off)$/) });
    }
  });

  test('secrets, hard-coded cloud URLs, unused declarations and unstable names are errors', () => {
    for (const name of [
      'outputs-should-not-contain-secrets',
      'secure-secrets-in-params',
      'secure-parameter-default',
      'use-secure-value-for-secure-inputs',
      'no-hardcoded-env-urls',
      'no-unused-params',
      'no-unused-vars',
      'use-stable-resource-identifiers',
      'use-resource-id-functions',
    ]) {
      expect({ name, level: rules[name]?.level }).toEqual({ name, level: 'error' });
    }
  });

  test('API-version freshness is a warning, with the default two-year horizon', () => {
    expect(rules['use-recent-api-versions']).toEqual({ level: 'warning', maxAllowedAgeInDays: 730 });
  });

  test('only rules that need the network or do not apply are off', () => {
    const off = Object.entries(rules)
      .filter(([, rule]) => rule.level === 'off')
      .map(([name]) => name)
      .sort();
    expect(off).toEqual(['artifacts-parameters', 'use-recent-module-versions']);
  });
});

describe('azure.yaml', () => {
  const yaml = read('azure.yaml');

  test('one service: the Functions app at the repository root, TypeScript, on Azure Functions', () => {
    const services = yaml.slice(yaml.indexOf('\nservices:'));
    expect(services.match(/^ {2}[a-z][a-z0-9-]*:\s*$/gm)).toEqual(['  probe:']);
    expect(services).toMatch(/^ {4}project: \.\s*$/m);
    expect(services).toMatch(/^ {4}language: ts\s*$/m);
    expect(services).toMatch(/^ {4}host: function\s*$/m);
  });

  test('infra is the Bicep in infra/main.bicep', () => {
    expect(yaml).toMatch(/^ {2}provider: bicep\s*$/m);
    expect(yaml).toMatch(/^ {2}path: infra\s*$/m);
    expect(yaml).toMatch(/^ {2}module: main\s*$/m);
    expect(fs.existsSync(path.join(INFRA_DIR, 'main.bicep'))).toBe(true);
    expect(fs.existsSync(path.join(INFRA_DIR, 'main.parameters.json'))).toBe(true);
  });

  test('the prepackage and postdeploy hooks exist and are executable', () => {
    const runs = [...yaml.matchAll(/^ {8}run: (\S+)\s*$/gm)].map((m) => m[1]);
    expect(runs).toEqual(['./infra/hooks/package.sh', './infra/hooks/deploy-other-sites.sh']);
    expect(isExecutable('infra/hooks/package.sh')).toBe(true);
    expect(isExecutable('infra/hooks/deploy-other-sites.sh')).toBe(true);
  });

  test('built locally, never remotely, into the one production-only package every site gets', () => {
    expect(yaml).toMatch(/^ {4}remoteBuild: false\s*$/m);
    expect(yaml).toMatch(/^ {4}dist: \.azure-package\s*$/m);
    const pkg = read('infra/hooks/package.sh');
    expect(pkg).toContain('npm ci --omit=dev');
    expect(pkg).toContain('.azure-package');
    // The other sites get the very folder azd deployed, not a second build.
    expect(read('infra/hooks/deploy-other-sites.sh')).toMatch(/cd "\$root\/\.azure-package" && zip -qr/);
    expect(read('.gitignore').split(/\r?\n/)).toContain('.azure-package/');
  });
});

describe('infra/hooks/deploy-other-sites.sh', () => {
  const hook = path.join(INFRA_DIR, 'hooks', 'deploy-other-sites.sh');
  const run = (env: Record<string, string>): { status: number | null; out: string } => {
    const result = spawnSync('sh', [hook], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', DRY_RUN: '1', ...env },
      timeout: 30_000,
    });
    return { status: result.status, out: `${result.stdout}${result.stderr}` };
  };

  test('deploys to every site but the one azd deployed', () => {
    const result = run({
      AZURE_RESOURCE_GROUP: 'rg-test',
      PROBE_FUNCTION_APP_NAMES: 'func-kvprobe-hub-abc func-kvprobe-spoke-abc func-kvprobe-dmz-abc',
      SERVICE_PROBE_NAME: 'func-kvprobe-hub-abc',
    });
    expect(result.status).toBe(0);
    expect(result.out.trim().split('\n')).toEqual([
      'deploy-other-sites: would deploy to func-kvprobe-spoke-abc in rg-test',
      'deploy-other-sites: would deploy to func-kvprobe-dmz-abc in rg-test',
    ]);
  });

  test('does nothing with one site', () => {
    const result = run({ AZURE_RESOURCE_GROUP: 'rg-test', PROBE_FUNCTION_APP_NAMES: 'a', SERVICE_PROBE_NAME: 'a' });
    expect(result.status).toBe(0);
    expect(result.out).toContain('one probe site only');
  });

  test('the package hook says what it would build (dry run)', () => {
    const result = spawnSync('sh', [path.join(INFRA_DIR, 'hooks', 'package.sh')], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', DRY_RUN: '1' },
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('production dependencies');
  });

  test('publishes in parallel, at most DEPLOY_PARALLELISM at once, and fails when one publish fails', () => {
    // A fake az that logs when each publish starts and ends; zip and npm are fakes too. Nothing leaves the machine.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kvprobe-hook-'));
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    fs.mkdirSync(path.join(dir, '.azure-package'));
    fs.writeFileSync(path.join(dir, '.azure-package', 'host.json'), '{}');
    const log = path.join(dir, 'az.log');
    const script = (body: string): string => `#!/bin/sh\n${body}\n`;
    fs.writeFileSync(
      path.join(bin, 'az'),
      script(
        `name=""; while [ $# -gt 0 ]; do [ "$1" = "--name" ] && name="$2"; shift; done\n` +
          `echo "start $name" >> "${log}"; sleep 0.4; echo "end $name" >> "${log}"\n` +
          `[ "$name" != "app-fails" ]`,
      ),
      { mode: 0o755 },
    );
    fs.writeFileSync(path.join(bin, 'zip'), script(`touch "$3"`), { mode: 0o755 });
    fs.writeFileSync(path.join(bin, 'npm'), script('exit 0'), { mode: 0o755 });
    const apps = Array.from({ length: 10 }, (_, i) => `app-${i}`);
    const go = (names: string[], parallelism: string): { status: number | null; out: string } => {
      const r = spawnSync('sh', [hook], {
        cwd: dir,
        encoding: 'utf8',
        env: {
          PATH: `${bin}:${process.env.PATH ?? ''}`,
          AZURE_RESOURCE_GROUP: 'rg-test',
          PROBE_FUNCTION_APP_NAMES: ['app-primary', ...names].join(' '),
          SERVICE_PROBE_NAME: 'app-primary',
          DEPLOY_PARALLELISM: parallelism,
        },
        timeout: 30_000,
      });
      return { status: r.status, out: `${r.stdout}${r.stderr}` };
    };
    try {
      const ok = go(apps, '3');
      expect(ok.status).toBe(0);
      const events = fs.readFileSync(log, 'utf8').trim().split('\n');
      let running = 0;
      let peak = 0;
      for (const e of events) {
        running += e.startsWith('start ') ? 1 : -1;
        peak = Math.max(peak, running);
      }
      expect(
        events
          .filter((e) => e.startsWith('start '))
          .map((e) => e.slice(6))
          .sort(),
      ).toEqual([...apps].sort());
      expect(peak).toBe(3);
      const failed = go(['app-a', 'app-fails', 'app-b'], '2');
      expect(failed.status).not.toBe(0);
      expect(failed.out).toContain('deployment to app-fails failed');
      const bad = go(apps, '0');
      expect(bad.status).toBe(2);
      expect(bad.out).toContain("DEPLOY_PARALLELISM must be a whole number from 1 to 64, got '0'");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('fails clearly without the provision outputs', () => {
    const result = run({ AZURE_RESOURCE_GROUP: 'rg-test' });
    expect(result.status).not.toBe(0);
    expect(result.out).toContain('PROBE_FUNCTION_APP_NAMES');
  });
});

describe('scripts/install-bicep.sh', () => {
  const script = read('scripts/install-bicep.sh');

  test('is executable, pins the CLI version and installs into .tools/bicep through dotnet restore', () => {
    expect(isExecutable('scripts/install-bicep.sh')).toBe(true);
    expect(script).toMatch(/BICEP_VERSION="\$\{BICEP_VERSION:-0\.49\.2\}"/);
    expect(script).toContain('.tools/bicep');
    expect(script).toContain('dotnet restore');
    expect(script).toContain('PackageDownload Include="$package" Version="[$BICEP_VERSION]"');
    expect(script).toMatch(/^set -euo pipefail$/m);
  });

  test('.tools/ is ignored by git', () => {
    expect(read('.gitignore').split(/\r?\n/)).toContain('.tools/');
  });
});
