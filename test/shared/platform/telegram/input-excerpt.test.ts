import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildInlineKeyboard,
  clipText,
  htmlToPlainText,
  inputExcerpt,
  MAX_ECHOED_INPUT,
} from '../../../../shared/platform/telegram/messages';

describe('inputExcerpt', () => {
  it('keeps short input, cuts long input to 40 characters ending in "…", and escapes it', () => {
    expect(inputExcerpt('Ann & <Bob>')).toBe('Ann &amp; &lt;Bob&gt;');
    expect(inputExcerpt('x'.repeat(40))).toBe('x'.repeat(40));
    expect(inputExcerpt('x'.repeat(41))).toBe(`${'x'.repeat(39)}…`);
    expect(inputExcerpt('<'.repeat(4_000))).toBe(`${'&lt;'.repeat(39)}…`);
  });

  it('never splits an emoji (counts code points) and honours its limit for any input', () => {
    expect(clipText('😀'.repeat(5), 3)).toBe('😀😀…');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (value) => {
        const excerpt = inputExcerpt(value);
        expect(Array.from(htmlToPlainText(excerpt)).length).toBeLessThanOrEqual(MAX_ECHOED_INPUT);
        expect(excerpt).not.toMatch(/[<>"]/);
      }),
    );
  });
});

describe('buildInlineKeyboard: link buttons', () => {
  it('builds a url button next to callback buttons', () => {
    expect(
      buildInlineKeyboard([
        [{ text: 'Open', url: 'https://t.me/EstherPortfolioBot?start=portfolio' }],
        [{ text: 'B', data: 'v1:b' }],
      ]),
    ).toEqual({
      inline_keyboard: [
        [{ text: 'Open', url: 'https://t.me/EstherPortfolioBot?start=portfolio' }],
        [{ text: 'B', callback_data: 'v1:b' }],
      ],
    });
  });
});
