import { ownerField, ownerOf } from '../../src/probe/owner-tag';

describe('the owner key of a vault (kvprobe-owner tag)', () => {
  test.each([
    ['the tag, as given', { 'kvprobe-owner': 'payments' }, 'payments'],
    ['the tag name in any case (ARM matches tag names without case)', { 'KvProbe-Owner': 'payments' }, 'payments'],
    [
      'the value trimmed and in lower case: one owner however it is typed',
      { 'kvprobe-owner': ' Payments ' },
      'payments',
    ],
    ["the packed state's separators become spaces", { 'kvprobe-owner': 'a|b;c,d=e' }, 'a b c d e'],
    ['an empty value is no owner', { 'kvprobe-owner': '  ' }, undefined],
    ['another tag is no owner', { owner: 'payments', 'kvprobe-sites': '*' }, undefined],
    ['no tags', undefined, undefined],
  ])('%s', (_why, tags, want) => {
    expect(ownerOf(tags === undefined ? {} : { tags })).toBe(want);
  });

  test('the result carries the field only when the vault has an owner key', () => {
    expect(ownerField({ tags: { 'kvprobe-owner': 'Orders' } })).toEqual({ owner: 'orders' });
    expect('owner' in ownerField({ tags: {} })).toBe(false);
    expect('owner' in ownerField(undefined)).toBe(false);
  });
});
