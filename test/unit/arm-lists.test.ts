import { RestError } from '@azure/core-rest-pipeline';
import { readList, type ListSource, type SdkPage } from '../../src/adapters/arm-lists';

/**
 * readList (src/adapters/arm-lists.ts): a list page that the SDK's deserializer or our mapper cannot read is read
 * again raw from its URL, and it and the pages after it are mapped item by item; HTTP errors, refused links and
 * aborts still fail the list. The pages are literal: a fake SDK iterator over a literal raw world.
 */
const ORIGIN = 'https://arm.test';
const PAGE1 = `${ORIGIN}/subscriptions/s/providers/X/items?api-version=1`;
const PAGE2 = `${ORIGIN}/subscriptions/s/providers/X/items?api-version=1&$skiptoken=2`;
const PAGE3 = `${ORIGIN}/subscriptions/s/providers/X/items?api-version=1&$skiptoken=3`;

interface Item {
  readonly name: string;
  readonly tags: unknown;
}
/** The raw pages ARM serves: page 2 holds an item whose `tags` is a number, which the fake SDK cannot read. */
type RawPage = { value: unknown[]; nextLink?: string };
const RAW: Record<string, RawPage> = {
  [PAGE1]: { value: [{ name: 'a', tags: ['x'] }], nextLink: PAGE2 },
  [PAGE2]: {
    value: [
      { name: 'b', tags: 5 },
      { name: 'c', tags: ['y'] },
    ],
    nextLink: PAGE3,
  },
  [PAGE3]: { value: [{ name: 'd', tags: [] }] },
};

/** A fake SDK list over RAW: like the modular SDKs, `onResponse` sees the first page, and a bad item throws. */
function source(raw: Record<string, RawPage> = RAW, failWith?: Error): ListSource<Item> & { rawReads: string[] } {
  const rawReads: string[] = [];
  return {
    rawReads,
    pages: (onResponse) =>
      (async function* (): AsyncGenerator<SdkPage<Item>> {
        let url: string | undefined = PAGE1;
        while (url) {
          if (url === PAGE1) onResponse({ request: { url } });
          const body: RawPage | undefined = raw[url];
          if (!body) throw new RestError('not found', { statusCode: 404 });
          const page: SdkPage<Item> = body.value.map((v) => {
            const o = v as { name: string; tags: unknown };
            if (!Array.isArray(o.tags)) throw failWith ?? new TypeError('result.map is not a function');
            return { name: o.name, tags: o.tags };
          });
          page.continuationToken = body.nextLink;
          url = body.nextLink;
          yield page;
        }
      })(),
    raw: (url) => {
      rawReads.push(url);
      return Promise.resolve(raw[url]);
    },
  };
}
const names = (i: Item): string[] => [i.name];
const wire = (row: unknown): string[] => {
  const o = row as { name: string; tags: unknown };
  return [Array.isArray(o.tags) ? o.name : `${o.name} (tags unreadable)`];
};

describe('readList', () => {
  it('a page the SDK cannot read is read raw from its URL on, item by item; the pages before it stay the SDK’s', async () => {
    const src = source();
    expect(await readList(src, ORIGIN, names, wire)).toEqual(['a', 'b (tags unreadable)', 'c', 'd']);
    expect(src.rawReads).toEqual([PAGE2, PAGE3]);
  });

  it('a first page the SDK cannot read is read raw from the URL its onResponse saw', async () => {
    const raw = { ...RAW, [PAGE1]: { value: [{ name: 'a', tags: 'x' }], nextLink: PAGE2 } };
    const src = source(raw);
    expect(await readList(src, ORIGIN, names, wire)).toEqual(['a (tags unreadable)', 'b (tags unreadable)', 'c', 'd']);
    expect(src.rawReads).toEqual([PAGE1, PAGE2, PAGE3]);
  });

  it('our own mapper throwing on one item re-reads its page raw: no item of the page is lost or doubled', async () => {
    const raw = {
      [PAGE1]: {
        value: [
          { name: 'a', tags: [] },
          { name: 'bad', tags: [] },
        ],
      },
    };
    const mapper = (i: Item): string[] => {
      if (i.name === 'bad') throw new TypeError('cannot read');
      return [i.name];
    };
    expect(await readList(source(raw), ORIGIN, mapper, wire)).toEqual(['a', 'bad']);
  });

  it('an HTTP error, a refused link and an abort still fail the list; no raw read', async () => {
    const denied = source(RAW, new RestError('Forbidden', { statusCode: 403 }));
    await expect(readList(denied, ORIGIN, names, wire)).rejects.toMatchObject({ statusCode: 403 });
    const abort = Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' });
    const aborted = source(RAW, abort);
    await expect(readList(aborted, ORIGIN, names, wire)).rejects.toBe(abort);
    expect([...denied.rawReads, ...aborted.rawReads]).toEqual([]);
    const foreign = { ...RAW, [PAGE2]: { ...RAW[PAGE2], nextLink: 'https://elsewhere.test/x' } } as typeof RAW;
    await expect(readList(source(foreign), ORIGIN, names, wire)).rejects.toMatchObject({ code: 'ForeignOrigin' });
  });

  it('raw pages are held to the same next-link rules: a repeated link stops the list', async () => {
    const loop = { ...RAW, [PAGE3]: { value: [], nextLink: PAGE2 } };
    await expect(readList(source(loop), ORIGIN, names, wire)).rejects.toMatchObject({ code: 'PagingLoop' });
  });

  it('a raw page without a value array fails the list', async () => {
    const src = { ...source(), raw: () => Promise.resolve({ nextLink: PAGE3 }) };
    await expect(readList(src, ORIGIN, names, wire)).rejects.toMatchObject({ code: 'InvalidListPage' });
  });
});
