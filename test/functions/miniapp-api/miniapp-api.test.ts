import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { TABLE_ACCESS } from '../../../infra/esther-stack';
import { createApp, type App } from '../../../shared/app/create-app';
import { miniAppDepsOf } from '../../../shared/app/miniapp-part';
import { toDecimal } from '../../../shared/kernel/decimal';
import { createMiniAppApi } from '../../../shared/miniapp/miniapp-api';
import { createMiniAppHandler, type MiniAppHandler } from '../../../shared/miniapp/miniapp-http';
import { createPortfolioService } from '../../../shared/portfolio/portfolio-service';
import type { PortfolioServicePort } from '../../../shared/portfolio/portfolio-service-port';
import { createTestDynamo } from '../../support/dynamo';
import { balance, createFakeMarket } from '../../support/fake-market';
import { createMemoryLogger, type MemoryLogger } from '../../support/memory-logger';
import { BOT_TOKEN, OTHER_BOT_TOKEN, miniAppEvent, telegramInitData } from './miniapp-events';

// The API over DynamoDB Local: the chat's portfolio service (with a scripted market) adds and syncs the wallets,
// the Mini App reads them back through the handler with real API Gateway v2 events and initData signed by hand.
const ALICE = 1001;
const BOB = 2002;
const ALICE_WALLET = '0x1111111111111111111111111111111111111111';
const BOB_WALLET = '0x2222222222222222222222222222222222222222';
const USDC_ETH = '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48';
const USDC_ARB = '0xaf88d065e77c8cc2239327c5edb3a432268e5831';
const SYNCED_AT = new Date('2036-12-03T11:50:00.000Z');
const NOW = new Date('2036-12-03T12:00:00.000Z');

let app: App;
let chat: PortfolioServicePort;
let handler: MiniAppHandler;
let logger: MemoryLogger;
let clock: Date;
let nextUser = 5000;
const sent: string[] = [];

const signed = (userId: number, token = BOT_TOKEN) =>
  telegramInitData(userId, new Date(NOW.getTime() - 60_000), { token });
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON answer, read field by field in assertions
const bodyOf = (result: APIGatewayProxyStructuredResultV2) => JSON.parse(result.body!) as Record<string, any>;
const get = (userId: number, path: string, query?: Record<string, string>) =>
  handler(miniAppEvent('GET', `/miniapp/api/${path}`, { initData: signed(userId), ...(query ? { query } : {}) }));
const putTargets = (userId: number, body: unknown) =>
  handler(miniAppEvent('PUT', '/miniapp/api/targets', { initData: signed(userId), body }));

beforeAll(async () => {
  const db = await createTestDynamo();
  clock = SYNCED_AT;
  app = createApp(
    { ...db.env, TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET: 'unused-here' },
    { now: () => clock },
  );
  // The chat runs on an app of its own (its own DynamoDB client), so `sent` holds the Mini App's requests only.
  const stores = await createApp(db.env).stores();
  const { doc, tables } = await app.dynamo();
  const tableKey = new Map(Object.entries(tables).map(([key, name]) => [name, key]));
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { TableName?: string; RequestItems?: Record<string, unknown> };
      for (const table of input.TableName ? [input.TableName] : Object.keys(input.RequestItems ?? {}))
        sent.push(`${tableKey.get(table)}:${String(context.commandName).replace(/Command$/, '')}`);
      return next(args);
    },
    { step: 'initialize', name: 'recordMiniAppCommands' },
  );
  const market = createFakeMarket();
  market.balances.set(ALICE_WALLET, [
    balance(ALICE_WALLET, '1', '', 'ETH', '2', '3000'),
    balance(ALICE_WALLET, '1', USDC_ETH, 'USDC', '500', '1'),
    balance(ALICE_WALLET, '42161', USDC_ARB, 'USDC', '250', '1'),
    balance(ALICE_WALLET, '1', '0x9999999999999999999999999999999999999999', 'SCAM', '1000000', '0.5', {
      isRiskToken: true,
    }),
    balance(ALICE_WALLET, '1', '0x8888888888888888888888888888888888888888', 'NOPRICE', '42'),
  ]);
  market.balances.set(BOB_WALLET, [balance(BOB_WALLET, '1', '', 'ETH', '1', '3000')]);
  // The chat's own service (as the bot builds it), with a market: it adds and syncs the wallets.
  chat = createPortfolioService({ ...stores, market, now: () => clock });
  await chat.addWallet(String(ALICE), ALICE_WALLET, ['1', '42161'], 'Savings & Co');
  await chat.addWallet(String(BOB), BOB_WALLET, ['1']);
  await chat.syncBalances(String(ALICE));
  await chat.syncBalances(String(BOB));
  clock = NOW;
});

