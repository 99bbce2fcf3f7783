import { Telegram } from 'telegraf';
import { buildInlineKeyboard, type KeyboardButton } from '../platform/telegram/messages';
import type { NotificationButton } from './notification';

/** The two Bot API calls the sender makes; errors are telegraf's (`response.error_code`, `parameters.retry_after`). */
export interface NotifyBotApi {
  sendMessage(
    chatId: string,
    text: string,
    options: { readonly html: boolean; readonly buttons?: readonly (readonly NotificationButton[])[] },
  ): Promise<void>;
  sendPhoto(chatId: string, png: Buffer): Promise<void>;
}

/** telegraf's Telegram client on the real Bot API, or the fake one (TELEGRAM_API_ROOT). */
export function createNotifyBotApi(token: string, apiRoot: string): NotifyBotApi {
  const telegram = new Telegram(token, { apiRoot, webhookReply: false });
  return {
    async sendMessage(chatId, text, { html, buttons }) {
      await telegram.sendMessage(chatId, text, {
        ...(html ? { parse_mode: 'HTML' as const } : {}),
        ...(buttons ? { reply_markup: buildInlineKeyboard(buttons.map((row) => row.map(toKeyboardButton))) } : {}),
      });
    },
    async sendPhoto(chatId, png) {
      await telegram.sendPhoto(chatId, { source: png, filename: 'value.png' });
    },
  };
}

function toKeyboardButton(button: NotificationButton): KeyboardButton {
  return button.url !== undefined
    ? { text: button.text, url: button.url }
    : { text: button.text, data: button.callbackData! };
}
