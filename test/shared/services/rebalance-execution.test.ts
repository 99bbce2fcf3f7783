import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPlanStore, type PlanStore, type StoredPlan } from '../../../shared/adapters/dynamo/plan-store';
import { createSettingsStore, type SettingsStore } from '../../../shared/adapters/dynamo/settings-store';
import { renderRebalancePreview } from '../../../functions/telegram-webhook/render/rebalance-preview';
import { createRebalanceExecution, explainRefusal, type RebalanceExecution } from '../../../shared/services/rebalance-execution';
import { costOf, describeQuoteError, floorAtSlippage } from '../../../shared/services/rebalance-quotes';
import { createTestDynamo } from '../../support/dynamo';
import { createFakeRebalanceMarket, FakeOkxError, suggestedPlan, wbtcToEth, wbtcToUsdc, type FakeRebalanceMarket } from './rebalance-fixtures';

const T0 = Date.parse('2036-03-18T10:00:00.000Z');

interface Harness {
  market: FakeRebalanceMarket;
  plans: PlanStore;
  settings: SettingsStore;
  clock: { ms: number };
  execution: (dryRun?: boolean) => RebalanceExecution;
}

async function createHarness(): Promise<Harness> {
  const db = await createTestDynamo();
  const market = createFakeRebalanceMarket();
  const plans = createPlanStore(db.doc, db.tables.sessions);
  const settings = createSettingsStore(db.doc, db.tables.sessions);
  const clock = { ms: T0 };
  let counter = 0;
  const execution = (dryRun = true) =>
    createRebalanceExecution({
      market,
      plans,
      settings,
      dryRun,
      now: () => new Date(clock.ms),
      newPlanId: () => `plan${++counter}`,
      findWallet: async (_userId, chainIndex) => (chainIndex === '42161' ? '0xwallet' : undefined),
    });
  return { market, plans, settings, clock, execution };
}

describe('rebalance execution: quoting', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });

  it('quotes every leg at the default 1 % cap, stores a pending plan for five minutes', async () => {
    const plan = await h.execution().quotePlan({ userId: '7', chatId: 70, plan: suggestedPlan() });

    expect(h.market.quoteCalls).toEqual([
      { chainIndex: '42161', fromTokenAddress: wbtcToUsdc.from.tokenAddress, toTokenAddress: wbtcToUsdc.to.tokenAddress, amountRaw: '3333333', slippagePercent: '1' },
      { chainIndex: '42161', fromTokenAddress: wbtcToEth.from.tokenAddress, toTokenAddress: '', amountRaw: '1666666', slippagePercent: '1' },
    ]);
    expect(plan).toMatchObject({ planId: 'plan1', userId: '7', chatId: 70, state: 'pending', expiresAt: '2036-03-18T10:05:00.000Z', slippagePercent: '1', dropped: [] });
    expect(plan.legs.map((item) => item.quote)).toEqual([
      { toAmountRaw: '1998000000', minReceivedRaw: '1978020000', priceImpactPercent: '0.05', gasUsd: '0.2', estimateGasFee: '250000', costUsd: '1.2' },
      { toAmountRaw: '333000000000000000', minReceivedRaw: '329670000000000000', priceImpactPercent: '-0.01', gasUsd: '0.15', costUsd: '0.15' },
    ]);
    expect(await h.plans.get('plan1')).toEqual(plan);
  });

  it('drops a leg whose quote fails or costs more than 1 % and projects the allocation without it', async () => {
    h.market.quotes.set('WBTC->USDC', new FakeOkxError('82000'));
    h.market.quotes.set('WBTC->ETH', { toAmountRaw: '333000000000000000', priceImpactPercent: '1', gasUsd: '0.15' });
    await h.settings.setLiveMode('7', false, '2036-03-18T09:00:00.000Z');

    const plan = await h.execution().quotePlan({ userId: '7', chatId: 70, plan: suggestedPlan() });

    expect(plan.legs).toEqual([]);
    expect(plan.dropped).toEqual([
      { leg: wbtcToUsdc, reason: 'insufficient liquidity (OKX 82000)' },
      { leg: wbtcToEth, reason: 'too costly: $10.15 in price impact and gas is over 1 % of $1000.00' },
    ]);
    expect(plan.allocation.map((row) => row.projected)).toEqual(['0.45', '0.45', '0.1']);
  });
});

