import { describe, expect, it } from 'vitest';
import { NOTHING_TO_SHARE_TEXT, renderShareCard } from '../../../shared/portfolio/share-card';
import type { AssetPosition } from '../../../shared/kernel/types';
import { view } from './portfolio-fixtures';

const asset = (symbol: string, share?: string): AssetPosition => ({
  assetId: symbol.toLowerCase(),
  symbol,
  sector: 'other',
  quantity: '1',
  valueUsd: share === undefined ? undefined : '1000',
  share,
  chains: ['1'],
  tokens: [],
});

describe('share card', () => {
  it('names the top six assets and sums the rest into Others, with no amounts', () => {
    // Shares 0.30 0.20 0.15 0.10 0.10 0.05 are listed; Others = 0.06 + 0.04 = 0.10 -> "10.0 %".
    const assets = [
      asset('A', '0.3'),
      asset('B', '0.2'),
      asset('C', '0.15'),
      asset('D', '0.1'),
      asset('E', '0.1'),
      asset('F', '0.05'),
      asset('G', '0.06'),
      asset('H', '0.04'),
      asset('X'),
    ];

    const text = renderShareCard({ ...view, assets });

    expect(text).toBe(
      [
        '📊 <b>My allocation</b>',
        '• <b>A</b> 30.0 %',
        '• <b>B</b> 20.0 %',
        '• <b>C</b> 15.0 %',
        '• <b>D</b> 10.0 %',
        '• <b>E</b> 10.0 %',
        '• <b>F</b> 5.0 %',
        '• Others (2) 10.0 %',
        '<i>Percentages only: amounts and addresses stay private.</i>',
      ].join('\n'),
    );
    expect(text).not.toMatch(/\$|0x|11,234/);
  });

  it('escapes and shortens a hostile symbol and name; says so when nothing is priced', () => {
    const text = renderShareCard({ ...view, assets: [asset(`<a href="x">${'S'.repeat(100)}`, '1')] }, '<i>Eve');

    expect(text).toContain('📊 <b>&lt;i&gt;Eve’s allocation</b>');
    // 16 characters of the symbol: '<a href="x">SSS' + '…', escaped.
    expect(text).toContain('• <b>&lt;a href=&quot;x&quot;&gt;SSS…</b> 100.0 %');
    expect(renderShareCard({ ...view, assets: [asset('X')] })).toBe(NOTHING_TO_SHARE_TEXT);
  });
});
