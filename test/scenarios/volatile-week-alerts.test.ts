import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notification } from '../../shared/notify/notification';
import { setWalletContent, startScenario, textOf, type Scenario } from './scenario-harness';

/**
 * One user's volatile week, replayed hour by hour through the real handlers (webhook; fan-out → worker → alert
 * evaluation) against DynamoDB Local and the OKX sandbox, with a fake notification outbox. Worked by hand:
 *
 * Wallet (EVM): 2 ETH and 4,000 USDC on Ethereum, 10 BNB on BNB Chain. Start: ETH 3,000, USDC 1, BNB 600:
 * 6,000 + 4,000 + 6,000 = 16,000 (ETH 37.5 %, BNB 37.5 %, USDC 25 %). Target ETH 40 / BNB 35 / USDC 25: each band
 * is min(5 pp, 25 % × target) = 5 pp. Time zone Europe/Berlin (UTC+1), quiet hours 22–7 local (21:00–06:00 UTC),
 * daily cap 5. A sync every hour on the hour (UTC). Day 0 is a warm-up with the 24 h rule off: until a day of real
 * syncs exists, the 24 h baseline is the sandbox's back-filled candles.
 *
 * | when (UTC)     | event                 | alerts (value)                                                   | sent |
 * | D1 00:00       | /alerts move on       |                                                                  |      |
 * | D1 06:00       | ETH → 2,000 (14,000)  | drift BNB 42.9 % (7.9 pp), drift ETH 28.6 % (11.4 pp),           | #1: 3|
 * |                |                       | down 2,000 / 16,000 = 12.50 %                                   |      |
 * | D2 06:00       | baseline now ETH 2,000| 24 h down clears (0 %)                                           |      |
 * | D2 12:00       | USDC → 0.97           | USDC 3 % off peg                                                 | #2: 1|
 * | D2 18:00       | USDC → 0.982 (1.8 %)  | between clear 1.5 % and trigger 2 %: nothing                     |      |
 * | D2 20:00       | USDC → 0.99 (1 %)     | peg clears                                                       |      |
 * | D2 22:00       | USDC → 0.982 (1.8 %)  | not past 2 %: nothing                                            |      |
 * | D3 00:00       | USDC → 1              |                                                                  |      |
 * | D3 09:00       | ETH → 3,000 (16,000)  | drifts clear (2.5 pp ≤ 4); up 2,000 / 14,000 = 14.29 %           | #3: 1|
 * | D4 09:00       |                       | 24 h up clears                                                   |      |
 * | D4 10:00       | BNB → 1,200 (22,000)  | drift BNB 54.5 % (19.5 pp), drift ETH 27.3 % (12.7 pp), drift    | #4: 5|
 * |                |                       | USDC 18.2 % (6.8 pp), BNB 54.5 % of value, up 6,000/16,000=37.5 %|      |
 * | D5 10:00       |                       | 24 h up clears                                                   |      |
 * | D5 23:00 quiet | BNB → 600 (16,000)    | drifts and BNB share clear; down 6,000 / 22,000 = 27.27 %: held  |      |
 * | D6 06:00       | quiet hours end       | the held 24 h down, still 27.27 %                                | #5: 1|
 * | D6 11:30       | an extra sync         |                                                                  |      |
 * | D6 12–14:00    | BNB Chain down        | 12:00: 30 min; 13:00: wallet not synced for 90 min (> 60)         | #6: 1|
 * | D6 15:00       | BNB Chain back        | stale clears                                                     |      |
 * | D6 23:00       |                       | 24 h down clears                                                 |      |
 * | D7 08:00       | ETH → 2,700 (15,400)  | drift ETH 35.06 % is 4.94 pp: inside the band                    |      |
 * | D7 12:00       | BNB → 980 (19,200)    | drift BNB 51.0 % (16.0 pp), drift ETH 28.1 % (11.9 pp), BNB      | #7: 4|
 * |                |                       | 51.04 %, up (3,800 − 600) / 16,000 = 20 % (baseline D6 11:30)    |      |
 * | D7 13–15:00    | BNB 905, 990, 880     | BNB 49.05 %, 51.30 %, 48.35 %: one episode, nothing; at 13:00    |      |
 * |                |                       | BNB has no price 24 h before (its chain was down): the 24 h rule |      |
 * |                |                       | covers only part of the value and is kept as it is               |      |
 * | D7 16:00       | BNB → 850             | BNB 47.49 % ≤ 48: clears                                         |      |
 * | D7 17:00       | BNB → 1,000           | BNB 51.55 %                                                      | #8: 1|
 * | D7 18:00       | BNB → 850             | clears                                                           |      |
 * | D7 19:00       | BNB → 1,000           | BNB 51.55 % again: over the day's cap of 5 (4 + 1): not sent     |      |
 *
 * In all: 8 notifications carrying 17 alerts (3 + 1 + 1 + 5 + 1 + 1 + 4 + 1), 1 held back by the cap.
 */
