import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { startDynamoLocal } from '../dynamodb-local';
import { launchChromium } from './chromium';
import { startLocalSystem } from './local-system';

/**
 * `npm run docs:screenshots`: the pictures of docs/portfolio_examples.md, taken from `npm start` (fake Bot API, OKX
 * sandbox, DynamoDB Local in memory) through the chat page and the Mini App, with the sandbox's demo wallets.
 */
const OUT = fileURLToPath(new URL('../../docs/images/', import.meta.url));

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const dynamo = await startDynamoLocal();
  const system = await startLocalSystem({ dynamoEndpoint: dynamo.endpoint, syncIntervalSeconds: 3 });
  const browser = await launchChromium();
  try {
    const wide = await browser.newPage({ viewport: { width: 980, height: 900 } });
    await wide.goto(`${system.chatUrl}?theme=light`);
    const chat = chatOf(wide);
    await chat.say('/start', /Commands/);
    await shoot(wide.locator('#chat'), 'chat-start');
    await chat.say(`/addwallet ${system.demoWallets.whale}`, /Tracking/);
    await chat.say(`/addwallet ${system.demoWallets.degen}`, /Tracking/);
    // The sync loop (every 3 s here) fetches the new wallets; ask until it has.
    for (let attempt = 0; attempt < 20; attempt++) {
      await chat.say('/portfolio', /Portfolio: \$|empty so far/);
      if (/Portfolio: \$/.test((await lastBot(wide).textContent()) ?? '')) break;
      await wide.waitForTimeout(2000);
    }
    await wide.waitForTimeout(4000);
    await chat.say('/portfolio', /Portfolio: \$[\d,]+\.\d\d/);
    await shoot(lastBot(wide), 'chat-portfolio');
    await wide.locator('button[data-callback="v1:report"]').last().click();
    await chat.waitFor(/Diversification/, 60_000);
    await wide.locator('#messages li.in img').last().waitFor();
    await wide.waitForTimeout(500);
    await shoot(wide.locator('#messages li.in').nth(-3), 'chat-report-value');
    await shoot(lastBot(wide), 'chat-report');
    await chat.say('/target ETH 40 BTC 30 USDC 30', /Target saved/);
    await chat.say('/rebalance', /Confirm|legs?|Rebalance/i, 60_000);
    await wide.waitForTimeout(500);
    await shoot(lastBot(wide), 'chat-rebalance-preview');

    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await phone.goto(`${system.chatUrl}?theme=light`);
    await chatOf(phone).say('/portfolio', /Portfolio: \$/);
    const app = await openDashboard(phone);
    await phone.waitForTimeout(800);
    await phone.screenshot({ path: join(OUT, 'miniapp-dashboard.png') });
    await shoot(app.locator('[data-testid=performance]'), 'miniapp-performance');
    await shoot(app.locator('[data-testid=allocation]'), 'miniapp-allocation');
    await shoot(app.locator('[data-testid=diversification]'), 'miniapp-diversification');
    await shoot(app.locator('[data-testid=wallets-section]'), 'miniapp-wallets');
    await app.locator('[data-testid=open-targets]').click();
    const first = app.locator('[data-testid=target-row] input[type=number]').first();
    await first.fill('50');
    await first.press('Tab');
    await phone.waitForTimeout(300);
    await shoot(app.locator('[data-testid=targets-editor]'), 'miniapp-targets-editor');

    const dark = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await dark.goto(`${system.chatUrl}?theme=dark`);
    await chatOf(dark).say('/portfolio', /Portfolio: \$/);
    await openDashboard(dark);
    await dark.waitForTimeout(800);
    await dark.screenshot({ path: join(OUT, 'miniapp-dark.png') });

    const side = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await side.goto(`${system.chatUrl}?theme=light`);
    await chatOf(side).say('/portfolio', /Portfolio: \$/);
    await openDashboard(side);
    await side.waitForTimeout(800);
    await side.screenshot({ path: join(OUT, 'chat-with-dashboard.png') });
    console.log(`[docs:screenshots] written to ${OUT}`);
  } finally {
    await browser.close();
    await system.stop();
    await dynamo.stop();
  }
}

function chatOf(page: Page) {
  const last = () => lastBot(page).textContent();
  const waitFor = async (pattern: RegExp, timeoutMs = 20_000) => {
    const started = Date.now();
    while (!pattern.test((await last()) ?? '')) {
      if (Date.now() - started > timeoutMs) throw new Error(`no bot message matching ${pattern}: ${await last()}`);
      await page.waitForTimeout(100);
    }
  };
  return {
    waitFor,
    async say(text: string, answer: RegExp, timeoutMs?: number) {
      const before = await page.locator('#messages li.in').count();
      await page.fill('#input', text);
      await page.press('#input', 'Enter');
      while ((await page.locator('#messages li.in').count()) <= before) await page.waitForTimeout(100);
      await waitFor(answer, timeoutMs);
    },
  };
}

const lastBot = (page: Page) => page.locator('#messages li.in').last();

async function openDashboard(page: Page): Promise<FrameLocator> {
  const button = page.locator('#messages li.in').last().locator('button.web-app');
  if ((await button.count()) > 0) await button.first().click();
  else await page.locator('#open-app').click();
  const app = page.frameLocator('#app-frame');
  await app.locator('[data-testid=figures]').waitFor({ timeout: 20_000 });
  return app;
}

async function shoot(target: Locator, name: string): Promise<void> {
  await target.scrollIntoViewIfNeeded();
  await target.screenshot({ path: join(OUT, `${name}.png`) });
}

main().catch((error: unknown) => {
  console.error(`[docs:screenshots] failed: ${(error as Error).message}`);
  process.exit(1);
});
