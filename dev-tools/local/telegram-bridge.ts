import type { Update } from 'telegraf/types';
import { DEFAULTS, ENV } from '../../shared/platform/config/env-names';
import { sleep } from '../../shared/platform/helpers';
import { startFakeTelegram, type FakeTelegram } from '../fake-telegram/index';

export interface TelegramBridgeOptions {
  /** The local webhook route, e.g. http://127.0.0.1:3000/telegram/webhook. */
  readonly webhookUrl: string;
  readonly webhookSecret: string;
  /** Read for TELEGRAM_BOT_TOKEN; in fake mode TELEGRAM_API_ROOT and a dummy token are written into it. */
  readonly env: Record<string, string | undefined>;
  readonly fakePort?: number;
}

export interface TelegramBridge {
  readonly description: string;
  /** The fake Bot API when no real bot token is set (the local chat page talks through it). */
  readonly fake?: FakeTelegram;
  stop(): Promise<void>;
}

export const FAKE_BOT_TOKEN = '100000:FAKE-local-bot-token';

/**
 * Delivers Telegram updates to the local webhook. With a real TELEGRAM_BOT_TOKEN it long-polls
 * getUpdates (after deleteWebhook, as telegraf's launch() does) and POSTs each update with the secret
 * header; without one it starts the fake Bot API, points the handler at it and explains how to chat.
 */
export async function startTelegramBridge(options: TelegramBridgeOptions): Promise<TelegramBridge> {
  const token = options.env[ENV.telegramBotToken];
  if (token && token !== FAKE_BOT_TOKEN) return startPolling(token, options);
  // npm start keeps its update_id claims in .data/ (DynamoDB Local never expires them): numbering from the
  // clock keeps ids growing across restarts, as Telegram's do, so a new run is not dropped as duplicates.
  const fake = await startFakeTelegram({ port: options.fakePort ?? 0, firstUpdateId: Date.now() });
  options.env[ENV.telegramApiRoot] = fake.apiRoot;
  options.env[ENV.telegramBotToken] = FAKE_BOT_TOKEN;
  fake.setWebhook(options.webhookUrl, options.webhookSecret);
  const description = [
    `FAKE Bot API at ${fake.apiRoot} (no TELEGRAM_BOT_TOKEN set). Chat in a browser on the chat page (below), or from scripts:`,
    `  curl -s ${fake.apiRoot}/_fake/send -H 'content-type: application/json' -d '{"text":"/start"}'`,
    `  curl -s ${fake.apiRoot}/_fake/send -H 'content-type: application/json' -d '{"text":"/addwallet <address>"}'`,
    `  curl -s ${fake.apiRoot}/_fake/tap -H 'content-type: application/json' -d '{"data":"v1:report"}'`,
    `  curl -s ${fake.apiRoot}/_fake/calls   # what the bot sent`,
  ].join('\n');
  return { description, fake, stop: fake.stop };
}

async function startPolling(token: string, options: TelegramBridgeOptions): Promise<TelegramBridge> {
  const apiRoot = options.env[ENV.telegramApiRoot] ?? DEFAULTS.telegramApiRoot;
  const abort = new AbortController();
  const call = async <T>(method: string, body: Record<string, unknown>): Promise<T> => {
    const response = await fetch(`${apiRoot}/bot${token}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: abort.signal,
    });
    const data = (await response.json()) as {
      ok: boolean;
      result: T;
      description?: string;
      parameters?: { retry_after?: number };
    };
    if (!data.ok)
      throw Object.assign(new Error(`${method}: ${data.description ?? response.status}`), {
        retryAfter: data.parameters?.retry_after,
      });
    return data.result;
  };
  await call('deleteWebhook', { drop_pending_updates: false });
  const loop = pollLoop(call, options, abort.signal);
  return {
    description: `long polling the REAL Bot API at ${apiRoot} (webhook of this bot deleted) and forwarding updates to ${options.webhookUrl}. Open your bot in Telegram and send /start.`,
    stop: async () => {
      abort.abort();
      await loop;
    },
  };
}

type ApiCall = <T>(method: string, body: Record<string, unknown>) => Promise<T>;

async function pollLoop(call: ApiCall, options: TelegramBridgeOptions, signal: AbortSignal): Promise<void> {
  let offset = 0;
  while (!signal.aborted) {
    try {
      const updates = await call<Update[]>('getUpdates', {
        offset,
        timeout: 25,
        allowed_updates: ['message', 'callback_query'],
      });
      for (const update of updates) {
        await forward(update, options);
        offset = update.update_id + 1;
      }
    } catch (error) {
      if (signal.aborted) return;
      const seconds = (error as { retryAfter?: number }).retryAfter ?? 2;
      console.error(`[telegram-bridge] ${(error as Error).message}; retrying in ${seconds} s`);
      // stop() aborts the wait; the loop then ends.
      await sleep(seconds * 1000, signal).catch(() => undefined);
    }
  }
}

/** The local host may still be starting: retry a refused connection a few times before giving up. */
async function forward(update: Update, options: TelegramBridgeOptions): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(options.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': options.webhookSecret },
        body: JSON.stringify(update),
      });
      await response.arrayBuffer();
      if (response.status !== 200)
        console.error(`[telegram-bridge] webhook answered ${response.status} for update ${update.update_id}`);
      return;
    } catch (error) {
      if (attempt >= 5)
        return void console.error(
          `[telegram-bridge] could not deliver update ${update.update_id}: ${(error as Error).message}`,
        );
      await sleep(500 * attempt);
    }
  }
}
