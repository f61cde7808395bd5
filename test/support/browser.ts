import { tmpdir } from 'node:os';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); the tests never download a browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * Bounds for a loaded 2-core CI machine: one browser step (a click, a wait for an element or
 * a text) and one whole test. Generous on purpose: a bound that is hit is a failure, not a wait.
 */
export const STEP_MS = 30_000;
export const TEST_MS = 120_000;

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 360, height: 740 };

/**
 * describe() when a Chromium is installed; otherwise the specs are skipped with a printed
 * notice, or fail when REQUIRE_BROWSER=1 (CI installs Chromium and must run them).
 */
export function describeInBrowser(name: string, body: () => void): void {
  if (existsSync(CHROMIUM_PATH)) return describe(name, body);
  if (process.env.REQUIRE_BROWSER === '1') {
    return describe(name, () => {
      it('needs a Chromium', () => {
        throw new Error(`REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH).`);
      });
    });
  }
  process.stdout.write(`\n  Skipping "${name}": no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium to run the browser tests).\n\n`);
  describe.skip(name, body);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
}

/**
 * A page that records its console errors and uncaught exceptions: a CSP violation shows up
 * as a console error, so "no errors" also means "nothing the policy refused".
 */
export async function openPage(browser: Browser, viewport = DESKTOP): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  page.setDefaultTimeout(STEP_MS);
  return { page, errors };
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly targets: string[];
}

/**
 * axe-core's serious and critical violations on the page as it is. axe is evaluated through
 * the DevTools protocol, which the page's CSP does not govern, so the page keeps its policy.
 */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const { axe, document } = globalThis as unknown as { document: unknown; axe: { run: (context: unknown, options: object) => Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> }> }> } };
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((violation) => ({ id: violation.id, impact: violation.impact, help: violation.help, targets: violation.nodes.map((node) => node.target.join(' ')) }));
  });
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

/**
 * Where the screenshots go: a scratch folder, so that a test run leaves the working tree as it
 * was; `CONSOLE_SCREENSHOTS=docs` writes them over docs/console/ (the pictures docs/console.md shows).
 */
const SCREENSHOTS = process.env.CONSOLE_SCREENSHOTS === 'docs' ? join(__dirname, '..', '..', 'docs', 'console') : join(tmpdir(), 'wallet-console-screenshots');

/** A screenshot of the page at the viewport's size: <name>-<desktop|phone>.png (see SCREENSHOTS). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const width = page.viewportSize()?.width ?? DESKTOP.width;
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width <= PHONE.width ? 'phone' : 'desktop'}.png`), fullPage: true });
}

/**
 * Reads until the assertion holds, within STEP_MS: a page that shows an answer a moment later
 * (a re-read after a command, a render) is never judged on the text it had before. When time
 * runs out the last assertion's failure is thrown, so the message shows what was read.
 */
export async function eventually<T>(read: () => Promise<T>, assert: (value: T) => void): Promise<void> {
  const deadline = Date.now() + STEP_MS;
  for (;;) {
    try {
      assert(await read());
      return;
    } catch (error) {
      if (Date.now() >= deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
