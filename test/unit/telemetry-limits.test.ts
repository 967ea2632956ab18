import { fit, fitAvailability, fitEvent, fitProperties } from '../../src/adapters/telemetry-limits';

describe('telemetry below the ingestion limits (issue 21)', () => {
  it('keeps values that fit as they are, and adds no marker', () => {
    const p = { addresses: '10.0.0.4', code: 'DNS_PUBLIC_IP', long: 'x'.repeat(8192) };
    expect(fitProperties(p)).toEqual(p);
  });

  it('cuts a value over 8,192 characters to exactly 8,192, says so in it, and names it in `truncated`', () => {
    const addresses = Array.from({ length: 1000 }, (_, i) => `10.77.${Math.floor(i / 250)}.${(i % 250) + 1}`).join(',');
    expect(addresses.length).toBe(11_567);
    const out = fitProperties({ addresses, status: 'unhealthy' });
    expect(out['addresses']).toHaveLength(8192);
    expect(out['addresses']?.endsWith('…[truncated, 11567 characters]')).toBe(true);
    expect(out['addresses']?.startsWith('10.77.0.1,10.77.0.2,')).toBe(true);
    expect(out['status']).toBe('unhealthy');
    expect(out['truncated']).toBe('addresses');
  });

  it('cuts keys to 150 characters, and never splits a surrogate pair', () => {
    const out = fitProperties({ ['k'.repeat(200)]: `a${'\u{1f511}'.repeat(5000)}` });
    const [key, value] = Object.entries(out)[0] ?? ['', ''];
    expect(key).toHaveLength(150);
    expect(value.length).toBeLessThanOrEqual(8192);
    expect(/[\ud800-\udbff](?![\udc00-\udfff])/.test(value)).toBe(false);
  });

  it('caps event names at 512 and availability names, locations and messages at 1,024, 1,024 and 8,192', () => {
    expect(fitEvent({ name: 'E'.repeat(600), properties: {} }).name).toHaveLength(512);
    const a = fitAvailability({
      id: 'abcd1234',
      name: 'n'.repeat(2000),
      duration: 1,
      success: false,
      runLocation: 'l'.repeat(2000),
      message: 'm'.repeat(9000),
      properties: {},
    });
    expect([a.name.length, a.runLocation.length, a.message.length]).toEqual([1024, 1024, 8192]);
  });

  it('fit leaves room for its marker', () => {
    expect(fit('abcdef', 6)).toEqual({ value: 'abcdef', cut: false });
    expect(fit('x'.repeat(100), 40).value).toBe(`${'x'.repeat(12)}…[truncated, 100 characters]`);
  });
});
