import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createFakeBotSettings, FakeBadRequest, type FakeBotSettings } from './bot-settings';
import { readPayload, type Upload } from './read-request';
import { createUserSimulator, DEFAULT_USER_ID, fakeChat, type UserSimulator } from './user-simulator';
import { createSendLimiter, SENDING_METHODS, type SendLimits } from './send-limits';

export type { SendLimits } from './send-limits';

/** What Telegram answers a bot writing to a user who blocked it (or deleted the chat). */
export const BLOCKED_FAILURE = { error_code: 403, description: 'Forbidden: bot was blocked by the user' } as const;

/** The chat of a message the bot sent, typed from its id like the chats users write from. */
const fakeChatOf = (chatId: unknown) => ({ id: chatId, type: fakeChat(Number(chatId), '').type });

export interface FakeTelegramCall {
  readonly method: string;
  readonly payload: Record<string, unknown>;
}

/** How the fake answered a call: its result (e.g. the sent message with its message_id) or a Bot API error. */
export interface FakeTelegramAnswer {
  readonly result?: unknown;
  readonly error?: ScriptedFailure;
}

export interface ScriptedFailure {
  readonly error_code: number;
  readonly description: string;
  readonly parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

export interface FakeTelegram extends UserSimulator {
  /** Pass as TELEGRAM_API_ROOT (telegraf's `telegram.apiRoot`). */
  readonly apiRoot: string;
  /** Every Bot API call in order (control routes under /_fake are not recorded). */
  readonly calls: FakeTelegramCall[];
  /** Webhook, commands, menu button and descriptions as the bot set them (setWebhook, setMyCommands, ...). */
  readonly settings: FakeBotSettings;
  /** How a recorded call was answered; undefined while it is still being answered. */
  answerOf(call: FakeTelegramCall): FakeTelegramAnswer | undefined;
  /** A photo the bot sent, by the file_id the fake gave it (GET /_fake/file/<file_id> serves it too). */
  fileOf(fileId: string): Upload | undefined;
  /** The next call of `method` fails with this Bot API error (e.g. 429 with retry_after). */
  failNext(method: string, failure: ScriptedFailure): void;
  /** The user blocked the bot: every send to the chat answers 403 until the user writes again (or `unblockChat`). */
  blockChat(chatId: number | string): void;
  unblockChat(chatId: number | string): void;
  /** When a recorded call arrived (epoch ms, before its body was read): for pacing tests and the bench. */
  arrivalOf(call: FakeTelegramCall): number;
  /** Refusals answered so far: 429s of the send limits and of `failNext`, 403s of blocked chats. */
  readonly refusals: { rateLimited: number; blocked: number };
  stop(): Promise<void>;
}

export interface FakeTelegramOptions {
  readonly port?: number;
  readonly botUsername?: string;
  /** update_id of the first simulated update (default 1); see UserSimulatorOptions. */
  readonly firstUpdateId?: number;
  /** Enforce Telegram's sending limits (429 with retry_after); off unless given. */
  readonly limits?: SendLimits;
  /** When set, a call with any other token gets Telegram's 401 Unauthorized. @default any token is accepted */
  readonly token?: string;
}

/**
 * A fake Bot API over real HTTP for local runs and end-to-end tests. Records calls; answers
 * sendMessage, editMessageText, sendPhoto (multipart), deleteMessage, answerCallbackQuery, getMe and getUpdates
 * (long polling), and keeps the bot's settings (bot-settings.ts: setWebhook, deleteWebhook, getWebhookInfo,
 * setMyCommands, setChatMenuButton, setMyDescription, setMyShortDescription and their getters); any other method
 * answers `true`.
 * Users are simulated with `sendText` / `tapButton` (or POST /_fake/send, /_fake/tap), delivered to the
 * webhook set with setWebhook (with its secret token) or queued for getUpdates.
 */
export async function startFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const calls: FakeTelegramCall[] = [];
  const arrivals = new WeakMap<FakeTelegramCall, number>();
  const failures = new Map<string, ScriptedFailure[]>();
  const simulator = createUserSimulator({ firstUpdateId: options.firstUpdateId });
  const blocked = new Set<string>();
  const refusals = { rateLimited: 0, blocked: 0 };
  const limiter = options.limits ? createSendLimiter(options.limits) : undefined;
  // A user who writes to the bot has unblocked it (Telegram delivers nothing from a chat that blocked the bot).
  const users: UserSimulator = {
    ...simulator,
    sendText: (text, user) => {
      blocked.delete(String(user?.chatId ?? user?.userId ?? DEFAULT_USER_ID));
      return simulator.sendText(text, user);
    },
    tapButton: (data, user) => {
      blocked.delete(String(user?.chatId ?? user?.userId ?? DEFAULT_USER_ID));
      return simulator.tapButton(data, user);
    },
    control: (path, payload, context) => {
      const chat = String(payload.chatId ?? payload.chat_id ?? DEFAULT_USER_ID);
      if (path === '/_fake/block') return Promise.resolve((blocked.add(chat), { ok: true, blocked: chat }));
      if (path === '/_fake/unblock') return Promise.resolve((blocked.delete(chat), { ok: true, unblocked: chat }));
      if (path === '/_fake/send' || path === '/_fake/tap')
        blocked.delete(String(payload.chatId ?? payload.userId ?? DEFAULT_USER_ID));
      return simulator.control(path, payload, context);
    },
  };
  const settings = createFakeBotSettings();
  let nextMessageId = 1000;
  const buttonMessages: { data: string[]; messageId: number }[] = [];
  const files = new Map<string, Upload>();
  // Kept beside the calls, not on them: tests compare recorded calls as { method, payload }.
  const answers = new WeakMap<FakeTelegramCall, FakeTelegramAnswer>();
  const botInfo = {
    id: 100000,
    is_bot: true,
    first_name: 'Esther (fake)',
    username: options.botUsername ?? 'EstherPortfolioBot',
    can_join_groups: false,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
  };

