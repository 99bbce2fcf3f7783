import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { findChromium, launchChromium, NO_CHROMIUM_MESSAGE } from '../../dev-tools/browser/chromium';
import { startLocalSystem, type LocalSystem } from '../../dev-tools/browser/local-system';
import { startDynamoLocal, type DynamoLocal } from '../../dev-tools/dynamodb-local';
import { routerAllowlist } from '../../dev-tools/okx-sandbox/index';
import { chatPage, type ChatPage } from './chat-page';
import { installTestWallets, type TestWallets } from './test-wallet';

/**
 * Issue 13 end to end on `npm start` (DRY_RUN_MODE=false) with the OKX sandbox: a person in the chat page with
 * `/live on` confirms a rebalance, taps "✍️ Sign in wallet", and the Mini App signs with the test wallet injected
 * into the page (viem key / ed25519 key made here); the sandbox verifies each signed transaction, settles it, the
 * bot says "confirmed" in the chat and the next sync shows the new balances. Also: a reverted transaction →
 * "failed" naming the leg; a Solana leg end to end.
 */
const hasChromium = findChromium() !== undefined;
if (!hasChromium) console.warn(NO_CHROMIUM_MESSAGE);
const poll = <T>(read: () => Promise<T>, timeout = 30_000) => expect.poll(read, { timeout, interval: 250 });

const USDC_ETHEREUM = '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48';
const USDC_SOLANA = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v';

