import { checkProvisioning } from '../../src/probe/checks/provisioning';
import { endpoint, expected, input, observed, peId } from './builders';

/**
 * PE_NOT_PROVISIONED only for a state ARM gave that is not Succeeded (in any case): a state it left out is no
 * failure. Written from `npm run mutate`'s uncovered mutant of the old fallback; literal expectations.
 */
describe('PE_NOT_PROVISIONED: which states count', () => {
  it('states left out, and Succeeded in capitals: nothing', () => {
    const e = endpoint('pe1', '10.0.1.4', { peProvisioning: 'SUCCEEDED' });
    const unknown = { ...e, connection: { ...e.connection, provisioningState: undefined } };
    expect(checkProvisioning(input(expected([unknown]), observed()))).toEqual([]);
  });

  it('the endpoint Failed: named with the state as ARM gave it', () => {
    const [f, ...rest] = checkProvisioning(
      input(expected([endpoint('pe1', '10.0.1.4', { peProvisioning: 'Failed' })]), observed()),
    );
    expect(rest).toEqual([]);
    expect([f?.message, f?.details]).toEqual([
      'The provisioning state of private endpoint pe1 is Failed (vault kv1).',
      { privateEndpointId: peId('pe1'), side: 'endpoint', provisioningState: 'Failed' },
    ]);
  });
});
