import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { buildMiniApp, type MiniAppBuild } from '../../dev-tools/build-miniapp';
import { findChromium, launchChromium, NO_CHROMIUM_MESSAGE } from '../../dev-tools/browser/chromium';
import { signInitData } from '../../dev-tools/local/chat/sign-init-data';
import { THEMES } from '../../dev-tools/local/chat/web/themes';
import {
  APPROVE_SPENDER,
  evmLeg,
  plan,
  ROUTER,
  solanaLeg,
  startFakeSigningApi,
  type FakeSigningApi,
} from './fake-signing-api';
import { installTestWallets, type TestWalletOptions, type TestWallets } from './test-wallet';

/**
 * The signing page (#sign=<planId>) in Debian's Chromium against a small stand-in for the signing API
 * (fake-signing-api.ts) and wallets injected with keys made here (test-wallet.ts): what the person sees and what
 * reaches the API. The end-to-end run on `npm start` with the sandbox is signing-e2e.test.ts.
 */
const hasChromium = findChromium() !== undefined;
if (!hasChromium) console.warn(NO_CHROMIUM_MESSAGE);
const poll = <T>(read: () => Promise<T>, timeout = 10_000) => expect.poll(read, { timeout, interval: 100 });
const BOT_TOKEN = '100000:TEST-signing-page';
const USER = { id: 4242, firstName: 'Esther' };

/** What the page-side callbacks use (the test project compiles without the DOM library). */
interface BrowserGlobals {
  document: {
    createElement(tag: string): { textContent: string };
    body: { append(node: unknown): void };
    addEventListener(type: string, listener: (event: { violatedDirective: string; blockedURI: string }) => void): void;
  };
  localStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void };
  __inline?: boolean;
}

interface Opened {
  page: Page;
  wallets: TestWallets;
  /** Telegram bridge events the page posted (web_app_open_link…). */
  telegram: { type: string; data: unknown }[];
  cspViolations(): Promise<string[]>;
}

