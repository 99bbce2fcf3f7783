import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDueIndexStore, DUE_SHARD_NUMBERS } from '../../shared/adapters/dynamo/due-index-store';
import { createDynamoDocumentClient } from '../../shared/adapters/dynamo/dynamo-client';
import { ensureTables } from '../../shared/adapters/dynamo/ensure-tables';
import { createPortfolioStore } from '../../shared/adapters/dynamo/portfolio-store';
import { localTableNames, tableEnv } from '../../shared/adapters/dynamo/table-definitions';
import { ENV } from '../../shared/config/env-names';
import { resolveTrackedChains } from '../../shared/domain/chains';
import { createPortfolioRuntime } from '../../shared/services/portfolio-runtime';
import { startDynamoLocal } from '../dynamodb-local';
import { startLocalSyncLoop } from '../local/sync-loop';
import { startOkxSandbox } from '../okx-sandbox/index';

/**
 * `npm run bench [-- --users=1000 --addresses=2000 --rate=50 --latency=50]` (or BENCH_USERS, BENCH_ADDRESSES,
 * BENCH_RATE, BENCH_LATENCY_MS, BENCH_CONCURRENCY, BENCH_SHARED_PERCENT): one steady-state sync cycle of N users
 * x M distinct addresses (some tracked by two users) through the real fan-out, worker and PortfolioService,
 * against the OKX sandbox (rate-limited, with latency) and an in-memory DynamoDB Local.
 */
const settings = readSettings();

async function main(): Promise<void> {
  const dynamo = await startDynamoLocal();
  const sandbox = await startOkxSandbox({ port: 0, seed: 7, rateLimitPerSecond: settings.rate, latencyMs: settings.latency });
  try {
    const tables = localTableNames('bench');
    const raw = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await ensureTables(raw, tables);
    raw.destroy();
    const env = {
      ...process.env,
      [ENV.dynamodbEndpoint]: dynamo.endpoint,
      [ENV.awsRegion]: 'us-east-1',
      ...tableEnv(tables),
      [ENV.okxBaseUrl]: sandbox.url,
      [ENV.okxApiKey]: sandbox.credentials.apiKey,
      [ENV.okxApiSecret]: sandbox.credentials.secretKey,
      [ENV.okxApiPassphrase]: sandbox.credentials.passphrase,
      [ENV.okxProjectId]: sandbox.credentials.projectId,
      [ENV.okxRateLimitPerSecond]: String(settings.rate),
    };
    const doc = createDynamoDocumentClient({ endpoint: dynamo.endpoint, region: 'us-east-1' });
    const seeded = await seedUsers(doc, tables.portfolios);
    console.log(`[bench] seeded ${settings.users} users, ${seeded.wallets} wallets, ${seeded.distinct} distinct addresses (${seeded.shared} shared) in ${seeded.ms} ms`);

    const runtime = await createPortfolioRuntime(env);
    const dynamoCalls = countCommands(runtime.doc);
    const loop = await startLocalSyncLoop({ env, intervalSeconds: 600, runtime, runOnStart: false, concurrency: settings.concurrency, log: () => undefined });
    sandbox.stats.reset();
    dynamoCalls.clear();
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
    const scheduledTime = new Date();
    const report = await loop.runCycle(scheduledTime);
    clearInterval(sampler);
    await loop.stop();

    const due = createDueIndexStore(doc, tables.portfolios);
    const notSynced = (await Promise.all(DUE_SHARD_NUMBERS.map((shard) => due.countDueUsers(shard, { syncedBefore: scheduledTime.toISOString(), maxPages: 1000 })))).reduce((sum, count) => sum + count.count, 0);
    const floorSeconds = seeded.distinct / settings.rate;
    const wallSeconds = report.elapsedMs / 1000;
    const rows: [string, string][] = [
      ['users x distinct addresses', `${settings.users} x ${seeded.distinct} (${seeded.wallets} wallets, ${seeded.shared} shared)`],
      ['OKX rate / latency', `${settings.rate}/s, ${settings.latency} ms; worker concurrency ${settings.concurrency}`],
      ['enqueued / synced / skipped / failed records', `${report.fanout.enqueued} / ${report.worker.synced} / ${report.worker.skipped} / ${report.worker.failed}`],
      ['wall time', `${wallSeconds.toFixed(1)} s`],
      ['requests made (sandbox / worker-reported)', `${sandbox.stats.totalRequests} / ${report.worker.okxRequests}`],
      ['theoretical floor (distinct addresses / rate)', `${floorSeconds.toFixed(1)} s`],
      ['ratio to floor', `${(wallSeconds / floorSeconds).toFixed(3)} (target <= 1.15)`],
      ['rate-limit errors (429) seen', String(sandbox.stats.rateLimited)],
      ['max requests in any 1 s window', String(sandbox.stats.maxRequestsPerSecond())],
      ['DynamoDB items written (service-reported)', String(report.worker.itemsWritten)],
      ['DynamoDB requests by the worker side', `${[...dynamoCalls.values()].reduce((sum, count) => sum + count, 0)} ${JSON.stringify(Object.fromEntries(dynamoCalls))}`],
      ['peak memory (RSS)', `${(peakRss / 2 ** 20).toFixed(0)} MiB`],
      ['lost users (not synced this cycle, or dead-lettered)', String(notSynced + report.deadLetters)],
    ];
    for (const [label, value] of rows) console.log(`${label.padEnd(52)} ${value}`);
    console.log(`[bench] requests per path: ${JSON.stringify(sandbox.stats.perPath)}`);
    if (notSynced + report.deadLetters > 0) process.exitCode = 1;
  } finally {
    await sandbox.stop();
    await dynamo.stop();
  }
}

