import type { InlineKeyboardMarkup } from 'telegraf/types';

/** Telegram rejects callback_data over 64 bytes (UTF-8), so it is checked when the keyboard is built. */
export const MAX_CALLBACK_DATA_BYTES = 64;

/** A callback button (`data`, `v1:<verb>[:<shortId>]`) or a link button (`url`, e.g. to the private chat). */
export type KeyboardButton = { readonly text: string; readonly data: string } | { readonly text: string; readonly url: string };

export class CallbackDataTooLongError extends Error {
  constructor(readonly data: string) {
    super(`callback_data is ${Buffer.byteLength(data, 'utf8')} bytes, over the ${MAX_CALLBACK_DATA_BYTES}-byte limit: ${data}`);
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
          if (!isCallbackDataValid(button.data)) throw new CallbackDataTooLongError(button.data);
          return { text: button.text, callback_data: button.data };
        }),
      ),
  };
}
