import type { MarketDataPort } from '../platform/okx/market-data-port';
import { createMiniAppApi, type MiniAppApiDeps } from '../miniapp/miniapp-api';
import { createMiniAppHandler } from '../miniapp/miniapp-http';
import { DEFAULTS, ENV, readPositiveIntEnv } from '../platform/config/env-names';
import type { App } from './create-app';
import { signingOf } from './signing-part';

/** Thrown if a dashboard route ever reaches for OKX: its figures come from DynamoDB (only signing calls OKX). */
export class MiniAppMarketError extends Error {
  constructor(method: string) {
    super(`the Mini App API does not call OKX (${method})`);
    this.name = 'MiniAppMarketError';
  }
}

const refuse = (method: string) => () => Promise.reject(new MiniAppMarketError(method));

/** The market the Mini App's portfolio service gets: none (the signing service has its own OKX client). */
export const NO_MARKET: MarketDataPort = {
  getTokenBalances: refuse('getTokenBalances'),
  getTokenInfo: refuse('getTokenInfo'),
  getSpotPrices: refuse('getSpotPrices'),
  getHistoricalCandles: refuse('getHistoricalCandles'),
  getSupportedChains: refuse('getSupportedChains'),
};

/**
 * What the Mini App API's routes use, built once per app: the chat's own portfolio service over the same stores
 * (so every figure equals the chat's), without an OKX client; the settings and cooldown stores; and the signing
 * service (issue 13), the only part that calls OKX (its client is built on the first signing call).
 */
export function miniAppDepsOf(app: App): Promise<MiniAppApiDeps> {
  return app.once('miniapp', async () => {
    const [{ createPortfolioService }, stores] = await Promise.all([
      import('../portfolio/portfolio-service'),
      app.stores(),
    ]);
    const now = app.options.now ?? (() => new Date());
    const signing = await signingOf(app);
    const { portfolios, holdings, prices, snapshots, balanceCache } = stores;
    return {
      portfolio: createPortfolioService({
        portfolios,
        holdings,
        prices,
        snapshots,
        balanceCache,
        market: NO_MARKET,
        now,
      }),
      settings: stores.settings,
      notifications: { alerts: stores.alerts, digests: stores.digests },
      cooldowns: stores.cooldowns,
      signing,
      now,
    };
  });
}

/**
 * The Mini App API's HTTP handler over this app (the Lambda's and `npm start`'s): the routes, the bot token from the
 * Telegram secret to check initData with, and initData's maximum age (cdk.json miniAppInitDataMaxAgeSeconds).
 */
export function miniAppHttpHandlerOf(app: App) {
  return createMiniAppHandler({
    api: createMiniAppApi(() => miniAppDepsOf(app)),
    getBotToken: async () => (await app.telegramCredentials()).botToken,
    maxAgeSeconds: readPositiveIntEnv(
      ENV.miniAppInitDataMaxAgeSeconds,
      Number(DEFAULTS.miniAppInitDataMaxAgeSeconds),
      app.env,
    ),
  });
}
