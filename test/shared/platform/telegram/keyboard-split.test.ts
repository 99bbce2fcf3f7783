import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildInlineKeyboard,
  CallbackDataTooLongError,
  isCallbackDataValid,
  MAX_MESSAGE_LENGTH,
  splitMessage,
} from '../../../../shared/platform/telegram/messages';

describe('buildInlineKeyboard', () => {
  it('maps rows of buttons to callback buttons and drops empty rows', () => {
    expect(
      buildInlineKeyboard([
        [{ text: 'A', data: 'v1:a' }],
        [],
        [
          { text: 'B', data: 'v1:b' },
          { text: 'C', data: 'v1:c' },
        ],
      ]),
    ).toEqual({
      inline_keyboard: [
        [{ text: 'A', callback_data: 'v1:a' }],
        [
          { text: 'B', callback_data: 'v1:b' },
          { text: 'C', callback_data: 'v1:c' },
        ],
      ],
    });
  });

  it('counts bytes, not characters: 64 ASCII bytes pass, 17 four-byte emoji (68 bytes) do not', () => {
    expect(isCallbackDataValid('x'.repeat(64))).toBe(true);
    expect(isCallbackDataValid('')).toBe(false);
    expect(() => buildInlineKeyboard([[{ text: 'E', data: '😀'.repeat(17) }]])).toThrow(CallbackDataTooLongError);
    expect(() => buildInlineKeyboard([[{ text: 'C', data: `v1:x:${'ж'.repeat(30)}` }]])).toThrow(
      /over the 64-byte limit/,
    );
  });
});

const visible = (html: string) => html.replace(/<[^>]*>/g, '');

function isBalanced(html: string): boolean {
  const stack: string[] = [];
  for (const [, closing, name] of html.matchAll(/<(\/?)([a-z]+)[^>]*>/g)) {
    if (!closing) stack.push(name!);
    else if (stack.pop() !== name) return false;
  }
  return stack.length === 0;
}

describe('splitMessage', () => {
  it('returns a short message unchanged', () => {
    expect(splitMessage('<b>hi</b>')).toEqual(['<b>hi</b>']);
  });

  it('splits on line breaks, each part within the limit', () => {
    const lines = Array.from({ length: 300 }, (_, index) => `line ${index} ${'x'.repeat(20)}`);
    const parts = splitMessage(lines.join('\n'));

    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
    expect(parts.join('\n')).toBe(lines.join('\n'));
  });

  it('closes and reopens tags across a cut, and never cuts inside an entity or tag', () => {
    const text = `<b>${'a &amp; b '.repeat(30)}</b>\n<a href="https://x.y/?q=1&amp;r=2">${'link '.repeat(10)}</a>`;
    const parts = splitMessage(text, 60);

    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(60);
      expect(isBalanced(part)).toBe(true);
      expect(part).not.toMatch(/&[a-z]*$|^[a-z]*;|<[^>]*$/);
    }
    expect(parts[1]!.startsWith('<b>')).toBe(true);
    expect(visible(parts.join(' ')).replace(/\s+/g, ' ').trim()).toBe(visible(text).replace(/\s+/g, ' ').trim());
  });

  it('cuts a long word without spaces between characters', () => {
    const parts = splitMessage(`<code>${'f'.repeat(150)}</code>`, 50);

    expect(parts.every((part) => part.length <= 50 && part.startsWith('<code>') && part.endsWith('</code>'))).toBe(
      true,
    );
    expect(parts.map(visible).join('')).toBe('f'.repeat(150));
  });

  it('property: every part fits, parses and together keeps all visible text', () => {
    const piece = fc.oneof(
      fc.constantFrom('<b>', '</b>', '<i>', '</i>', '&amp;', '&lt;', '\n', ' ', '😀'),
      fc.string({ minLength: 1, maxLength: 12 }).map((s) => s.replace(/[<>&]/g, '')),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 200 }), fc.integer({ min: 40, max: 200 }), (pieces, limit) => {
        const text = balance(pieces.join(''));
        const parts = splitMessage(text, limit);
        for (const part of parts) {
          expect(part.length).toBeLessThanOrEqual(limit);
          expect(isBalanced(part)).toBe(true);
        }
        expect(visible(parts.join('')).replace(/\s+/g, '')).toBe(visible(text).replace(/\s+/g, ''));
      }),
    );
  });
});

/** Drops stray closing tags and closes open ones, so the generated input is valid Telegram HTML. */
function balance(html: string): string {
  const stack: string[] = [];
  const out = html.replace(/<(\/?)([bi])>/g, (tag, closing: string, name: string) => {
    if (!closing) return (stack.push(name), tag);
    if (stack.at(-1) === name) return (stack.pop(), tag);
    return '';
  });
  return (
    out +
    stack
      .reverse()
      .map((name) => `</${name}>`)
      .join('')
  );
}
