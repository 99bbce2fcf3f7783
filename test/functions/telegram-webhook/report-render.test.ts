import { describe, expect, it } from 'vitest';
import { describeFlag, renderDiversification } from '../../../functions/telegram-webhook/render/report-diversification';
import { allocationSlices } from '../../../functions/telegram-webhook/render/report-message';
import { renderPerformance } from '../../../functions/telegram-webhook/render/report-performance';
import { formatSignedPercent } from '../../../shared/adapters/telegram/format';
import { diversification, performance, view } from './portfolio-fixtures';

const labels = { assetSymbol: (id: string) => id.toUpperCase() };

describe('report renderers', () => {
  it('names every risk flag in plain words, escaping subjects', () => {
    expect(describeFlag({ kind: 'sector-concentration', subject: 'meme', share: '0.7', threshold: '0.6' }, labels)).toContain('Meme makes up');
    expect(describeFlag({ kind: 'sector-concentration', subject: '<x>', threshold: '0.6' }, labels)).toContain('&lt;x&gt; makes up of');
    expect(describeFlag({ kind: 'low-gas-reserve', subject: '8453', threshold: '0.001' }, labels)).toBe('Low gas on Base: keep a little of the native coin there to pay for transactions.');
    expect(describeFlag({ kind: 'chain-concentration', subject: '999999', share: '0.9', threshold: '0.8' }, labels)).toContain('sits on chain 999999');
  });

  it('names the wallet (label or short address) and the chain of a low-gas flag', () => {
    const flag = { kind: 'low-gas-reserve', subject: '137', threshold: '5', walletId: 'wa', walletAddress: '0xaaaa000000000000000000000000000000000001', nativeBalance: '0' } as const;
    expect(describeFlag(flag, labels)).toBe('Low gas in wallet 0xaaaa…0001 on Polygon: it holds tokens there but only 0.00 POL (keep at least 5 POL in that wallet to pay for transactions).');
    expect(describeFlag(flag, { ...labels, walletLabel: (id) => (id === 'wa' ? 'Cold <1>' : undefined) })).toContain('Low gas in wallet Cold &lt;1&gt; (0xaaaa…0001) on Polygon');
  });

  it('leaves out the flags block when there are none', () => {
    expect(renderDiversification({ ...diversification, flags: [] }, labels)).not.toContain('Risk flags');
  });

  it('omits missing figures and zero flows, and signs returns', () => {
    const text = renderPerformance({ ...performance('24h'), netFlowsUsd: '0', twr: undefined, simpleRoi: undefined, maxDrawdown: undefined, pnlUsd: { value: '0', method: 'm' } });

    expect(text).not.toContain('Net deposits');
    expect(text).not.toContain('Time-weighted');
    expect(text).toContain('Performance · 24 hours');
    expect(formatSignedPercent('0')).toBe('0.00 %');
    expect(formatSignedPercent('0.12346')).toBe('+12.35 %');
  });

  it('charts only priced assets', () => {
    expect(allocationSlices(view).map((slice) => slice.label)).toEqual(['ETH', 'WBTC', 'USDC']);
  });
});