const USDC = '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48';
const sent: { at: string; notification: Notification }[] = [];
let replay: Scenario;
let wallet: string;

const at = (day: number, hour: number) =>
  `2026-12-${String(1 + day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000Z`;
const price = (chainIndex: string, tokenAddress: string, priceUsd: string) =>
  replay.sandbox.world.setPrice({ chainIndex, tokenAddress, priceUsd });
const eth = (usd: string) => price('1', '', usd);
const usdc = (usd: string) => price('1', USDC, usd);
const bnb = (usd: string) => price('56', '', usd);

/** Hourly syncs from `from` to `to` (inclusive) on `day`, running each hour's event first. */
async function hours(day: number, from: number, to: number, events: Record<number, () => void> = {}): Promise<void> {
  for (let hour = from; hour <= to; hour++) {
    events[hour]?.();
    replay.at(at(day, hour));
    await replay.sync();
  }
}

const sentOn = (day: number) => sent.filter((entry) => entry.at.startsWith(at(day, 0).slice(0, 10)));
const lines = (notification: Notification) => notification.text.split('\n');

beforeAll(async () => {
  replay = await startScenario({
    start: '2026-11-30T23:59:00.000Z',
    outbox: {
      async send(notifications) {
        for (const notification of notifications) sent.push({ at: new Date().toISOString(), notification });
      },
    },
  });
  wallet = replay.sandbox.world.demoWallets().find((demo) => demo.name === 'empty')!.address;
  eth('3000');
  usdc('1');
  bnb('600');
  setWalletContent(replay.sandbox, wallet, [
    { chainIndex: '1', tokenAddress: '', balance: '2' },
    { chainIndex: '1', tokenAddress: USDC, balance: '4000' },
    { chainIndex: '56', tokenAddress: '', balance: '10' },
  ]);
}, 60_000);

afterAll(async () => {
  await replay?.stop();
});

