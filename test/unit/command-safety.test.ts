import { commands, curlAuthenticated, showCertificate } from '../../src/probe/commands';
import { harmful, misfiled, unquoted } from '../integration/command-safety';
import type { Scenario } from '../lab/scenario';

const SUB = '11111111-1111-4111-8111-111111111111';
const ZONE = `/subscriptions/${SUB}/resourceGroups/dns/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net`;
const PE = `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/privateEndpoints/pe-kv1`;
const OTHER = 'f0f0f0f0-1111-4222-8333-444455556666';

const scenario: Scenario = {
  name: 's',
  description: 'd',
  vaults: [
    {
      name: 'kv1',
      endpoints: [
        { name: 'pe-kv1', ip: '10.0.1.4' },
        { name: 'pe-wait', ip: '10.0.1.5', status: 'Pending' },
        { name: 'pe-gone', ip: '10.0.1.6', status: 'Disconnected', deleted: true },
        { name: 'attacker-pe', ip: '172.21.0.4', subscription: OTHER, status: 'Pending' },
      ],
    },
  ],
  faults: { arm: [{ path: `/subscriptions/${OTHER}/`, kind: 'status', status: 401 }] },
  expect: {},
};
const vault = scenario.vaults[0] ?? { name: 'x' };

describe('the command safety rules catch what they guard against', () => {
  it('an unquoted ID, name, host or address', () => {
    expect(unquoted(`az network private-endpoint show --ids ${PE}`)).toEqual([`--ids ${PE}`, PE]);
    expect(unquoted('nslookup kv1.vault.azure.net')).toEqual(['kv1.vault.azure.net']);
    expect(unquoted("az keyvault private-endpoint-connection approve --vault-name kv1 --name 'c'")).toEqual([
      '--vault-name kv1',
    ]);
    expect(unquoted('curl -sv --resolve kv1.vault.azure.net:443:10.0.1.4 https://x/')).toEqual([
      '--resolve kv1.vault.azure.net:443:10.0.1.4',
      'kv1.vault.azure.net:443:10.0.1.4',
    ]);
  });

  it('passes every command the probe builds', () => {
    const built = [
      commands.showVault(`/subscriptions/${SUB}/resourceGroups/apps/providers/Microsoft.KeyVault/vaults/kv1`),
      commands.removeRecordIp(`${ZONE}/A/kv1`, '10.0.1.9'),
      commands.addRecordIp(ZONE, 'kv1', '10.0.1.4'),
      commands.linkZone(ZONE, undefined),
      commands.createZoneGroup(PE, ZONE),
      commands.createForwardingRule(
        `/subscriptions/${SUB}/resourceGroups/dns/providers/Microsoft.Network/dnsForwardingRulesets/rs`,
        'vault.azure.net.',
        ['10.0.0.70'],
      ),
      commands.removeHostsEntry('kv1.vault.azure.net', '10.0.1.99'),
      commands.curlHealth('kv1.vault.azure.net', '10.0.1.4'),
      curlAuthenticated('kv1.vault.azure.net', '10.0.1.4', 'https://vault.azure.net', '/secrets?api-version=7.5'),
      showCertificate('kv1.vault.azure.net', '10.0.1.4'),
    ];
    expect(built.flatMap(unquoted)).toEqual([]);
  });

  it('a read filed as a fix, a change filed as a read, and a fix that undoes itself', () => {
    const add = commands.addRecordIp(ZONE, 'kv1', '10.0.1.4');
    const remove = commands.removeRecordIp(`${ZONE}/A/kv1`, '10.0.1.4');
    expect(misfiled([commands.showEndpoint(PE)], [remove])).toEqual([
      `confirm "${remove}" is not a read`,
      `fix "${commands.showEndpoint(PE)}" changes nothing`,
    ]);
    expect(misfiled([add, remove], [])).toEqual([`fix "${remove}" undoes "${add}"`]);
    expect(misfiled([add], [commands.nslookup('kv1.vault.azure.net'), commands.getent('kv1.vault.azure.net')])).toEqual(
      [],
    );
  });

  it("removing an approved or pending endpoint's address, deleting it, or approving a stranger's request", () => {
    const removeLive = commands.removeRecordIp(`${ZONE}/A/kv1`, '10.0.1.5');
    const removeGone = commands.removeRecordIp(`${ZONE}/A/kv1`, '10.0.1.6');
    const deleteLive = commands.deleteEndpoint(PE);
    const approveStranger = commands.approve('kv1', 'apps', 'attacker-pe.17221004');
    const approveOwn = commands.approve('kv1', 'apps', 'pe-wait.100105');
    expect(harmful(scenario, vault, [removeLive, removeGone, deleteLive, approveStranger, approveOwn])).toEqual([
      `"${removeLive}" removes 10.0.1.5, the address of pe-wait (approved or pending)`,
      `"${deleteLive}" deletes pe-kv1, an approved or pending endpoint`,
      `"${approveStranger}" approves or rejects the connection of attacker-pe, which the probe cannot read`,
    ]);
  });
});
