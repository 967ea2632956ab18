import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Chromium, chromiumPath } from '../support/chromium';
import { describeWhere } from '../support/environment';

const ROOT = resolve(__dirname, '..', '..');
/** Where this test leaves the page, its screenshots and a PDF, for a person to look at. */
export const OUTPUT_DIR = join(ROOT, 'test-output', 'html-report');

const binary = chromiumPath();
// .ci/run installs Debian's chromium; on a developer machine without it the suite is skipped with the reason.
const missingChromium = binary ? undefined : 'chromium (apt-get install -y chromium)';

type Page = Awaited<ReturnType<Chromium['newPage']>>;

async function evaluate<T>(page: Page, expression: string): Promise<T> {
  const r = (await page.send('Runtime.evaluate', {
    expression,
    returnByValue: true,
    awaitPromise: true,
    userGesture: true,
  })) as {
    result: { value: T };
    exceptionDetails?: { text: string };
  };
  if (r.exceptionDetails) throw new Error(`evaluate failed: ${r.exceptionDetails.text}`);
  return r.result.value;
}

/** The whole page, or only what the first screen shows (`top`). */
async function screenshot(page: Page, file: string, top?: number): Promise<number> {
  const metrics = (await page.send('Page.getLayoutMetrics')) as { cssContentSize: { width: number; height: number } };
  const width = metrics.cssContentSize.width;
  const height = top ?? metrics.cssContentSize.height;
  const shot = (await page.send('Page.captureScreenshot', {
    format: 'png',
    captureBeyondViewport: true,
    clip: { x: 0, y: 0, width, height, scale: 1 },
  })) as { data: string };
  const bytes = Buffer.from(shot.data, 'base64');
  writeFileSync(join(OUTPUT_DIR, file), bytes);
  return bytes.length;
}

