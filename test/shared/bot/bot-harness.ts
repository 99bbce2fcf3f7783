import { Telegraf, Telegram, type Composer } from 'telegraf';
import { vi } from 'vitest';
import type { Update } from 'telegraf/types';
import type { BotContext } from '../../../shared/platform/telegram/messages';

export interface ApiCall {
  readonly method: string;
  readonly payload: Record<string, unknown>;
}

export interface RecordedApi {
  readonly calls: ApiCall[];
  /** The next call of `method` throws this (e.g. a TelegramError 429). */
  failNext(method: string, error: unknown): void;
}

/** Records Bot API calls instead of sending them; sends answer like Telegram with a new message. */
export function recordBotApi(): RecordedApi {
  const calls: ApiCall[] = [];
  const failures = new Map<string, unknown[]>();
  let messageId = 500;
  // telegraf builds a fresh Telegram client per update, so the fake transport sits on the prototype.
  vi.spyOn(Telegram.prototype, 'callApi').mockImplementation((async (
    method: string,
    payload: Record<string, unknown>,
  ) => {
    calls.push({ method, payload });
    const failure = failures.get(method)?.shift();
    if (failure) throw failure;
    if (method.startsWith('send'))
      return { message_id: ++messageId, date: 0, chat: { id: payload.chat_id, type: 'private' } };
    return true;
  }) as never);
  return { calls, failNext: (method, error) => failures.set(method, [...(failures.get(method) ?? []), error]) };
}

/** A telegraf bot with a preset botInfo whose Bot API calls are recorded instead of sent. */
export function createTestBot(feature: Composer<BotContext>): { bot: Telegraf<BotContext>; calls: ApiCall[] } {
  const bot = new Telegraf<BotContext>('123:TEST');
  bot.botInfo = {
    id: 123,
    is_bot: true,
    first_name: 'Esther',
    username: 'esther_bot',
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
  } as never;
  const { calls } = recordBotApi();
  bot.use(feature);
  bot.catch((error) => {
    throw error;
  });
  return { bot, calls };
}

let updateId = 1;

/** Update ids are unique per test file, so real update stores never see a false duplicate. */
export function nextUpdateId(): number {
  return updateId++;
}

export function commandUpdate(text: string, userId = 7, chatId = 70): Update {
  const command = text.split(' ')[0]!;
  return {
    update_id: updateId++,
    message: {
      message_id: 1,
      date: 0,
      chat: { id: chatId, type: 'private', first_name: 'U' },
      from: { id: userId, is_bot: false, first_name: 'U' },
      text,
      entities: [{ type: 'bot_command', offset: 0, length: command.length }],
    },
  } as Update;
}

export function callbackUpdate(data: string, userId = 7, chatId = 70, messageId = 42): Update {
  return {
    update_id: updateId++,
    callback_query: {
      id: `cb${updateId}`,
      chat_instance: 'ci',
      from: { id: userId, is_bot: false, first_name: 'U' },
      message: { message_id: messageId, date: 0, chat: { id: chatId, type: 'private', first_name: 'U' }, text: 'old' },
      data,
    },
  } as Update;
}
