import { createDueIndexStore, DUE_SHARD_NUMBERS } from '../../shared/wallets/portfolio-store';
import { AsyncLocalStorage } from 'node:async_hooks';
import { createDynamoDocumentClient } from '../../shared/platform/dynamo/dynamo-client';
import { chunk } from '../../shared/platform/helpers';
import { createSnapshotStore } from '../../shared/sync/snapshot-store';
import { tableEnv, type TableNames } from '../../shared/platform/dynamo/table-definitions';
import { ENV } from '../../shared/platform/config/env-names';
import { logger } from '../../shared/platform/logger';
import { startDynamoLocal } from '../dynamodb-local';
import { startLocalSyncLoop, type LocalCycleReport } from '../local/sync-loop';
import { okxEnvOf, startOkxSandbox, type OkxSandbox } from '../okx-sandbox/index';
import { countWrittenItems, measureItemsPerSync } from './items-per-sync';
import {
  benchAddress,
  countCommands,
  createLocalTables,
  readPeakRssMiB,
  readProcessCpuSeconds,
  readSettings,
  seedUsers,
} from './bench-setup';

const quiet = logger.createChild({ logLevel: 'SILENT' });

/**
 * `npm run bench [-- --users=1000 --addresses=2000 --rate=10 --latency=50 --move=1 --shared-limit=1 --tokens=10,100,500]`
 * (or BENCH_USERS, BENCH_ADDRESSES, BENCH_RATE, BENCH_LATENCY_MS, BENCH_CONCURRENCY, BENCH_SHARED_PERCENT,
 * BENCH_MOVE_PERCENT, BENCH_SHARED_LIMIT, BENCH_TOKENS): one steady-state sync cycle of N users x M distinct
 * addresses (some tracked by two users) through the real fan-out, worker and PortfolioService, against the
 * OKX sandbox (rate-limited, with latency) and an in-memory DynamoDB Local; `--shared-limit=1` turns on the
 * account-wide OKX limiter in DynamoDB for the measured cycle, as in AWS. Then, apart from the cycle, the items
 * one steady-state sync writes after a price move, for one address holding each of `--tokens` tokens.
 *
 * Setup, timed apart from the measured cycle: seed the users, then a warm-up cycle one slot earlier
 * against an unthrottled copy of the sandbox (same seed, same portfolios), so every user already has
 * holdings and a snapshot, as in production; then every non-stable price moves by `--move` percent.
 * The measured cycle starts one second into a fresh 10-minute slot, so no slot boundary falls inside it.
 */
const SLOT_MS = 600_000;
const settings = readSettings();

