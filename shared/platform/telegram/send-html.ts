import { htmlToPlainText } from './html';
import { buildInlineKeyboard, type KeyboardButton } from './keyboard';
import { withRetryAfter } from './retry-after';
import { splitMessage } from './split-message';
import { isMessageNotModifiedError, isParseEntitiesError } from './telegram-errors';
import type { BotContext } from './bot-context';
import { logger } from '../logger';

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
    const markup = index === parts.length - 1 && message.buttons ? { reply_markup: buildInlineKeyboard(message.buttons) } : {};
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
