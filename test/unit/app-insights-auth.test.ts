import { ManagedIdentityCredential } from '@azure/identity';
import { entraCredential } from '../../src/adapters/app-insights';

describe('APPLICATIONINSIGHTS_AUTHENTICATION_STRING → the credential handed to the App Insights SDK', () => {
  it.each([
    ['Authorization=AAD;ClientId=2f6c8f6e-1d1e-4b6a-9a1a-0e4c7f3b2a10', true],
    ['authorization=aad', true],
    ['ClientId=2f6c8f6e-1d1e-4b6a-9a1a-0e4c7f3b2a10;Authorization=AAD', true],
    ['Authorization=None', false],
    ['', false],
    [undefined, false],
  ])('%j', (value, managed) => {
    const c = entraCredential(value);
    expect(c instanceof ManagedIdentityCredential).toBe(managed);
    if (!managed) expect(c).toBeUndefined();
  });
});