describe('a replayed volatile week: alerts', () => {
  it('day 0: a wallet, a target, Berlin time, quiet hours 22–7; no alert all day', async () => {
    await replay.send('/start');
    await replay.send(`/addwallet ${wallet}`);
    await hours(0, 0, 0);
    expect(textOf(await replay.send('/target ETH 40 BNB 35 USDC 25'))).toContain('40');
    await replay.send('/alerts tz Europe/Berlin');
    await replay.send('/alerts quiet 22-7');
    expect(textOf(await replay.send('/alerts move off'))).toContain('Portfolio up or down in 24 h by: off.');
    await hours(0, 1, 23);
    expect(sent).toEqual([]);
  }, 300_000);

  it('day 1: ETH −33 % alerts the drift of two assets and the 24 h fall, in one message, once', async () => {
    await replay.send('/alerts move on');
    await hours(1, 0, 23, { 6: () => eth('2000') });
    expect(sentOn(1).map((entry) => entry.at.slice(11, 16))).toEqual(['06:00']);
    const first = sentOn(1)[0]!.notification;
    expect(lines(first)).toEqual([
      '🔔 <b>3 alerts</b>',
      '• ⚖️ <b>BNB</b> is 42.9 % of your target mix, target 35.0 % (band ±5.0 pp, off by 7.9 pp)',
      '• ⚖️ <b>ETH</b> is 28.6 % of your target mix, target 40.0 % (band ±5.0 pp, off by 11.4 pp)',
      '• 📉 Portfolio down 12.50 % in 24 h (−$2,000.00)',
    ]);
    expect(first.buttons).toEqual([
      [{ text: '⚖️ Rebalance', callbackData: 'v1:rebal' }],
      [{ text: '📈 Open report', callbackData: 'v1:report' }],
    ]);
    expect(first).toMatchObject({ kind: 'alert', chatId: String(replay.userId), userId: String(replay.userId) });
  }, 300_000);

  it('day 2: a stablecoin off its peg alerts once; hovering under the trigger after it cleared does not', async () => {
    await hours(2, 0, 23, {
      12: () => usdc('0.97'),
      18: () => usdc('0.982'),
      20: () => usdc('0.99'),
      22: () => usdc('0.982'),
    });
    expect(sentOn(2).map((entry) => [entry.at.slice(11, 16), lines(entry.notification)])).toEqual([
      ['12:00', ['🔔 <b>Alert</b>', '• 🪙 <b>USDC</b> trades at $0.9700, 3.00 % off its $1 peg on Ethereum']],
    ]);
  }, 300_000);

  it('day 3: recovery clears the drifts and alerts the 24 h rise', async () => {
    await hours(3, 0, 23, { 0: () => usdc('1'), 9: () => eth('3000') });
    expect(sentOn(3).map((entry) => [entry.at.slice(11, 16), lines(entry.notification)])).toEqual([
      ['09:00', ['🔔 <b>Alert</b>', '• 📈 Portfolio up 14.29 % in 24 h (+$2,000.00)']],
    ]);
  }, 300_000);

  it('day 4: BNB doubles: five alerts in one message, the day’s cap', async () => {
    await hours(4, 0, 23, { 10: () => bnb('1200') });
    expect(sentOn(4).map((entry) => [entry.at.slice(11, 16), lines(entry.notification)])).toEqual([
      [
        '10:00',
        [
          '🔔 <b>5 alerts</b>',
          '• ⚖️ <b>BNB</b> is 54.5 % of your target mix, target 35.0 % (band ±5.0 pp, off by 19.5 pp)',
          '• ⚖️ <b>ETH</b> is 27.3 % of your target mix, target 40.0 % (band ±5.0 pp, off by 12.7 pp)',
          '• ⚖️ <b>USDC</b> is 18.2 % of your target mix, target 25.0 % (band ±5.0 pp, off by 6.8 pp)',
          '• 🎯 <b>BNB</b> is 54.5 % of your portfolio on BNB Chain',
          '• 📈 Portfolio up 37.50 % in 24 h (+$6,000.00)',
        ],
      ],
    ]);
  }, 300_000);

  it('days 5–6: a fall in quiet hours waits for the morning; a chain outage alerts the unsynced wallet', async () => {
    await hours(5, 0, 23, { 23: () => bnb('600') });
    expect(sentOn(5)).toEqual([]);
    await hours(6, 0, 11);
    // One sync at half past: the outage then starts 30 min after the last good sync.
    replay.at('2026-12-07T11:30:00.000Z');
    await replay.sync();
    await hours(6, 12, 23, {
      12: () => replay.sandbox.faults.inject({ kind: 'chainFailure', chains: ['56'], times: 100_000 }),
      15: () => replay.sandbox.faults.clear(),
    });
    expect(sentOn(6).map((entry) => [entry.at.slice(11, 16), lines(entry.notification)])).toEqual([
      ['06:00', ['🔔 <b>Alert</b>', '• 📉 Portfolio down 27.27 % in 24 h (−$6,000.00)']],
      [
        '13:00',
        [
          '🔔 <b>Alert</b>',
          `• ⏳ Wallet <code>${wallet.slice(0, 6)}…${wallet.slice(-4)}</code> not synced for 90 min (last 1 h ago)`,
        ],
      ],
    ]);
  }, 300_000);

  it('day 7: an asset hovering at 50 % alerts once per episode, and the cap holds back the third', async () => {
    await hours(7, 0, 23, {
      8: () => eth('2700'),
      12: () => bnb('980'),
      13: () => bnb('905'),
      14: () => bnb('990'),
      15: () => bnb('880'),
      16: () => bnb('850'),
      17: () => bnb('1000'),
      18: () => bnb('850'),
      19: () => bnb('1000'),
    });
    expect(sentOn(7).map((entry) => [entry.at.slice(11, 16), lines(entry.notification)])).toEqual([
      [
        '12:00',
        [
          '🔔 <b>4 alerts</b>',
          '• ⚖️ <b>BNB</b> is 51.0 % of your target mix, target 35.0 % (band ±5.0 pp, off by 16.0 pp)',
          '• ⚖️ <b>ETH</b> is 28.1 % of your target mix, target 40.0 % (band ±5.0 pp, off by 11.9 pp)',
          '• 🎯 <b>BNB</b> is 51.0 % of your portfolio on BNB Chain',
          '• 📈 Portfolio up 20.00 % in 24 h (+$3,200.00)',
        ],
      ],
      ['17:00', ['🔔 <b>Alert</b>', '• 🎯 <b>BNB</b> is 51.5 % of your portfolio on BNB Chain']],
    ]);
  }, 300_000);

  it('the week: 8 notifications, 17 alerts', () => {
    const alerts = sent.reduce(
      (sum, entry) => sum + lines(entry.notification).filter((line) => line.startsWith('• ')).length,
      0,
    );
    expect({ notifications: sent.length, alerts }).toEqual({ notifications: 8, alerts: 17 });
    expect(new Set(sent.map((entry) => entry.notification.id)).size).toBe(8);
  });
});
