import * as fs from 'node:fs';
import * as path from 'node:path';

import { FINDINGS } from '../../src/probe/findings';
import { ACTIONS_FILE, REPO_ROOT, readRoleActions, repoRelative } from './support/paths';

/**
 * The probe's ARM permissions are written down twice: in the custom role the infra deploys
 * (infra/roles/probe-reader-actions.json, loaded by infra/identity/probe-reader-role.bicep) and in README.md's
 * Permissions section, which operators follow when they grant access by hand. They must name the same actions.
 */

const README = path.join(REPO_ROOT, 'README.md');
/**
 * A backticked ARM read action: `Microsoft.Provider/type[/subtype...]/read`, or a read-only list sent as POST
 * (`…/list<Things>/action`, such as DNS Private Resolver's rulesets of a VNet).
 */
const ACTION_PATTERN = /`(Microsoft\.[A-Za-z]+(?:\/[A-Za-z]+)+\/(?:read|list[A-Za-z]+\/action))`/g;
/** The only actions besides `/read` the role may grant: POST reads the probe makes. */
const LIST_ACTIONS = [
  'Microsoft.Network/virtualNetworks/listDnsForwardingRulesets/action',
  // issue 10: the AVNM connectivity configurations in effect for a VNet.
  'Microsoft.Network/virtualNetworks/listNetworkManagerEffectiveConnectivityConfigurations/action',
];

/** The text of a `## Heading` section, up to the next heading of level 1 or 2. */
function markdownSection(markdown: string, heading: string): string | undefined {
  const lines = markdown.split(/\r?\n/);
  const start = lines.findIndex((line) => line.trim().toLowerCase() === `## ${heading.toLowerCase()}`);
  if (start === -1) {
    return undefined;
  }
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => /^#{1,2}\s/.test(line));
  return (end === -1 ? rest : rest.slice(0, end)).join('\n');
}

function backtickedReadActions(text: string): string[] {
  return [...text.matchAll(ACTION_PATTERN)].map((match) => match[1] ?? '');
}

describe('permissions', () => {
  test(`README.md's Permissions section lists exactly the actions of ${repoRelative(ACTIONS_FILE)}`, () => {
    if (!fs.existsSync(README)) {
      throw new Error('README.md does not exist yet: its "## Permissions" section must list the probe\'s ARM actions.');
    }
    const section = markdownSection(fs.readFileSync(README, 'utf8'), 'Permissions');
    if (section === undefined) {
      throw new Error('README.md has no "## Permissions" section.');
    }
    const documented = new Set(backtickedReadActions(section));
    expect([...documented].sort()).toEqual([...readRoleActions()].sort());
  });

  test('the custom role grants only read actions, each once', () => {
    const actions = readRoleActions();
    expect(actions.length).toBeGreaterThan(0);
    expect(new Set(actions).size).toBe(actions.length);
    for (const action of actions.filter((a) => !LIST_ACTIONS.includes(a))) {
      expect(action).toMatch(/^Microsoft\.[A-Za-z]+(\/[A-Za-z]+)+\/read$/);
    }
  });

  test("every action the findings' remediation tells operators to grant is in the custom role", () => {
    const granted = new Set(readRoleActions());
    const named = new Set<string>();
    for (const info of Object.values(FINDINGS)) {
      for (const match of info.remediation.matchAll(/Microsoft\.[A-Za-z]+(?:\/[A-Za-z]+)+\/read/g)) {
        named.add(match[0]);
      }
    }
    expect(named.size).toBeGreaterThan(0);
    expect([...named].filter((action) => !granted.has(action))).toEqual([]);
  });

  test('the section parser finds actions and stops at the next section (so the comparison can fail)', () => {
    const markdown = [
      '# Title',
      '## Permissions',
      '- `Microsoft.KeyVault/vaults/read`',
      'and `Microsoft.Network/privateEndpoints/read`, not `Microsoft.Network/privateEndpoints/write`',
      '### Details',
      '- `Microsoft.Network/networkInterfaces/read`',
      '## Findings',
      '- `Microsoft.Compute/virtualMachines/read`',
    ].join('\n');
    const section = markdownSection(markdown, 'Permissions') ?? '';
    expect(backtickedReadActions(section)).toEqual([
      'Microsoft.KeyVault/vaults/read',
      'Microsoft.Network/privateEndpoints/read',
      'Microsoft.Network/networkInterfaces/read',
    ]);
    expect(markdownSection(markdown, 'Deploy')).toBeUndefined();
  });
});
