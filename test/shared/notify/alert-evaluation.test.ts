import { beforeAll, describe, expect, it } from 'vitest';
import type { Holding, TargetAllocation, Wallet } from '../../../shared/kernel/types';
import { createAlertEvaluator, type AlertEvaluationDeps } from '../../../shared/notify/alert-evaluation';
import { createAlertStore, type AlertStore } from '../../../shared/notify/alert-store';
import type { Notification } from '../../../shared/notify/notification';
import { buildPortfolioView, buildSnapshotPoint } from '../../../shared/portfolio/valuation';
import { createSettingsStore, type SettingsStore } from '../../../shared/rebalance/settings-store';
import { createTestDynamo, type TestDynamo } from '../../support/dynamo';

/**
 * One wallet, worked by hand: 1.5 ETH on Ethereum + 0.5 ETH on Base (2 ETH) and 6,000 USDC on Base. 24 h ago ETH
 * was $3,000: 6,000 + 6,000 = $12,000, ETH exactly 50 % (not above the 50 % rule), Base 62.5 % (under 80 %).
 * ETH at $2,300: 2 × (2,300 − 3,000) = −$1,400 of 12,000 = −11.67 %: past the 10 % rule, the only alert.
 * ETH at $2,900: −$200 = −1.67 %, inside the 8 % clear level.
 */
const USDC_BASE = '0x833589fcd6edb6e08f4c7c32d4f71b54bda02913';
const ADDRESS = '0x1111111111111111111111111111111111111111';
let db: TestDynamo;
let alerts: AlertStore;
let settings: SettingsStore;
let nextUser = 1;

beforeAll(async () => {
  db = await createTestDynamo();
  alerts = createAlertStore(db.doc, db.tables.sessions);
  settings = createSettingsStore(db.doc, db.tables.sessions);
});

function world(start: string) {
  const userId = `${Date.now()}${nextUser++}`;
  const clock = { now: new Date(start) };
  const market = { eth: '3000', usdc: '1' };
  const sent: Notification[] = [];
  const outbox = {
    failNext: false,
    async send(notifications: readonly Notification[]) {
      if (outbox.failNext) {
        outbox.failNext = false;
        throw new Error('queue down');
      }
      sent.push(...notifications);
    },
  };
  const target: { value?: TargetAllocation } = {};
  const holding = (chainIndex: string, tokenAddress: string, balance: string, priceUsd: string): Holding => ({
    userId,
    walletId: 'w1',
    walletAddress: ADDRESS,
    chainIndex,
    tokenAddress,
    symbol: tokenAddress === '' ? 'ETH' : 'USDC',
    balance,
    priceUsd,
    isRiskToken: false,
    assetId: tokenAddress === '' ? 'eth' : 'usdc',
    sector: tokenAddress === '' ? 'l1' : 'stablecoin',
    syncedAt: clock.now.toISOString(),
  });
  const holdingsAt = (eth: string, usdc: string) => [
    holding('1', '', '1.5', eth),
    holding('8453', '', '0.5', eth),
    holding('8453', USDC_BASE, '6000', usdc),
  ];
  const deps: AlertEvaluationDeps = {
    portfolio: {
      async getHoldingsView() {
        const holdings = holdingsAt(market.eth, market.usdc);
        const wallet: Wallet = {
          userId,
          walletId: 'w1',
          address: ADDRESS,
          family: 'evm',
          chains: ['1', '8453'],
          addedAt: start,
          lastSyncedAt: clock.now.toISOString(),
        };
        const yesterday = new Date(clock.now.getTime() - 86_400_000).toISOString();
        const baseline = buildSnapshotPoint(holdingsAt('3000', '1'), yesterday, yesterday, false);
        return {
          view: buildPortfolioView({ userId, wallets: [wallet], holdings, baseline, now: clock.now }),
          holdings,
        };
      },
      getTargetAllocation: async () => target.value,
    },
    settings,
    alerts,
    outbox,
    now: () => clock.now,
  };
  const evaluator = createAlertEvaluator(deps);
  return {
    userId,
    market,
    sent,
    outbox,
    target,
    deps,
    at: (iso: string) => (clock.now = new Date(iso)),
    evaluate: () => evaluator.evaluate(userId),
  };
}

