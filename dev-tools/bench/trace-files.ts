import { Session } from 'node:inspector/promises';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Update } from 'telegraf/types';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureTables } from '../../shared/platform/dynamo/ensure-tables';
import { localTableNames, tableEnv } from '../../shared/platform/dynamo/table-definitions';
import { ENV } from '../../shared/platform/config/env-names';
import { startDynamoLocal } from '../dynamodb-local';
import { startFakeTelegram } from '../fake-telegram/index';
import { createLocalLambdaContext } from '../local/local-lambda-context';
import { startLocalSyncLoop, type InProcessQueue } from '../local/sync-loop';
import { encodeSyncJob } from '../../shared/sync/sync-job';
import { logger } from '../../shared/platform/logger';
import { okxEnvOf, startOkxSandbox } from '../okx-sandbox/index';

/**
 * `npm run trace:files`: which source files a reader must open to follow `/portfolio`, the Report, a sync
 * cycle and one sync job. Everything runs once to warm up (lazy clients, module init), then V8's precise coverage
 * records a second run; a file counts when any of its functions other than the module body ran. Only
 * `shared/` and `functions/` are counted (the code that ships); files outside `shared/kernel` and
 * `shared/platform` (the command's own code) are starred and counted apart.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SECRET = 'trace-files-webhook-secret-0123456789abcdef';
const USER = 7001;

/** Moves `Date` forward so every step starts in a new 10-minute slot (nothing answered from a slot cache). */
let offsetMs = 0;
const RealDate = Date;
globalThis.Date = class extends RealDate {
  constructor(...args: unknown[]) {
    if (args.length === 0) super(RealDate.now() + offsetMs);
    else super(...(args as [string]));
  }
  static override now(): number {
    return RealDate.now() + offsetMs;
  }
} as DateConstructor;

async function main(): Promise<void> {
  const dynamo = await startDynamoLocal();
  const sandbox = await startOkxSandbox({ seed: 7, rateLimitPerSecond: 10_000 });
  const telegram = await startFakeTelegram();
  const env: Record<string, string> = {
    [ENV.dynamodbEndpoint]: dynamo.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    ...okxEnvOf(sandbox),
    OKX_RATE_LIMIT_PER_SECOND: '1000',
    TELEGRAM_API_ROOT: telegram.apiRoot,
    TELEGRAM_BOT_TOKEN: '100000:trace-token',
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    DRY_RUN_MODE: 'true',
  };
  const tables = localTableNames('trace-');
  Object.assign(env, tableEnv(tables));
  Object.assign(process.env, env);
  const raw = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ensureTables(raw, tables);
  raw.destroy();
  console.log = () => undefined;
  logger.setLogLevel('SILENT');

  const { handler } = (await import('../../functions/telegram-webhook/handler')) as unknown as {
    handler: (event: unknown, context: unknown) => Promise<{ statusCode: number }>;
  };
  const loop = await startLocalSyncLoop({
    env,
    intervalSeconds: 600,
    runOnStart: false,
    redeliveryDelayMs: 10,
    logger,
  });
  let updateId = 1;
  const send = async (text: string) => {
    const command = /^\/\S+/.exec(text)?.[0];
    const user = { id: USER, is_bot: false, first_name: 'Trace' };
    const update = {
      update_id: updateId,
      message: {
        message_id: updateId++,
        date: Math.floor(Date.now() / 1000),
        from: user,
        chat: { id: USER, type: 'private', first_name: 'Trace' },
        text,
        ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command.length }] } : {}),
      },
    } as Update;
    const response = await handler(
      {
        version: '2.0',
        routeKey: 'POST /telegram/webhook',
        rawPath: '/telegram/webhook',
        rawQueryString: '',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
        requestContext: {
          http: { method: 'POST', path: '/telegram/webhook', sourceIp: '91.108.6.1' },
          requestId: `r${updateId}`,
          routeKey: 'POST /telegram/webhook',
          stage: '$default',
        },
        body: JSON.stringify(update),
        isBase64Encoded: false,
      },
      createLocalLambdaContext({ functionName: 'trace-webhook', timeoutMs: 20_000, memoryMb: 1024 }),
    );
    if (response.statusCode !== 200) throw new Error(`webhook answered ${response.statusCode}`);
  };

  const wallet = sandbox.world.demoWallets().find((demo) => demo.address.startsWith('0x'))!.address;
  await send(`/addwallet ${wallet}`);
  const steps: Record<string, () => Promise<unknown>> = {
    '/portfolio': () => send('/portfolio'),
    'Report (/report)': () => send('/report'),
    'sync cycle (fan-out + worker)': () => loop.runCycle(new Date()),
    // One message of the cycle, as the worker Lambda receives it: the user's sync and the alert check after it.
    'sync job (worker, one user)': async () => {
      const queue = (await loop.app.queue()) as InProcessQueue;
      await queue.send([{ key: `trace-${updateId}`, body: encodeSyncJob(String(USER), new Date().toISOString()) }]);
      await queue.drained();
    },
  };
  for (const step of Object.values(steps)) {
    offsetMs += 11 * 60_000;
    await step();
  }

  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  for (const [name, step] of Object.entries(steps)) {
    await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
    await session.post('Profiler.takePreciseCoverage');
    offsetMs += 11 * 60_000;
    await step();
    const { result } = await session.post('Profiler.takePreciseCoverage');
    await session.post('Profiler.stopPreciseCoverage');
    const files = result
      .filter((script) => script.url.startsWith('file://'))
      .map((script) => ({
        path: relative(ROOT, fileURLToPath(script.url)),
        ran: script.functions.some((fn) => fn.ranges[0]!.startOffset > 0 && fn.ranges[0]!.count > 0),
      }))
      .filter((file) => file.ran && /^(shared|functions)\//.test(file.path))
      .map((file) => file.path)
      .sort();
    const folders = new Set(files.map((file) => file.slice(0, file.lastIndexOf('/'))));
    // The command's own code: what is left after the vocabulary (kernel) and the plumbing (platform), which a
    // reader learns once and every command shares.
    const own = files.filter((file) => !/^shared\/(kernel|platform)\//.test(file));
    // Where the command's own files are: the capabilities' share apart from the entry point and the update
    // pipeline (functions/, app/, bot/) that every command passes through.
    const byFolder = new Map<string, number>();
    for (const file of own) {
      const folder = file
        .split('/')
        .slice(0, file.startsWith('functions/') ? 1 : 2)
        .join('/');
      byFolder.set(folder, (byFolder.get(folder) ?? 0) + 1);
    }
    const perFolder = [...byFolder].map(([folder, count]) => `${folder} ${count}`).join(', ');
    process.stdout.write(
      `\n${name}: ${files.length} files in ${folders.size} folders; ${own.length} outside kernel/ and platform/ (${perFolder})\n${files.map((file) => `  ${own.includes(file) ? '*' : ' '} ${file}`).join('\n')}\n`,
    );
  }
  session.disconnect();
  await loop.stop();
  await telegram.stop();
  await sandbox.stop();
  await dynamo.stop();
}

await main();
