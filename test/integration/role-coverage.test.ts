import { OPERATION_ACTIONS } from '../lab/arm-operations';
import { PROBE_ROLE_ACTIONS } from '../lab/lab';
import type { LabRun } from '../lab/run';
import { runLab, uncoveredOperations } from './scenario-harness';
import { describeWhere, missingNamespaces } from '../support/environment';

/**
 * The custom role (infra/roles/probe-reader-actions.json) against what the probe really does. Every scenario's
 * assertion already fails on an operation the role does not cover (scenario-harness.ts, uncoveredOperations); here
 * a set of scenarios that between them reach every kind of read — both entry points, all three inventory sources,
 * a Managed HSM, a probe VNet with custom DNS, named vaults read one by one — must use every action of the role.
 */
const RUNS: readonly [scenario: string, inventory: string | undefined][] = [
  ['showcase', 'per-vault'],
  ['healthy', 'batched'],
  ['two-vnets', 'resource-graph'],
  ['managed-hsm', undefined],
  ['custom-dns-not-forwarding', undefined],
  ['zone-group-missing', undefined],
  // A DNS Private Resolver's forwarding ruleset linked to the probe's VNet (issue 10).
  ['topology-hub-resolver', undefined],
  // Virtual WAN hubs, their connections and WAN, and a VNet's AVNM connectivity configurations (issue 10).
  ['topology-vwan-hub', undefined],
  // issue 20: the route table of the probe's subnet, and a vault's network security perimeter (the perimeters, their
  // resource associations, the profile's access rules).
  ['topology-hub-firewall-udr', 'batched'],
  ['perimeter-enforced-admits', undefined],
  // issue 20: the rulesets linked to the resolver's VNet, read where the probe's queries arrive (a ruleset of the hub's
  // own, and the spokes' ruleset also linked to the hub: the loop).
  ['topology-resolver-hub-ruleset', undefined],
  ['topology-resolver-loop', 'batched'],
  // The estate pass of the timer (PROBE_ESTATE=on): VNets, rulesets, firewalls and policies listed (issue 25).
  ['estate', undefined],
];

describeWhere(missingNamespaces(), 'the probe role covers exactly the ARM operations the probe performs', () => {
  const runs: LabRun[] = [];

  it.each(RUNS)('%s (%s inventory): every operation is mapped and granted', (scenario, inventory) => {
    const run = runLab(scenario, 'namespace', inventory);
    runs.push(run);
    expect(run.armCalls.length).toBeGreaterThan(0);
    expect(uncoveredOperations(run)).toEqual([]);
  });

  it('every action of the role was used by some scenario', () => {
    expect(runs).toHaveLength(RUNS.length);
    const used = new Set(
      runs.flatMap((r) => r.armCalls.map((c) => c.action)).filter((a): a is string => typeof a === 'string'),
    );
    expect(PROBE_ROLE_ACTIONS.filter((a) => !used.has(a))).toEqual([]);
  });

  it('every action the lab maps is either in the role or one the probe must never need', () => {
    // Reads the probe does not perform, kept in the map so that the emulator answers them as Azure would.
    const notForTheProbe = new Set([
      'Microsoft.KeyVault/vaults/privateEndpointConnections/read',
      'Microsoft.Resources/subscriptions/resourceGroups/read',
      'Microsoft.Resources/subscriptions/resources/read',
      'Microsoft.Resources/subscriptions/resourceGroups/resources/read',
      // GET /subscriptions/{id}: the probe lists subscriptions (no action), it never reads one.
      'Microsoft.Resources/subscriptions/read',
    ]);
    const mapped = Object.values(OPERATION_ACTIONS).filter((a): a is string => a !== null);
    expect(mapped.filter((a) => !PROBE_ROLE_ACTIONS.includes(a) && !notForTheProbe.has(a))).toEqual([]);
  });
});
