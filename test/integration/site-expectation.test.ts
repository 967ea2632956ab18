import { EVENTS } from '../../src/telemetry/schema';
import { scenarioByName } from '../lab/scenarios';
import { describeWhere, missingNamespaces } from '../support/environment';
import { runLab } from './scenario-harness';

// issue 10: the site expectation in the JSON result and the telemetry, and Azure DNS stopped after its first timeout.

function props(record: Record<string, unknown> | undefined): Record<string, string> {
  return (record?.['properties'] ?? {}) as Record<string, string>;
}

describeWhere(missingNamespaces(), 'per-site expectation through the CLI and the timer (namespace mode)', () => {
  it('two regions: each site expects its own endpoint, in the JSON and in the telemetry snapshot', () => {
    const weu = runLab('topology-two-regions-weu');
    const r = weu.cli?.report?.results.find((x) => x.vault === 'kv-geo');
    expect(r?.expectation).toMatchObject({
      kind: 'private',
      assumed: false,
      endpoints: [{ ips: ['10.71.2.4'], reach: 'vnet' }],
      text: 'private pe-geo-weu@10.71.2.4',
    });
    // Telemetry carries the kind only (issue 12's byte budget); the endpoint and its IP are in the JSON above. A
    // healthy vault's state is in the snapshot: vault|status|cause|codes|addrHash|expectation|runs.
    const packed = (weu.timer?.events ?? [])
      .filter((e) => e['name'] === 'KvProbeSnapshot')
      .flatMap((e) => (props(e)['states'] ?? '').split(';'))
      .map((entry) => entry.split('|'));
    expect(packed.find((f) => f[0] === 'kv-geo')?.[5]).toBe('private');
    const neu = runLab('topology-two-regions-neu');
    expect(neu.cli?.report?.results.find((x) => x.vault === 'kv-geo')?.expectation?.text).toBe(
      'private pe-geo-neu@10.72.2.4',
    );
  });

  it('public and unreachable by design, and the assumed expectation without a VNet', () => {
    expect(runLab('topology-public-by-design').cli?.report?.results[0]?.expectation).toMatchObject({
      kind: 'public',
      assumed: false,
      publicAccess: 'enabled',
    });
    expect(runLab('topology-unreachable-by-design').cli?.report?.results[0]?.expectation).toMatchObject({
      kind: 'unreachable',
      publicAccess: 'disabled',
    });
    expect(runLab('healthy').cli?.report?.results[0]?.expectation).toMatchObject({
      kind: 'private',
      assumed: true,
      text: '~private pe-kv-healthy@10.10.1.4',
    });
  });

  it('Azure DNS that never answers: the run summary and the heartbeat say it stopped', () => {
    const labRun = runLab('azure-dns-unreachable');
    expect(scenarioByName('azure-dns-unreachable').azureDnsSilent).toBe(true);
    expect(labRun.cli?.report?.azureDns).toMatchObject({
      stopped: true,
      reason: expect.stringContaining('168.63.129.16'),
    });
    const heartbeat = labRun.timer?.events?.find((e) => e['name'] === EVENTS.heartbeat);
    expect(props(heartbeat)['azureDns']).toBe('stopped');
    expect(props(runLab('healthy').timer?.events?.find((e) => e['name'] === EVENTS.heartbeat))['azureDns']).toBe('off');
  });
});
