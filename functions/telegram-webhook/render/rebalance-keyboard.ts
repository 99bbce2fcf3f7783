import { buildInlineKeyboard } from '../../../shared/adapters/telegram/keyboard';
import type { RenderedMessage } from './rebalance-preview';

/** Renderers describe buttons as plain data; the shared builder asserts the 64-byte callback limit. */
export function toInlineKeyboard(buttons: RenderedMessage['buttons']) {
  return buildInlineKeyboard(buttons);
}
