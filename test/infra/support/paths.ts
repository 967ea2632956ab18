import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const INFRA_DIR = path.join(REPO_ROOT, 'infra');

/** Files under `dir` (recursively) whose name ends with `suffix`, as absolute paths, sorted. */
export function filesUnder(dir: string, suffix: string): string[] {
  const found: string[] = [];
  const walk = (current: string): void => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (entry.name.endsWith(suffix)) {
        found.push(full);
      }
    }
  };
  walk(dir);
  return found.sort();
}

/** A path relative to the repository root, with forward slashes, for messages. */
export function repoRelative(file: string): string {
  return path.relative(REPO_ROOT, file).split(path.sep).join('/');
}

/** The probe's custom role actions, from the one file that holds them. */
export const ACTIONS_FILE = path.join(INFRA_DIR, 'roles', 'probe-reader-actions.json');

export function readRoleActions(): string[] {
  const parsed: unknown = JSON.parse(fs.readFileSync(ACTIONS_FILE, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || !('actions' in parsed) || !Array.isArray(parsed.actions)) {
    throw new Error(`${repoRelative(ACTIONS_FILE)} must be an object with an "actions" array`);
  }
  const actions: unknown[] = parsed.actions;
  return actions.map((action) => {
    if (typeof action !== 'string') {
      throw new Error(`${repoRelative(ACTIONS_FILE)}: every action must be a string, got ${JSON.stringify(action)}`);
    }
    return action;
  });
}
