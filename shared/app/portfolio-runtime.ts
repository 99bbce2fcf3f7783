import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createBalanceCacheStore } from '../sync/balance-cache-store';
import { createDynamoDocumentClient, readDynamoClientOptions } from '../platform/dynamo/dynamo-client';
import { createHoldingsStore } from '../sync/holdings-store';
import { createPortfolioStore } from '../wallets/portfolio-store';
import { createPriceStore } from '../sync/price-store';
import { createSharedRateLimiter } from '../platform/dynamo/shared-rate-limiter-store';
import { createSnapshotStore } from '../sync/snapshot-store';
import { readTableNames, type TableNames } from '../platform/dynamo/table-definitions';
import { createOkxExplorer, readOkxOptionsFromEnv } from '../platform/okx/okx-explorer';
import { loadOkxCredentials } from '../platform/config/credentials';
import { DEFAULTS, ENV } from '../platform/config/env-names';
import { readBooleanEnv, readPositiveIntEnv } from '../platform/config/read-env';
import type { MarketDataPort } from '../platform/okx/market-data-port';
import type { PortfolioServicePort } from '../portfolio/portfolio-service-port';
import { createPortfolioService } from '../portfolio/portfolio-service';
import type { RebalanceMarket } from '../rebalance/rebalance-market';

export interface PortfolioRuntime {
  readonly service: PortfolioServicePort;
  /** The OKX explorer: market data for sync and reports, quotes and swaps for rebalancing. */
  readonly market: MarketDataPort & RebalanceMarket;
  readonly doc: DynamoDBDocumentClient;
  readonly tables: TableNames;
  readonly dryRun: boolean;
}

/** Scope of the account-wide OKX budget in the sessions table (`rate#okx` / `window#<epoch second>`). */
export const OKX_RATE_SCOPE = 'okx';

export interface PortfolioRuntimeOptions {
  readonly now?: () => Date;
  /**
   * 'interactive' (the webhook): this container's OKX requests may use only OKX_INTERACTIVE_SHARE_PERCENT of
   * the shared budget, so the scheduled sync keeps the rest. Default 'sync': the whole budget.
   */
  readonly okxPriority?: 'interactive' | 'sync';
}

/** Builds the clients, stores and service once per Lambda container from the environment. */
export async function createPortfolioRuntime(env: Record<string, string | undefined> = process.env, options: PortfolioRuntimeOptions = {}): Promise<PortfolioRuntime> {
  const tables = readTableNames(env);
  const doc = createDynamoDocumentClient(readDynamoClientOptions(env));
  const credentials = await loadOkxCredentials(env);
  const okxOptions = readOkxOptionsFromEnv(env);
  // Off locally (one process, one bucket); in AWS many containers call OKX, so they share one budget.
  const isSharedLimitOn = readBooleanEnv(ENV.okxSharedRateLimit, false, env);
  // After an auth error the client refetches the secret once, so a rotated key is picked up without a redeploy.
  const market = createOkxExplorer({
    ...okxOptions,
    ...(isSharedLimitOn ? { sharedLimiter: createSharedRateLimiter({ doc, tableName: tables.sessions, scope: OKX_RATE_SCOPE, limitPerSecond: okxOptions.ratePerSecond, ...interactiveShare(env, options) }) } : {}),
    ...(credentials ? { credentials, credentialsProvider: (forceRefresh: boolean) => loadOkxCredentials(env, { forceRefresh }) } : {}),
  });
  const service = createPortfolioService({
    portfolios: createPortfolioStore(doc, tables.portfolios),
    holdings: createHoldingsStore(doc, tables.holdings),
    prices: createPriceStore(doc, tables.prices),
    snapshots: createSnapshotStore(doc, tables.snapshots),
    balanceCache: createBalanceCacheStore(doc, tables.prices),
    market,
    ...(options.now ? { now: options.now } : {}),
  });
  return { service, market, doc, tables, dryRun: readBooleanEnv(ENV.dryRunMode, true, env) };
}

function interactiveShare(env: Record<string, string | undefined>, options: PortfolioRuntimeOptions): { interactiveSharePercent?: number } {
  if (options.okxPriority !== 'interactive') return {};
  return { interactiveSharePercent: Math.min(100, readPositiveIntEnv(ENV.okxInteractiveSharePercent, Number(DEFAULTS.okxInteractiveSharePercent), env)) };
}