  const message = (payload: Record<string, unknown>, extra: Record<string, unknown>) => {
    const messageId = typeof payload.message_id === 'number' ? payload.message_id : ++nextMessageId;
    const keyboard = (payload.reply_markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined)
      ?.inline_keyboard;
    if (keyboard)
      buttonMessages.push({
        data: keyboard.flat().flatMap((button) => (button.callback_data ? [button.callback_data] : [])),
        messageId,
      });
    return {
      message_id: messageId,
      date: Math.floor(Date.now() / 1000),
      chat: fakeChatOf(payload.chat_id),
      from: botInfo,
      ...extra,
    };
  };
  const findMessageWithButton = (data: string) =>
    [...buttonMessages].reverse().find((entry) => entry.data.includes(data))?.messageId;

  const answerMethod = async (
    method: string,
    payload: Record<string, unknown>,
    uploads: ReadonlyMap<string, Upload>,
  ): Promise<unknown> => {
    const setting = settings.answer(method, payload);
    if (setting !== undefined) {
      // Updates go where the webhook now points (or wait for getUpdates once it is deleted).
      const webhook = settings.webhook();
      users.setWebhook(webhook?.url ?? '', webhook?.secretToken);
      return setting;
    }
    switch (method) {
      case 'getMe':
        return botInfo;
      case 'getUpdates':
        return users.takeUpdates(Number(payload.offset ?? 0), Math.min(Number(payload.timeout ?? 0), 30));
      case 'sendMessage':
        return message(payload, {
          text: payload.text,
          ...(payload.reply_markup ? { reply_markup: payload.reply_markup } : {}),
        });
      case 'editMessageText':
        return message(payload, { text: payload.text, edit_date: Math.floor(Date.now() / 1000) });
      case 'editMessageReplyMarkup':
        return message(payload, { edit_date: Math.floor(Date.now() / 1000) });
      case 'deleteMessage':
        // The real method needs both ids and answers True; failNext scripts its 400s (too old, not found).
        if (payload.chat_id === undefined || payload.message_id === undefined)
          throw new FakeBadRequest('Bad Request: message identifier is not specified');
        return true;
      case 'sendPhoto': {
        const sent = message(payload, {});
        const fileId = `photo${sent.message_id}`;
        const upload = uploads.get('photo');
        if (upload) files.set(fileId, upload);
        return {
          ...sent,
          photo: [{ file_id: fileId, file_unique_id: `u${sent.message_id}`, width: 800, height: 400 }],
        };
      }
      default:
        return true;
    }
  };

