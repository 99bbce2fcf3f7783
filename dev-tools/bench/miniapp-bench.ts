import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createApp } from '../../shared/app/create-app';
import { miniAppDepsOf } from '../../shared/app/miniapp-part';
import { resolveTrackedChains } from '../../shared/kernel/chains';
import type { Holding } from '../../shared/kernel/types';
import { ENV } from '../../shared/platform/config/env-names';
import type { Log } from '../../shared/platform/logger';
import { signInitData } from '../../shared/miniapp/init-data';
import { createMiniAppApi } from '../../shared/miniapp/miniapp-api';
import { createMiniAppHandler } from '../../shared/miniapp/miniapp-http';
import { createHoldingsStore } from '../../shared/sync/holdings-store';
import { createPriceStore, priceHoldings } from '../../shared/sync/price-store';
import { createPortfolioStore } from '../../shared/wallets/portfolio-store';
import { withBenchSystem } from './bench-setup';
import { seedHistory } from './report-history';

/**
 * `npm run bench:miniapp [-- --runs=60 --wallets=3 --days=365]`: the Mini App API as its Lambda runs it (initData
 * check, the per-user request window, the chat's portfolio service over DynamoDB Local), warm, for a user with
 * `--wallets` generated EVM wallets (OKX sandbox) and `--days` of daily history. Prints p50/p95/max of
 * `GET /miniapp/api/portfolio` (the dashboard's first view) and of `GET /miniapp/api/performance?window=7d`.
 * The runs of both stay under the user's 120 reads a minute.
 */
const USER = 424242;
const TOKEN = '100000:BENCH-miniapp';
const silent = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Log;

function readCount(name: string, fallback: number): number {
  const arg = process.argv.slice(2).find((candidate) => candidate.startsWith(`--${name}=`));
  const value = Number(arg?.split('=')[1] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive whole number`);
  return value;
}

function event(path: string, query: Record<string, string> | undefined, initData: string): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'GET /miniapp/api/{proxy+}',
    rawPath: path,
    rawQueryString: query ? new URLSearchParams(query).toString() : '',
    headers: { 'x-telegram-init-data': initData },
    ...(query ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: 'bench',
      apiId: 'bench',
      domainName: 'bench',
      domainPrefix: 'bench',
      http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      requestId: 'bench',
      routeKey: 'GET /miniapp/api/{proxy+}',
      stage: '$default',
      time: '',
      timeEpoch: 0,
    },
    isBase64Encoded: false,
  };
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function main(): Promise<void> {
  const runs = readCount('runs', 60);
  const walletCount = readCount('wallets', 3);
  const days = readCount('days', 365);
  if (runs + Math.ceil(runs / 2) + 4 > 120)
    throw new Error('--runs must leave the user within 120 reads a minute (≤ 76)');
  await withBenchSystem('mbench', async ({ tables, env: systemEnv }) => {
    const env = { ...systemEnv, [ENV.telegramBotToken]: TOKEN, [ENV.telegramWebhookSecret]: 'bench' };
    // Seeding as the chat would have: the wallets, one sync (OKX sandbox), then a year of daily history.
    const seeding = createApp(env);
    const { doc } = await seeding.dynamo();
    const service = await seeding.portfolio();
    const longAgo = new Date(Date.now() - (days + 30) * 86_400_000).toISOString();
    const wallets = createPortfolioStore(doc, tables.portfolios);
    const walletIds = Array.from({ length: walletCount }, (_, index) => `w${index}`);
    for (const [index, walletId] of walletIds.entries()) {
      const address = `0x${(0xbe0c0000 + index).toString(16).padStart(40, '0')}`;
      const wallet = { userId: String(USER), walletId, address, family: 'evm' as const, addedAt: longAgo };
      await wallets.addWallet({ ...wallet, chains: resolveTrackedChains('evm'), lastSyncedAt: longAgo }, 10);
    }
    await wallets.markSynced(String(USER), walletIds, longAgo);
    await service.syncBalances(String(USER));
    const holdings = (await priceHoldings(
      createPriceStore(doc, tables.prices),
      await createHoldingsStore(doc, tables.holdings).listHoldings(String(USER)),
      await wallets.listWallets(String(USER)),
    )) as unknown as Holding[];
    await seedHistory(doc, tables.snapshots, String(USER), holdings, days, new Date(), 'daily');

    // The Lambda's own app (the dashboard routes read DynamoDB only), the bot token from the environment.
    const app = createApp(env);
    const handler = createMiniAppHandler({
      api: createMiniAppApi(() => miniAppDepsOf(app)),
      getBotToken: async () => TOKEN,
      maxAgeSeconds: 86_400,
      logger: silent,
    });
    const initData = signInitData({ id: USER, first_name: 'Bench' }, TOKEN, new Date());
    const measure = async (name: string, path: string, count: number, query?: Record<string, string>) => {
      const timings: number[] = [];
      for (let run = -2; run < count; run += 1) {
        const started = performance.now();
        const result = await handler(event(path, query, initData));
        const elapsed = performance.now() - started;
        if (result.statusCode !== 200) throw new Error(`${name}: HTTP ${result.statusCode} ${result.body}`);
        if (run >= 0) timings.push(elapsed);
      }
      const sorted = timings.sort((a, b) => a - b);
      const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
      console.log(
        `${name.padEnd(34)} warm runs ${count}: p50 ${fmt(percentile(sorted, 50))}  p95 ${fmt(percentile(sorted, 95))}  max ${fmt(sorted.at(-1)!)}`,
      );
    };
    console.log(
      `Mini App API on DynamoDB Local: ${walletCount} wallets, ${holdings.length} holdings, ${days} days of history`,
    );
    await measure('GET /miniapp/api/portfolio', '/miniapp/api/portfolio', runs);
    await measure('GET /miniapp/api/performance 7d', '/miniapp/api/performance', Math.ceil(runs / 2), { window: '7d' });
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