async function main(): Promise<void> {
  const started = Date.now();
  const dynamo = await startDynamoLocal();
  const sandbox = await startOkxSandbox({
    port: 0,
    seed: 7,
    rateLimitPerSecond: settings.rate,
    latencyMs: settings.latency,
  });
  const warmSandbox = await startOkxSandbox({ port: 0, seed: 7, rateLimitPerSecond: 10_000 });
  try {
    const tables = await createLocalTables(dynamo.endpoint, 'bench');
    const engineMs = Date.now() - started;

    const doc = createDynamoDocumentClient({ endpoint: dynamo.endpoint, region: 'us-east-1' });
    const seedStarted = Date.now();
    const seeded = await seedUsers(doc, tables.portfolios, settings, new Date(Date.now() - 3_600_000).toISOString());
    const seedMs = Date.now() - seedStarted;

    // The service's clock is shifted so that each cycle starts just after a slot boundary.
    let shiftMs = 0;
    const clock = () => new Date(Date.now() + shiftMs);
    const startOfNextSlot = () => {
      shiftMs = Math.ceil(Date.now() / SLOT_MS) * SLOT_MS + 1000 - Date.now();
      return clock();
    };

    const warmStarted = Date.now();
    const warmTime = new Date(startOfNextSlot().getTime() - SLOT_MS);
    shiftMs -= SLOT_MS;
    const warm = await runOneCycle(envFor(dynamo.endpoint, tables, warmSandbox, 10_000), clock, warmTime, 64);
    // A day of history, as a user synced every 10 minutes has: each user's warm-up point again, 24 h earlier, so
    // the 24 h change (alert check, /portfolio) finds its baseline in the snapshots as in production, instead of
    // falling back to one price query per token, which only a user younger than a day pays.
    await copyWarmUpPointsADayBack(doc, tables.snapshots, warmTime);
    const warmMs = Date.now() - warmStarted;
    // The sandbox sizes an address's generated portfolio at the prices of its first read: read them all
    // before the move, so the measured cycle sees the warm-up's balances at moved prices (a pure price move).
    for (let n = 0; n < settings.addresses; n += 1) sandbox.world.getBalances(benchAddress(n));
    if (settings.move > 0) await moveMarket(sandbox, settings.move);

    const env = {
      ...envFor(dynamo.endpoint, tables, sandbox, settings.rate),
      ...(settings.sharedLimit ? { [ENV.okxSharedRateLimit]: 'true' } : {}),
    };
    const loop = await startLocalSyncLoop({
      env,
      now: clock,
      intervalSeconds: 600,
      runOnStart: false,
      concurrency: settings.concurrency,
      logger: quiet,
    });
    const loopDoc = (await loop.app.dynamo()).doc;
    // The alert check the worker runs after each user's sync (issue 14) is counted apart from the sync itself.
    const alertScope = new AsyncLocalStorage<true>();
    const evaluator = await loop.app.alerts();
    if (evaluator) {
      const evaluate = evaluator.evaluate.bind(evaluator);
      evaluator.evaluate = (userId, known) => alertScope.run(true, () => evaluate(userId, known));
    }
    const dynamoCalls = countCommands(loopDoc, () => (alertScope.getStore() ? 'alert check' : 'sync'));
    const itemsWritten = countWrittenItems(loopDoc);
    sandbox.stats.reset();
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
    const timeline: string[] = [];
    let last = { okx: 0, dynamo: 0 };
    const ticker = setInterval(() => {
      const now = {
        okx: sandbox.stats.totalRequests,
        dynamo: [...dynamoCalls.values()].reduce((sum, count) => sum + count, 0),
      };
      timeline.push(`${now.okx - last.okx}/${now.dynamo - last.dynamo}`);
      last = now;
    }, 1000);
    const [nodeCpu, javaCpu] = [process.cpuUsage(), readProcessCpuSeconds(dynamo.pid)];
    const scheduledTime = startOfNextSlot();
    const report = await loop.runCycle(scheduledTime);
    clearInterval(sampler);
    clearInterval(ticker);
    const nodeCpuUsed = process.cpuUsage(nodeCpu);
    const nodeCpuSeconds = (nodeCpuUsed.user + nodeCpuUsed.system) / 1e6;
    const javaCpuSeconds = (readProcessCpuSeconds(dynamo.pid) ?? NaN) - (javaCpu ?? NaN);
    await loop.stop();

    const due = createDueIndexStore(doc, tables.portfolios);
    const counts = await Promise.all(
      DUE_SHARD_NUMBERS.map((shard) =>
        due.countDueUsers(shard, { syncedBefore: scheduledTime.toISOString(), maxPages: 1000 }),
      ),
    );
    const notSynced = counts.reduce((sum, count) => sum + count.count, 0);
    const lost = notSynced + report.deadLetters;
    const dynamoRequests = [...dynamoCalls.values()].reduce((sum, count) => sum + count, 0);
    const floorSeconds = seeded.distinct / settings.rate;
    const wallSeconds = report.elapsedMs / 1000;
    const perPath = sandbox.stats.perPath;
    const balanceCalls = Object.entries(perPath)
      .filter(([path]) => path.includes('/balance/'))
      .reduce((sum, [, count]) => sum + count, 0);
    const perUser = (count: number) => (report.worker.synced > 0 ? (count / report.worker.synced).toFixed(2) : '-');
    const rows: [string, string][] = [
      [
        'users x distinct addresses',
        `${settings.users} x ${seeded.distinct} (${seeded.wallets} wallets, ${seeded.shared} users also track another's address)`,
      ],
      [
        'OKX rate / latency',
        `${settings.rate}/s, ${settings.latency} ms; worker concurrency ${settings.concurrency}; prices moved ${settings.move}%`,
      ],
      ['shared OKX limiter (DynamoDB)', env[ENV.okxSharedRateLimit] === 'true' ? 'on' : 'off'],
      [
        'setup (not in wall time)',
        `engine ${s(engineMs)}, seed ${s(seedMs)}, warm-up cycle ${s(warmMs)} (${warm.worker.synced} synced, ${warm.worker.okxRequests} OKX requests)`,
      ],
      [
        'enqueued / synced / skipped / failed records',
        `${report.fanout.enqueued} / ${report.worker.synced} / ${report.worker.skipped} / ${report.worker.failed}`,
      ],
      ['wall time (fan-out start to queue drained)', `${wallSeconds.toFixed(1)} s`],
      [
        'OKX requests made (sandbox / worker-reported)',
        `${sandbox.stats.totalRequests} / ${report.worker.okxRequests} (balance ${balanceCalls}, candles/other ${sandbox.stats.totalRequests - balanceCalls})`,
      ],
      ['theoretical floor (distinct addresses / rate)', `${floorSeconds.toFixed(1)} s`],
      ['ratio to floor', `${(wallSeconds / floorSeconds).toFixed(3)} (target <= 1.15)`],
      ['rate-limit errors (429) seen', String(sandbox.stats.rateLimited)],
      ['max requests in any 1 s window', String(sandbox.stats.maxRequestsPerSecond())],
      ['DynamoDB items written (service-reported)', String(report.worker.itemsWritten)],
      [
        '  counted on the wire, by kind',
        `${itemsWritten.total()}: ${Object.entries(itemsWritten.byKind)
          .map(([kind, count]) => `${kind} ${count}`)
          .join(', ')}`,
      ],
      ['DynamoDB requests, worker side', `${dynamoRequests} = ${perUser(dynamoRequests)} per synced user`],
      [
        '  by step, per synced user',
        [...dynamoCalls.byPhase].map(([phase, count]) => `${phase} ${perUser(count)}`).join(', '),
      ],
      [
        '  by command, per synced user',
        [...dynamoCalls]
          .sort((a, b) => b[1] - a[1])
          .map(([name, count]) => `${name} ${perUser(count)}`)
          .join(', '),
      ],
      [
        '  by command and table',
        [...dynamoCalls.byTable]
          .sort((a, b) => b[1] - a[1])
          .map(([name, count]) => `${name} ${perUser(count)}`)
          .join(', '),
      ],
      [
        'CPU during the cycle (node / DynamoDB Local)',
        `${nodeCpuSeconds.toFixed(1)} s / ${javaCpuSeconds.toFixed(1)} s`,
      ],
      [
        'peak memory (RSS): bench process / DynamoDB Local',
        `${(peakRss / 2 ** 20).toFixed(0)} MiB / ${readPeakRssMiB(dynamo.pid)?.toFixed(0) ?? '?'} MiB`,
      ],
      ['lost users (not synced this cycle, or dead-lettered)', String(lost)],
    ];
    for (const [label, value] of rows) console.log(`${label.padEnd(52)} ${value}`);
    console.log(`[bench] OKX requests per path: ${JSON.stringify(perPath)}`);
    if (settings.timeline)
      console.log(`[bench] OKX/DynamoDB requests in each second of the cycle: ${timeline.join(' ')}`);
    if (settings.tokenCounts.length > 0) {
      const measured = await measureItemsPerSync(
        envFor(dynamo.endpoint, tables, warmSandbox, 10_000),
        warmSandbox,
        settings.tokenCounts,
        settings.move > 0 ? settings.move : 1,
      );
      for (const one of measured) {
        const kinds = Object.entries(one.byKind)
          .map(([kind, count]) => `${kind} ${count}`)
          .join(', ');
        console.log(
          `${`items written per sync, ${one.tokens} tokens held`.padEnd(52)} ${one.total} (${kinds}; sync-reported ${one.reported})`,
        );
      }
    }
    if (lost > 0) process.exitCode = 1;
  } finally {
    await Promise.all([sandbox.stop(), warmSandbox.stop()]);
    await dynamo.stop();
  }
}

