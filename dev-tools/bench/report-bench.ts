import { availableParallelism, loadavg } from 'node:os';
import type { Update } from 'telegraf/types';
import { createWebhookHandler, createUpdateStore } from '../../functions/telegram-webhook/handler';
import { createApp } from '../../shared/app/create-app';
import { createBot } from '../../shared/bot/bot';
import { resolveTrackedChains } from '../../shared/kernel/chains';
import type { Holding, PerformanceWindow } from '../../shared/kernel/types';
import type { Log } from '../../shared/platform/logger';
import { createHoldingsStore } from '../../shared/sync/holdings-store';
import { createPriceStore, priceHoldings } from '../../shared/sync/price-store';
import { createPortfolioStore } from '../../shared/wallets/portfolio-store';
import { readProcessCpuSeconds, withBenchSystem } from './bench-setup';
import { withCpuProfile } from './cpu-profile';
import { measureBreakdown, type Breakdown } from './report-breakdown';
import { seedHistory, type HistoryLayout } from './report-history';
import { trackDynamo } from './report-dynamo-tracker';
import { callbackUpdate, commandUpdate, stubBotApi, webhookEvent } from './report-telegram';

/**
 * `npm run bench:report [-- --runs=50 --warmup=20 --rounds=3 --wallets=3 --days=365 --history=daily|rollups --profile=/tmp/report]`: the Report as the
 * webhook Lambda runs it (secret check, update claim, the telegraf bot, the Report feature, the portfolio
 * service over DynamoDB Local, both charts rendered to PNG), warm, for a user with `--wallets` generated EVM
 * wallets (OKX sandbox) and `--days` of recorded history (see report-history.ts for the layouts). The Bot API
 * is stubbed in process, so Telegram's network time is not in the figures.
 *
 * For each scenario (`/report`: the 7-day report with both charts; the `1y` window button: the year's report
 * text and value chart) it prints, for each of `--rounds` rounds of `--runs` warm runs, p50/p95/max wall time
 * and CPU per Report (this process and DynamoDB Local; CPU moves less than wall time when other work shares
 * the cores, and the rounds show how much the machine's load moves the figures), then DynamoDB requests per
 * Report by command and table, and a time breakdown from separate runs of the same steps (read, maths, text,
 * chart SVG, PNG encoding).
 */
const USER = '424242';
const SECRET = 'bench-secret';

interface ReportBenchSettings {
  readonly runs: number;
  readonly warmup: number;
  /** Measured blocks of `runs` per scenario, one after another. */
  readonly rounds: number;
  readonly wallets: number;
  readonly days: number;
  readonly history: HistoryLayout;
  /** File prefix for a CPU profile of each scenario's measured runs. */
  readonly profile?: string;
}

