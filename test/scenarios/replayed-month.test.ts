import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { valueChartInput } from '../../shared/portfolio/report-message';
import { createTestRuntime } from '../support/app-runtime';
import { setWalletContent, startScenario, textOf, type Scenario } from './scenario-harness';

/**
 * One user's month, replayed through the real handlers (webhook; fan-out → worker) against DynamoDB Local,
 * the OKX sandbox and the fake Bot API. Every expected figure below is worked by hand from the script:
 *
 * Wallet A (EVM): 2 ETH (Ethereum, native), 1,000 USDC (Ethereum), 10 BNB (BNB Chain, native).
 * Wallet B (Solana), tracked from day 10 to day 20: 10 SOL.
 * One sync a day at 00:10 UTC (plus extra ones named in the steps).
 *
 * | day | event                                    | value after the sync                          | flow / tracking | step factor
 * | 0   | add wallet A; ETH 3,000 BNB 600          | 6,000 + 1,000 + 6,000 = 13,000                |                 |
 * | 1   | ETH → 3,300                              | 6,600 + 1,000 + 6,000 = 13,600                |                 | 13,600 / 13,000
 * | 2   | BNB → 540                                | 6,600 + 1,000 + 5,400 = 13,000                |                 | 13,000 / 13,600
 * | 3   | deposit 0.5 ETH                          | 8,250 + 1,000 + 5,400 = 14,650                | flow +1,650     | 1
 * | 4   | withdraw 500 USDC                        | 8,250 +   500 + 5,400 = 14,150                | flow −500       | 1
 * | 5   | swap 1 ETH → 3,290 USDC ($10 of fees)    | 4,950 + 3,790 + 5,400 = 14,140                | swap, no flow   | 14,140 / 14,150
 * | 7   | ETH → 2,700                              | 4,050 + 3,790 + 5,400 = 13,240                |                 | 13,240 / 14,140
 * | 8   | ETH → 3,300                              | 14,140                                        |                 | 14,140 / 13,240
 * | 10  | add wallet B (10 SOL at 150)             | 14,140 + 1,500 = 15,640                       | tracking +1,500 | 1
 * | 11  | SOL → 165                                | 14,140 + 1,650 = 15,790                       |                 | 15,790 / 15,640
 * | 12  | BNB Chain down for the sync              | BNB kept from day 11, marked stale: 15,790    | incomplete      | (left out)
 * | 13  | BNB Chain back                           | 15,790                                        |                 | 15,790 / 15,790
 * | 15  | ETH → 3,600                              | 5,400 + 3,790 + 5,400 + 1,650 = 16,240        |                 | 16,240 / 15,790
 * | 20  | remove wallet B                          | 16,240 − 1,650 = 14,590                       | tracking −1,650 | 1
 */
const USDC = '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48';
const WSOL = 'So11111111111111111111111111111111111111112';
let replay: Scenario;
let walletA: string;
let walletB: string;

const day = (n: number, time = '00:10:00') =>
  `2026-11-${String(1 + n).padStart(2, '0')}T${time.length === 5 ? `${time}:00` : time}.000Z`;
const price = (chainIndex: string, tokenAddress: string, priceUsd: string) =>
  replay.sandbox.world.setPrice({ chainIndex, tokenAddress, priceUsd });
const balance = (address: string, chainIndex: string, tokenAddress: string, amount: string) =>
  replay.sandbox.world.setBalance({ address, chainIndex, tokenAddress, balance: amount });
const solPrice = (priceUsd: string) => {
  price('501', '', priceUsd);
  price('501', WSOL, priceUsd);
};

async function syncAt(iso: string): Promise<void> {
  replay.at(iso);
  const cycle = await replay.sync();
  expect(cycle.worker).toMatchObject({ synced: 1, failed: 0 });
}

async function portfolioText(): Promise<string> {
  return textOf(await replay.send('/portfolio'));
}