beforeEach(() => {
  logger = createMemoryLogger();
  handler = createMiniAppHandler({
    api: createMiniAppApi(() => miniAppDepsOf(app)),
    getBotToken: async () => BOT_TOKEN,
    maxAgeSeconds: 3600,
    now: () => clock,
    logger,
  });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('GET /miniapp/api/notifications', () => {
  it('answers the defaults for a user who chose nothing', async () => {
    const body = bodyOf(await get(BOB, 'notifications'));
    expect(body.timeZone).toBe('UTC');
    expect(body.alerts).toMatchObject({ muted: false, dailyCap: 5, quietHours: null });
    expect(body.alerts.rules.map((rule: { id: string }) => rule.id)).toEqual([
      'drift',
      'asset',
      'sector',
      'chain',
      'depeg',
      'move',
      'stale',
      'gas',
    ]);
    expect(body.alerts.rules[1]).toEqual({
      id: 'asset',
      title: 'One non-stable asset above',
      on: true,
      threshold: '50',
      unit: '%',
    });
    expect(body.digest).toEqual({ mode: 'off' });
  });

  it('shows what /alerts and /digest stored for the signed user only', async () => {
    const stores = await app.stores();
    const user = String(ALICE);
    await stores.settings.setTimeZone(user, 'Europe/Berlin', NOW.toISOString());
    await stores.alerts.setRule(user, 'asset', { threshold: '60' }, NOW.toISOString());
    await stores.alerts.setRule(user, 'gas', { on: false }, NOW.toISOString());
    await stores.alerts.setQuietHours(user, { start: 22, end: 7 }, NOW.toISOString());
    // Weekly on Monday 18:00 Berlin (CET, UTC+1): 17:00 UTC on Monday 8 December 2036.
    await stores.digests.set(user, { mode: 'weekly', hour: 18, weekday: 1 }, 'Europe/Berlin', NOW);

    const body = bodyOf(await get(ALICE, 'notifications'));

    expect(body.timeZone).toBe('Europe/Berlin');
    expect(body.alerts.quietHours).toEqual({ start: 22, end: 7 });
    expect(body.alerts.rules.find((rule: { id: string }) => rule.id === 'asset')).toMatchObject({
      on: true,
      threshold: '60',
    });
    expect(body.alerts.rules.find((rule: { id: string }) => rule.id === 'gas')).toMatchObject({ on: false });
    expect(body.digest).toEqual({ mode: 'weekly', hour: 18, weekday: 1, nextDueAt: '2036-12-08T17:00:00.000Z' });
    // Bob's answer is still his own.
    expect(bodyOf(await get(BOB, 'notifications')).digest).toEqual({ mode: 'off' });
  });
});

describe('GET /miniapp/api/portfolio', () => {
  it('answers the total, allocation by asset, chain and sector and the wallets with their data age', async () => {
    const result = await get(ALICE, 'portfolio');
    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({ 'cache-control': 'no-store' });
    const body = bodyOf(result);
    // 2 ETH x 3000 + 500 + 250 USDC; the risk token is hidden, the unpriced one left out of the total.
    expect(body.totalValueUsd).toBe('6750');
    expect(body.generatedAt).toBe(NOW.toISOString());
    expect(body.asOf).toBe(SYNCED_AT.toISOString());
    expect(body.ageSeconds).toBe(600);
    expect(body.change24h).toBeUndefined();
    const assets = body.allocation.assets.map((asset: Record<string, string>) => [
      asset.symbol,
      asset.valueUsd,
      asset.share && toDecimal(asset.share).toFixed(4),
    ]);
    expect(assets).toEqual([
      ['ETH', '6000', '0.8889'],
      ['USDC', '750', '0.1111'],
      ['NOPRICE', undefined, undefined],
    ]);
    expect(body.allocation.chains.map((chain: Record<string, string>) => [chain.name, chain.valueUsd])).toEqual([
      ['Ethereum', '6500'],
      ['Arbitrum', '250'],
    ]);
    expect(
      body.allocation.sectors.map((row: Record<string, string>) => [row.label, toDecimal(row.share!).toFixed(4)]),
    ).toEqual([
      ['Layer 1', '0.8889'],
      ['Stablecoins', '0.1111'],
    ]);
    expect(body.wallets).toEqual([
      expect.objectContaining({
        address: ALICE_WALLET,
        label: 'Savings & Co',
        family: 'evm',
        chains: ['1', '42161'],
        valueUsd: '6750',
        lastSyncedAt: SYNCED_AT.toISOString(),
        ageSeconds: 600,
      }),
    ]);
    expect(body.notes).toEqual({ staleWallets: 0, unpricedTokens: 1, hiddenRiskTokens: 1 });
  });

  it('builds no OKX client: every answer comes from DynamoDB', async () => {
    await get(ALICE, 'portfolio');
    await get(ALICE, 'performance', { window: 'all' });
    expect(app.built).toContain('miniapp');
    expect(app.built).not.toContain('okx');
    expect(app.built).not.toContain('portfolio');
  });

  it('equals what /portfolio shows in the chat, to the last digit', async () => {
    const [body, view] = [bodyOf(await get(ALICE, 'portfolio')), await chat.getLiveView(String(ALICE))];
    expect(body.totalValueUsd).toBe(view.totalValueUsd);
    expect(body.allocation.assets.map((asset: Record<string, string>) => asset.share)).toEqual(
      view.assets.map((asset) => asset.share),
    );
  });
});

describe('user A never reads or changes user B', () => {
  it('answers each user their own portfolio, whatever the query or body says', async () => {
    expect(bodyOf(await get(ALICE, 'portfolio')).totalValueUsd).toBe('6750');
    expect(bodyOf(await get(BOB, 'portfolio')).totalValueUsd).toBe('3000');
    expect(bodyOf(await get(ALICE, 'portfolio', { userId: String(BOB), user: String(BOB) })).totalValueUsd).toBe(
      '6750',
    );
    const diversification = bodyOf(await get(BOB, 'diversification'));
    expect(JSON.stringify(diversification)).not.toContain(ALICE_WALLET);
  });

  it('writes a target only for the user who signed, even when the body names another', async () => {
    const result = await putTargets(ALICE, {
      userId: String(BOB),
      target: [
        { asset: 'ETH', percent: '70' },
        { asset: 'USDC', percent: '30' },
      ],
    });
    expect(result.statusCode).toBe(200);
    expect(await chat.getTargetAllocation(String(ALICE))).toEqual({ eth: '70', usdc: '30' });
    expect(await chat.getTargetAllocation(String(BOB))).toBeUndefined();
    expect(bodyOf(await get(BOB, 'targets')).target).toEqual([]);
  });

  it('refuses initData whose user id was swapped for another user', async () => {
    const forged = signed(ALICE).replace(encodeURIComponent(`"id":${ALICE}`), encodeURIComponent(`"id":${BOB}`));
    const result = await handler(miniAppEvent('GET', '/miniapp/api/portfolio', { initData: forged }));
    expect(result.statusCode).toBe(401);
    expect(result.body).not.toContain('3000');
  });
});

describe('initData', () => {
  const unauthorized = {
    error: { code: 'unauthorized', message: 'Open the dashboard from the bot to sign in.' },
  };

  it.each([
    ['missing', undefined],
    ['forged', `${signed(ALICE).slice(0, -4)}0000`],
    ['signed by another bot', signed(ALICE, OTHER_BOT_TOKEN)],
    ['expired (older than the maximum age)', telegramInitData(ALICE, new Date(NOW.getTime() - 3601_000))],
    ['sent in another header', signed(ALICE)],
  ])('%s: 401 with no data, and nothing read', async (name, initData) => {
    const event = miniAppEvent('GET', '/miniapp/api/portfolio', {
      ...(initData === undefined ? {} : { initData }),
      ...(name.startsWith('sent in') ? { headerName: 'authorization' } : {}),
    });
    const result = await handler(event);
    expect(result.statusCode).toBe(401);
    expect(JSON.parse(result.body!)).toEqual(unauthorized);
    expect(logger.lines).toEqual([
      expect.objectContaining({ level: 'warn', message: 'mini app call refused', fields: expect.any(Object) }),
    ]);
    expect(JSON.stringify(logger.lines)).not.toContain('hash=');
  });

  it('a PUT with bad initData changes nothing', async () => {
    const before = await chat.getTargetAllocation(String(BOB));
    const event = miniAppEvent('PUT', '/miniapp/api/targets', {
      initData: signed(BOB, OTHER_BOT_TOKEN),
      body: { target: [{ asset: 'ETH', percent: '100' }] },
    });
    expect((await handler(event)).statusCode).toBe(401);
    expect(await chat.getTargetAllocation(String(BOB))).toEqual(before);
  });

  it('a header header in any case is read (HTTP header names are case-insensitive)', async () => {
    const event = miniAppEvent('GET', '/miniapp/api/portfolio', {
      initData: signed(BOB),
      headerName: 'X-Telegram-Init-Data',
    });
    expect((await handler(event)).statusCode).toBe(200);
  });
});

describe('GET /miniapp/api/performance', () => {
  it('answers the Report’s figures for the window, with the series ending at the live total', async () => {
    const body = bodyOf(await get(ALICE, 'performance', { window: '24h' }));
    const report = (await chat.getReport(String(ALICE), '24h')).performance;
    expect(body.window).toBe('24h');
    expect(body.series.at(-1)).toEqual({ time: NOW.toISOString(), valueUsd: '6750', estimated: false });
    expect(body.series.map((point: Record<string, string>) => point.valueUsd)).toEqual(
      report.series.map((point) => point.valueUsd),
    );
    expect(body.figures[0]).toEqual({
      key: 'pnl',
      label: 'P&L',
      unit: 'usd',
      value: report.pnlUsd.value,
      method: report.pnlUsd.method,
    });
    expect(body.figures.map((figure: Record<string, string>) => figure.key)).toEqual(
      ['pnl', 'simpleRoi', 'twr', 'annualisedTwr', 'maxDrawdown'].filter(
        (key) => key === 'pnl' || (report as unknown as Record<string, unknown>)[key] !== undefined,
      ),
    );
    expect(body.values.withdrawalsUsd).toBe('0');
  });

  it('takes 7d when no window is given and refuses an unknown window', async () => {
    expect(bodyOf(await get(ALICE, 'performance')).window).toBe('7d');
    const result = await get(ALICE, 'performance', { window: '2w' });
    expect(result.statusCode).toBe(400);
    expect(bodyOf(result).error.code).toBe('bad-request');
  });
});

describe('GET /miniapp/api/diversification', () => {
  it('answers the Report’s figures and flags, each with the chat’s sentence as plain text', async () => {
    const body = bodyOf(await get(ALICE, 'diversification'));
    const kinds = body.flags.map((flag: Record<string, string>) => [flag.kind, flag.subjectLabel]);
    // ETH 88.9 % > 50 %, Ethereum 96.3 % > 80 % (the Report flags no sector made of one flagged asset); USDC on Arbitrum without ETH there for gas.
    expect(kinds).toEqual([
      ['asset-concentration', 'ETH'],
      ['chain-concentration', 'Ethereum'],
      ['low-gas-reserve', 'Arbitrum'],
    ]);
    expect(body.flags[0].message).toBe(
      'ETH is 88.9 % of your portfolio (above 50.0 %): one asset drives most of your ups and downs.',
    );
    // The chat escapes the label for HTML ("Savings &amp; Co"); the dashboard gets it as the user typed it.
    expect(body.flags[2].message).toMatch(/^Low gas in wallet Savings & Co \(0x1111…1111\) on Arbitrum: /);
    expect(body.caveat).toMatch(/^Crypto assets tend to move together/);
  });
});

describe('PUT /miniapp/api/targets (the rules of /target)', () => {
  it('saves a valid mix, normalised to asset ids, and answers what GET answers', async () => {
    const result = await putTargets(BOB, {
      target: [
        { asset: 'eth', percent: '33.33%' },
        { asset: 'USDC', percent: '33.33' },
        { asset: 'btc', percent: '33.33' },
      ],
    });
    expect(result.statusCode).toBe(200);
    const body = bodyOf(result);
    expect(body.target).toEqual([
      { assetId: 'btc', symbol: 'BTC', percent: '33.33' },
      { assetId: 'eth', symbol: 'ETH', percent: '33.33' },
      { assetId: 'usdc', symbol: 'USDC', percent: '33.33' },
    ]);
    expect(body.holdings).toEqual([{ assetId: 'eth', symbol: 'ETH', valueUsd: '3000', share: '1' }]);
    expect(body.unlisted).toBe('keep');
    expect(body.rules).toEqual({ sumPercent: '100', tolerancePp: '0.01' });
    expect(bodyOf(await get(BOB, 'targets')).target).toEqual(body.target);
  });

  it.each([
    [
      [
        { asset: 'ETH', percent: '60' },
        { asset: 'USDC', percent: '30' },
      ],
      'invalid-target',
      'targets add up to 90 %, they must add up to 100 %',
    ],
    [
      [
        { asset: 'ETH', percent: '50' },
        { asset: 'eth', percent: '50' },
      ],
      'invalid-target',
      'eth appears twice.',
    ],
    [
      [
        { asset: 'ETH', percent: '-5' },
        { asset: 'USDC', percent: '105' },
      ],
      'invalid-target',
      '"-5" is not a percentage (for ETH).',
    ],
    [[{ asset: 'ETH', percent: '1e2' }], 'invalid-target', '"1e2" is not a percentage (for ETH).'],
    [
      [
        { asset: '50', percent: '50' },
        { asset: 'ETH', percent: '50' },
      ],
      'invalid-target',
      'Expected an asset name, got the number "50".',
    ],
    [[{ asset: 'E TH', percent: '100' }], 'invalid-target', 'Give pairs of asset and percent (I got 3 values).'],
    [[], 'invalid-target', 'targets add up to 0 %, they must add up to 100 %'],
    [[{ asset: 'ZZZQQ', percent: '100' }], 'unknown-asset', 'not in your portfolio: zzzqq'],
    [[{ asset: 'ETH', percent: 100 }], 'bad-request', 'each entry needs "asset" and "percent" as strings'],
    [{ ETH: '100' }, 'bad-request', 'expected { "target": [{ "asset": "ETH", "percent": "50" }] }'],
  ])('refuses %j: %s', async (target, code, message) => {
    // A user of its own per case: each PUT spends one of the user's 10 writes a minute.
    const user = (nextUser += 1);
    await chat.setTargetAllocation(String(user), { eth: '100' });
    const result = await putTargets(user, { target });
    expect(result.statusCode).toBe(400);
    expect(bodyOf(result)).toEqual({ error: { code, message } });
    expect(await chat.getTargetAllocation(String(user))).toEqual({ eth: '100' });
  });

  it('refuses a body that is not JSON, or too large', async () => {
    const notJson = await handler(
      miniAppEvent('PUT', '/miniapp/api/targets', { initData: signed(ALICE), body: '{"target":', base64: true }),
    );
    expect(bodyOf(notJson)).toEqual({ error: { code: 'bad-request', message: 'body is not JSON' } });
    const large = await putTargets(ALICE, { target: [], pad: 'x'.repeat(65 * 1024) });
    expect(bodyOf(large)).toEqual({ error: { code: 'bad-request', message: 'body over 64 KB' } });
  });

  it('refuses more than 50 entries', async () => {
    const target = Array.from({ length: 51 }, (_, index) => ({ asset: `a${index}`, percent: '1' }));
    expect(bodyOf(await putTargets((nextUser += 1), { target }))).toEqual({
      error: { code: 'bad-request', message: 'at most 50 entries, got 51' },
    });
  });
});

describe('DynamoDB access', () => {
  it('sends only the actions the stack grants the Mini App function (TABLE_ACCESS.miniapp)', async () => {
    sent.length = 0;
    await get(ALICE, 'portfolio');
    await get(ALICE, 'performance', { window: '90d' });
    await get(ALICE, 'diversification');
    await get(ALICE, 'targets');
    await putTargets(ALICE, { target: [{ asset: 'ETH', percent: '100' }] });
    const granted = Object.entries(TABLE_ACCESS.miniapp).flatMap(([table, actions]) =>
      actions.map((action) => `${table}:${action}`),
    );
    expect([...new Set(sent)].filter((request) => !granted.includes(request))).toEqual([]);
    expect(sent).toContain('portfolios:UpdateItem');
  });
});

describe('routes and failures', () => {
  it('404 for an unknown route and 405 for another method, before any initData check', async () => {
    const missing = await handler(miniAppEvent('GET', '/miniapp/api/wallets/../portfolio'));
    expect(missing.statusCode).toBe(404);
    expect(bodyOf(missing).error.code).toBe('not-found');
    const wrong = await handler(miniAppEvent('DELETE', '/miniapp/api/targets'));
    expect(wrong.statusCode).toBe(405);
    expect(wrong.headers).toMatchObject({ allow: 'GET, PUT' });
  });

  it('500 naming only the request id when the bot token cannot be loaded; no data, the error class logged', async () => {
    const failing = createMiniAppHandler({
      api: createMiniAppApi(() => miniAppDepsOf(app)),
      getBotToken: () => Promise.reject(new TypeError('secret unavailable')),
      maxAgeSeconds: 3600,
      logger,
    });
    const result = await failing(miniAppEvent('GET', '/miniapp/api/portfolio', { initData: signed(ALICE) }));
    expect(result.statusCode).toBe(500);
    expect(bodyOf(result)).toEqual({
      error: { code: 'internal', message: 'Something went wrong (request req-miniapp-1); try again later.' },
    });
    expect(logger.lines[0]).toMatchObject({ level: 'error', fields: { errorName: 'TypeError' } });
  });

  it('allows 10 target writes a minute per user, then 429 with retry-after; reads go on', async () => {
    // The budget's window follows the system clock: held still, so the 11 writes fall in one window.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2036-12-03T12:00:10.000Z'));
    const user = (nextUser += 1);
    const mix = { target: [{ asset: 'ETH', percent: '100' }] };
    const statuses: (number | undefined)[] = [];
    for (let index = 0; index < 11; index += 1) statuses.push((await putTargets(user, mix)).statusCode);
    expect(statuses).toEqual([...Array(10).fill(200), 429]);
    const refused = await putTargets(user, mix);
    expect(bodyOf(refused).error).toEqual({
      code: 'rate-limited',
      message: 'Too many requests: try again in 50 s.',
      retryAfterSeconds: 50,
    });
    expect(refused.headers).toMatchObject({ 'retry-after': '50' });
    expect((await get(user, 'targets')).statusCode).toBe(200);
    vi.useRealTimers();
  });
});