/**
 * Address i belongs to user i mod N; `sharedPercent` of the users also track one address of another
 * (pseudo-random) user. Users are marked synced an hour ago: a steady-state cycle, not a first sync
 * (a first sync also back-fills chart history from candles, which is a different cost).
 */
async function seedUsers(doc: ReturnType<typeof createDynamoDocumentClient>, table: string) {
  const started = Date.now();
  const store = createPortfolioStore(doc, table);
  const chains = resolveTrackedChains('evm');
  const address = (n: number) => `0x${(n + 1).toString(16).padStart(40, '0')}`;
  const byUser = Array.from({ length: settings.users }, () => [] as string[]);
  for (let n = 0; n < settings.addresses; n += 1) byUser[n % settings.users]!.push(address(n));
  let shared = 0;
  for (let user = 0; user < settings.users; user += 1) {
    if ((user * 7919) % 100 >= settings.sharedPercent) continue;
    const other = byUser[(user * 104_729 + 13) % settings.users]!;
    const pick = other[0];
    if (!pick || byUser[user]!.includes(pick)) continue;
    byUser[user]!.push(pick);
    shared += 1;
  }
  const lastSyncedAt = new Date(Date.now() - 3_600_000).toISOString();
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < settings.users) {
        const user = next++;
        const userId = `bench${user}`;
        const addresses = byUser[user]!.slice(0, 10);
        for (const [index, wallet] of addresses.entries())
          await store.addWallet({ userId, walletId: `w${index}`, address: wallet, family: 'evm', chains, addedAt: lastSyncedAt, lastSyncedAt }, 10);
        await store.markSynced(userId, addresses.map((_, index) => `w${index}`), lastSyncedAt);
      }
    }),
  );
  const wallets = byUser.reduce((sum, list) => sum + Math.min(10, list.length), 0);
  return { wallets, distinct: new Set(byUser.flat()).size, shared, ms: Date.now() - started };
}

/** Counts the worker-side document client's commands by name (the fan-out builds its own client). */
function countCommands(doc: ReturnType<typeof createDynamoDocumentClient>): Map<string, number> {
  const counts = new Map<string, number>();
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName);
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'benchCommandCounter' },
  );
  return counts;
}

function readSettings() {
  const args = Object.fromEntries(process.argv.slice(2).map((arg) => /^--([\w-]+)=(.*)$/.exec(arg)).filter((match) => match !== null).map((match) => [match[1]!, match[2]!]));
  const read = (arg: string, envName: string, fallback: number) => {
    const value = Number(args[arg] ?? process.env[envName] ?? fallback);
    if (!Number.isFinite(value) || value < 0) throw new Error(`--${arg} / ${envName} must be a non-negative number`);
    return value;
  };
  const rate = read('rate', 'BENCH_RATE', 50);
  return {
    users: read('users', 'BENCH_USERS', 250),
    addresses: read('addresses', 'BENCH_ADDRESSES', 500),
    rate,
    latency: read('latency', 'BENCH_LATENCY_MS', 50),
    concurrency: read('concurrency', 'BENCH_CONCURRENCY', Math.max(2, rate)),
    sharedPercent: read('shared-percent', 'BENCH_SHARED_PERCENT', 10),
  };
}

main().catch((error: unknown) => {
  console.error(`[bench] failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
