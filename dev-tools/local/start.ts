import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ensureTables } from '../../shared/platform/dynamo/ensure-tables';
import { localTableNames, tableEnv } from '../../shared/platform/dynamo/table-definitions';
import { DEFAULTS, ENV, readBooleanEnv } from '../../shared/platform/config/env-names';
import type { App } from '../../shared/app/create-app';
import { startDynamoLocal } from '../dynamodb-local';
import { okxEnvOf, startOkxSandbox, type DemoWallet } from '../okx-sandbox/index';
import { ensureMiniAppBuilt, MINIAPP_DIST } from '../build-miniapp';
import { createChatRoutes } from './chat/chat-server';
import { createMiniAppStaticRoute } from './miniapp-static';
import { startLambdaHttpHost, type HttpLambdaHandler, type RawRoute } from './lambda-http-host';
import { releaseStaleLeases } from './release-stale-leases';
import { LOCAL_DB_PATH, LOCAL_TABLE_PREFIX } from './local-settings';
import { startLocalSyncLoop } from './sync-loop';
import { FAKE_BOT_TOKEN, startTelegramBridge } from './telegram-bridge';

/**
 * `npm start`: the whole system on one machine. DynamoDB Local on disk, the OKX sandbox unless real
 * OKX keys are set, the Lambda handlers behind the API Gateway routes, the 10-minute sync loop, and a
 * Telegram bridge (long polling with a real bot token, a fake Bot API otherwise).
 */
async function main(): Promise<void> {
  const env = process.env;
  loadDotEnv(env);
  const stops: Stop[] = [];
  installShutdown(stops);

  // Own process group: Ctrl+C reaches only this runner, which stops the engine last (see installShutdown).
  const dynamo = env[ENV.dynamodbEndpoint]
    ? undefined
    : await startDynamoLocal({ dbPath: LOCAL_DB_PATH, detached: true });
  if (dynamo) stops.push({ name: 'DynamoDB Local', stop: dynamo.stop });
  const endpoint = env[ENV.dynamodbEndpoint] ?? dynamo!.endpoint;
  const tables = localTableNames(LOCAL_TABLE_PREFIX);
  Object.assign(env, {
    [ENV.dynamodbEndpoint]: endpoint,
    AWS_REGION: env.AWS_REGION ?? 'us-east-1',
    ...tableEnv(tables),
  });
  const raw = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const report = await ensureTables(raw, tables);
  // Only an engine this run started is certain to have no other worker holding a lease.
  const released = dynamo ? await releaseStaleLeases(DynamoDBDocumentClient.from(raw), tables.sessions) : 0;
  raw.destroy();
  const leftOver = released > 0 ? `; released ${released} sync lease(s) left by an interrupted run` : '';
  console.log(
    `[start] DynamoDB ${dynamo ? `Local ${endpoint} (data in ${LOCAL_DB_PATH})` : endpoint}; tables created: ${report.created.length}, existing: ${report.existing.length}${leftOver}`,
  );

  const demoWallets = await startOkx(env, stops);

  env[ENV.dryRunMode] ??= 'true';
  env[ENV.telegramWebhookSecret] ??= randomBytes(32).toString('base64url');
  const port = Number(env[ENV.port] ?? DEFAULTS.port);
  // The bot's web_app buttons open the local Mini App (served below); only with the fake Bot API: Telegram refuses
  // web_app buttons that open an http page.
  if (env[ENV.telegramBotToken] === undefined || env[ENV.telegramBotToken] === FAKE_BOT_TOKEN)
    env[ENV.miniAppUrl] ??= `http://127.0.0.1:${port}/miniapp/`;

  // Handlers are imported after the environment is complete: they build their clients at module scope.
  const lazy = (load: () => Promise<{ handler: unknown }>) => async () => (await load()).handler as HttpLambdaHandler;
  const telegram = await startTelegramBridge({
    webhookUrl: `http://127.0.0.1:${port}/telegram/webhook`,
    webhookSecret: env[ENV.telegramWebhookSecret]!,
    env,
  });
  stops.push({ name: 'Telegram bridge', stop: telegram.stop });
  const built = await ensureMiniAppBuilt();
  if (built)
    console.log(
      `[start] built the Mini App into ${built.dir} (${(built.gzipJsBytes / 1024).toFixed(1)} KiB gzipped JS)`,
    );
  const pages: RawRoute[] = [createMiniAppStaticRoute(MINIAPP_DIST)];
  if (telegram.fake)
    pages.push(
      createChatRoutes({
        fake: telegram.fake,
        botToken: env[ENV.telegramBotToken]!,
        miniAppUrl: env[ENV.miniAppUrl],
      }),
    );
  // The sync loop first: the Mini App's handler shares its app, so a broadcast's `track-plan` message goes to the
  // loop's in-process queue (SQS in AWS) and the loop's worker tracks the plan and reports it in the chat.
  const interval = Number(env[ENV.syncIntervalSeconds] ?? DEFAULTS.syncIntervalSeconds);
  const loop = await startLocalSyncLoop({ env, intervalSeconds: interval });
  stops.push({ name: 'sync loop', stop: loop.stop });
  const miniApp = await localMiniAppHandler(loop.app);
  const host = await startLambdaHttpHost(
    port,
    {
      'POST /telegram/webhook': lazy(() => import('../../functions/telegram-webhook/handler')),
      'GET /portfolio/health': lazy(() => import('../../functions/health/handler')),
      ...Object.fromEntries(MINIAPP_API_ROUTES.map((route) => [route, async () => miniApp])),
    },
    pages,
  );
  stops.push({ name: 'HTTP API', stop: host.stop });
  console.log(`[start] HTTP API on ${host.url}: POST /telegram/webhook, GET /portfolio/health`);
  console.log(`[start] Telegram: ${telegram.description}`);
  console.log(`[start] Mini App (dashboard): ${host.url}/miniapp/ (opens from the bot's Dashboard button)`);
  if (telegram.fake) console.log(`[start] Chat with the bot in your browser: ${host.url}/chat`);
  if (demoWallets.length > 0)
    console.log(
      `[start] Sandbox demo wallets for /addwallet:\n${demoWallets.map((wallet) => `  ${wallet.name.padEnd(14)} ${wallet.address}`).join('\n')}`,
    );
  const isDryRun = readBooleanEnv(ENV.dryRunMode, true, env);
  console.log(
    `[start] DRY_RUN_MODE=${env[ENV.dryRunMode]}: ${isDryRun ? 'rebalances are simulated, nothing is sent on-chain' : 'users who send /live on get real transactions to sign'}`,
  );

  console.log(`[start] sync loop every ${interval} s (fan-out -> in-process queue -> worker). Ctrl+C to stop.`);
}