describe('alert evaluation after a sync (DynamoDB Local, fake outbox)', () => {
  it('a price drop alerts once; the next sync does not repeat it; recovery clears it; a new drop alerts again', async () => {
    const w = world('2026-12-03T12:00:00.000Z');
    expect(await w.evaluate()).toEqual({ started: 0, cleared: 0, held: 0, sent: 0, heldBack: 0 });

    w.at('2026-12-03T12:10:00.000Z');
    w.market.eth = '2300';
    const first = await w.evaluate();
    expect(first).toMatchObject({ started: 1, cleared: 0, sent: 1, heldBack: 0 });
    expect(w.sent).toEqual([
      {
        id: first.notificationId,
        userId: w.userId,
        chatId: w.userId,
        kind: 'alert',
        text: '🔔 <b>Alert</b>\n• 📉 Portfolio down 11.67 % in 24 h (−$1,400.00)',
        buttons: [[{ text: '📈 Open report', callbackData: 'v1:report' }]],
      },
    ]);
    expect(first.notificationId).toMatch(new RegExp(`^alert#${w.userId}#[0-9a-f]{20}$`));

    w.at('2026-12-03T12:20:00.000Z');
    expect(await w.evaluate()).toMatchObject({ started: 0, cleared: 0, sent: 0 });
    // Hovering between the clear level (8 %) and the trigger (10 %): −$1,100 = −9.17 %. Still the same episode.
    w.market.eth = '2450';
    w.at('2026-12-03T12:30:00.000Z');
    expect(await w.evaluate()).toMatchObject({ started: 0, cleared: 0, sent: 0 });

    w.market.eth = '2900';
    w.at('2026-12-03T12:40:00.000Z');
    expect(await w.evaluate()).toMatchObject({ started: 0, cleared: 1, sent: 0 });

    w.market.eth = '2300';
    w.at('2026-12-03T12:50:00.000Z');
    const second = await w.evaluate();
    expect(second).toMatchObject({ started: 1, sent: 1 });
    expect(second.notificationId).not.toBe(first.notificationId);
    expect(w.sent).toHaveLength(2);
  });

  it('two concurrent evaluations of one sync send one notification', async () => {
    const w = world('2026-12-03T12:00:00.000Z');
    w.market.eth = '2300';
    const results = await Promise.all([w.evaluate(), w.evaluate(), w.evaluate()]);
    expect(results.map((result) => result.sent).sort()).toEqual([0, 0, 1]);
    expect(w.sent).toHaveLength(1);
  });

  it('holds alerts in quiet hours in the user’s time zone and sends them when they end', async () => {
    const w = world('2026-12-03T21:30:00.000Z'); // 22:30 in Berlin
    await settings.setTimeZone(w.userId, 'Europe/Berlin', '2026-12-03T00:00:00.000Z');
    await alerts.setQuietHours(w.userId, { start: 22, end: 7 }, '2026-12-03T00:00:00.000Z');
    w.market.eth = '2300';
    expect(await w.evaluate()).toMatchObject({ started: 1, sent: 0, held: 1 });
    w.at('2026-12-04T05:50:00.000Z'); // 06:50 in Berlin
    expect(await w.evaluate()).toMatchObject({ started: 0, sent: 0, held: 1 });
    w.at('2026-12-04T06:10:00.000Z'); // 07:10 in Berlin
    // The 24 h window now starts at the new time; the drop is still −11.67 % against it.
    expect(await w.evaluate()).toMatchObject({ started: 0, sent: 1, held: 0 });
    expect(w.sent.map((notification) => notification.text)).toEqual([
      '🔔 <b>Alert</b>\n• 📉 Portfolio down 11.67 % in 24 h (−$1,400.00)',
    ]);
  });

  it('drops a held alert whose condition cleared before quiet hours ended', async () => {
    const w = world('2026-12-03T23:30:00.000Z'); // UTC: the default time zone
    await alerts.setQuietHours(w.userId, { start: 23, end: 6 }, '2026-12-03T00:00:00.000Z');
    w.market.eth = '2300';
    expect(await w.evaluate()).toMatchObject({ started: 1, held: 1 });
    w.market.eth = '2900';
    w.at('2026-12-04T03:00:00.000Z');
    expect(await w.evaluate()).toMatchObject({ cleared: 1, held: 0 });
    w.at('2026-12-04T06:10:00.000Z');
    expect(await w.evaluate()).toMatchObject({ started: 0, sent: 0 });
    expect(w.sent).toEqual([]);
  });

  it('sends at most the daily cap on the user’s local day, names what it held back, and starts again the next day', async () => {
    const w = world('2026-12-03T12:00:00.000Z');
    await alerts.setDailyCap(w.userId, 1, '2026-12-03T00:00:00.000Z');
    // ETH $2,300 and USDC $0.97: depeg 3 % and the portfolio down (1,400 + 180) / 12,000 = 13.17 %.
    w.market.eth = '2300';
    w.market.usdc = '0.97';
    expect(await w.evaluate()).toMatchObject({ started: 2, sent: 1, heldBack: 1 });
    expect(w.sent[0]!.text).toBe(
      [
        '🔔 <b>Alert</b>',
        '• 🪙 <b>USDC</b> trades at $0.9700, 3.00 % off its $1 peg on Base',
        '… and 1 more, not sent: your limit is 1 alert a day. /alerts changes it.',
      ].join('\n'),
    );
    expect(w.sent[0]!.buttons).toEqual([[{ text: '🔕 Mute peg alerts', callbackData: `v1:amute:${w.userId}:depeg` }]]);

    // A new episode the same day is over the cap too; the next UTC day it is sent.
    w.market.usdc = '1';
    w.at('2026-12-03T12:10:00.000Z');
    expect(await w.evaluate()).toMatchObject({ cleared: 1 });
    w.market.usdc = '0.97';
    w.at('2026-12-03T12:20:00.000Z');
    expect(await w.evaluate()).toMatchObject({ started: 1, sent: 0, heldBack: 1 });
    w.market.usdc = '1';
    w.at('2026-12-04T00:10:00.000Z');
    await w.evaluate();
    w.market.usdc = '0.97';
    w.at('2026-12-04T00:20:00.000Z');
    expect(await w.evaluate()).toMatchObject({ started: 1, sent: 1 });
  });

  it('puts alerts back to pending when the outbox fails, and sends them with the same id next time', async () => {
    const w = world('2026-12-03T12:00:00.000Z');
    w.market.eth = '2300';
    w.outbox.failNext = true;
    await expect(w.evaluate()).rejects.toThrow('queue down');
    expect((await alerts.read(w.userId)).states.map((state) => state.status)).toEqual(['pending']);
    const retried = await w.evaluate();
    expect(retried).toMatchObject({ sent: 1 });
    expect(w.sent).toHaveLength(1);
  });

  it('mutes: episodes are tracked and nothing is sent, even after unmuting while they last', async () => {
    const w = world('2026-12-03T12:00:00.000Z');
    await alerts.setMuted(w.userId, true, '2026-12-03T00:00:00.000Z');
    w.market.eth = '2300';
    expect(await w.evaluate()).toMatchObject({ started: 1, sent: 0 });
    await alerts.setMuted(w.userId, false, '2026-12-03T00:00:00.000Z');
    expect(await w.evaluate()).toMatchObject({ started: 0, sent: 0 });
    expect(w.sent).toEqual([]);
  });

  it('alerts drift outside the band of the saved target with a Rebalance button', async () => {
    // Target ETH 70 / USDC 30 at $3,000: ETH is 50 %, 20 pp off; the band is min(5, 25 % × 70) = 5 pp.
    const w = world('2026-12-03T12:00:00.000Z');
    w.target.value = { eth: '70', usdc: '30' };
    expect(await w.evaluate()).toMatchObject({ started: 2, sent: 2 });
    expect(w.sent[0]!.text).toBe(
      [
        '🔔 <b>2 alerts</b>',
        '• ⚖️ <b>ETH</b> is 50.0 % of your target mix, target 70.0 % (band ±5.0 pp, off by 20.0 pp)',
        '• ⚖️ <b>USDC</b> is 50.0 % of your target mix, target 30.0 % (band ±5.0 pp, off by 20.0 pp)',
      ].join('\n'),
    );
    expect(w.sent[0]!.buttons).toEqual([[{ text: '⚖️ Rebalance', callbackData: 'v1:rebal' }]]);
  });

  it("takes the target the sync's read found instead of reading it again (none found: no drift alert)", async () => {
    const w = world('2026-12-03T12:00:00.000Z');
    w.target.value = { eth: '100' };
    let reads = 0;
    const evaluator = createAlertEvaluator({
      ...w.deps,
      portfolio: { ...w.deps.portfolio, getTargetAllocation: async () => ((reads += 1), w.target.value) },
    });
    // The sync's read found no saved target: the stored one is not read, so no drift is seen.
    expect(await evaluator.evaluate(w.userId, { target: undefined })).toMatchObject({ sent: 0 });
    // The sync's read found ETH 70 / USDC 30: both are 20 pp off, as in the test above.
    expect(await evaluator.evaluate(w.userId, { target: { eth: '70', usdc: '30' } })).toMatchObject({ sent: 2 });
    expect(reads).toBe(0);
    expect(w.sent[0]!.text).toContain('<b>ETH</b> is 50.0 % of your target mix, target 70.0 %');
  });
});
