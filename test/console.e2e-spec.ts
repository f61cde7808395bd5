import type { Browser, Page } from 'playwright-core';
import { PHONE, TEST_MS, describeInBrowser, eventually, launchBrowser, openPage, screenshot, seriousA11yViolations } from './support/browser';
import { consoleBuild } from './support/console-build';
import { TEST_ADMIN_KEY, request } from './support/http';
import { type TestApp, startTestApp } from './support/test-app';

jest.setTimeout(TEST_MS);

/**
 * The operator console in a real Chromium against the real API: signed in with a pasted key,
 * every page checked with axe-core, no console errors (a CSP violation is one; how the files
 * are served is console-serving.e2e-spec.ts). Screenshots of the pages go to docs/console/.
 */
describeInBrowser('the operator console', () => {
  let app: TestApp;
  let browser: Browser;
  let walletId: string;

  beforeAll(async () => {
    const [dir, started] = await Promise.all([consoleBuild(), launchBrowser()]);
    browser = started;
    // Private webhook URLs allowed: the operations page shows an endpoint on this machine.
    app = await startTestApp({ env: { CONSOLE_DIR: dir, WEBHOOK_ALLOW_PRIVATE_URLS: 'true' } });
    const opened = await request(app.baseUrl, 'POST', '/v1/wallets', { type: 'customer', currency: 'USD', owners: [{ ownerType: 'user', ownerRef: 'alice' }] });
    walletId = opened.body.id;
    await request(app.baseUrl, 'POST', `/v1/wallets/${walletId}/transactions`, { type: 'credit', amount: '123456', description: 'opening balance' });
    await projected();
  }, 2 * TEST_MS);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /**
   * Waits until the read model holds every event written so far. The console reads wallets and
   * ownership from it, as every client does; a loaded machine's projector may be a moment behind
   * the writes a test makes through the API before it opens a page.
   */
  async function projected(): Promise<void> {
    await eventually(() => request(app.baseUrl, 'GET', '/health/ready'), (answer) => expect(answer.body.checks?.projector?.lagEvents).toBe('0'));
  }

  async function signIn(page: Page, key = TEST_ADMIN_KEY): Promise<void> {
    await page.goto(`${app.baseUrl}/console`);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  }

  async function expectAccessible(page: Page): Promise<void> {
    expect(await seriousA11yViolations(page)).toEqual([]);
  }

  it('signs in with a pasted key kept in sessionStorage only, and lists the wallets', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${app.baseUrl}/console`);
    await screenshot(page, 'sign-in');
    await expectAccessible(page);
    await signIn(page);
    await page.getByRole('link', { name: walletId }).waitFor();
    await eventually(() => page.getByRole('row', { name: new RegExp(walletId) }).textContent(), (text) => expect(text).toContain('1,234.56 USD'));
    expect(page.url()).not.toContain(TEST_ADMIN_KEY);
    const storage = await page.evaluate(() => {
      const { sessionStorage, localStorage } = globalThis as unknown as Record<'sessionStorage' | 'localStorage', Record<string, string>>;
      return { session: Object.values(sessionStorage), local: Object.keys(localStorage).length };
    });
    expect(storage).toEqual({ session: [TEST_ADMIN_KEY], local: 0 });
    await expectAccessible(page);
    await screenshot(page, 'wallets');
    // A reload signs in again from the session, without the key being pasted.
    await page.reload();
    await page.getByRole('link', { name: walletId }).waitFor();
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('shows a refused key with the API problem detail', async () => {
    const { page } = await openPage(browser);
    await page.goto(`${app.baseUrl}/console`);
    await page.getByLabel('API key').fill('wsk_not-a-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await eventually(() => page.getByRole('alert').textContent(), (text) => expect(text).toContain('unknown, revoked or expired'));
    await page.context().close();
  });

  it('opens a wallet, credits it, places a hold, captures part of it, and the cards, chart and history follow', async () => {
    const { page, errors } = await openPage(browser);
    await signIn(page);
    await page.getByRole('link', { name: walletId }).click();
    const balance = (label: string) => page.locator(`[data-balance="${label}"]`);
    await eventually(() => balance('Ledger').textContent(), (text) => expect(text).toBe('1,234.56 USD'));
    await page.locator('.recharts-line').first().waitFor();

    const book = page.getByRole('form', { name: 'Credit or debit' });
    await book.getByLabel('Type').selectOption('credit');
    await book.getByLabel('Amount (USD)').fill('10.00');
    await book.getByLabel('Description').fill('top-up');
    await book.getByRole('button', { name: 'Record' }).click();
    await page.getByText('1,244.56 USD').first().waitFor();

    await book.getByLabel('Type').selectOption('debit');
    await book.getByLabel('Amount (USD)').fill('5');
    await book.getByLabel('Place a hold (pending)').check();
    await book.getByRole('button', { name: 'Place hold' }).click();
    const hold = page.locator('[data-hold]');
    await hold.waitFor();
    await eventually(() => balance('Available').textContent(), (text) => expect(text).toBe('1,239.56 USD'));
    await eventually(() => balance('Pending debits').textContent(), (text) => expect(text).toBe('5.00 USD'));

    await hold.getByRole('button', { name: /^Capture/ }).click();
    await hold.getByLabel(/Capture \(USD\)/).fill('2.00');
    await hold.getByLabel('Final (release the rest)').uncheck();
    await hold.getByRole('button', { name: 'Capture', exact: true }).click();
    await eventually(() => balance('Ledger').textContent(), (text) => expect(text).toBe('1,242.56 USD'));
    await eventually(() => balance('Pending debits').textContent(), (text) => expect(text).toBe('3.00 USD'));
    await eventually(() => hold.textContent(), (text) => expect(text).toContain('3.00 USD'));
    await hold.getByRole('button', { name: /^Increase/ }).click();
    await hold.getByLabel(/Increase by \(USD\)/).fill('1.50');
    await hold.getByRole('button', { name: 'Increase', exact: true }).click();
    await eventually(() => balance('Pending debits').textContent(), (text) => expect(text).toBe('4.50 USD'));
    await eventually(() => balance('Available').textContent(), (text) => expect(text).toBe('1,238.06 USD'));

    // The history shows the credit and the partly captured hold; the chart's last point is the new ledger.
    const history = page.locator('[data-transaction]');
    await eventually(() => history.first().textContent(), (text) => expect(text).toContain('captured 2.00 USD'));
    await eventually(() => page.locator('[data-transaction]', { hasText: 'top-up' }).textContent(), (text) => expect(text).toContain('10.00 USD'));
    await page.getByText(/^Chart points/).click();
    const lastPoint = page.getByRole('table', { name: 'Balance points' }).locator('tbody tr').last();
    await eventually(() => lastPoint.textContent(), (text) => expect(text).toContain('1,242.56 USD'));
    await expectAccessible(page);
    await screenshot(page, 'wallet');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('reverses part of a credit, and shows a refused debit with its problem detail', async () => {
    const opened = await request(app.baseUrl, 'POST', '/v1/wallets', { type: 'customer', currency: 'EUR' });
    await request(app.baseUrl, 'POST', `/v1/wallets/${opened.body.id}/transactions`, { type: 'credit', amount: '5000', description: 'to reverse' });
    await projected();
    const { page, errors } = await openPage(browser);
    await signIn(page);
    await page.goto(`${app.baseUrl}/console#/wallets/${opened.body.id}`);
    const row = page.locator('[data-transaction]', { hasText: 'to reverse' });
    await row.getByRole('button', { name: /^Reverse/ }).click();
    await row.getByLabel(/Reverse \(EUR\)/).fill('12.34');
    await row.getByRole('button', { name: 'Reverse', exact: true }).click();
    await page.locator('[data-transaction]', { hasText: 'reversed from the console' }).waitFor();
    await eventually(() => page.locator('[data-balance="Ledger"]').textContent(), (text) => expect(text).toBe('37.66 EUR'));

    const book = page.getByRole('form', { name: 'Credit or debit' });
    await book.getByLabel('Type').selectOption('debit');
    await book.getByLabel('Amount (EUR)').fill('100');
    await book.getByRole('button', { name: 'Record' }).click();
    await eventually(() => book.getByRole('alert').textContent(), (text) => expect(text).toBe('Error: Available balance 3766 is less than 10000.'));
    // The refusal's own network error is the only one.
    expect(errors).toEqual(['Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)']);
    await page.context().close();
  });

  it('shows events live over SSE, pauses without losing any, and filters by wallet and type', async () => {
    const { page, errors } = await openPage(browser);
    await signIn(page);
    await page.getByRole('link', { name: 'Live feed' }).click();
    await page.getByRole('status').getByText('Live').waitFor();
    const credit = (amount: string, target = walletId) => request(app.baseUrl, 'POST', `/v1/wallets/${target}/transactions`, { type: 'credit', amount, description: `live ${amount}` });
    const events = page.getByRole('list', { name: 'Events, newest first' }).locator('li');

    await credit('101');
    await events.filter({ hasText: 'FundsCredited' }).first().waitFor();
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('status').getByText('Paused').waitFor();
    await credit('102');
    // The credit is in the log (the feed's own read sees it) while the paused page, its stream
    // closed, still shows one event.
    await eventually(
      () => request(app.baseUrl, 'GET', `/v1/events?walletId=${walletId}&types=FundsCredited&limit=100`),
      (answer) => expect(JSON.stringify(answer.body)).toContain('live 102'),
    );
    expect(await events.count()).toBe(1);
    // Resumed from the last position it showed: the event recorded while paused arrives.
    await page.getByRole('button', { name: 'Resume' }).click();
    await eventually(() => events.filter({ hasText: 'FundsCredited' }).count(), (count) => expect(count).toBe(2));
    await expect(events.first().textContent()).resolves.toContain('live 102');

    // Filtered by another wallet and by type: this wallet's credits no longer show.
    const other = await request(app.baseUrl, 'POST', '/v1/wallets', { type: 'merchant', currency: 'EUR' });
    await page.getByLabel('Wallet id').fill(other.body.id);
    await page.getByLabel('Event types (comma-separated)').fill('FundsDebited');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByRole('status').getByText('Live').waitFor();
    await credit('103');
    await credit('500', other.body.id);
    await request(app.baseUrl, 'POST', `/v1/wallets/${other.body.id}/transactions`, { type: 'debit', amount: '200' });
    await events.filter({ hasText: 'FundsDebited' }).first().waitFor();
    await eventually(() => events.allTextContents(), (shown) => expect(shown).toEqual([expect.stringContaining('FundsDebited')]));
    await expectAccessible(page);
    await screenshot(page, 'live-feed');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('with a key bound to an owner: only the owner\'s wallets, a foreign wallet unreachable, forbidden actions not offered', async () => {
    const bobs = await request(app.baseUrl, 'POST', '/v1/wallets', { type: 'customer', currency: 'USD', owners: [{ ownerType: 'user', ownerRef: 'bob' }] });
    const made = await request(app.baseUrl, 'POST', '/v1/api-keys', { name: 'bob read-only', scopes: ['wallets:read'], owner: { ownerType: 'user', ownerRef: 'bob' } });
    await projected();
    const { page, errors } = await openPage(browser);
    await signIn(page, made.body.secret);
    await page.getByRole('link', { name: bobs.body.id }).waitFor();
    expect(await page.getByRole('link', { name: walletId }).count()).toBe(0);
    // Without wallets:write nor events:read: no forms to open or book, no live feed.
    expect(await page.getByRole('form', { name: 'Open a wallet' }).count()).toBe(0);
    expect(await page.getByRole('form', { name: 'Credit or debit' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Live feed' }).count()).toBe(0);

    await page.goto(`${app.baseUrl}/console#/wallets/${walletId}`);
    await eventually(() => page.getByRole('alert').textContent(), (text) => expect(text).toContain('No wallet has this id.'));
    expect(await page.getByText('1,234.56 USD').count()).toBe(0);
    // The only errors are the refusals the console learned from (the probes' 403, the foreign wallet's 404).
    expect(errors.filter((error) => !/^Failed to load resource: the server responded with a status of 40[34]/.test(error))).toEqual([]);
    await page.context().close();
  });

  it('learns from a refusal: an owner-bound key that may write is refused a credit once, then not offered it', async () => {
    const carols = await request(app.baseUrl, 'POST', '/v1/wallets', { type: 'customer', currency: 'USD', owners: [{ ownerType: 'user', ownerRef: 'carol' }] });
    const made = await request(app.baseUrl, 'POST', '/v1/api-keys', { name: 'carol', scopes: ['wallets:read', 'wallets:write'], owner: { ownerType: 'user', ownerRef: 'carol' } });
    await projected();
    const { page } = await openPage(browser);
    await signIn(page, made.body.secret);
    await page.goto(`${app.baseUrl}/console#/wallets/${carols.body.id}`);
    const book = page.getByRole('form', { name: 'Credit or debit' });
    await book.getByLabel('Type').selectOption('credit');
    await book.getByLabel('Amount (USD)').fill('1');
    await book.getByRole('button', { name: 'Record' }).click();
    await eventually(() => book.getByRole('alert').textContent(), (text) => expect(text).toMatch(/^Error: .+/));
    await eventually(() => book.getByLabel('Type').locator('option').allTextContents(), (options) => expect(options).toEqual(['debit']));
    await page.context().close();
  });

  it('searches wallets by owner', async () => {
    const { page } = await openPage(browser);
    await signIn(page);
    const search = page.getByRole('form', { name: 'Search wallets' });
    await search.getByLabel('Owner type').fill('user');
    await search.getByLabel('Owner reference').fill('alice');
    await search.getByRole('button', { name: 'Search' }).click();
    const rows = page.getByRole('table', { name: /^Wallets/ }).locator('tbody tr');
    await eventually(() => rows.count(), (count) => expect(count).toBe(1));
    await eventually(() => rows.first().textContent(), (text) => expect(text).toContain('user:alice'));
    await search.getByLabel('Owner reference').fill('nobody');
    await search.getByRole('button', { name: 'Search' }).click();
    await page.getByText('No wallets match.').waitFor();
    await page.context().close();
  });

  it('shows a malformed address with the problem, not a blank page', async () => {
    const { page, errors } = await openPage(browser);
    await signIn(page);
    await page.goto(`${app.baseUrl}/console#/wallets/%`);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await eventually(() => page.getByRole('alert').textContent(), (text) => expect(text).toMatch(/^Error: .+/));
    expect(errors.filter((error) => !/^Failed to load resource: the server responded with a status of 4\d\d/.test(error))).toEqual([]);
    await page.context().close();
  });

  it('shows a group with its legs, confirms it and reverses it', async () => {
    const to = await request(app.baseUrl, 'POST', '/v1/wallets', { type: 'merchant', currency: 'USD' });
    const transfer = await request(app.baseUrl, 'POST', '/v1/transfers', { fromWalletId: walletId, toWalletId: to.body.id, amount: '2500', description: 'order 42', pending: true });
    expect(transfer.status).toBe(201);
    await projected();
    const { page, errors } = await openPage(browser);
    await signIn(page);
    // Reached from the wallet page, where the wallet's groups are listed.
    await page.goto(`${app.baseUrl}/console#/wallets/${walletId}`);
    await page.getByRole('region', { name: 'Groups table' }).getByRole('link', { name: /order 42/ }).click();
    const legs = page.getByRole('table', { name: 'Legs' }).locator('tbody tr');
    await eventually(() => legs.count(), (count) => expect(count).toBe(2));
    await eventually(() => legs.first().textContent(), (text) => expect(text).toContain('25.00 USD'));
    await page.getByRole('button', { name: 'Confirm all legs' }).click();
    await page.getByRole('button', { name: 'Reverse the group' }).click();
    await page.getByText('Reversed by').waitFor();
    await eventually(() => page.getByRole('heading', { level: 1 }).locator('xpath=following-sibling::p[1]').textContent(), (text) => expect(text).toContain('completed'));
    await expectAccessible(page);
    await screenshot(page, 'group');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('shows readiness, the projector position and lag, and the webhook endpoints', async () => {
    await request(app.baseUrl, 'POST', '/v1/webhook-endpoints', { url: 'http://127.0.0.1:9/ledger-sync', description: 'ledger sync' });
    const { page, errors } = await openPage(browser);
    await signIn(page);
    await page.getByRole('link', { name: 'Operations' }).click();
    await page.getByText('Service: ready').waitFor();
    await eventually(() => page.locator('[data-ops="head"]').textContent(), (text) => expect(text).toMatch(/^\d+$/));
    await page.getByText('http://127.0.0.1:9/ledger-sync').waitFor();
    await expectAccessible(page);
    await screenshot(page, 'operations');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('fits every page on a phone, 360 px wide, without sideways scrolling, keyboard-reachable and accessible', async () => {
    // A group of its own: the test holds when run alone.
    const to = await request(app.baseUrl, 'POST', '/v1/wallets', { type: 'merchant', currency: 'USD' });
    const transfer = await request(app.baseUrl, 'POST', '/v1/transfers', { fromWalletId: walletId, toWalletId: to.body.id, amount: '1500', description: 'order 43', pending: true });
    const groupId = transfer.body.group.id;
    await projected();
    const { page, errors } = await openPage(browser, PHONE);
    await page.goto(`${app.baseUrl}/console`);
    await screenshot(page, 'sign-in');
    // Keyboard only: the key field takes focus by tab, Enter submits.
    await page.keyboard.press('Tab');
    await page.keyboard.type(TEST_ADMIN_KEY);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    const pages: Array<[string, string, () => Promise<unknown>]> = [
      ['wallets', '#/wallets', () => page.getByRole('link', { name: walletId }).waitFor()],
      ['wallet', `#/wallets/${walletId}`, () => page.locator('.recharts-line').first().waitFor()],
      ['group', `#/groups/${groupId}`, () => page.getByRole('table', { name: 'Legs' }).waitFor()],
      ['live-feed', '#/live', () => page.getByRole('status').getByText('Live').waitFor()],
      ['operations', '#/operations', () => page.getByText('Service: ready').waitFor()],
    ];
    for (const [name, hash, loaded] of pages) {
      await page.evaluate((target) => ((globalThis as unknown as { location: { hash: string } }).location.hash = target), hash);
      await loaded();
      const widths = await page.evaluate(() => {
        const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
        return { scroll: root.scrollWidth, client: root.clientWidth };
      });
      expect({ name, ...widths }).toEqual({ name, scroll: widths.client, client: PHONE.width });
      await expectAccessible(page);
      await screenshot(page, name);
    }
    expect(errors).toEqual([]);
    await page.context().close();
  });

});
