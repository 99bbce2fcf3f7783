import { expect } from 'vitest';
import type { FrameLocator, Page } from 'playwright-core';

/** The local chat page as a person uses it: type, tap, read the bot's last message, open the Mini App. */
export interface ChatPage {
  say(text: string): Promise<void>;
  /** Waits until the newest bot message matches, and answers its text. */
  waitForBot(pattern: RegExp, timeoutMs?: number): Promise<string>;
  tap(selector: string): Promise<void>;
  openDashboard(): Promise<FrameLocator>;
}

export function chatPage(page: Page): ChatPage {
  const incoming = page.locator('#messages li.in');
  // The bot also speaks first (alerts from the sync loop): a reply is looked for among the messages since the last
  // `say`, not only in the last one.
  let since = 0;
  const replyMatching = async (pattern: RegExp) => {
    const texts = await incoming.allTextContents();
    return texts.slice(since).findLast((text) => pattern.test(text)) ?? texts.at(-1) ?? '';
  };
  return {
    async say(text) {
      since = await incoming.count();
      await page.fill('#input', text);
      await page.press('#input', 'Enter');
    },
    async waitForBot(pattern, timeoutMs = 15_000) {
      await expect.poll(() => replyMatching(pattern), { timeout: timeoutMs, interval: 100 }).toMatch(pattern);
      return replyMatching(pattern);
    },
    async tap(selector) {
      await page.locator(selector).last().click();
    },
    async openDashboard() {
      // The web_app button under the bot's latest message that has one; the header's "Open app" when none has.
      const button = page.locator('#messages li.in:has(button.web-app)').last().locator('button.web-app');
      if ((await button.count()) > 0) await button.first().click();
      else await page.locator('#open-app').click();
      await page.locator('#app-pane').waitFor({ state: 'visible' });
      const frame = page.frameLocator('#app-frame');
      await frame.locator('[data-testid=total]').waitFor({ timeout: 15_000 });
      return frame;
    },
  };
}

interface BrowserGlobals {
  getComputedStyle(element: unknown): { backgroundColor: string };
}

/** The computed background colour of the page's body, as `rgb(r, g, b)`. */
export function bodyBackground(frame: FrameLocator): Promise<string> {
  return frame
    .locator('body')
    .evaluate((body) => (globalThis as unknown as BrowserGlobals).getComputedStyle(body).backgroundColor);
}
