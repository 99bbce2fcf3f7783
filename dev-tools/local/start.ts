import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureTables } from '../../shared/adapters/dynamo/ensure-tables';
import { localTableNames, tableEnv } from '../../shared/adapters/dynamo/table-definitions';
import { DEFAULTS, ENV } from '../../shared/config/env-names';
import { startDynamoLocal } from '../dynamodb-local';
import { startOkxSandbox } from '../okx-sandbox/index';
import { startLambdaHttpHost, type HttpLambdaHandler } from './lambda-http-host';
import { loadDotEnv } from './load-dotenv';
import { LOCAL_DB_PATH, LOCAL_TABLE_PREFIX } from './local-settings';
import { startLocalSyncLoop } from './sync-loop';
import { startTelegramBridge } from './telegram-bridge';

/**
 * `npm start`: the whole system on one machine. DynamoDB Local on disk, the OKX sandbox unless real
 * OKX keys are set, the Lambda handlers behind the API Gateway routes, the 10-minute sync loop, and a
 * Telegram bridge (long polling with a real bot token, a fake Bot API otherwise).
 */
async function main(): Promise<void> {
  const env = process.env;
  const loaded = loadDotEnv();
  if (loaded.length > 0) console.log(`[start] loaded ${loaded.length} variables from .env`);
  const stops: (() => Promise<void>)[] = [];

  const dynamo = env[ENV.dynamodbEndpoint] ? undefined : await startDynamoLocal({ dbPath: LOCAL_DB_PATH });
  if (dynamo) stops.push(dynamo.stop);
  const endpoint = env[ENV.dynamodbEndpoint] ?? dynamo!.endpoint;
  const tables = localTableNames(LOCAL_TABLE_PREFIX);
  Object.assign(env, { [ENV.dynamodbEndpoint]: endpoint, AWS_REGION: env.AWS_REGION ?? 'us-east-1', ...tableEnv(tables) });
  const raw = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const report = await ensureTables(raw, tables);
  raw.destroy();
  console.log(`[start] DynamoDB Local ${endpoint} (data in ${LOCAL_DB_PATH}); tables created: ${report.created.length}, existing: ${report.existing.length}`);

  if (env[ENV.okxApiKey]) {
    env[ENV.okxBaseUrl] ??= DEFAULTS.okxBaseUrl;
    console.log(`[start] OKX: REAL API at ${env[ENV.okxBaseUrl]} (credentials from the environment)`);
  } else {
    const sandbox = await startOkxSandbox({ port: 0 });
    stops.push(sandbox.stop);
    Object.assign(env, {
      [ENV.okxBaseUrl]: sandbox.url,
      [ENV.okxApiKey]: sandbox.credentials.apiKey,
      [ENV.okxApiSecret]: sandbox.credentials.secretKey,
      [ENV.okxApiPassphrase]: sandbox.credentials.passphrase,
      [ENV.okxProjectId]: sandbox.credentials.projectId,
    });
    console.log(`[start] OKX: local SANDBOX at ${sandbox.url} (set OKX_API_KEY/OKX_API_SECRET/OKX_API_PASSPHRASE/OKX_PROJECT_ID to use the real API)`);
  }

  env[ENV.dryRunMode] ??= 'true';
  env[ENV.telegramWebhookSecret] ??= randomBytes(32).toString('base64url');
  const port = Number(env[ENV.port] ?? DEFAULTS.port);

  // Handlers are imported after the environment is complete: they build their clients at module scope.
  const lazy = (load: () => Promise<{ handler: unknown }>) => async () => (await load()).handler as HttpLambdaHandler;
  const telegram = await startTelegramBridge({ webhookUrl: `http://127.0.0.1:${port}/telegram/webhook`, webhookSecret: env[ENV.telegramWebhookSecret]!, env });
  stops.push(telegram.stop);
  const host = await startLambdaHttpHost(port, {
    'POST /telegram/webhook': lazy(() => import('../../functions/telegram-webhook/handler')),
    'GET /portfolio/health': lazy(() => import('../../functions/health/handler')),
  });
  stops.push(host.stop);
  console.log(`[start] HTTP API on ${host.url}: POST /telegram/webhook, GET /portfolio/health`);
  console.log(`[start] Telegram: ${telegram.description}`);
  console.log(`[start] DRY_RUN_MODE=${env[ENV.dryRunMode]}`);

  const interval = Number(env[ENV.syncIntervalSeconds] ?? DEFAULTS.syncIntervalSeconds);
  const loop = await startLocalSyncLoop({ env, intervalSeconds: interval });
  stops.push(loop.stop);
  console.log(`[start] sync loop every ${interval} s (fan-out -> in-process queue -> worker). Ctrl+C to stop.`);

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log('[start] stopping...');
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => console.error(`[start] ${(error as Error).message}`));
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  console.error(`[start] failed: ${(error as Error).message}`);
  process.exit(1);
});