function readSettings(argv = process.argv.slice(2)): ReportBenchSettings {
  const args = Object.fromEntries(
    argv
      .map((arg) => /^--([\w-]+)=(.*)$/.exec(arg))
      .filter((match) => match !== null)
      .map((match) => [match[1]!, match[2]!]),
  );
  const count = (name: string, fallback: number) => {
    const value = Number(args[name] ?? fallback);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive whole number`);
    return value;
  };
  const history = args.history ?? 'daily';
  if (history !== 'rollups' && history !== 'daily') throw new Error('--history must be daily or rollups');
  return {
    runs: count('runs', 50),
    // DynamoDB Local's JIT is still warming after 5 Reports: its CPU per Report halves between the first and second rounds.
    warmup: count('warmup', 20),
    rounds: count('rounds', 3),
    wallets: count('wallets', 3),
    days: count('days', 365),
    history,
    profile: args.profile,
  };
}

interface Scenario {
  readonly name: string;
  readonly window: PerformanceWindow;
  readonly charts: 'both' | 'value';
  readonly update: (id: number) => Update;
  readonly expected: readonly string[];
}

const SCENARIOS: readonly Scenario[] = [
  {
    name: '/report (7d, value + allocation charts)',
    window: '7d',
    charts: 'both',
    update: (id) => commandUpdate(USER, id, '/report'),
    expected: ['sendPhoto', 'sendPhoto', 'sendMessage'],
  },
  {
    name: '1y window button (text + value chart)',
    window: '1y',
    charts: 'value',
    update: (id) => callbackUpdate(USER, id, 'v1:window:1y'),
    expected: ['answerCallbackQuery', 'editMessageText', 'sendPhoto'],
  },
];

async function main(): Promise<void> {
  const settings = readSettings();
  await withBenchSystem('rbench', async ({ dynamo, tables, env }) => {
    const app = createApp(env, { okxPriority: 'interactive' });
    const { doc } = await app.dynamo();
    const [service, market] = await Promise.all([app.portfolio(), app.okx()]);

    const seedStarted = Date.now();
    const now = new Date();
    const longAgo = new Date(now.getTime() - (settings.days + 30) * 86_400_000).toISOString();
    const wallets = createPortfolioStore(doc, tables.portfolios);
    const walletIds = Array.from({ length: settings.wallets }, (_, index) => `w${index}`);
    for (const [index, walletId] of walletIds.entries()) {
      const address = `0x${(0xbe0c0000 + index).toString(16).padStart(40, '0')}`;
      await wallets.addWallet(
        {
          userId: USER,
          walletId,
          address,
          family: 'evm',
          chains: resolveTrackedChains('evm'),
          addedAt: longAgo,
          lastSyncedAt: longAgo,
        },
        10,
      );
    }
    await wallets.markSynced(USER, walletIds, longAgo);
    // A sync that is not the user's first, so it back-fills nothing: holdings and the current slot's snapshot.
    const sync = await service.syncBalances(USER);
    // Holdings carry no price (prices live in the price store): value them as the service does.
    const holdings = (await priceHoldings(
      createPriceStore(doc, tables.prices),
      await createHoldingsStore(doc, tables.holdings).listHoldings(USER),
      await wallets.listWallets(USER),
    )) as unknown as Holding[];
    const history = await seedHistory(doc, tables.snapshots, USER, holdings, settings.days, now, settings.history);
    const seedSeconds = (Date.now() - seedStarted) / 1000;

    const logLines: string[] = [];
    const line = (level: string) => (message: string, fields?: unknown) =>
      void logLines.push(JSON.stringify({ level, message, ...(fields as object) }));
    const logger = {
      debug: line('DEBUG'),
      info: line('INFO'),
      warn: line('WARN'),
      error: line('ERROR'),
    } as unknown as Log;
    const bot = createBot(
      { portfolio: service, market: market, now: () => new Date(), dryRun: true },
      { token: '100000:BENCH', logger },
    );
    const handler = createWebhookHandler({
      getWebhookSecret: async () => SECRET,
      getParts: async () => ({ bot, updates: createUpdateStore(doc, tables.sessions) }),
      logger,
    });
    const sent = stubBotApi(USER);
    const tracker = trackDynamo(doc);

    console.log(
      `history: ${settings.history}, ${settings.days} days = ${history.tenMinute} ten-minute + ${history.hourly} hourly + ${history.daily} daily points (plus rollups); ${settings.wallets} wallets, ${history.positions} positions a point (${sync.okxRequests} OKX requests to sync); seeded in ${seedSeconds.toFixed(1)} s`,
    );
    let updateId = 1;
    for (const scenario of SCENARIOS) {
      const runOnce = async () => {
        sent.length = 0;
        tracker.reset();
        const started = performance.now();
        const answer = await handler(webhookEvent(scenario.update(updateId++), SECRET));
        const elapsed = performance.now() - started;
        const methods = sent.map((call) => call.method);
        if (answer.statusCode !== 200 || methods.join() !== scenario.expected.join()) {
          throw new Error(
            `${scenario.name}: answered ${answer.statusCode} with ${methods.join()}; logs: ${logLines.slice(-3).join(' ')}`,
          );
        }
        return { elapsed, calls: tracker.snapshot(), pngBytes: sent.reduce((sum, call) => sum + call.photoBytes, 0) };
      };
      const first = await runOnce().catch((error: unknown) => error as Error);
      if (first instanceof Error) {
        // A Report past the bot's deadline (16 s) is answered with an apology: one breakdown shows where the time went.
        console.log(`\n${scenario.name}\n  FAILED: ${first.message}`);
        printBreakdown([await measureBreakdown(service, USER, scenario.window, scenario.charts, tracker)]);
        const calls = tracker.snapshot();
        console.log(
          `  DynamoDB requests in that breakdown: ${calls.total} (${calls.byCommand}); by table: ${calls.byTable}`,
        );
        continue;
      }
      for (let run = 1; run < settings.warmup; run += 1) await runOnce();
      console.log(`\n${scenario.name}`);
      let last: Awaited<ReturnType<typeof runOnce>> | undefined;
      for (let round = 1; round <= settings.rounds; round += 1) {
        const results: Awaited<ReturnType<typeof runOnce>>[] = [];
        const [nodeCpu, javaCpu] = [process.cpuUsage(), readProcessCpuSeconds(dynamo.pid)];
        const profile =
          settings.profile && round === 1 ? `${settings.profile}-${scenario.window}.cpuprofile` : undefined;
        await withCpuProfile(profile, async () => {
          for (let run = 0; run < settings.runs; run += 1) results.push(await runOnce());
        });
        const nodeCpuUsed = process.cpuUsage(nodeCpu);
        const cpu = {
          node: (nodeCpuUsed.user + nodeCpuUsed.system) / 1000 / settings.runs,
          java: (((readProcessCpuSeconds(dynamo.pid) ?? NaN) - (javaCpu ?? NaN)) * 1000) / settings.runs,
        };
        printRound(
          round,
          results.map((result) => result.elapsed).sort((a, b) => a - b),
          cpu,
        );
        last = results[0];
      }
      const breakdown: Breakdown[] = [];
      for (let run = 0; run < settings.runs; run += 1)
        breakdown.push(await measureBreakdown(service, USER, scenario.window, scenario.charts, tracker));
      printScenario(last!.calls, last!.pngBytes, breakdown);
    }
  });
}

function printRound(round: number, times: readonly number[], cpu: { node: number; java: number }): void {
  console.log(
    `  round ${round}, ${times.length} runs: p50 ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))}, max ${ms(times.at(-1)!)} (min ${ms(times[0]!)}); CPU per Report: node ${ms(cpu.node)}, DynamoDB Local ${ms(cpu.java)} (load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores)`,
  );
}

function printScenario(
  calls: ReturnType<ReturnType<typeof trackDynamo>['snapshot']>,
  pngBytes: number,
  breakdown: readonly Breakdown[],
): void {
  console.log(`  DynamoDB requests per Report: ${calls.total} (${calls.byCommand}); by table: ${calls.byTable}`);
  console.log(`  PNG bytes sent: ${(pngBytes / 1024).toFixed(0)} KiB`);
  printBreakdown(breakdown);
}

function printBreakdown(breakdown: readonly Breakdown[]): void {
  const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
  const steps = (Object.keys(breakdown[0]!) as (keyof Breakdown)[]).map(
    (step) => [step, median(breakdown.map((entry) => entry[step]))] as const,
  );
  const stepsTotal = steps.reduce((sum, [, value]) => sum + value, 0);
  console.log(
    `  breakdown (median of ${breakdown.length} separate runs, ${ms(stepsTotal)} in all): ${steps.map(([step, value]) => `${step} ${ms(value)} (${((value / stepsTotal) * 100).toFixed(0)} %)`).join(', ')}`,
  );
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

main().catch((error: unknown) => {
  console.error(`[bench:report] failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
