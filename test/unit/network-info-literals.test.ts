import { parseNetworkInfo } from '../../src/probe/network-info';

/**
 * The x-ms-keyvault-network-info parser on malformed parts: a part without `=` or with an empty key sets no field.
 * Written from `npm run mutate`'s survivors; literal expectations.
 */
describe('parseNetworkInfo: parts that are not key=value', () => {
  it('a part without "=" is no field, even where it starts with a known key', () => {
    expect(parseNetworkInfo('conn_typeX;addr=10.0.0.4')).toStrictEqual({
      clientAddress: '10.0.0.4',
      fields: { addr: '10.0.0.4' },
    });
  });

  it('a part with an empty key is no field', () => {
    expect(parseNetworkInfo('=PrivateLink; addr = 10.0.0.4 ')).toStrictEqual({
      clientAddress: '10.0.0.4',
      fields: { addr: '10.0.0.4' },
    });
  });
});