interface Stop {
  readonly name: string;
  readonly stop: () => Promise<void>;
}

/** How long one piece may take to stop (a sync in flight, a webhook call) before the next is stopped anyway. */
const STOP_GRACE_MS = 5000;

/** One Ctrl+C reaches this process more than once (from the terminal and relayed by npm and tsx). */
const SAME_SIGNAL_MS = 1000;

/**
 * Ctrl+C / SIGTERM stop everything in reverse start order, DynamoDB Local last; pressing Ctrl+C again
 * exits at once. Either way the exit hook of dev-tools/dynamodb-local.ts kills the Java engine.
 */
function installShutdown(stops: Stop[]): void {
  let stoppingSince: number | undefined;
  const shutdown = async (signal: string) => {
    if (stoppingSince !== undefined) {
      if (Date.now() - stoppingSince < SAME_SIGNAL_MS) return;
      console.log(`[start] ${signal} again: exiting now`);
      process.exit(1);
    }
    stoppingSince = Date.now();
    console.log(`[start] ${signal}: stopping... (${signal} again to exit at once)`);
    for (const { name, stop } of [...stops].reverse()) {
      const late = new Promise<string>((resolve) => setTimeout(() => resolve('late'), STOP_GRACE_MS).unref());
      const outcome = await Promise.race([
        stop().then(
          () => 'ok',
          (error: unknown) => (error as Error).message,
        ),
        late,
      ]);
      if (outcome === 'late')
        console.log(
          `[start] ${name} still busy after ${STOP_GRACE_MS / 1000} s; stopping the rest anyway (the next start syncs again)`,
        );
      else if (outcome !== 'ok') console.error(`[start] stopping ${name}: ${outcome}`);
    }
    console.log('[start] stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

/** The Mini App API's routes (docs/miniapp-api.md): `GET|PUT|POST /miniapp/api/{proxy+}`, one Lambda, as on the HTTP API. */
const MINIAPP_API_ROUTES = ['GET /miniapp/api/*', 'PUT /miniapp/api/*', 'POST /miniapp/api/*'];

/** functions/miniapp-api/handler.ts's handler, over the sync loop's app (its in-process queue) instead of a new one. */
async function localMiniAppHandler(app: App): Promise<HttpLambdaHandler> {
  const { miniAppHttpHandlerOf } = await import('../../shared/app/miniapp-part');
  return miniAppHttpHandlerOf(app) as HttpLambdaHandler;
}

/** Half the sandbox's own limit (dev-tools/okx-sandbox, 20/s), so the local run never meets its 429s. */
const SANDBOX_RATE_PER_SECOND = 10;

/** Real OKX when keys are set; otherwise the sandbox, whose credentials go into the environment. */
async function startOkx(env: NodeJS.ProcessEnv, stops: Stop[]): Promise<DemoWallet[]> {
  if (env[ENV.okxApiKey]) {
    env[ENV.okxBaseUrl] ??= DEFAULTS.okxBaseUrl;
    console.log(`[start] OKX: REAL API at ${env[ENV.okxBaseUrl]} (credentials from the environment)`);
    return [];
  }
  const sandbox = await startOkxSandbox({ port: 0 });
  stops.push({ name: 'OKX sandbox', stop: sandbox.stop });
  Object.assign(env, okxEnvOf(sandbox));
  // The sandbox answers 20 requests a second; at the real free tier's 1/s a first Refresh of a demo wallet with
  // many chains runs past the update's deadline, so a newcomer's first /portfolio would fail.
  env[ENV.okxRateLimitPerSecond] ??= String(SANDBOX_RATE_PER_SECOND);
  console.log(
    `[start] OKX: local SANDBOX at ${sandbox.url} (set OKX_API_KEY/OKX_API_SECRET/OKX_API_PASSPHRASE/OKX_PROJECT_ID to use the real API)`,
  );
  return sandbox.world.demoWallets();
}

/** Loads .env, if there is one, with Node's own parser; a variable already set wins over the file. */
function loadDotEnv(env: NodeJS.ProcessEnv): void {
  if (!existsSync('.env')) return;
  const before = Object.keys(env).length;
  process.loadEnvFile('.env');
  const loaded = Object.keys(env).length - before;
  if (loaded > 0) console.log(`[start] loaded ${loaded} variables from .env`);
}

main().catch((error: unknown) => {
  console.error(`[start] failed: ${(error as Error).message}`);
  process.exit(1);
});
