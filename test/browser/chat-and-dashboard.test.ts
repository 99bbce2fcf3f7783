import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { findChromium, launchChromium, NO_CHROMIUM_MESSAGE } from '../../dev-tools/browser/chromium';
import { startLocalSystem, type LocalSystem } from '../../dev-tools/browser/local-system';
import { bodyBackground, chatPage, type ChatPage } from './chat-page';

/**
 * A person on `npm start`, in Debian's Chromium: the chat page, the bot behind the real webhook handler and the
 * fake Bot API, the OKX sandbox's demo wallet, and the Mini App opened from /portfolio's web_app button with the
 * initData the chat page signs with the local bot token.
 */
const hasChromium = findChromium() !== undefined;
/** The page answers over HTTP from the real handlers on a busy 2-core machine: give each wait 10 s. */
const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 15_000, interval: 200 });
if (!hasChromium) console.warn(NO_CHROMIUM_MESSAGE);

describe.skipIf(!hasChromium)('the chat page and the dashboard in a browser', () => {
  let system: LocalSystem;
  let browser: Browser;
  let chatTotal: string;

  beforeAll(async () => {
    [system, browser] = await Promise.all([
      // A short sync period syncs the new wallet in the background; a first Refresh of a many-chain wallet on a
      // busy 2-core machine can run past the bot's 16 s update deadline.
      startLocalSystem({ dynamoEndpoint: inject('dynamoEndpoint'), syncIntervalSeconds: 3 }),
      launchChromium(),
    ]);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  async function openChat(
    theme: 'light' | 'dark',
    width: number,
    height: number,
  ): Promise<{ page: Page; chat: ChatPage }> {
    const page = await browser.newPage({ viewport: { width, height } });
    // Every frame records what the Content-Security-Policy blocked (the Mini App's iframe among them).
    await page.addInitScript(() => {
      const frame = globalThis as unknown as {
        __csp: string[];
        document: { addEventListener(type: string, listener: (event: { violatedDirective: string }) => void): void };
      };
      frame.__csp = [];
      frame.document.addEventListener('securitypolicyviolation', (event) => frame.__csp.push(event.violatedDirective));
    });
    await page.goto(`${system.chatUrl}?theme=${theme}`);
    return { page, chat: chatPage(page) };
  }

  it('starts, tracks a demo wallet and shows the dashboard with the chat’s total; a target set there is the chat’s', async () => {
    const { page, chat } = await openChat('light', 1200, 860);
    await chat.say('/start');
    await chat.waitForBot(/Commands/);
    await chat.say(`/addwallet ${system.demoWallets.whale}`);
    await chat.waitForBot(/Tracking/);
    // Asked again each 2 s until the sync loop has the wallet's balances (a person would do the same).
    let portfolio = '';
    for (let attempt = 0; attempt < 15 && !/Portfolio: \$/.test(portfolio); attempt++) {
      await chat.say('/portfolio');
      await page.waitForTimeout(2000);
      portfolio = await chat.waitForBot(/Portfolio: \$|empty so far/);
    }
    chatTotal = /Portfolio: (\$[\d,]+\.\d\d)/.exec(portfolio)![1]!;
    // An alert threshold changed in the chat is what the dashboard shows.
    await chat.say('/alerts asset 60');
    await chat.waitForBot(/One non-stable asset above 60 %/);
    await chat.say('/portfolio');
    await chat.waitForBot(/Portfolio: \$/);

    // Opened from /portfolio's web_app button (📊 Dashboard), as in Telegram.
    expect(await page.locator('#messages li.in:has(button.web-app)').last().locator('button.web-app').count()).toBe(1);
    const app = await chat.openDashboard();
    await poll(() => app.locator('[data-testid=total]').textContent()).toBe(chatTotal);
    expect(await app.locator('[data-testid=alert-rules]').textContent()).toContain('One non-stable asset above 60 %');
    expect(await app.locator('html').getAttribute('data-theme')).toBe('light');
    expect(await bodyBackground(app)).toBe('rgb(244, 244, 245)');
    await app.locator('[data-testid=chart] canvas').first().waitFor();
    await poll(() => app.locator('[data-testid=figures]').count()).toBe(1);

    for (const window of ['24h', '30d', 'all', '7d']) {
      await app.locator(`[data-window="${window}"]`).click();
      await poll(() => app.locator(`[data-window="${window}"]`).getAttribute('aria-selected')).toBe('true');
      await poll(() => app.locator('[data-testid=performance] > div').getAttribute('data-shown-window')).toBe(window);
    }
    expect(Number(await page.locator('#app-haptic').getAttribute('data-count'))).toBeGreaterThanOrEqual(4);
    await poll(() => app.locator('[data-testid=flags] li').count()).toBeGreaterThan(0);
    // The dashboard (chart included) runs under the page's strict CSP without a single blocked inline style.
    expect(await app.locator('html').evaluate(() => (globalThis as unknown as { __csp: string[] }).__csp)).toEqual([]);

    const symbol = await setTarget(app, page);
    await page.locator('#app-back').click();
    await app.locator('[data-testid=total]').waitFor();
    expect(await page.locator('#app-back').isVisible()).toBe(false);

    await chat.say('/target');
    const target = await chat.waitForBot(/Target allocation/);
    expect(target).toMatch(new RegExp(`${symbol}: [^\\n]*(→ 60\\.0 %|\\(60 % of)`));
  }, 60_000);

  /** Sets the first asset to 60 % (the others share the rest), saves, and answers the asset's symbol. */
  async function setTarget(app: FrameLocator, page: Page): Promise<string> {
    await app.locator('[data-testid=open-targets]').click();
    await app.locator('[data-testid=targets-editor]').waitFor();
    await poll(() => page.locator('#app-back').isVisible()).toBe(true);
    const first = app.locator('[data-testid=target-row]').first();
    const symbol = (await first.locator('.symbol').textContent())!;
    const field = first.locator('input[type=number]');
    await field.fill('60');
    await field.press('Tab');
    await poll(() => app.locator('[data-testid=target-row] input[type=number]').first().inputValue()).toBe('60');
    expect(await app.locator('[data-testid=targets-sum]').textContent()).toBe('Total 100 %');
    await poll(() => app.locator('[data-testid=targets-preview] td').nth(2).textContent()).toBe('60.0 %');
    await app.locator('[data-testid=targets-save]').click();
    await poll(() => app.locator('[data-testid=targets-status]').textContent()).toMatch(/^Saved/);
    return symbol;
  }

  it('follows the dark theme and stays readable at 360 px', async () => {
    const { page, chat } = await openChat('dark', 360, 760);
    await chat.say('/portfolio');
    await chat.waitForBot(/Portfolio: \$/);
    const app = await chat.openDashboard();
    expect(await app.locator('[data-testid=total]').textContent()).toBe(chatTotal);
    expect(await app.locator('html').getAttribute('data-theme')).toBe('dark');
    expect(await bodyBackground(app)).toBe('rgb(15, 15, 15)');
    // Nothing wider than the screen: no sideways scrolling at 360 px.
    const widths = await app
      .locator('html')
      .evaluate((html) => ({ scroll: html.scrollWidth, client: html.clientWidth }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    expect(await page.locator('#app-pane').boundingBox()).toMatchObject({ x: 0, width: 360 });

    await page.locator('#app-theme').click();
    await poll(() => app.locator('html').getAttribute('data-theme')).toBe('light');
  }, 45_000);
});