beforeAll(async () => {
  replay = await startScenario({ start: '2026-11-01T00:00:00.000Z' });
  const wallets = replay.sandbox.world.demoWallets();
  walletA = wallets.find((wallet) => wallet.name === 'empty')!.address;
  walletB = wallets.find((wallet) => wallet.name === 'solana-trader')!.address;
  price('1', '', '3000');
  price('1', USDC, '1');
  price('56', '', '600');
  solPrice('150');
  setWalletContent(replay.sandbox, walletA, [
    { chainIndex: '1', tokenAddress: '', balance: '2' },
    { chainIndex: '1', tokenAddress: USDC, balance: '1000' },
    { chainIndex: '56', tokenAddress: '', balance: '10' },
  ]);
  setWalletContent(replay.sandbox, walletB, [{ chainIndex: '501', tokenAddress: '', balance: '10' }]);
}, 60_000);

afterAll(async () => {
  await replay?.stop();
});

describe('a replayed month for one user', () => {
  it('day 0: adds a wallet; the first sync shows its value', async () => {
    await replay.send('/start');
    await replay.send(`/addwallet ${walletA}`);
    await syncAt(day(0));

    expect(await portfolioText()).toContain('Portfolio: $13,000.00');
  }, 60_000);

  it('day 1: ETH +10 % is a gain of the held quantities, 24 h change +$600.00 (+4.62 %)', async () => {
    price('1', '', '3300');
    await syncAt(day(1));

    const text = await portfolioText();
    expect(text).toContain('Portfolio: $13,600.00');
    // 2 ETH × (3,300 − 3,000) = 600; base 2 × 3,000 + 1,000 + 10 × 600 = 13,000; 600 / 13,000 = 4.615 %
    expect(text).toContain('24 h: +$600.00 (+4.62 %)');
  }, 30_000);

  it('day 2: BNB −10 %, 24 h change −$600.00 (−4.41 %)', async () => {
    price('56', '', '540');
    await syncAt(day(2));

    const text = await portfolioText();
    expect(text).toContain('Portfolio: $13,000.00');
    // 10 BNB × (540 − 600) = −600; base 6,600 + 1,000 + 6,000 = 13,600; −600 / 13,600 = −4.412 %
    expect(text).toMatch(/24 h: [−-]\$600\.00 \(−4\.41 %\)/);
  }, 30_000);

  it('day 3: a deposit of 0.5 ETH raises the value but is no 24 h gain', async () => {
    balance(walletA, '1', '', '2.5');
    await syncAt(day(3));

    const text = await portfolioText();
    expect(text).toContain('Portfolio: $14,650.00');
    // prices unchanged since day 2: 2.5 × (3,300 − 3,300) + 10 × (540 − 540) = 0
    expect(text).toContain('24 h: $0.00 (0.00 %)');
  }, 30_000);

  it('days 4–8: a withdrawal, a swap, a fall and a recovery', async () => {
    balance(walletA, '1', USDC, '500');
    await syncAt(day(4));
    expect(await portfolioText()).toContain('Portfolio: $14,150.00');

    balance(walletA, '1', '', '1.5');
    balance(walletA, '1', USDC, '3790');
    await syncAt(day(5));
    expect(await portfolioText()).toContain('Portfolio: $14,140.00');

    await syncAt(day(6));
    price('1', '', '2700');
    await syncAt(day(7));
    const fallen = await portfolioText();
    expect(fallen).toContain('Portfolio: $13,240.00');
    // 1.5 ETH × (2,700 − 3,300) = −900 against 1.5 × 3,300 + 3,790 + 5,400 = 14,140: −6.365 %
    expect(fallen).toMatch(/24 h: [−-]\$900\.00 \(−6\.36 %\)/);

    price('1', '', '3300');
    await syncAt(day(8));
    expect(await portfolioText()).toContain('Portfolio: $14,140.00');
    await syncAt(day(9));
  }, 60_000);

  it('day 10: adding a wallet is no 24 h gain', async () => {
    await replay.send(`/addwallet ${walletB}`);
    await syncAt(day(10));

    const text = await portfolioText();
    // 14,140 + 10 SOL × 150
    expect(text).toContain('Portfolio: $15,640.00');
    // no price moved since day 9: the new wallet's SOL at 150 then and now
    expect(text).toContain('24 h: $0.00 (0.00 %)');
  }, 60_000);

  it('day 11: SOL +10 %, 24 h change +$150.00 (+0.96 %)', async () => {
    solPrice('165');
    await syncAt(day(11));

    const text = await portfolioText();
    expect(text).toContain('Portfolio: $15,790.00');
    // 10 SOL × 15 = 150 against 15,640: 0.959 %
    expect(text).toContain('24 h: +$150.00 (+0.96 %)');
  }, 30_000);

  it('day 12: BNB Chain is down for a sync; its last good balance is kept and marked stale', async () => {
    replay.sandbox.faults.inject({ kind: 'chainFailure', chains: ['56'], times: 1000 });
    replay.at(day(12));
    await replay.sync();
    replay.sandbox.faults.clear();

    const text = await portfolioText();
    expect(text).toContain('Portfolio: $15,790.00');
    expect(text).toContain('could not be synced');
  }, 60_000);

  it('days 13–20: recovery, ETH +9.1 %, then wallet B is removed', async () => {
    await syncAt(day(13));
    expect(await portfolioText()).not.toContain('could not be synced');
    // The day-12 point is incomplete: drawn nowhere in the return maths, and said so.
    expect(textOf(await replay.send('/report'))).toContain(
      '1 snapshot with a failed chain left out of the return maths',
    );
    await syncAt(day(14));
    price('1', '', '3600');
    await syncAt(day(15));
    expect(await portfolioText()).toContain('Portfolio: $16,240.00');
    for (const n of [16, 17, 18, 19]) await syncAt(day(n));

    const list = textOf(await replay.send('/wallets'));
    expect(list).toContain(walletB.slice(0, 6));
    const removeButton = replay.telegram.calls.at(-1)!;
    const buttons = (
      removeButton.payload.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }
    ).inline_keyboard.flat();
    const remove = buttons.find(
      (button) => button.text.includes(walletB.slice(0, 4)) && button.callback_data.startsWith('v1:wrm:'),
    )!;
    await replay.tap(remove.callback_data);
    await replay.tap(remove.callback_data.replace('v1:wrm:', 'v1:wrmok:'));
    await syncAt(day(20));
    expect(await portfolioText()).toContain('Portfolio: $14,590.00');
  }, 90_000);

  it('day 20: the 7 d report starts at day 13 and counts the removed wallet as no withdrawal', async () => {
    const report = textOf(await replay.send('/report'));
    // Window [day 13 00:10, day 20 00:10]: start 15,790 (day 13), end 14,590 = the /portfolio total.
    expect(report).toContain('Performance · 7 days');
    expect(report).toContain('Value: $15,790.00 → <b>$14,590.00</b>');
    expect(report).toContain('Wallets removed (not a withdrawal): $1,650.00');
    expect(report).not.toMatch(/Withdrawals|Deposits/);
    // P&L = 14,590 − 15,790 − 0 − (0 − 1,650) = 450 (1.5 ETH × 300); ROI = 450 / 15,790 = 2.850 %
    expect(report).toContain('P&amp;L: <b>+$450.00</b>');
    expect(report).toContain('Return on money in (simple ROI): <b>+2.85 %</b>');
    // TWR: only day 15 moved: 16,240 / 15,790 − 1 = 2.850 %; the removal step is measured over wallet A alone (factor 1)
    expect(report).toContain('Time-weighted return: <b>+2.85 %</b>');
    expect(report).toContain('Max drawdown: <b>0.00 %</b>');
  }, 30_000);

  it('day 20: the 30 d report covers the recorded month and every figure matches its formula', async () => {
    const report = textOf(await replay.tap('v1:window:30d'));
    // History starts on day 0, less than 30 days ago: the window says so.
    expect(report).toContain('since 1 Nov 2026 00:10');
    expect(report).toContain('Value: $13,000.00 → <b>$14,590.00</b>');
    expect(report).toContain('Deposits: $1,650.00');
    expect(report).toContain('Withdrawals: $500.00');
    expect(report).toContain('Wallets added (not a deposit): $1,500.00');
    expect(report).toContain('Wallets removed (not a withdrawal): $1,650.00');
    // P&L = 14,590 − 13,000 − (1,650 − 500) − (1,500 − 1,650) = 590
    //     = day 1 +600, day 2 −600, day 5 −10 (swap fees), day 7 −900, day 8 +900, day 11 +150, day 15 +450.
    expect(report).toContain('P&amp;L: <b>+$590.00</b>');
    // Simple ROI = P&L / (start + deposits + wallets added) = 590 / (13,000 + 1,650 + 1,500) = 590 / 16,150 = 3.653 %
    expect(report).toContain('Return on money in (simple ROI): <b>+3.65 %</b>');
    // TWR = (14,140 / 14,150) × (15,790 / 15,640) × (16,240 / 15,790) × (the rest cancel: 13,600/13,000 × 13,000/13,600,
    //       13,240/14,140 × 14,140/13,240) − 1 = 0.999293 × 1.038363 − 1 = 3.763 %
    expect(report).toContain('Time-weighted return: <b>+3.76 %</b>');
    // Index peak 13,600/13,000 = 1.046154 (day 1); trough on day 7: 1 × 14,140/14,150 × 13,240/14,140 = 0.935689;
    // drawdown 0.935689 / 1.046154 − 1 = −10.559 %, kept after the day-8 recovery.
    expect(report).toContain('Max drawdown: <b>−10.56 %</b>');
    expect(report).toContain('wallet added on 11 Nov 2026 00:10: $1,500.00 not counted as a deposit');
  }, 30_000);

  it('day 20: the value chart ends at the /portfolio total and marks both wallet changes and the estimates', async () => {
    const runtime = await createTestRuntime(process.env);
    const performance = await runtime.service.getPerformance(String(replay.userId), '30d');
    const chart = valueChartInput('30d', performance);

    expect(chart.series.at(-1)?.valueUsd).toBe('14590');
    const recorded = chart.series.filter((point) => !point.estimated);
    expect(recorded[0]?.valueUsd).toBe('13000');
    expect(recorded[0]?.time.startsWith('2026-11-01T00:10')).toBe(true);
    expect(chart.series.some((point) => point.estimated)).toBe(true);
    expect(chart.marks?.map((mark) => mark.label)).toEqual(['+ wallet', '− wallet']);
  }, 30_000);

  it('day 21: a Refresh inside the slot fetches fresh balances and says when', async () => {
    await syncAt(day(21));
    replay.at(day(21, '00:14'));
    balance(walletA, '1', USDC, '3890');
    expect(await portfolioText()).toContain('Portfolio: $14,590.00');
    const requests = replay.sandbox.stats.totalRequests;

    const refreshed = textOf(await replay.tap(`v1:refresh:${replay.userId}`));

    // 100 USDC more: 14,590 + 100, fetched now
    expect(refreshed).toContain('Portfolio: $14,690.00');
    expect(refreshed).toContain('as of just now');
    expect(replay.sandbox.stats.totalRequests).toBeGreaterThan(requests);

    replay.at(day(21, '00:14:30'));
    const fetchedAgain = replay.sandbox.stats.totalRequests;
    const again = await replay.tap(`v1:refresh:${replay.userId}`);
    expect(again.map((call) => call.method)).toEqual(['answerCallbackQuery']);
    expect(String(again[0]!.payload.text)).toMatch(/try again in \d+ s/);
    expect(replay.sandbox.stats.totalRequests).toBe(fetchedAgain);
  }, 30_000);

  it('day 22: a rebalance preview, then a re-quote after a price move recomputes every figure', async () => {
    await syncAt(day(22));
    // Deep pools, so the trade itself costs (almost) nothing and the network fee is the cost.
    for (const tokenAddress of ['', USDC])
      replay.sandbox.world.setLiquidity({ chainIndex: '1', tokenAddress, liquidityUsd: '1000000000000' });
    const target = textOf(await replay.send('/target ETH 20 USDC 80'));
    // Whole portfolio 14,690: BNB 5,400 (36.8 %) is not in the target and is kept; ETH 1.5 × 3,600 = 5,400 and
    // USDC 3,890 share the other 9,290: ETH → 20 % × 9,290 = 1,858 (12.6 % of 14,690), USDC → 7,432 (50.6 %).
    expect(target).toContain('<b>BNB</b>: 36.8 % → 36.8 % (kept, not in your target)');
    expect(target).toContain('<b>ETH</b>: 36.8 % → 12.6 %');
    expect(target).toContain('<b>USDC</b>: 26.5 % → 50.6 %');

    const preview = await replay.tap('v1:rebal');
    const first = textOf(preview);
    // Sell 5,400 − 1,858 = $3,542 of ETH = 3,542 / 3,600 = 0.983888888888888888 ETH (rounded down to 18 decimals).
    expect(first).toContain('Rebalancing $9,290.00 of your $14,690.00 portfolio.');
    expect(first).toContain('<b>1. Sell 0.98388889 ETH → USDC</b> on Ethereum (~$3,542.00)');
    // Sandbox quote, no impact: floor(0.983888888888888888 × 3,600 / 1, 6 dp) = 3,541.999999 USDC; at the 1 % cap
    // min = floor(3,541.999999 × 0.99) = 3,506.579999, shown rounded down.
    expect(first).toContain('Expected 3,542.00 USDC · min 3,506.5799 USDC');
    // Network fee 146,000 gas × 21.2895 gwei = 0.003108267 ETH × 3,600 = 11.1897612; cost = paid − received + fee
    // = 3,541.9999999999999968 − 3,541.999999 + 11.1897612 = 11.1897622 → $11.19, 0.316 % of $3,542.
    expect(first).toContain('gas $11.19 · cost $11.19');
    expect(first).toContain('<b>Total</b>: $3,542.00 traded · est. cost $11.19 (0.32 %)');
    // ETH 5,400 / 9,290 = 58.1 % → (5,400 − 3,542) / 9,290 = 20.0 %
    expect(first).toContain('ETH: 58.1 % → 20.0 % (target 20.0 %)');

    price('1', '', '3300');
    const buttons = (
      preview.at(-1)!.payload.reply_markup as { inline_keyboard: { callback_data: string }[][] }
    ).inline_keyboard.flat();
    const requoted = textOf(
      await replay.tap(buttons.find((button) => button.callback_data.startsWith('v1:confirm:'))!.callback_data),
    );

    expect(requoted).toContain('Prices moved');
    // ETH at 3,300: the leg is 0.983888888888888888 × 3,300 = 3,246.8333…; ETH held 1.5 × 3,300 = 4,950, so the
    // rebalanced part is 4,950 + 3,890 = 8,840 and the portfolio 8,840 + 5,400 (BNB kept) = 14,240.
    expect(requoted).toContain('Rebalancing $8,840.00 of your $14,240.00 portfolio.');
    expect(requoted).toContain('<b>1. Sell 0.98388889 ETH → USDC</b> on Ethereum (~$3,246.83)');
    // floor(0.983888888888888888 × 3,300, 6 dp) = 3,246.833333; min floor(× 0.99) = 3,214.364999
    expect(requoted).toContain('Expected 3,246.8333 USDC · min 3,214.3649 USDC');
    // fee 0.003108267 × 3,300 = 10.2572811; cost 3,246.8333333333333304 − 3,246.833333 + 10.2572811 = 10.2572814
    expect(requoted).toContain('gas $10.26 · cost $10.26');
    expect(requoted).toContain('<b>Total</b>: $3,246.83 traded · est. cost $10.26 (0.32 %)');
    // ETH 4,950 / 8,840 = 56.0 % → (4,950 − 3,246.83) / 8,840 = 19.3 %; USDC 3,890 / 8,840 = 44.0 % → 80.7 %
    expect(requoted).toContain('ETH: 56.0 % → 19.3 % (target 20.0 %)');
    expect(requoted).toContain('USDC: 44.0 % → 80.7 % (target 80.0 %)');
    expect(requoted).not.toContain('3,542');
  }, 30_000);
});