describe('rebalance execution: confirm and cancel', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
    await h.execution().quotePlan({ userId: '7', chatId: 70, plan: suggestedPlan() });
    h.clock.ms = T0 + 60_000;
  });

  it('simulates in dry-run mode with fresh quotes and marks the plan simulated', async () => {
    const outcome = await h.execution().confirm({ planId: 'plan1', userId: '7' });

    expect(outcome).toMatchObject({ kind: 'simulated', plan: { planId: 'plan1', state: 'simulated' } });
    expect(h.market.quoteCalls).toHaveLength(4);
    expect(h.market.swapCalls).toEqual([]);
    expect((await h.plans.get('plan1'))?.state).toBe('simulated');
  });

  it('acts once on a double tap: the second tap is told it is in progress, a later one that it is done', async () => {
    const execution = h.execution();
    let release = () => {};
    h.market.gate = new Promise((resolve) => (release = resolve));

    const first = execution.confirm({ planId: 'plan1', userId: '7' });
    await vi.waitFor(() => expect(h.market.quoteCalls).toHaveLength(4));
    const second = await execution.confirm({ planId: 'plan1', userId: '7' });
    release();
    const firstOutcome = await first;
    const third = await execution.confirm({ planId: 'plan1', userId: '7' });

    expect(second).toEqual({ kind: 'in-progress' });
    expect(firstOutcome.kind).toBe('simulated');
    expect(third).toEqual({ kind: 'already-done', state: 'simulated' });
    expect(h.market.quoteCalls).toHaveLength(4);
  });

  it("refuses another user's plan without changing it", async () => {
    expect(await h.execution().confirm({ planId: 'plan1', userId: '8' })).toEqual({ kind: 'not-yours' });
    expect(await h.execution().cancel({ planId: 'plan1', userId: '8' })).toEqual({ kind: 'not-yours' });
    expect((await h.plans.get('plan1'))?.state).toBe('pending');
  });

  it('treats a missing or expired plan as expired', async () => {
    expect(await h.execution().confirm({ planId: 'gone', userId: '7' })).toEqual({ kind: 'expired' });
    h.clock.ms = T0 + 5 * 60_000;
    expect(await h.execution().confirm({ planId: 'plan1', userId: '7' })).toEqual({ kind: 'expired' });
    expect((await h.plans.get('plan1'))?.state).toBe('pending');
  });

  it('asks again with a new plan when a fresh minimum received is below the confirmed one', async () => {
    h.market.quotes.set('WBTC->USDC', { toAmountRaw: '1990000000', priceImpactPercent: '0.05', gasUsd: '0.2' });

    const outcome = await h.execution().confirm({ planId: 'plan1', userId: '7' });

    expect(outcome).toMatchObject({ kind: 'requoted', previous: { planId: 'plan1', state: 'superseded', supersededBy: 'plan2' }, plan: { planId: 'plan2', state: 'pending', expiresAt: '2036-03-18T10:06:00.000Z' } });
    const next = await h.plans.get('plan2');
    expect(next?.legs[0]?.quote.minReceivedRaw).toBe('1970100000');
    expect(await h.execution().confirm({ planId: 'plan1', userId: '7' })).toEqual({ kind: 'expired' });
  });

  it('recomputes every figure of a re-quoted preview after a price move: leg USD sizes, costs and totals', async () => {
    // WBTC falls from 60,000 to 54,000 between the preview and Confirm; the fresh quotes say so.
    h.market.quotes.set('WBTC->USDC', { toAmountRaw: '1798000000', priceImpactPercent: '0.05', gasUsd: '0.2', fromTokenUnitPrice: '54000', toTokenUnitPrice: '1' });
    h.market.quotes.set('WBTC->ETH', { toAmountRaw: '333000000000000000', minReceivedRaw: '329670000000000000', priceImpactPercent: '-0.01', gasUsd: '0.15', fromTokenUnitPrice: '54000', toTokenUnitPrice: '2700' });

    const outcome = await h.execution().confirm({ planId: 'plan1', userId: '7' });

    expect(outcome.kind).toBe('requoted');
    const next = (await h.plans.get('plan2'))!;
    // Leg 1: 0.03333333 WBTC × 54,000 = 1,799.99982 (was 2,000 at 60,000); leg 2: 0.01666666 × 54,000 = 899.99964.
    expect(next.legs.map((item) => item.leg.valueUsd)).toEqual(['1799.99982', '899.99964']);
    // Cost leg 1 (current costOf): 1,799.99982 × 0.05 % + gas 0.20 = 0.89999991 + 0.2 = 1.09999991; leg 2: impact in
    // the user's favour, gas 0.15 only.
    expect(next.legs.map((item) => item.quote.costUsd)).toEqual(['1.09999991', '0.15']);
    // Projected ETH share: 0.45 + 899.99964 / 20,000 = 0.45 + 0.044999982 = 0.494999982.
    expect(next.allocation.find((row) => row.assetId === 'eth')?.projected).toBe('0.494999982');
    const text = renderRebalancePreview(next, { isLive: false }).text;
    expect(text).toContain('Sell 0.03333333 WBTC → USDC</b> on Arbitrum (~$1,800.00)');
    expect(text).toContain('Expected 1,798.00 USDC');
    // Total traded 1,799.99982 + 899.99964 = 2,699.99946 → $2,700.00; cost 1.24999991 → $1.25, 1.24999991 / 2,699.99946 = 0.0463 %;
    // worst case at the 1 % cap: 26.9999946 → $27.00.
    expect(text).toContain('<b>Total</b>: $2,700.00 traded · est. cost $1.25 (0.05 %)');
    expect(text).toContain('Worst case at your slippage cap: −$27.00');
    expect(text).not.toContain('$2,000.00');
  });

  it('asks again when a leg can no longer be quoted, listing it as dropped', async () => {
    h.market.quotes.set('WBTC->ETH', new FakeOkxError('82104'));

    const outcome = await h.execution().confirm({ planId: 'plan1', userId: '7' });

    expect(outcome.kind).toBe('requoted');
    const next = await h.plans.get('plan2');
    expect(next?.legs.map((item) => item.leg)).toEqual([wbtcToUsdc]);
    expect(next?.dropped).toEqual([{ leg: wbtcToEth, reason: 'token not supported by the aggregator (OKX 82104)' }]);
  });

  it('stays simulated when the user opted in but DRY_RUN_MODE is on', async () => {
    await h.settings.setLiveMode('7', true, '2036-03-18T09:00:00.000Z');

    expect((await h.execution(true).confirm({ planId: 'plan1', userId: '7' })).kind).toBe('simulated');
  });

  it('stays simulated when DRY_RUN_MODE is off but the user never opted in', async () => {
    expect((await h.execution(false).confirm({ planId: 'plan1', userId: '7' })).kind).toBe('simulated');
  });

  it('builds unsigned transactions when live mode is on and the user opted in', async () => {
    await h.settings.setLiveMode('7', true, '2036-03-18T09:00:00.000Z');

    const outcome = await h.execution(false).confirm({ planId: 'plan1', userId: '7' });

    expect(outcome).toMatchObject({ kind: 'awaiting-signature', plan: { state: 'awaiting-signature' } });
    expect(h.market.swapCalls).toEqual([
      { chainIndex: '42161', fromTokenAddress: wbtcToUsdc.from.tokenAddress, toTokenAddress: wbtcToUsdc.to.tokenAddress, amountRaw: '3333333', slippagePercent: '1', userWalletAddress: '0xwallet' },
      { chainIndex: '42161', fromTokenAddress: wbtcToEth.from.tokenAddress, toTokenAddress: '', amountRaw: '1666666', slippagePercent: '1', userWalletAddress: '0xwallet' },
    ]);
    const transactions = outcome.kind === 'awaiting-signature' ? outcome.transactions : [];
    expect(transactions[0]).toMatchObject({ walletAddress: '0xwallet', approve: { to: wbtcToUsdc.from.tokenAddress }, swap: { data: '0xf2c42696' }, minReceivedRaw: '1978020000' });
  });

  it('signs each leg from the wallet that holds the sold token, not just any wallet on the chain', async () => {
    await h.settings.setLiveMode('7', true, '2036-03-18T09:00:00.000Z');
    const execution = h.execution(false);
    await execution.quotePlan({ userId: '7', chatId: 70, plan: suggestedPlan([{ ...wbtcToUsdc, walletAddress: '0xholder' }]) });

    const outcome = await execution.confirm({ planId: 'plan2', userId: '7' });

    expect(outcome.kind === 'awaiting-signature' && outcome.transactions[0]?.walletAddress).toBe('0xholder');
    expect(h.market.swapCalls.at(-1)?.userWalletAddress).toBe('0xholder');
  });

  it('reports a swap build failure or a missing wallet per leg', async () => {
    await h.settings.setLiveMode('7', true, '2036-03-18T09:00:00.000Z');
    h.market.swapError = new FakeOkxError('82000');
    const execution = createRebalanceExecution({ market: h.market, plans: h.plans, settings: h.settings, dryRun: false, now: () => new Date(h.clock.ms), findWallet: async () => undefined });
    const withWallet = h.execution(false);

    const noWallet = await execution.confirm({ planId: 'plan1', userId: '7' });
    await withWallet.quotePlan({ userId: '7', chatId: 70, plan: suggestedPlan([wbtcToUsdc]) });
    const failing = await withWallet.confirm({ planId: 'plan2', userId: '7' });

    expect(noWallet.kind === 'awaiting-signature' && noWallet.transactions[0]).toEqual({ leg: wbtcToUsdc, error: 'no tracked wallet on this chain' });
    expect(failing.kind === 'awaiting-signature' && failing.transactions[0]).toEqual({ leg: wbtcToUsdc, walletAddress: '0xwallet', error: 'insufficient liquidity (OKX 82000)' });
  });

  it('cancels a pending plan once; confirming it afterwards reports it done', async () => {
    const cancelled = await h.execution().cancel({ planId: 'plan1', userId: '7' });

    expect(cancelled).toMatchObject({ kind: 'cancelled', plan: { state: 'cancelled' } });
    expect(await h.execution().cancel({ planId: 'plan1', userId: '7' })).toEqual({ kind: 'already-done', state: 'cancelled' });
    expect(await h.execution().confirm({ planId: 'plan1', userId: '7' })).toEqual({ kind: 'already-done', state: 'cancelled' });
  });

  it('fails loudly when the plan leaves executing under it', async () => {
    const plans: PlanStore = { ...h.plans, transition: async (planId, request) => (request.from === 'executing' ? { ok: false } : h.plans.transition(planId, request)) };
    const execution = createRebalanceExecution({ market: h.market, plans, settings: h.settings, dryRun: true, now: () => new Date(h.clock.ms), findWallet: async () => undefined });

    await expect(execution.confirm({ planId: 'plan1', userId: '7' })).rejects.toMatchObject({ name: 'PlanStateError' });
  });
});

describe('rebalance maths', () => {
  it('floors the minimum received like the aggregator', () => {
    expect(floorAtSlippage('999701', '1')).toBe('989703');
    expect(floorAtSlippage('999701', '0.5')).toBe('994702');
  });

  it('counts only unfavourable impact plus gas as cost', () => {
    expect(costOf(wbtcToUsdc, '0.5', '1.25').toString()).toBe('11.25');
    expect(costOf(wbtcToUsdc, '-0.5', undefined).toString()).toBe('0');
    expect(costOf(wbtcToUsdc, undefined, '3').toString()).toBe('3');
  });

  it('names quote errors in plain words', () => {
    expect(describeQuoteError(new FakeOkxError('82112'))).toBe('price impact above the protection threshold (OKX 82112)');
    expect(describeQuoteError(new FakeOkxError('50026'))).toBe('no quote (OKX 50026)');
    expect(describeQuoteError(new Error('socket hang up'))).toBe('no quote available right now');
  });

  it('explains refusals from the current state', () => {
    expect(explainRefusal(undefined, '7')).toEqual({ kind: 'expired' });
    expect(explainRefusal({ userId: '7', state: 'superseded' } as StoredPlan, '7')).toEqual({ kind: 'expired' });
  });
});