/** One cycle through a fresh app and local sync loop (used for the warm-up). */
async function copyWarmUpPointsADayBack(
  doc: ReturnType<typeof createDynamoDocumentClient>,
  snapshotsTable: string,
  warmTime: Date,
): Promise<void> {
  const snapshots = createSnapshotStore(doc, snapshotsTable);
  for (const batch of chunk(
    Array.from({ length: settings.users }, (_, user) => `bench${user}`),
    25,
  ))
    await Promise.all(
      batch.map(async (userId) => {
        const point = await snapshots.latestSnapshotAtOrBefore(
          userId,
          '10m',
          new Date(warmTime.getTime() + SLOT_MS).toISOString(),
        );
        if (!point) return;
        const dayBefore = new Date(Date.parse(point.slot) - 86_400_000).toISOString();
        await snapshots.putSnapshot(userId, { ...point, slot: dayBefore, takenAt: dayBefore });
      }),
    );
}

async function runOneCycle(
  env: Record<string, string | undefined>,
  clock: () => Date,
  scheduledTime: Date,
  concurrency: number,
): Promise<LocalCycleReport> {
  const loop = await startLocalSyncLoop({
    env,
    now: clock,
    intervalSeconds: 600,
    runOnStart: false,
    concurrency,
    logger: quiet,
  });
  const report = await loop.runCycle(scheduledTime);
  await loop.stop();
  if (report.worker.synced !== settings.users)
    throw new Error(`the warm-up cycle synced ${report.worker.synced} of ${settings.users} users`);
  return report;
}

function envFor(
  endpoint: string,
  tables: TableNames,
  sandbox: OkxSandbox,
  rate: number,
): Record<string, string | undefined> {
  return {
    ...process.env,
    [ENV.dynamodbEndpoint]: endpoint,
    [ENV.awsRegion]: 'us-east-1',
    ...tableEnv(tables),
    ...okxEnvOf(sandbox),
    [ENV.okxRateLimitPerSecond]: String(rate),
  };
}

/** The sandbox's own market shock control (no auth, not counted in its stats). */
async function moveMarket(sandbox: OkxSandbox, percent: number): Promise<void> {
  const response = await fetch(`${sandbox.url}/__sandbox/move-market`, {
    method: 'POST',
    body: JSON.stringify({ percent: String(percent) }),
  });
  if (!response.ok) throw new Error(`move-market failed: ${response.status} ${await response.text()}`);
}

function s(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

main().catch((error: unknown) => {
  console.error(`[bench] failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