  const server = createServer((request, response) => {
    void route(request, response).catch((error: unknown) =>
      send(response, 500, { ok: false, error_code: 500, description: (error as Error).message }),
    );
  });

  const route = async (request: IncomingMessage, response: ServerResponse) => {
    const arrivedAt = Date.now();
    const url = new URL(request.url ?? '/', 'http://fake.local');
    const file = /^\/_fake\/file\/([\w-]+)$/.exec(url.pathname);
    if (file) return sendFile(response, files.get(file[1]!));
    const uploads = new Map<string, Upload>();
    const payload = await readPayload(request, url, uploads);
    if (url.pathname.startsWith('/_fake/'))
      return send(response, 200, await users.control(url.pathname, payload, { calls, findMessageWithButton }));
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!match) return send(response, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const method = match[2]!;
    const call: FakeTelegramCall = { method, payload };
    if (method !== 'getUpdates') {
      arrivals.set(call, arrivedAt);
      calls.push(call);
    }
    if (options.token !== undefined && match[1] !== options.token)
      return send(response, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const failure = failures.get(method)?.shift() ?? refusalOf(method, payload);
    if (failure) {
      if (failure.error_code === 429) refusals.rateLimited += 1;
      if (failure.error_code === 403) refusals.blocked += 1;
      answers.set(call, { error: failure });
      return send(response, failure.error_code, { ok: false, ...failure });
    }
    try {
      const result = await answerMethod(method, payload, uploads);
      answers.set(call, { result });
      return send(response, 200, { ok: true, result });
    } catch (error) {
      if (error instanceof FakeBadRequest) {
        const refused = { error_code: 400, description: error.message };
        answers.set(call, { error: refused });
        return send(response, 400, { ok: false, ...refused });
      }
      throw error;
    }
  };

  /** A blocked chat's 403, then the send limits' 429; undefined when the send goes through. */
  const refusalOf = (method: string, payload: Record<string, unknown>): ScriptedFailure | undefined => {
    if (!SENDING_METHODS.has(method)) return undefined;
    const chat = String(payload.chat_id);
    if (blocked.has(chat)) return BLOCKED_FAILURE;
    return limiter?.check(chat);
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    ...users,
    // The local bridge points the fake at the webhook directly: getWebhookInfo reports it too.
    setWebhook: (url, secretToken) => {
      settings.setWebhook(url, secretToken);
      users.setWebhook(url, secretToken);
    },
    apiRoot: `http://127.0.0.1:${port}`,
    calls,
    settings,
    answerOf: (call) => answers.get(call),
    fileOf: (fileId) => files.get(fileId),
    failNext(method, failure) {
      failures.set(method, [...(failures.get(method) ?? []), failure]);
    },
    blockChat: (chatId) => void blocked.add(String(chatId)),
    unblockChat: (chatId) => void blocked.delete(String(chatId)),
    refusals,
    arrivalOf: (call) => arrivals.get(call) ?? Number.NaN,
    stop: async () => {
      users.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function sendFile(response: ServerResponse, upload: Upload | undefined): void {
  if (!upload) return send(response, 404, { ok: false, error_code: 404, description: 'Not Found: file' });
  response.writeHead(200, { 'content-type': upload.type || 'application/octet-stream' }).end(upload.bytes);
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
