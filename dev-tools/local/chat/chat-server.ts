import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RawRoute } from '../lambda-http-host';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { FakeTelegram, FakeTelegramAnswer, FakeTelegramCall } from '../../fake-telegram/index';
import { DEFAULT_USER_ID } from '../../fake-telegram/user-simulator';
import { renderChatHtml } from './chat-html';
import { signInitData, type LocalUser } from './sign-init-data';

export interface ChatPageOptions {
  readonly fake: FakeTelegram;
  /** The local bot token: the chat page signs the Mini App's initData with it, as Telegram does. */
  readonly botToken: string;
  readonly user?: LocalUser;
  /** The bot's Mini App, opened by the header's "Open app" (Telegram's launch button for a bot's main Mini App). */
  readonly miniAppUrl?: string;
}

/** The Bot API methods the chat page shows; the rest (getMe, setWebhook, sendChatAction...) are plumbing. */
const SHOWN = new Set([
  'sendMessage',
  'editMessageText',
  'editMessageReplyMarkup',
  'sendPhoto',
  'deleteMessage',
  'answerCallbackQuery',
  'setChatMenuButton',
]);

const CLIENT_ENTRY = fileURLToPath(new URL('./web/chat-client.ts', import.meta.url));

/**
 * The local chat page (GET /chat): a Telegram-like chat with the bot through the fake Bot API. The browser sends
 * what the person types or taps (POST /chat/send, /chat/tap), polls what the bot sent (GET /chat/calls?after=N),
 * and gets a signed initData (POST /chat/init-data) when a web_app button opens the Mini App beside the chat.
 */
export function createChatRoutes(options: ChatPageOptions): RawRoute {
  const user = options.user ?? { id: DEFAULT_USER_ID, firstName: 'Tester' };
  let script: Promise<string> | undefined;
  const loadScript = () => (script ??= bundleClient());
  return async (request, response, url) => {
    const path = url.pathname;
    if (!path.startsWith('/chat')) return false;
    const method = request.method ?? 'GET';
    if (method === 'GET' && (path === '/chat' || path === '/chat/')) {
      send(response, 200, 'text/html; charset=utf-8', renderChatHtml(options.miniAppUrl));
    } else if (method === 'GET' && path === '/chat/chat.js') {
      send(response, 200, 'text/javascript; charset=utf-8', await loadScript());
    } else if (method === 'GET' && path === '/chat/calls') {
      const after = Number(url.searchParams.get('after') ?? 0);
      sendJson(response, 200, callsFor(options.fake.calls, options.fake.answerOf, user.id, after));
    } else if (method === 'GET' && path.startsWith('/chat/file/')) {
      const file = options.fake.fileOf(path.slice('/chat/file/'.length));
      if (!file) sendJson(response, 404, { error: 'no such file' });
      else send(response, 200, file.type || 'image/png', file.bytes);
    } else if (method === 'POST' && path === '/chat/send') {
      const body = await readJson(request);
      const result = await options.fake.sendText(String(body.text ?? ''), {
        userId: user.id,
        firstName: user.firstName,
      });
      sendJson(response, 200, { status: result.status });
    } else if (method === 'POST' && path === '/chat/tap') {
      const body = await readJson(request);
      const result = await options.fake.tapButton(String(body.data ?? ''), {
        userId: user.id,
        firstName: user.firstName,
        messageId: Number(body.messageId),
      });
      sendJson(response, 200, { status: result.status });
    } else if (method === 'POST' && path === '/chat/init-data') {
      sendJson(response, 200, { initData: signInitData(options.botToken, user) });
    } else {
      sendJson(response, 404, { error: 'Not Found' });
    }
    return true;
  };
}

export interface ChatCall {
  readonly index: number;
  readonly method: string;
  readonly payload: Record<string, unknown>;
  readonly result?: unknown;
}

/** The answered calls after `after` that concern this user's private chat (a callback toast has no chat id). */
export function callsFor(
  calls: readonly FakeTelegramCall[],
  answerOf: (call: FakeTelegramCall) => FakeTelegramAnswer | undefined,
  chatId: number,
  after: number,
): { next: number; calls: ChatCall[] } {
  const shown: ChatCall[] = [];
  let next = after;
  for (let index = after; index < calls.length; index++) {
    const call = calls[index]!;
    // A call still waiting for its answer is picked up by the next poll.
    const answer = answerOf(call);
    if (!answer) break;
    next = index + 1;
    if (answer.error || !SHOWN.has(call.method)) continue;
    const target = call.payload.chat_id;
    if (target !== undefined && Number(target) !== chatId) continue;
    shown.push({ index, method: call.method, payload: call.payload, result: answer.result });
  }
  return { next, calls: shown };
}

async function bundleClient(): Promise<string> {
  const result = await build({
    entryPoints: [CLIENT_ENTRY],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  send(response, status, 'application/json', JSON.stringify(body));
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer): void {
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
}
