import { describe, expect, it } from 'vitest';
import { alertButton, buildAlertNotification, renderAlertLine } from '../../../shared/notify/alert-message';
import type { AlertState } from '../../../shared/notify/alert-rules';

const NOW = new Date('2026-12-03T12:00:00.000Z');
const WALLET = '0x1111111111111111111111111111111111112222';
const alert = (rule: AlertState['rule'], subject: string, value: string, detail: AlertState['detail']): AlertState => ({
  rule,
  subject,
  value,
  detail,
  status: 'pending',
  episodeStart: '2026-12-03T11:00:00.000Z',
});

describe('alert lines: what, how much and where', () => {
  it.each([
    [
      alert('asset', 'eth', '62', { label: 'ETH', chains: ['1', '8453'] }),
      '🎯 <b>ETH</b> is 62.0 % of your portfolio on Ethereum, Base',
    ],
    [alert('sector', 'meme', '55.55', { label: 'meme' }), '🧩 Sector <b>meme</b> is 55.6 % of your portfolio'],
    [
      alert('chain', '42161', '85', { label: '42161', chains: ['42161'] }),
      '⛓ <b>Arbitrum</b> holds 85.0 % of your portfolio',
    ],
    [
      alert('move', 'up', '14.2857', { label: 'portfolio', figures: { relative: '0.142857', absoluteUsd: '2000' } }),
      '📈 Portfolio up 14.29 % in 24 h (+$2,000.00)',
    ],
    [
      alert('stale', 'w1', '75.5', {
        label: WALLET,
        walletId: 'w1',
        walletAddress: WALLET,
        figures: { lastSyncedAt: '2026-12-03T10:44:30.000Z' },
      }),
      '⏳ Wallet <code>0x1111…2222</code> not synced for 76 min (last 1 h ago)',
    ],
    [
      alert('gas', '501|w2', '0.01', {
        label: '501',
        chains: ['501'],
        walletId: 'w2',
        walletAddress: 'So1ana',
        figures: { reserve: '0.05' },
      }),
      '⛽ Wallet <code>So1ana</code> on Solana has 0.01 SOL for gas, below 0.05 SOL',
    ],
    [
      alert('asset', 'x', '70', { label: `<script>${'A'.repeat(40)}`, chains: [] }),
      `🎯 <b>&lt;script&gt;${'A'.repeat(15)}…</b> is 70.0 % of your portfolio`,
    ],
  ])('%#: %s', (state, line) => {
    expect(renderAlertLine(state, NOW)).toBe(line);
  });

  it('gives each rule its one action: Rebalance, Open report or Mute this rule (with its owner)', () => {
    const buttons = (['drift', 'asset', 'sector', 'chain', 'depeg', 'move', 'stale', 'gas'] as const).map((rule) =>
      alertButton(alert(rule, 's', '1', { label: 's' }), '7'),
    );
    expect(buttons).toEqual([
      { text: '⚖️ Rebalance', callbackData: 'v1:rebal' },
      { text: '⚖️ Rebalance', callbackData: 'v1:rebal' },
      { text: '📈 Open report', callbackData: 'v1:report' },
      { text: '📈 Open report', callbackData: 'v1:report' },
      { text: '🔕 Mute peg alerts', callbackData: 'v1:amute:7:depeg' },
      { text: '📈 Open report', callbackData: 'v1:report' },
      { text: '🔕 Mute sync alerts', callbackData: 'v1:amute:7:stale' },
      { text: '🔕 Mute gas alerts', callbackData: 'v1:amute:7:gas' },
    ]);
  });

  it('keeps the id of a notification stable for the same episodes, whatever their order', () => {
    const a = alert('asset', 'eth', '62', { label: 'ETH' });
    const b = alert('chain', '1', '85', { label: '1' });
    const one = buildAlertNotification({ userId: '7', alerts: [a, b], heldBack: 2, dailyCap: 5, now: NOW });
    const two = buildAlertNotification({ userId: '7', alerts: [b, a], heldBack: 0, dailyCap: 5, now: NOW });
    expect(one.id).toBe(two.id);
    expect(one.text.split('\n').at(-1)).toBe(
      '… and 2 more, not sent: your limit is 5 alerts a day. /alerts changes it.',
    );
    expect(buildAlertNotification({ userId: '7', alerts: [a], heldBack: 0, dailyCap: 5, now: NOW }).id).not.toBe(
      one.id,
    );
  });
});
