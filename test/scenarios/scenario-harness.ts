import type { Update } from 'telegraf/types';
import { vi } from 'vitest';
import { startLocalSyncLoop, type LocalCycleReport, type LocalSyncLoop } from '../../dev-tools/local/sync-loop';
import { startFakeTelegram, type FakeTelegram, type FakeTelegramCall } from '../../dev-tools/fake-telegram/index';
import { okxEnvOf, startOkxSandbox, type OkxSandbox } from '../../dev-tools/okx-sandbox/index';
import type { handler as WebhookLambda } from '../../functions/telegram-webhook/handler';
import type { NotificationOutbox } from '../../shared/notify/notification';
import { captureOutput } from '../support/captured-output';
import { createMemoryLogger } from '../support/memory-logger';
import { createTestDynamo } from '../support/dynamo';
import { SECRET, webhookContext, webhookEvent } from '../functions/telegram-webhook/webhook-events';

/**
 * A replayable world for scenario tests: the production webhook handler and the local sync loop (real
 * fan-out → in-process queue → real worker) over DynamoDB Local, the OKX sandbox and the fake Bot API,
 * all over HTTP, with the clock under the test's control (only `Date` is faked, so sockets and timers
 * run for real). Create it before anything reads `Date.now`, since clients capture it at construction.
 */
export interface Scenario {
  readonly sandbox: OkxSandbox;
  readonly telegram: FakeTelegram;
  readonly userId: number;
  /** Moves the clock to an ISO instant (never backwards). */
  at(iso: string): void;
  /** A scheduled sync cycle at the current clock. */
  sync(): Promise<LocalCycleReport>;
  /** The user types a message; returns the Bot API calls the bot made for it. */
  send(text: string): Promise<FakeTelegramCall[]>;
  /** The user taps a button of a message; returns the Bot API calls the bot made for it. */
  tap(data: string, messageId?: number): Promise<FakeTelegramCall[]>;
  /** Id the fake Bot API gave the newest message the bot sent (edits keep their id). */
  lastMessageId(): number;
  stop(): Promise<void>;
}

export interface ScenarioOptions {
  readonly start: string;
  readonly userId?: number;
  readonly env?: Record<string, string>;
  /** Where the sync worker's alerts go (issue 14); without it no alert is evaluated. */
  readonly outbox?: NotificationOutbox;
}

export async function startScenario(options: ScenarioOptions): Promise<Scenario> {
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
  vi.setSystemTime(new Date(options.start));
  const userId = options.userId ?? 7001;
  const sandbox = await startOkxSandbox({ seed: 7, rateLimitPerSecond: 10_000 });
  const telegram = await startFakeTelegram();
  const db = await createTestDynamo();
  const env = {
    ...db.env,
    ...okxEnvOf(sandbox),
    OKX_RATE_LIMIT_PER_SECOND: '1000',
    TELEGRAM_API_ROOT: telegram.apiRoot,
    TELEGRAM_BOT_TOKEN: '100000:scenario-token',
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    DRY_RUN_MODE: 'true',
    ...options.env,
  };
  Object.assign(process.env, env);
  // Structured logs are the Lambdas' CloudWatch output: noise in a test report.
  captureOutput();
  vi.resetModules();
  const { handler } = (await import('../../functions/telegram-webhook/handler')) as { handler: typeof WebhookLambda };
  const loop: LocalSyncLoop = await startLocalSyncLoop({
    env,
    intervalSeconds: 600,
    runOnStart: false,
    redeliveryDelayMs: 10,
    logger: createMemoryLogger(),
    ...(options.outbox ? { outbox: options.outbox } : {}),
  });

  let updateId = 1;
  const user = { id: userId, is_bot: false, first_name: 'Replay' };
  const chat = { id: userId, type: 'private' as const, first_name: 'Replay' };
  const unixNow = () => Math.floor(Date.now() / 1000);
  const deliver = async (update: Update) => {
    const before = telegram.calls.length;
    const response = await handler(webhookEvent(update, { secret: SECRET }), webhookContext());
    if (response.statusCode !== 200) throw new Error(`webhook answered ${response.statusCode}`);
    return telegram.calls.slice(before);
  };
  const lastMessageId = () =>
    1000 + telegram.calls.filter((call) => call.method === 'sendMessage' || call.method === 'sendPhoto').length;

  return {
    sandbox,
    telegram,
    userId,
    at(iso) {
      const target = Date.parse(iso);
      if (target < Date.now()) throw new Error(`the replay cannot go back in time to ${iso}`);
      vi.setSystemTime(new Date(target));
    },
    sync: () => loop.runCycle(new Date()),
    send(text) {
      const command = /^\/\S+/.exec(text)?.[0];
      const entities = command ? [{ type: 'bot_command' as const, offset: 0, length: command.length }] : undefined;
      const id = updateId++;
      return deliver({
        update_id: id,
        message: { message_id: id, date: unixNow(), from: user, chat, text, ...(entities ? { entities } : {}) },
      } as Update);
    },
    tap(data, messageId = lastMessageId()) {
      const id = updateId++;
      return deliver({
        update_id: id,
        callback_query: {
          id: `cq${id}`,
          chat_instance: 'replay',
          from: user,
          message: { message_id: messageId, date: unixNow(), chat, text: '' },
          data,
        },
      } as Update);
    },
    lastMessageId,
    async stop() {
      await loop.stop();
      await telegram.stop();
      await sandbox.stop();
      vi.useRealTimers();
      vi.restoreAllMocks();
    },
  };
}

/** Text of every message sent or edited in these calls, joined. */
export function textOf(calls: readonly FakeTelegramCall[]): string {
  return calls
    .filter((call) => call.method === 'sendMessage' || call.method === 'editMessageText')
    .map((call) => String(call.payload.text))
    .join('\n');
}

/** Sets a wallet's whole content in the sandbox: every holding not listed is removed. */
export function setWalletContent(
  sandbox: OkxSandbox,
  address: string,
  rows: readonly { chainIndex: string; tokenAddress: string; balance: string }[],
): void {
  for (const held of sandbox.world.getBalances(address)) {
    sandbox.world.setBalance({
      address,
      chainIndex: held.chainIndex,
      tokenAddress: held.tokenContractAddress,
      balance: '0',
    });
  }
  for (const row of rows) sandbox.world.setBalance({ address, ...row });
}
