import { describe, expect, it } from 'vitest';
import {
  formatAge,
  formatQuantity,
  formatShare,
  formatSignedPercent,
  formatSignedUsd,
  formatUsd,
  shortenAddress,
} from '../../../../shared/platform/telegram/money-format';
import { escapeHtml, htmlToPlainText } from '../../../../shared/platform/telegram/messages';

describe('display formatting', () => {
  it.each([
    ['1234.567', '$1,234.57'],
    ['0', '$0.00'],
    ['0.004', '<$0.01'],
    ['-0.001', '−<$0.01'],
    ['-1234567.5', '−$1,234,567.50'],
    ['123456789012345678901234567890.125', '$123,456,789,012,345,678,901,234,567,890.12'],
  ])('formatUsd(%s) = %s', (input, expected) => expect(formatUsd(input)).toBe(expected));

  it('signs USD amounts', () => {
    expect(formatSignedUsd('12.3')).toBe('+$12.30');
    expect(formatSignedUsd('-4')).toBe('−$4.00');
    expect(formatSignedUsd('0')).toBe('$0.00');
  });

  it.each([
    ['1998', '1,998.00'],
    ['1.23456', '1.2346'],
    ['2.5', '2.50'],
    ['0.03333333', '0.03333333'],
    ['0.333', '0.333'],
    ['0', '0.00'],
    ['0.000000001234567', '0.000000001235'],
    ['-0.5', '−0.50'],
    ['1000000000000000000000000000000000000000.1', '1,000,000,000,000,000,000,000,000,000,000,000,000,000.10'],
  ])('formatQuantity(%s) = %s', (input, expected) => expect(formatQuantity(input)).toBe(expected));

  it('rounds a guaranteed minimum down, never up', () => {
    // 3,214.364999 USDC: to 4 places the nearest is 3,214.3650 (shown 3,214.365), down is 3,214.3649.
    expect(formatQuantity('3214.364999')).toBe('3,214.365');
    expect(formatQuantity('3214.364999', 'down')).toBe('3,214.3649');
    expect(formatQuantity('0.123456789', 'down')).toBe('0.12345678');
  });

  it('formats shares and signed percentages', () => {
    expect(formatShare('0.6234')).toBe('62.3 %');
    expect(formatShare('1')).toBe('100.0 %');
    expect(formatSignedPercent('0.0286')).toBe('+2.86 %');
    expect(formatSignedPercent('-0.042')).toBe('−4.20 %');
    expect(formatSignedPercent('0')).toBe('0.00 %');
  });

  it('rejects a JS number sneaking in as a string-less value', () => {
    expect(() => formatUsd(12 as unknown as string)).toThrow(/not a decimal string/);
  });

  it('words ages', () => {
    const now = new Date('2026-03-18T10:00:00.000Z');
    expect(formatAge('2026-03-18T09:59:30.000Z', now)).toBe('just now');
    expect(formatAge('2026-03-18T10:00:30.000Z', now)).toBe('just now');
    expect(formatAge('2026-03-18T09:57:00.000Z', now)).toBe('3 min ago');
    expect(formatAge('2026-03-18T07:00:00.000Z', now)).toBe('3 h ago');
    expect(formatAge('2026-03-14T10:00:00.000Z', now)).toBe('4 days ago');
  });

  it('shortens long addresses only', () => {
    expect(shortenAddress('0x1234567890abcdef1234567890abcdef12345678')).toBe('0x1234…5678');
    expect(shortenAddress('short')).toBe('short');
  });

  it('escapes the HTML specials and turns HTML back into plain text', () => {
    expect(escapeHtml('<b>"Tom" & Jerry</b>')).toBe('&lt;b&gt;&quot;Tom&quot; &amp; Jerry&lt;/b&gt;');
    expect(htmlToPlainText('<b>A &amp; B</b> &lt;c&gt; &quot;d&quot;')).toBe('A & B <c> "d"');
  });
});
