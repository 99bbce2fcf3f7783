import { describe, expect, it } from 'vitest';
import type { StoredPlan } from '../../../shared/rebalance/plan-store';
import { renderRebalancePreview } from '../../../shared/rebalance/rebalance-preview';
import {
  refusalText,
  renderSigningReady,
  signUrlOf,
  renderLiveStatus,
  renderSimulatedResult,
} from '../../../shared/rebalance/rebalance-result';
import { suggestedPlan, wbtcToUsdc } from './rebalance-service-fixtures';

const base = suggestedPlan();
const plan: StoredPlan = {
  planId: 'abc',
  userId: '7',
  chatId: 70,
  state: 'pending',
  createdAt: '2026-03-18T10:00:00.000Z',
  expiresAt: '2026-03-18T10:05:00.000Z',
  slippagePercent: '0.5',
  mode: 'band-edge',
  totalValueUsd: '20000',
  legs: [{ leg: wbtcToUsdc, quote: { toAmountRaw: '1998000000', minReceivedRaw: '1988010000', costUsd: '0' } }],
  dropped: [],
  allocation: base.allocation,
};

describe('rebalance renderers', () => {
  it('shows n/a for a quote without impact or gas, the live warning and a headline', () => {
    const { text } = renderRebalancePreview(plan, { isLive: true, headline: 'HEAD' });

    expect(
      text.startsWith(
        'HEAD\n\n🔄 <b>Rebalance preview</b> (to the band edge: each drifted asset back only to the edge of its band)',
      ),
    ).toBe(true);
    expect(text).toContain('price impact n/a · gas n/a');
    expect(text).toContain('⚠️ <b>Live mode</b>');
    expect(renderSimulatedResult(plan)).toContain('gas n/a');
  });

  it("shows OKX's price impact with its documented sign: a loss is negative, a gain positive", () => {
    const quoted = (priceImpactPercent: string) =>
      renderRebalancePreview(
        {
          ...plan,
          legs: [{ leg: wbtcToUsdc, quote: { ...plan.legs[0]!.quote, priceImpactPercent, costUsd: '2.4801412024' } }],
        },
        { isLive: false },
      ).text;

    expect(quoted('-0.06')).toContain('price impact −0.06 % · gas n/a · cost $2.48');
    expect(quoted('0.02')).toContain('price impact +0.02 %');
    expect(quoted('0')).toContain('price impact 0 %');
  });

  it('names the whole portfolio and what is kept when unlisted assets are left out (never a silent total)', () => {
    const kept = [
      { assetId: 'btc', symbol: 'WBTC', valueUsd: '9000' },
      { assetId: 'usdc', symbol: 'USDC', valueUsd: '2000' },
    ];
    const { text } = renderRebalancePreview(
      { ...plan, mode: 'target', totalValueUsd: '3000', kept },
      { isLive: false },
    );
    // Whole portfolio = 3,000 rebalanced + 9,000 + 2,000 kept = 14,000.
    expect(text).toContain(
      '🔄 <b>Rebalance preview</b> (to target)\nRebalancing $3,000.00 of your $14,000.00 portfolio.\nKept as they are (not in your target): WBTC $9,000.00, USDC $2,000.00.\nSlippage cap 0.5 %',
    );
  });

  it('offers no Confirm when every leg was skipped', () => {
    const message = renderRebalancePreview(
      { ...plan, legs: [], dropped: [{ leg: wbtcToUsdc, reason: 'a <b> reason' }] },
      { isLive: false },
    );

    // No Confirm / Cancel; only the switch back to the default, to target.
    expect(message.buttons).toEqual([[{ text: '🎯 All the way to target', data: 'v1:rebal:target' }]]);
    expect(message.text).toContain('a &lt;b&gt; reason');
    expect(message.text).toContain('every leg was skipped');
  });

  it('lists the legs to sign with a web_app button on the plan, or says signing is not set up', () => {
    const plan = {
      planId: 'p9',
      signBy: '2036-03-18T10:15:00.000Z',
      legs: [
        {
          leg: wbtcToUsdc,
          quote: { toAmountRaw: '1998000000', minReceivedRaw: '1978020000', costUsd: '2' },
          execution: { rev: 1, state: 'awaiting-signature', walletAddress: '0x1234567890abcdef1234', steps: [] },
        },
      ],
    } as unknown as Parameters<typeof renderSigningReady>[0];
    const url = signUrlOf('https://app.example/miniapp/', 'p9');
    expect(url).toBe('https://app.example/miniapp/#sign=p9');
    const ready = renderSigningReady(plan, url);
    expect(ready.buttons).toEqual([[{ text: '✍️ Sign in wallet', webApp: 'https://app.example/miniapp/#sign=p9' }]]);
    expect(ready.text).toContain('1. 0.03333333 WBTC → USDC, at least');
    expect(ready.text).toContain('from <code>0x1234…1234</code>');
    expect(ready.text).toContain('by 10:15 UTC');
    expect(ready.text).not.toContain('0xf2c4');
    const none = renderSigningReady(plan, undefined);
    expect(none.buttons).toBeUndefined();
    expect(none.text).toContain('not set up');
  });

  it('words every refusal and the live status', () => {
    expect(refusalText({ kind: 'already-done', state: 'awaiting-signature' })).toBe('Already done');
    expect(renderLiveStatus({ liveMode: false, dryRun: false })).toContain('Live mode is <b>off</b>');
  });
});