describe.skipIf(!hasChromium)('the signing page in a browser (fake signing API)', () => {
  let browser: Browser;
  let api: FakeSigningApi;
  let build: MiniAppBuild;
  let dist: string;

  beforeAll(async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    dist = mkdtempSync(join(tmpdir(), 'esther-miniapp-signing-'));
    build = await buildMiniApp(dist);
    [api, browser] = await Promise.all([startFakeSigningApi(dist), launchChromium()]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    const { rmSync } = await import('node:fs');
    if (dist) rmSync(dist, { recursive: true, force: true });
  });

  const launchUrl = (planId: string, userId = USER.id) =>
    `${api.url}/miniapp/#sign=${planId}&${new URLSearchParams({
      tgWebAppData: signInitData(BOT_TOKEN, { ...USER, id: userId }),
      tgWebAppVersion: '8.0',
      tgWebAppPlatform: 'android',
      tgWebAppThemeParams: JSON.stringify(THEMES.light),
    }).toString()}`;

  /** Opens the page as Telegram's Android app would (its TelegramWebviewProxy bridge), with the test wallets. */
  async function open(
    planId: string,
    walletOptions: TestWalletOptions = {},
    options: { userId?: number; storage?: Record<string, string> } = {},
  ): Promise<Opened> {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const wallets = await installTestWallets(page, walletOptions);
    const telegram: Opened['telegram'] = [];
    await page.exposeFunction('__telegramEvent', (type: string, data: string) =>
      telegram.push({ type, data: data ? JSON.parse(data) : undefined }),
    );
    await page.addInitScript((storage: Record<string, string>) => {
      const w = globalThis as unknown as Record<string, unknown> & BrowserGlobals;
      w.TelegramWebviewProxy = {
        postEvent: (type: string, data: string) => (w.__telegramEvent as (t: string, d: string) => void)(type, data),
      };
      w.__csp = [];
      w.document.addEventListener('securitypolicyviolation', (event) =>
        (w.__csp as string[]).push(`${event.violatedDirective} ${event.blockedURI}`),
      );
      for (const [key, value] of Object.entries(storage)) w.localStorage.setItem(key, value);
    }, options.storage ?? {});
    await page.goto(launchUrl(planId, options.userId));
    return {
      page,
      wallets,
      telegram,
      cspViolations: () => page.evaluate(() => (globalThis as unknown as { __csp: string[] }).__csp),
    };
  }

  const leg = (page: Page, index = 0) => page.locator(`[data-testid=leg][data-leg="${index}"]`);

  async function connect(page: Page, walletName = 'Esther Test Wallet'): Promise<void> {
    await leg(page).locator('[data-testid=sign-leg]').click();
    await leg(page).locator('[data-testid=wallet-option]', { hasText: walletName }).click();
  }

  it('shows exactly what is signed, signs with the injected wallet, broadcasts once per step and follows approve → swap to confirmed', async () => {
    const key = generatePrivateKey();
    const address = privateKeyToAccount(key).address;
    api.add({ plan: plan('happy1', [evmLeg(address)]), steps: { 0: ['approve', 'swap'] } });
    const { page, wallets, cspViolations } = await open('happy1', { evmKey: key, nonceBase: api.url });

    await poll(() => page.locator('[data-testid=plan-state]').textContent()).toMatch(/awaiting signature · sign by/);
    expect(await leg(page).locator('[data-testid=leg-line]').textContent()).toBe(
      '1000 USDT → at least 0.3 ETH (expected 0.31)',
    );
    await connect(page);

    // The approval: token, amount, spender, fee and the intent check, as prepared.
    const review = leg(page).locator('[data-testid=review]');
    await review.waitFor();
    expect(await review.getAttribute('data-step')).toBe('approve');
    expect(await review.locator('[data-testid=approval] td').textContent()).toBe('1000 USDT');
    expect(await review.locator('[data-testid=spender] td').textContent()).toBe(APPROVE_SPENDER);
    expect(await review.locator('[data-testid=network-fee] td').textContent()).toBe('0.00042 ETH (≈ $1.26)');
    expect(await review.locator('[data-testid=checks] li').allTextContents()).toEqual([
      '✓ Chain: chain id 1 is the leg’s chain (Ethereum)',
      '✓ Contract: the transaction goes to OKX’s router for this chain',
      '✓ Simulation: gives at most 1000 USDT and receives at least 0.3 ETH',
    ]);
    await review.locator('[data-testid=sign-in-wallet]').click();

    // Then the swap, prepared only after the approval confirmed.
    await poll(() => review.getAttribute('data-step')).toBe('swap');
    expect(await review.locator('[data-testid=spend] td').textContent()).toBe('1000 USDT');
    expect(await review.locator('[data-testid=min-receive] td').textContent()).toBe('0.3 ETH');
    expect(await review.locator('[data-testid=to] td').textContent()).toBe(ROUTER);
    await review.locator('[data-testid=sign-in-wallet]').click();

    await poll(() => leg(page).getAttribute('data-state')).toBe('confirmed');
    expect(await leg(page).locator('[data-testid=realised]').textContent()).toBe(
      'Done: spent 1000 USDT, received 0.31 ETH.',
    );
    expect(api.count('broadcast', 'happy1')).toBe(2);
    expect(api.count('prepare', 'happy1')).toBe(2);
    expect(wallets.signed).toHaveLength(2);
    expect(wallets.requests).toContain('eth_signTransaction');
    expect(wallets.requests).not.toContain('eth_sendTransaction');
    expect(api.get('happy1').state).toBe('confirmed');
    expect(await cspViolations()).toEqual([]);
  });

  it('refuses a wallet other than the leg’s and names the one to connect, without asking the API to prepare', async () => {
    const legWallet = '0x1111111111111111111111111111111111111111';
    api.add({ plan: plan('wrong1', [evmLeg(legWallet)]), steps: { 0: ['swap'] } });
    const { page, wallets } = await open('wrong1');
    await connect(page);
    const refusal = leg(page).locator('[data-testid=refusal]');
    await refusal.waitFor();
    expect(await refusal.getAttribute('data-code')).toBe('wrong-wallet');
    expect(await refusal.locator('strong').textContent()).toBe(`Connect the wallet ${legWallet}`);
    expect(await refusal.textContent()).toContain(`connected ${wallets.evmAddress}`);
    expect(api.count('prepare', 'wrong1')).toBe(0);
    expect(await leg(page).locator('[data-testid=retry]').textContent()).toBe('Connect another wallet');
  });

  it('asks each leg for its own wallet: a wallet connected for one leg is not used for another', async () => {
    const key = generatePrivateKey();
    const other = '0x3333333333333333333333333333333333333333';
    api.add({
      plan: plan('two1', [evmLeg(privateKeyToAccount(key).address, 0), evmLeg(other, 1)]),
      steps: { 0: ['swap'], 1: ['swap'] },
    });
    const { page } = await open('two1', { evmKey: key, nonceBase: api.url });
    await connect(page);
    await leg(page).locator('[data-testid=sign-in-wallet]').click();
    await poll(() => leg(page).getAttribute('data-state')).toBe('confirmed');
    await leg(page, 1).locator('[data-testid=sign-leg]').click();
    expect(await leg(page, 1).locator('[data-testid=leg-wallet-to-connect]').textContent()).toBe(other);
    await leg(page, 1).locator('[data-testid=wallet-option]', { hasText: 'Esther Test Wallet' }).click();
    await leg(page, 1).locator('[data-testid=refusal]').waitFor();
    expect(await leg(page, 1).locator('[data-testid=refusal] strong').textContent()).toBe(
      `Connect the wallet ${other}`,
    );
    expect(api.count('prepare', 'two1')).toBe(1);
    expect(await page.locator('[data-testid=plan-state]').getAttribute('data-state')).toBe('submitted');
  });

  it('shows an expired plan as expired with nothing to sign, and a server “expired” as a refusal', async () => {
    api.add({
      plan: plan('expired1', [evmLeg('0x1111111111111111111111111111111111111111')], {
        signBy: new Date(Date.now() - 60_000).toISOString(),
      }),
      steps: {},
    });
    const first = await open('expired1');
    await first.page.locator('[data-testid=expired]').waitFor();
    expect(await first.page.locator('[data-testid=expired]').textContent()).toMatch(/expired.*Run \/rebalance/);
    expect(await first.page.locator('[data-testid=sign-leg]').count()).toBe(0);

    const key = generatePrivateKey();
    api.add({
      plan: plan('expired2', [evmLeg(privateKeyToAccount(key).address)]),
      steps: { 0: ['swap'] },
      refuse: { prepare: { status: 409, code: 'expired', message: 'The signing window closed at 14:52.' } },
    });
    const second = await open('expired2', { evmKey: key });
    await connect(second.page);
    const refusal = leg(second.page).locator('[data-testid=refusal]');
    await refusal.waitFor();
    expect(await refusal.locator('strong').textContent()).toBe('This plan has expired');
    expect(await refusal.textContent()).toContain('The signing window closed at 14:52.');
    expect(second.wallets.signed).toHaveLength(0);
  });

  it('says plainly when OKX refuses the broadcast, and never sends it a second time', async () => {
    const key = generatePrivateKey();
    api.add({
      plan: plan('reject1', [evmLeg(privateKeyToAccount(key).address)]),
      steps: { 0: ['swap'] },
      refuse: {
        broadcast: {
          status: 502,
          code: 'broadcast-rejected',
          message: 'OKX refused the transaction: insufficient funds for gas.',
        },
      },
    });
    const { page, wallets } = await open('reject1', { evmKey: key, nonceBase: api.url });
    await connect(page);
    await leg(page).locator('[data-testid=sign-in-wallet]').click();
    const refusal = leg(page).locator('[data-testid=refusal]');
    await refusal.waitFor();
    expect(await refusal.locator('strong').textContent()).toBe('OKX refused the transaction');
    expect(await refusal.textContent()).toContain(
      'insufficient funds for gas. It was not sent, and it will not be sent again automatically.',
    );
    expect(await refusal.locator('[data-testid=retry]').count()).toBe(0);
    await poll(() => leg(page).getAttribute('data-state')).toBe('failed');
    expect(await leg(page).locator('[data-testid=leg-fail]').textContent()).toContain('insufficient funds for gas');
    await page.waitForTimeout(3000);
    expect(api.count('broadcast', 'reject1')).toBe(1);
    expect(wallets.signed).toHaveLength(1);
    expect(await page.locator('[data-testid=sign-leg]').count()).toBe(0);
  });

  it('lists the failed intent checks when the server will not offer the transaction', async () => {
    const key = generatePrivateKey();
    api.add({
      plan: plan('intent1', [evmLeg(privateKeyToAccount(key).address)]),
      steps: { 0: ['swap'] },
      refuse: {
        prepare: {
          status: 409,
          code: 'intent-mismatch',
          message: 'The transaction OKX built does not match your plan.',
          extra: {
            checks: [
              { name: 'Chain', ok: true, detail: 'chain id 1' },
              { name: 'Contract', ok: false, detail: '0xdead… is not an OKX router for Ethereum' },
              { name: 'Simulation', ok: false, detail: 'would give 1200 USDT, more than the leg’s 1000' },
            ],
          },
        },
      },
    });
    const { page, wallets } = await open('intent1', { evmKey: key });
    await connect(page);
    const refusal = leg(page).locator('[data-testid=refusal]');
    await refusal.waitFor();
    expect(await refusal.locator('strong').textContent()).toBe(
      'Not offered for signing: the transaction does not match your plan',
    );
    expect(await refusal.locator('[data-testid=failed-checks] li').allTextContents()).toEqual([
      '✗ Contract: 0xdead… is not an OKX router for Ethereum',
      '✗ Simulation: would give 1200 USDT, more than the leg’s 1000',
    ]);
    expect(wallets.requests).not.toContain('eth_signTransaction');
  });

  it('keeps a dry-run plan read-only, and explains OKX’s 402', async () => {
    api.add({
      plan: plan('dry1', [evmLeg('0x1111111111111111111111111111111111111111')], { dryRun: true }),
      steps: {},
    });
    const dry = await open('dry1');
    await dry.page.locator('[data-testid=dry-run]').waitFor();
    expect(await dry.page.locator('[data-testid=dry-run]').textContent()).toMatch(/^Dry run: this plan is read-only/);
    expect(await dry.page.locator('[data-testid=sign-leg]').count()).toBe(0);

    const key = generatePrivateKey();
    api.add({
      plan: plan('billing1', [evmLeg(privateKeyToAccount(key).address)]),
      steps: { 0: ['swap'] },
      refuse: { prepare: { status: 402, code: 'okx-billing', message: 'OKX answered 402 Payment Required.' } },
    });
    const billing = await open('billing1', { evmKey: key });
    await connect(billing.page);
    const refusal = leg(billing.page).locator('[data-testid=refusal]');
    await refusal.waitFor();
    expect(await refusal.locator('strong').textContent()).toBe('OKX asks for payment (HTTP 402)');
  });

  it('falls back to eth_sendTransaction and POST /submitted when the wallet will not only sign (MetaMask)', async () => {
    const key = generatePrivateKey();
    api.add({ plan: plan('send1', [evmLeg(privateKeyToAccount(key).address)]), steps: { 0: ['swap'] } });
    const { page, wallets } = await open('send1', { evmKey: key, refuseSignTransaction: true });
    await connect(page);
    await leg(page).locator('[data-testid=sign-in-wallet]').click();
    await poll(() => leg(page).getAttribute('data-state')).toBe('confirmed');
    expect(wallets.requests.filter((method) => method.startsWith('eth_s'))).toEqual([
      'eth_signTransaction',
      'eth_sendTransaction',
    ]);
    expect(api.count('broadcast', 'send1')).toBe(0);
    const submitted = api.calls.find((call) => call.path === '/miniapp/api/plans/send1/legs/0/submitted')!;
    expect(submitted.body.txHash).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it('lets the person decline in the wallet and sign the same transaction again (nothing was sent)', async () => {
    const key = generatePrivateKey();
    api.add({ plan: plan('decline1', [evmLeg(privateKeyToAccount(key).address)]), steps: { 0: ['swap'] } });
    const { page } = await open('decline1', { evmKey: key, declineSigning: true });
    await connect(page);
    await leg(page).locator('[data-testid=sign-in-wallet]').click();
    const refusal = leg(page).locator('[data-testid=refusal]');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('You declined in the wallet; nothing was sent.');
    await refusal.locator('[data-testid=retry]').click();
    await leg(page).locator('[data-testid=review]').waitFor();
    expect(api.count('broadcast', 'decline1')).toBe(0);
  });

  it('signs a Solana leg with a Wallet Standard wallet (ed25519), verified by the API', async () => {
    // The Solana key is made by the test wallet: the plan names its address, then the page is opened on it.
    const { page, wallets } = await open('sol-pending', { solana: true });
    api.add({ plan: plan('sol1', [solanaLeg(wallets.solanaAddress)]), steps: { 0: ['swap'] } });
    await page.goto('about:blank');
    await page.goto(launchUrl('sol1'));
    await connect(page, 'Esther Test Solana');
    const review = leg(page).locator('[data-testid=review]');
    await review.waitFor();
    expect(await review.locator('[data-testid=spend] td').textContent()).toBe('2.5 SOL');
    expect(await review.locator('[data-testid=min-receive] td').textContent()).toBe('347.7 USDC');
    await review.locator('[data-testid=sign-in-wallet]').click();
    await poll(() => leg(page).getAttribute('data-state')).toBe('confirmed');
    expect(wallets.requests).toEqual(['solana:signTransaction']);
    expect(api.count('broadcast', 'sol1')).toBe(1);
  });

  it('offers the QR code and “Open in browser” when no wallet is found in Telegram; the link opens the same page', async () => {
    api.add({ plan: plan('qr1', [evmLeg('0x1111111111111111111111111111111111111111')]), steps: { 0: ['swap'] } });
    const { page, telegram } = await open('qr1', { none: true });
    await leg(page).locator('[data-testid=sign-leg]').click();
    const fallback = leg(page).locator('[data-testid=wallet-fallback]');
    await fallback.waitFor();
    expect(await fallback.locator('p').first().textContent()).toBe('No EVM wallet was found in this browser.');
    // OKX Connect is still offered (its code loads only if picked).
    expect(await leg(page).locator('[data-testid=wallet-option]').allTextContents()).toEqual([
      'OKX Wallet (OKX Connect)',
    ]);
    await fallback.locator('[data-testid=qr] svg').waitFor();
    expect(Number(await fallback.locator('[data-testid=qr] svg').getAttribute('data-size'))).toBeGreaterThan(21);
    await fallback.locator('[data-testid=open-in-browser]').click();
    await poll(async () => telegram.filter((event) => event.type === 'web_app_open_link').length).toBe(1);
    const link = (telegram.find((event) => event.type === 'web_app_open_link')!.data as { url: string }).url;
    // The same page and plan with the signed launch data only (a lighter QR code than the full Telegram URL).
    expect(link).toMatch(
      new RegExp(
        `^${api.url}/miniapp/#sign=qr1&tgWebAppData=[^&]+&tgWebAppVersion=8\\.0&tgWebAppPlatform=android&tgWebAppThemeParams=%7B%7D$`,
      ),
    );

    // OKX Connect's code arrives only now, and starts without errors (its relay is not reachable from a test).
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const chunk = page.waitForRequest((request) => /chunk\.[A-Z0-9]+\.js$/.test(request.url()));
    await leg(page).locator('[data-testid=wallet-option]').click();
    await chunk;
    await poll(() =>
      leg(page).locator('[data-testid=busy], [data-testid=wallet-fallback]').first().textContent(),
    ).toMatch(/Connecting OKX Wallet|did not connect/);
    await page.waitForTimeout(1500);
    expect(errors).toEqual([]);

    // Opened in a plain browser (no Telegram bridge), the page still shows the plan to its owner.
    const outside = await (await browser.newContext()).newPage();
    await outside.goto(link);
    await poll(() => outside.locator('[data-testid=plan-state]').textContent()).toMatch(/^Plan qr1/);
  });

  it('drops a wallet session that another Telegram account left on the device', async () => {
    api.add({ plan: plan('session1', [evmLeg('0x1111111111111111111111111111111111111111')]), steps: {} });
    const other = JSON.stringify({
      ownerUserId: '999',
      source: 'injected',
      walletId: 'eip6963:test.esther',
      name: 'Esther Test Wallet',
      family: 'evm',
      address: '0x2222222222222222222222222222222222222222',
    });
    const { page } = await open('session1', {}, { storage: { 'esther.wallet-session.v1': other } });
    await page.locator('[data-testid=session-dropped]').waitFor();
    expect(
      await page.evaluate(() =>
        (globalThis as unknown as BrowserGlobals).localStorage.getItem('esther.wallet-session.v1'),
      ),
    ).toBeNull();

    // The owner's own session is kept (and its wallet marked as last used).
    const own = other.replace('"999"', `"${USER.id}"`);
    const mine = await open('session1', {}, { storage: { 'esther.wallet-session.v1': own } });
    await mine.page.locator('[data-testid=plan-state]').waitFor();
    await leg(mine.page).locator('[data-testid=sign-leg]').click();
    await poll(() =>
      leg(mine.page).locator('[data-testid=wallet-option]', { hasText: 'Esther Test Wallet' }).textContent(),
    ).toBe('Esther Test Wallet (last used)');
    expect(await mine.page.locator('[data-testid=session-dropped]').count()).toBe(0);
  });

  it('keeps OKX Connect out of the first load (≤ 150 KB gzipped) and serves the page with its strict CSP', async () => {
    expect(build.gzipJsBytes).toBeLessThanOrEqual(150 * 1024);
    expect(Object.values(build.lazyGzipBytes).some((bytes) => bytes > 100 * 1024)).toBe(true);
    api.add({ plan: plan('csp1', [evmLeg('0x1111111111111111111111111111111111111111')]), steps: {} });
    const context = await browser.newContext();
    const page = await context.newPage();
    const scripts: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(request.url());
    });
    const response = await page.goto(launchUrl('csp1'));
    expect(response!.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.locator('[data-testid=plan-state]').waitFor();
    // The entry and the chunks it imports; none of the on-demand ones (OKX Connect, the QR code).
    const loaded = scripts.map((url) => url.split('/').pop()!);
    expect(loaded.length).toBeGreaterThan(0);
    expect(loaded.filter((file) => file in build.lazyGzipBytes)).toEqual([]);
    // An inline script is refused by the policy.
    const ran = await page.evaluate(() => {
      const page = globalThis as unknown as BrowserGlobals;
      const script = page.document.createElement('script');
      script.textContent = 'window.__inline = true';
      page.document.body.append(script);
      return page.__inline === true;
    });
    expect(ran).toBe(false);
  });
});
