import type { InlineKeyboardMarkup } from 'telegraf/types';
import { sleep as realSleep, type Sleep } from '../helpers';
import { readRetryAfter, isMessageNotModifiedError, isParseEntitiesError } from './telegram-errors';
import { logger } from '../logger';
import type { Context } from 'telegraf';

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Escapes a dynamic value for Telegram's HTML parse mode (the four characters it treats specially). */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"]/g, (char) => HTML_ESCAPES[char]!);
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"' };

/** Plain-text rendering of a Telegram HTML message: tags dropped, entities decoded (the fallback after a parse error). */
export function htmlToPlainText(html: string): string {
  return html.replace(/<[^>]*>/g, '').replace(/&(amp|lt|gt|quot);/g, (_, name: string) => ENTITIES[name]!);
}

/** Cuts plain text to at most `max` characters (code points, so no emoji is split), marking the cut with "…". */
export function clipText(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Longest piece of user input the bot ever echoes back. */
export const MAX_ECHOED_INPUT = 40;

/**
 * The one way user input (a name, a chain word, an asset) is echoed into an HTML reply: a short excerpt,
 * escaped, so no input can push a reply past Telegram's 4096 characters or break its HTML.
 */
export function inputExcerpt(value: string, max = MAX_ECHOED_INPUT): string {
  return escapeHtml(clipText(value, max));
}

/** Telegram rejects callback_data over 64 bytes (UTF-8), so it is checked when the keyboard is built. */
export const MAX_CALLBACK_DATA_BYTES = 64;

/**
 * A callback button (`data`, `v1:<verb>[:<shortId>]`), a link button (`url`, e.g. to the private chat), or a Mini
 * App button (`webApp`: the page Telegram opens with the user's signed initData; private chats only).
 */
export type KeyboardButton =
  | { readonly text: string; readonly data: string }
  | { readonly text: string; readonly url: string }
  | { readonly text: string; readonly webApp: string };

export class CallbackDataTooLongError extends Error {
  constructor(readonly data: string) {
    super(
      `callback_data is ${Buffer.byteLength(data, 'utf8')} bytes, over the ${MAX_CALLBACK_DATA_BYTES}-byte limit: ${data}`,
    );
    this.name = 'CallbackDataTooLongError';
  }
}

export function isCallbackDataValid(data: string): boolean {
  return data.length > 0 && Buffer.byteLength(data, 'utf8') <= MAX_CALLBACK_DATA_BYTES;
}

/** Rows of buttons as plain data -> the Bot API's inline keyboard; throws on an oversized callback_data. */
export function buildInlineKeyboard(rows: readonly (readonly KeyboardButton[])[]): InlineKeyboardMarkup {
  return {
    inline_keyboard: rows
      .filter((row) => row.length > 0)
      .map((row) =>
        row.map((button) => {
          if ('url' in button) return { text: button.text, url: button.url };
          if ('webApp' in button) return { text: button.text, web_app: { url: button.webApp } };
          if (!isCallbackDataValid(button.data)) throw new CallbackDataTooLongError(button.data);
          return { text: button.text, callback_data: button.data };
        }),
      ),
  };
}

/** Telegram's limit for a message text, in characters (after entity parsing; the raw HTML is a safe bound). */
export const MAX_MESSAGE_LENGTH = 4096;

interface Atom {
  readonly text: string;
  /** For tags: the tag name, and whether it closes. */
  readonly tag?: { readonly name: string; readonly closing: boolean };
}

interface OpenTag {
  readonly name: string;
  readonly raw: string;
}

const ATOM = /<[^>]*>|&[a-zA-Z#0-9]+;|[\s\S]/g;

function tokenize(text: string): Atom[] {
  return (text.match(ATOM) ?? []).map((raw) => {
    const tag = /^<(\/?)([a-zA-Z][a-zA-Z0-9-]*)/.exec(raw);
    return tag ? { text: raw, tag: { name: tag[2]!.toLowerCase(), closing: tag[1] === '/' } } : { text: raw };
  });
}

function apply(stack: readonly OpenTag[], atom: Atom): readonly OpenTag[] {
  if (!atom.tag) return stack;
  if (!atom.tag.closing) return [...stack, { name: atom.tag.name, raw: atom.text }];
  const index = stack.map((open) => open.name).lastIndexOf(atom.tag.name);
  return index === -1 ? stack : stack.slice(0, index);
}

const closingTags = (stack: readonly OpenTag[]) =>
  [...stack]
    .reverse()
    .map((open) => `</${open.name}>`)
    .join('');

/**
 * Splits a Telegram HTML message into parts of at most `limit` characters: on a line break where
 * possible, else on a space, else between characters; never inside a tag or an entity. Tags open at a
 * cut are closed at the end of the part and reopened at the start of the next, so each part parses.
 */
export function splitMessage(text: string, limit = MAX_MESSAGE_LENGTH): string[] {
  if (text.length <= limit) return [text];
  const atoms = tokenize(text);
  const parts: string[] = [];
  let start = 0;
  let openAtStart: readonly OpenTag[] = [];
  while (start < atoms.length) {
    const prefix = openAtStart.map((open) => open.raw).join('');
    let length = prefix.length;
    let stack = openAtStart;
    let lineCut: { index: number; stack: readonly OpenTag[] } | undefined;
    let spaceCut: { index: number; stack: readonly OpenTag[] } | undefined;
    let index = start;
    for (; index < atoms.length; index++) {
      const atom = atoms[index]!;
      const next = apply(stack, atom);
      if (length + atom.text.length + closingTags(next).length > limit && index > start) break;
      length += atom.text.length;
      stack = next;
      if (atom.text === '\n') lineCut = { index, stack };
      else if (atom.text === ' ') spaceCut = { index, stack };
    }
    const cut =
      index >= atoms.length ? { index: atoms.length - 1, stack } : (lineCut ?? spaceCut ?? { index: index - 1, stack });
    const body = atoms
      .slice(start, cut.index + 1)
      .map((atom) => atom.text)
      .join('');
    const part = `${prefix}${body.replace(/\s+$/, '')}${closingTags(cut.stack)}`;
    if (htmlToPlainText(part).trim().length > 0) parts.push(part);
    start = cut.index + 1;
    openAtStart = cut.stack;
  }
  return parts;
}

export interface RetryAfterOptions {
  /** Longest wait we accept inside a webhook invocation; a longer retry_after is rethrown. */
  readonly maxWaitSeconds?: number;
  readonly maxAttempts?: number;
  readonly sleep?: Sleep;
  /** Extra wait so a burst of retries does not land in the same second. */
  readonly jitterMs?: () => number;
}

/**
 * Runs a Bot API send and, on 429, waits the `retry_after` Telegram asked for (plus jitter) and tries
 * again. Bounded by `maxWaitSeconds` and `maxAttempts` so a webhook never outlives its timeout.
 */
export async function withRetryAfter<T>(send: () => Promise<T>, options: RetryAfterOptions = {}): Promise<T> {
  const {
    maxWaitSeconds = 5,
    maxAttempts = 3,
    sleep = realSleep,
    jitterMs = () => Math.floor(Math.random() * 250),
  } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      const seconds = readRetryAfter(error);
      if (seconds === undefined || seconds > maxWaitSeconds || attempt >= maxAttempts) throw error;
      await sleep(seconds * 1000 + jitterMs());
    }
  }
}