describeWhere(missingChromium, 'the HTML report in headless Chromium (showcase scenario)', () => {
  let browser: Chromium;
  let page: Page;
  const requests: string[] = [];
  const errors: string[] = [];
  let pageFile: string;

  beforeAll(async () => {
    mkdirSync(OUTPUT_DIR, { recursive: true });
    // The real CLI's --output html against the lab, as `npm run demo -- --scenario showcase --output html` runs it.
    const demo = spawnSync(
      process.execPath,
      [join(ROOT, 'dist', 'test', 'lab', 'demo.js'), '--scenario', 'showcase', '--output', 'html'],
      { encoding: 'utf8', timeout: 120_000 },
    );
    if (demo.status !== 0) throw new Error(`demo exited ${demo.status}: ${demo.stderr}`);
    pageFile = join(OUTPUT_DIR, 'showcase.html');
    writeFileSync(pageFile, demo.stdout);

    browser = Chromium.launch(binary ?? 'chromium');
    page = await browser.newPage();
    await page.send('Runtime.enable');
    await page.send('Log.enable');
    await page.send('Page.enable');
    await page.send('Network.enable');
    // Every request the page makes, and every error it reports, is recorded: there must be none.
    const record = (): void => {
      for (const e of browser.events.splice(0)) {
        if (e.sessionId !== page.sessionId) continue;
        if (e.method === 'Network.requestWillBeSent')
          requests.push(String((e.params['request'] as { url: string }).url));
        if (e.method === 'Runtime.exceptionThrown') errors.push(JSON.stringify(e.params['exceptionDetails']));
        if (e.method === 'Runtime.consoleAPICalled' && (e.params['type'] === 'error' || e.params['type'] === 'warning'))
          errors.push(JSON.stringify(e.params['args']));
        if (
          e.method === 'Log.entryAdded' &&
          ['error', 'warning'].includes(String((e.params['entry'] as { level: string }).level))
        )
          errors.push(JSON.stringify(e.params['entry']));
      }
    };
    setInterval(record, 50).unref();
    await page.send('Emulation.setDeviceMetricsOverride', {
      width: 1280,
      height: 900,
      deviceScaleFactor: 1,
      mobile: false,
    });
    const loaded = browser.waitFor('Page.loadEventFired');
    await page.send('Page.navigate', { url: pathToFileURL(pageFile).href });
    await loaded;
    await new Promise((r) => setTimeout(r, 200));
    record();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('loads with no console error, no exception and no request beyond the page itself', () => {
    expect(errors).toEqual([]);
    expect(requests).toEqual([pathToFileURL(pageFile).href]);
  });

  it('draws the mismatching vault: the wrong address and the other endpoint, in red, beside the expected path', async () => {
    const orders = await evaluate<{ observed: string; expected: string; badValues: string[]; codes: string[] }>(
      page,
      `(() => {
        const svg = document.querySelector('section[data-vault="kv-orders"] svg.path.wide');
        const lane = (k) => svg.querySelector('g.lane.' + k);
        return {
          observed: lane('observed').textContent,
          expected: lane('expected').textContent,
          badValues: [...lane('observed').querySelectorAll('g.node.bad text.value')].map((t) => t.textContent),
          // A code wider than its box continues on the next line: join each node's code lines.
          codes: [...lane('observed').querySelectorAll('g.node.bad')].map((n) => [...n.querySelectorAll('text.codes')].map((t) => t.textContent).join('')),
        };
      })()`,
    );
    expect(orders.observed).toContain('10.40.1.4');
    expect(orders.observed).toContain('pe-kv-payments');
    expect(orders.badValues).toEqual(expect.arrayContaining(['10.40.1.4', 'pe-kv-payments', 'kv-payments']));
    expect(orders.codes.join(' ')).toContain('DNS_PRIVATE_IP_MISMATCH');
    expect(orders.codes.join(' ')).toContain('ENDPOINT_BELONGS_TO_OTHER_RESOURCE');
    expect(orders.expected).toContain('10.40.1.5');
    expect(orders.expected).toContain('pe-kv-orders');
    const red = await evaluate<string>(
      page,
      `getComputedStyle(document.querySelector('section[data-vault="kv-orders"] svg.path.wide g.lane.observed g.node.bad rect')).stroke`,
    );
    expect(red).toBe('rgb(200, 30, 30)');
    const healthyBad = await evaluate<number>(
      page,
      `document.querySelectorAll('section[data-vault="kv-payments"] g.node.bad').length`,
    );
    expect(healthyBad).toBe(0);
  });

  it('shows every vault, the summary and a copy button that copies the command', async () => {
    const summary = await evaluate<string>(page, `document.querySelector('ul.counts').textContent`);
    expect(summary).toBe('5 vaults4 unhealthy0 unknown1 healthy');
    await page
      .send('Browser.grantPermissions', { permissions: ['clipboardReadWrite', 'clipboardSanitizedWrite'] })
      .catch(() => page.send('Browser.grantPermissions', { permissions: ['clipboardReadWrite'] }));
    await page.send('Emulation.setFocusEmulationEnabled', { enabled: true });
    const copied = await evaluate<{ hidden: boolean; clipboard: string; command: string }>(
      page,
      `(async () => {
        const button = document.querySelector('section[data-vault="kv-orders"] button.copy');
        const command = button.parentElement.querySelector('code').textContent;
        button.click();
        await new Promise((r) => setTimeout(r, 100));
        return { hidden: button.hidden, clipboard: await navigator.clipboard.readText(), command };
      })()`,
    );
    expect(copied.hidden).toBe(false);
    expect(copied.command).toMatch(/^az /);
    expect(copied.clipboard).toBe(copied.command);
  });

  it('fits 1280 px and a phone without sideways scrolling, and writes screenshots', async () => {
    const overflow = (): Promise<number> =>
      evaluate<number>(page, 'document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(await overflow()).toBe(0);
    expect(await screenshot(page, 'showcase-1280.png')).toBeGreaterThan(10_000);
    expect(await screenshot(page, 'showcase-1280-first-screen.png', 900)).toBeGreaterThan(10_000);
    await page.send('Emulation.setDeviceMetricsOverride', {
      width: 390,
      height: 844,
      deviceScaleFactor: 1,
      mobile: true,
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(await overflow()).toBe(0);
    const narrow = await evaluate<{ wide: string; narrow: string }>(
      page,
      `({ wide: getComputedStyle(document.querySelector('svg.path.wide')).display, narrow: getComputedStyle(document.querySelector('svg.path.narrow')).display })`,
    );
    expect(narrow).toEqual({ wide: 'none', narrow: 'block' });
    expect(await screenshot(page, 'showcase-phone.png')).toBeGreaterThan(10_000);
    expect(await screenshot(page, 'showcase-phone-first-screen.png', 844)).toBeGreaterThan(10_000);
    await page.send('Emulation.setDeviceMetricsOverride', {
      width: 1280,
      height: 900,
      deviceScaleFactor: 1,
      mobile: false,
    });
  });

  it('prints cleanly: no buttons, the wide drawing, and a PDF', async () => {
    await page.send('Emulation.setEmulatedMedia', { media: 'print' });
    const print = await evaluate<{ copy: string; wide: string; narrow: string }>(
      page,
      `({ copy: getComputedStyle(document.querySelector('button.copy')).display, wide: getComputedStyle(document.querySelector('svg.path.wide')).display, narrow: getComputedStyle(document.querySelector('svg.path.narrow')).display })`,
    );
    expect(print).toEqual({ copy: 'none', wide: 'block', narrow: 'none' });
    await page.send('Emulation.setEmulatedMedia', { media: '' });
    const pdf = (await page.send('Page.printToPDF', { printBackground: true })) as { data: string };
    const bytes = Buffer.from(pdf.data, 'base64');
    writeFileSync(join(OUTPUT_DIR, 'showcase.pdf'), bytes);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('reads without scripts: the paths and commands are there, the copy buttons stay hidden', async () => {
    await page.send('Emulation.setScriptExecutionDisabled', { value: true });
    const loaded = browser.waitFor('Page.loadEventFired');
    await page.send('Page.reload');
    await loaded;
    await page.send('Emulation.setScriptExecutionDisabled', { value: false });
    const state = await evaluate<{ svgs: number; commands: number; visibleButtons: number }>(
      page,
      `({ svgs: document.querySelectorAll('svg.path.wide').length, commands: document.querySelectorAll('.cmd code').length, visibleButtons: [...document.querySelectorAll('button.copy')].filter((b) => !b.hidden).length })`,
    );
    expect(state.svgs).toBe(5);
    expect(state.commands).toBeGreaterThan(0);
    expect(state.visibleButtons).toBe(0);
    expect(errors).toEqual([]);
  });
});