describe.skipIf(!hasChromium)('signing a live rebalance in the Mini App, end to end on npm start', () => {
  let system: LocalSystem;
  let dynamo: DynamoLocal;
  let browser: Browser;
  let page: Page;
  let chat: ChatPage;
  let wallets: TestWallets;
  const key = generatePrivateKey();
  const evmAddress = privateKeyToAccount(key).address;

  const control = async (path: string, body?: unknown) => {
    const response = await fetch(`${system.sandboxUrl}/__sandbox/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = (await response.json()) as { ok: boolean; result: unknown; error?: string };
    if (!answer.ok) throw new Error(`sandbox ${path}: ${answer.error}`);
    return answer.result;
  };

  /** Only these holdings: the sandbox's generated portfolio of the address is cleared first. */
  const holdings = async (
    address: string,
    balances: { chainIndex: string; tokenAddress: string; balance: string }[],
  ) => {
    const current = (await control(`balances?address=${address}`)) as {
      chainIndex: string;
      tokenContractAddress: string;
    }[];
    for (const row of current)
      await control('set-balance', {
        address,
        chainIndex: row.chainIndex,
        tokenAddress: row.tokenContractAddress,
        balance: '0',
      });
    for (const row of balances) await control('set-balance', { address, ...row });
  };

  /** The runner's last error lines (the API's logs), for a failing test's message. */
  const serverErrors = () =>
    system
      .output()
      .split('\n')
      .filter((line) => /"level":"ERROR"|error/i.test(line))
      .slice(-5)
      .join('\n');

  const quantityIn = (portfolio: string, symbol: string) =>
    Number(new RegExp(`• ${symbol} ([\\d,.]+)`).exec(portfolio)?.[1]?.replace(/,/g, '') ?? 'NaN');

  beforeAll(async () => {
    // Its own DynamoDB Local: `npm start` uses fixed table names and one chat user, so sharing the run's engine with
    // chat-and-dashboard.test.ts (run at the same time) would mix the two users' wallets.
    dynamo = await startDynamoLocal();
    [system, browser] = await Promise.all([
      startLocalSystem({
        dynamoEndpoint: dynamo.endpoint,
        syncIntervalSeconds: 3,
        // The sandbox's routers are OKX's routers here (the intent check's allowlist).
        env: { DRY_RUN_MODE: 'false', OKX_ROUTER_ALLOWLIST: JSON.stringify(routerAllowlist()) },
      }),
      launchChromium(),
    ]);
    expect(system.sandboxUrl).toBeDefined();
    await control('settings', { confirmAfterMs: 1000 });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    // The wallet is injected into every frame: the Mini App's iframe finds it as a browser extension's.
    wallets = await installTestWallets(page, { evmKey: key, nonceBase: system.sandboxUrl, solana: true });
    await page.goto(`${system.chatUrl}?theme=light`);
    chat = chatPage(page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
    await dynamo?.stop();
  });

  /** /portfolio until the sync loop has the wallet's holdings (matching `ready`). */
  async function portfolioWhen(ready: (text: string) => boolean): Promise<string> {
    let text = '';
    // Up to ~2 minutes: a new wallet's first sync is slow on a 2-core machine running the whole suite.
    for (let attempt = 0; attempt < 40; attempt++) {
      await chat.say('/portfolio');
      text = await chat.waitForBot(/Portfolio: \$|empty so far/);
      if (ready(text)) return text;
      // A balance changed by the test (not by a trade) waits for the wallet's next sync: Refresh asks for it now.
      await chat.tap('#messages li.in button[data-callback^="v1:refresh:"]');
      await page.waitForTimeout(2000);
    }
    throw new Error(`the portfolio never showed what was expected:\n${text}`);
  }

  /** /rebalance → Confirm (live) → the message with "✍️ Sign in wallet" → the Mini App on that plan. */
  async function confirmAndOpenSigning(): Promise<FrameLocator> {
    const signButtons = page.locator('#messages li.in button.web-app', { hasText: 'Sign in wallet' });
    const before = await signButtons.count();
    await chat.say('/rebalance');
    await chat.waitForBot(/Live mode/, 60_000);
    await chat.tap('#messages li.in button[data-callback^="v1:confirm:"]');
    // This plan's button: a new one under the bot's answer to Confirm.
    await poll(() => signButtons.count(), 60_000).toBeGreaterThan(before);
    // A fresh Mini App for this plan: the pane of the previous one is closed first.
    if (await page.locator('#app-pane').isVisible()) await page.locator('#app-close').click();
    await signButtons.last().scrollIntoViewIfNeeded();
    await signButtons.last().click();
    const app = page.frameLocator('#app-frame');
    await app
      .locator('[data-testid=signing] [data-testid=leg]')
      .first()
      .waitFor({ timeout: 20_000 })
      .catch(async (error: Error) => {
        throw new Error(`${error.message}\nthe page: ${await app.locator('body').textContent()}\n${serverErrors()}`);
      });
    return app;
  }

  /** Signs every step the page offers for the leg until it is confirmed or failed; answers its final state. */
  async function signLeg(app: FrameLocator, index: number, walletName: string): Promise<string> {
    const leg = app.locator(`[data-testid=leg][data-leg="${index}"]`);
    await leg.locator('[data-testid=sign-leg]').click();
    await leg.locator('[data-testid=wallet-option]', { hasText: walletName }).click();
    for (let step = 0; step < 4; step++) {
      const next = leg.locator('[data-testid=review] [data-testid=sign-in-wallet], [data-testid=refusal]');
      await poll(async () => {
        const state = await leg.getAttribute('data-state');
        return state === 'confirmed' || state === 'failed' || (await next.count()) > 0;
      }, 60_000).toBe(true);
      const state = await leg.getAttribute('data-state');
      if (state === 'confirmed' || state === 'failed') return state;
      if ((await leg.locator('[data-testid=refusal]').count()) > 0)
        throw new Error(`refused: ${await leg.locator('[data-testid=refusal]').textContent()}\n${serverErrors()}`);
      await leg.locator('[data-testid=review] [data-testid=sign-in-wallet]').click();
      await poll(async () => (await leg.locator('[data-testid=review]').count()) === 0).toBe(true);
    }
    await poll(() => leg.getAttribute('data-state'), 60_000).toMatch(/confirmed|failed/);
    return (await leg.getAttribute('data-state'))!;
  }

  it('a reverted transaction ends the leg “failed”, and the chat names the leg', async () => {
    await holdings(evmAddress, [
      { chainIndex: '1', tokenAddress: USDC_ETHEREUM, balance: '3000' },
      { chainIndex: '1', tokenAddress: '', balance: '0.2' },
    ]);
    await chat.say(`/addwallet ${evmAddress}`);
    await chat.waitForBot(/Tracking/);
    await portfolioWhen((text) => /• USDC 3,000/.test(text));
    await chat.say('/live on');
    await chat.waitForBot(/live/i);
    await chat.say('/target ETH 50 USDC 50');
    await chat.waitForBot(/Target saved/);

    // The sandbox reverts the next transaction it accepts (the approval): nothing moves, the plan fails.
    await control('faults', { kind: 'txReverted', times: 1 });
    const app = await confirmAndOpenSigning();
    expect(await app.locator('[data-testid=leg-wallet]').first().textContent()).toMatch(new RegExp(evmAddress, 'i'));
    expect(await signLeg(app, 0, 'Esther Test Wallet')).toBe('failed');
    expect(await app.locator('[data-testid=leg-fail]').first().textContent()).toMatch(/^Failed: /);
    const message = await chat.waitForBot(/failed/i, 60_000);
    expect(message).toMatch(/USDC/);
    expect(message).toMatch(/ETH|Ethereum/);
  }, 240_000);

  it('EVM: then a new plan: live preview → Sign in wallet → approve and swap signed, verified by the sandbox → “confirmed” in the chat → new balances', async () => {
    const before = await portfolioWhen((text) => /• USDC 3,000/.test(text));
    const app = await confirmAndOpenSigning();
    expect(await app.locator('[data-testid=leg-wallet]').first().textContent()).toMatch(new RegExp(evmAddress, 'i'));
    expect(await signLeg(app, 0, 'Esther Test Wallet')).toBe('confirmed');
    // Each transaction signed once, by the test key, and broadcast (verified by the sandbox: signer, chain, to/data/value, nonce).
    expect(wallets.signed.length).toBeGreaterThanOrEqual(2);
    expect(await app.locator('[data-testid=realised]').first().textContent()).toMatch(
      /^Done: spent [\d.]+ USDC, received [\d.]+ ETH\.$/,
    );

    await chat.waitForBot(/confirmed/i, 60_000);
    const after = await portfolioWhen((text) => quantityIn(text, 'USDC') < quantityIn(before, 'USDC'));
    expect(quantityIn(after, 'ETH')).toBeGreaterThan(quantityIn(before, 'ETH'));
  }, 240_000);

  it('Solana: a SOL → USDC leg signed by a Wallet Standard wallet (ed25519), verified and settled by the sandbox', async () => {
    // Only the Solana wallet this time: the EVM one is removed from the portfolio.
    await chat.say('/wallets');
    await chat.waitForBot(/wallet/i);
    await chat.tap('#messages li.in button[data-callback^="v1:wrm:"]');
    await chat.tap('#messages li.in button[data-callback^="v1:wrmok:"]');
    await holdings(wallets.solanaAddress, [
      { chainIndex: '501', tokenAddress: '', balance: '10' },
      { chainIndex: '501', tokenAddress: USDC_SOLANA, balance: '100' },
    ]);
    await chat.say(`/addwallet ${wallets.solanaAddress}`);
    await chat.waitForBot(/Tracking/);
    const before = await portfolioWhen((text) => /• SOL 10\b/.test(text) && !/• ETH/.test(text));
    await chat.say('/target SOL 50 USDC 50');
    await chat.waitForBot(/Target saved/);

    const app = await confirmAndOpenSigning();
    expect(await app.locator('[data-testid=leg-wallet]').first().textContent()).toBe(wallets.solanaAddress);
    expect(await signLeg(app, 0, 'Esther Test Solana')).toBe('confirmed');
    expect(wallets.requests).toContain('solana:signTransaction');

    await chat.waitForBot(/confirmed/i, 60_000);
    const after = await portfolioWhen((text) => quantityIn(text, 'SOL') < quantityIn(before, 'SOL'));
    expect(quantityIn(after, 'USDC')).toBeGreaterThan(quantityIn(before, 'USDC'));
  }, 240_000);
});