export interface HtmlMessage {
  readonly text: string;
  readonly buttons?: readonly (readonly KeyboardButton[])[];
}

/**
 * Sends an HTML message, split into ≤ 4096-character parts (the keyboard rides on the last part).
 * Honours a short 429 retry_after; a "can't parse entities" 400 is never retried unchanged: the part
 * is sent once more as plain text and the template is logged so the renderer can be fixed.
 */
export async function replyHtml(ctx: BotContext, message: HtmlMessage, template: string): Promise<void> {
  const parts = splitMessage(message.text);
  for (const [index, part] of parts.entries()) {
    const markup =
      index === parts.length - 1 && message.buttons ? { reply_markup: buildInlineKeyboard(message.buttons) } : {};
    try {
      await withRetryAfter(() => ctx.reply(part, { parse_mode: 'HTML', ...markup }));
    } catch (error) {
      if (!isParseEntitiesError(error)) throw error;
      logger.error('message did not parse as HTML; sent as plain text', { template });
      await ctx.reply(htmlToPlainText(part), markup);
    }
  }
}

/**
 * Edits the message the tapped button belongs to. Edits cannot be split, so renderers for edited
 * messages keep under the limit themselves; an edit that changes nothing is not an error.
 */
export async function editHtml(ctx: BotContext, message: HtmlMessage): Promise<void> {
  const markup = message.buttons ? { reply_markup: buildInlineKeyboard(message.buttons) } : {};
  try {
    await ctx.editMessageText(message.text, { parse_mode: 'HTML', ...markup });
  } catch (error) {
    if (!isMessageNotModifiedError(error)) throw error;
  }
}

export const DASHBOARD_BUTTON_TEXT = '📊 Dashboard';

/**
 * The row with the 📊 Dashboard button (the Mini App), or none: only in a private chat (Telegram allows `web_app`
 * buttons only there, and only there is the message personal) and only when the Mini App's URL is known.
 */
export function dashboardRows(ctx: BotContext, miniAppUrl: string | undefined): KeyboardButton[][] {
  const chatType = ctx.chat?.type ?? ctx.callbackQuery?.message?.chat.type;
  if (!miniAppUrl || chatType !== 'private') return [];
  return [[{ text: DASHBOARD_BUTTON_TEXT, webApp: miniAppUrl }]];
}

/** The context every feature and middleware receives. */
export type BotContext = Context;

/** The words after the command: "/target ETH 50" -> ["ETH", "50"]. */
export function commandArgs(ctx: BotContext): string[] {
  const text = ctx.text ?? '';
  return text.trim().split(/\s+/).slice(1);
}

/** The acting user: callbacks and commands only ever touch this user's own data (the privacy guard lets no update without one through). */
export function userIdOf(ctx: BotContext): string {
  return String(ctx.from!.id);
}
