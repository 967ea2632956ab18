import { BudgetedReader, readExpected } from '../../src/probe/pipeline';
import type { PrivateEndpointRecord } from '../../src/probe/types';
import { emptyInventory } from '../support/empty-inventory';
import { endpoint, expected, HOST } from './builders';

// issue 25: the estate map reads a NIC only where the endpoint does not list the vault's IPs itself.
describe('readExpected: NIC reads', () => {
  const base = endpoint('pe1', '10.0.1.4');
  const pe = (listed: boolean): PrivateEndpointRecord => ({
    ...(base.endpoint as PrivateEndpointRecord),
    customDnsConfigs: listed ? [{ fqdn: HOST, ipAddresses: ['10.0.1.4'] }] : [],
  });
  const read = async (listed: boolean, nics: 'always' | 'unless-listed') => {
    const asked: string[] = [];
    const inv = {
      ...emptyInventory(),
      getPrivateEndpoint: () => Promise.resolve(pe(listed)),
      getNetworkInterface: (id: string) => {
        asked.push(id);
        return Promise.resolve({ id, ipConfigurations: [{ privateIpAddress: '10.0.1.4', fqdns: [HOST] }] });
      },
    };
    const reader = new BudgetedReader(inv, new AbortController().signal, 1000);
    const e = await readExpected(expected([base]).vault, reader, nics);
    return { asked: asked.length, nics: e.endpoints[0]?.networkInterfaces.length };
  };

  it('unless-listed: none where customDnsConfigs name the vault, the NIC otherwise; always: the NIC', async () => {
    expect(await read(true, 'unless-listed')).toEqual({ asked: 0, nics: 0 });
    expect(await read(false, 'unless-listed')).toEqual({ asked: 1, nics: 1 });
    expect(await read(true, 'always')).toEqual({ asked: 1, nics: 1 });
  });
});
