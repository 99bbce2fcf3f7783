import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPlanStore, type PlanStore, type StoredPlan } from '../../../shared/rebalance/plan-store';
import { createSettingsStore, type SettingsStore } from '../../../shared/rebalance/settings-store';
import { renderRebalancePreview } from '../../../shared/rebalance/rebalance-preview';
import {
  createRebalanceExecution,
  explainRefusal,
  MAX_QUOTED_LEGS,
  OVER_LEG_CAP,
  type RebalanceExecution,
} from '../../../shared/rebalance/rebalance-execution';
import { costOf, describeQuoteError, floorAtSlippage, quoteLeg } from '../../../shared/rebalance/rebalance-quotes';
import { createTestDynamo } from '../../support/dynamo';
import {
  createFakeRebalanceMarket,
  ETH,
  FakeOkxError,
  suggestedPlan,
  USDC,
  wbtcToEth,
  wbtcToUsdc,
  type FakeRebalanceMarket,
} from './rebalance-service-fixtures';

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
      {
        chainIndex: '42161',
        fromTokenAddress: wbtcToUsdc.from.tokenAddress,
        toTokenAddress: wbtcToUsdc.to.tokenAddress,
        amountRaw: '3333333',
        slippagePercent: '1',
      },
      {
        chainIndex: '42161',
        fromTokenAddress: wbtcToEth.from.tokenAddress,
        toTokenAddress: '',
        amountRaw: '1666666',
        slippagePercent: '1',
      },
    ]);
    expect(plan).toMatchObject({
      planId: 'plan1',
      userId: '7',
      chatId: 70,
      state: 'pending',
      expiresAt: '2036-03-18T10:05:00.000Z',
      slippagePercent: '1',
      dropped: [],
    });
    expect(plan.legs.map((item) => item.quote)).toEqual([
      // cost = paid − received + gas: 1999.9998 − 1998 + 0.2 = 2.1998; 999.9996 − 999 + 0.15 = 1.1496
      {
        toAmountRaw: '1998000000',
        minReceivedRaw: '1978020000',
        priceImpactPercent: '-0.1',
        gasUsd: '0.2',
        estimateGasFee: '250000',
        costUsd: '2.1998',
        toTokenUnitPrice: '1',
      },
      {
        toAmountRaw: '333000000000000000',
        minReceivedRaw: '329670000000000000',
        priceImpactPercent: '-0.1',
        gasUsd: '0.15',
        costUsd: '1.1496',
        toTokenUnitPrice: '3000',
      },
    ]);
    expect(await h.plans.get('plan1')).toEqual(plan);
  });

  it('drops a leg whose quote fails or costs more than 1 % and projects the allocation without it', async () => {
    h.market.quotes.set('WBTC->USDC', new FakeOkxError('82000'));
    // Received only 0.33 ETH × 3000 = 990 for 999.9996 paid: cost 9.9996 + 0.15 = 10.1496 > 1 % of 1000.
    h.market.quotes.set('WBTC->ETH', {
      toAmountRaw: '330000000000000000',
      fromTokenUnitPrice: '60000',
      toTokenUnitPrice: '3000',
      priceImpactPercent: '-1',
      gasUsd: '0.15',
    });
    await h.settings.setLiveMode('7', false, '2036-03-18T09:00:00.000Z');

    const plan = await h.execution().quotePlan({ userId: '7', chatId: 70, plan: suggestedPlan() });

    expect(plan.legs).toEqual([]);
    expect(plan.dropped).toEqual([
      { leg: wbtcToUsdc, reason: 'insufficient liquidity (OKX 82000)' },
      // The dropped leg is sized at the quote's own price: 0.01666666 WBTC × 60,000 = 999.9996.
      {
        leg: { ...wbtcToEth, valueUsd: '999.9996' },
        reason: 'too costly: $10.15 in price impact and gas is over 1 % of $1000.00',
      },
    ]);
    expect(plan.allocation.map((row) => row.projected)).toEqual(['0.45', '0.45', '0.1']);
  });
});

describe('rebalance execution: at most MAX_QUOTED_LEGS quotes per plan (issue 10 §4)', () => {
  it('quotes only the 4 largest of 6 legs and lists the other 2 as not quoted', async () => {
    const h = await createHarness();
    // Six WBTC->USDC legs of $100, $600, $300, $500, $200, $400: the four largest are 600, 500, 400, 300.
    const legs = ['100', '600', '300', '500', '200', '400'].map((valueUsd) => ({ ...wbtcToUsdc, valueUsd }));

    const plan = await h.execution().quotePlan({ userId: '7', chatId: 70, plan: suggestedPlan(legs) });

    expect(MAX_QUOTED_LEGS).toBe(4);
    expect(h.market.quoteCalls).toHaveLength(4);
    expect(plan.dropped).toEqual([
      { leg: legs[0], reason: OVER_LEG_CAP },
      { leg: legs[4], reason: OVER_LEG_CAP },
    ]);
  });
});

describe('rebalance execution: a deadline that passed leaves nothing confirmable (issue 10 §5)', () => {
  it('stores no plan when the deadline passed while quoting', async () => {
    const h = await createHarness();
    const controller = new AbortController();
    let release = () => {};
    h.market.gate = new Promise((resolve) => (release = resolve));

    const pending = h
      .execution()
      .quotePlan({ userId: '7', chatId: 70, plan: suggestedPlan(), signal: controller.signal });
    controller.abort(new Error('deadline'));
    release();

    await expect(pending).rejects.toThrow('deadline');
    expect(await h.plans.get('plan1')).toBeUndefined();
  });

  it('cancels the plan when the deadline passed while it was being written', async () => {
    const h = await createHarness();
    const controller = new AbortController();
    const create = h.plans.create.bind(h.plans);
    h.plans.create = async (plan) => {
      await create(plan);
      controller.abort(new Error('deadline'));
    };

    await expect(
      h.execution().quotePlan({ userId: '7', chatId: 70, plan: suggestedPlan(), signal: controller.signal }),
    ).rejects.toThrow('deadline');

    expect((await h.plans.get('plan1'))?.state).toBe('cancelled');
    expect(await h.execution().confirm({ planId: 'plan1', userId: '7' })).toEqual({
      kind: 'already-done',
      state: 'cancelled',
    });
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
    h.market.quotes.set('WBTC->USDC', {
      toAmountRaw: '1990000000',
      fromTokenUnitPrice: '60000',
      toTokenUnitPrice: '1',
      priceImpactPercent: '-0.5',
      gasUsd: '0.2',
    });

    const outcome = await h.execution().confirm({ planId: 'plan1', userId: '7' });

    expect(outcome).toMatchObject({
      kind: 'requoted',
      previous: { planId: 'plan1', state: 'superseded', supersededBy: 'plan2' },
      plan: { planId: 'plan2', state: 'pending', expiresAt: '2036-03-18T10:06:00.000Z' },
    });
    const next = await h.plans.get('plan2');
    expect(next?.legs[0]?.quote.minReceivedRaw).toBe('1970100000');
    expect(await h.execution().confirm({ planId: 'plan1', userId: '7' })).toEqual({ kind: 'expired' });
  });

  it('recomputes every figure of a re-quoted preview after a price move: leg USD sizes, costs and totals', async () => {
    // WBTC falls from 60,000 to 54,000 between the preview and Confirm; the fresh quotes say so.
    h.market.quotes.set('WBTC->USDC', {
      toAmountRaw: '1798000000',
      priceImpactPercent: '0.05',
      gasUsd: '0.2',
      fromTokenUnitPrice: '54000',
      toTokenUnitPrice: '1',
    });
    h.market.quotes.set('WBTC->ETH', {
      toAmountRaw: '333000000000000000',
      minReceivedRaw: '329670000000000000',
      priceImpactPercent: '-0.01',
      gasUsd: '0.15',
      fromTokenUnitPrice: '54000',
      toTokenUnitPrice: '2700',
    });

    const outcome = await h.execution().confirm({ planId: 'plan1', userId: '7' });

    expect(outcome.kind).toBe('requoted');
    const next = (await h.plans.get('plan2'))!;
    // Leg 1: 0.03333333 WBTC × 54,000 = 1,799.99982 (was 2,000 at 60,000); leg 2: 0.01666666 × 54,000 = 899.99964.
    expect(next.legs.map((item) => item.leg.valueUsd)).toEqual(['1799.99982', '899.99964']);
    // Cost = paid − received + gas. Leg 1: 1,799.99982 − 1,798 × 1 + 0.20 = 2.19982;
    // leg 2: 899.99964 − 0.333 × 2,700 (= 899.1) + 0.15 = 1.04964.
    expect(next.legs.map((item) => item.quote.costUsd)).toEqual(['2.19982', '1.04964']);
    // Revalued at the fresh quotes: WBTC × 54,000/60,000 = 0.9, ETH × 2,700/3,000 = 0.9, USDC × 1/1.
    // ETH 9,000 → 8,100, WBTC 9,000 → 8,100, USDC 2,000: rebalanced total 18,200 (was 20,000).
    expect(next.totalValueUsd).toBe('18200');
    // Current ETH share 8,100 / 18,200 = 0.445054945…; projected (8,100 + 899.99964) / 18,200 = 0.494505474725…
    expect(next.allocation.find((row) => row.assetId === 'eth')?.current).toBe(
      '0.445054945054945054945054945054945055',
    );
    expect(next.allocation.find((row) => row.assetId === 'eth')?.projected).toBe(
      '0.494505474725274725274725274725274725',
    );
    const text = renderRebalancePreview(next, { isLive: false }).text;
    expect(text).toContain('Sell 0.03333333 WBTC → USDC</b> on Arbitrum (~$1,800.00)');
    expect(text).toContain('Expected 1,798.00 USDC');
    // Total traded 1,799.99982 + 899.99964 = 2,699.99946 → $2,700.00; cost 2.19982 + 1.04964 = 3.24946 → $3.25,
    // 3.24946 / 2,699.99946 = 0.1204 %; worst case at the 1 % cap: 26.9999946 → $27.00.
    expect(text).toContain('<b>Total</b>: $2,700.00 traded · est. cost $3.25 (0.12 %)');
    expect(text).toContain('Worst case at your slippage cap: −$27.00');
    expect(text).not.toContain('$2,000.00');
  });

  it('asks again when a leg can no longer be quoted, listing it as dropped', async () => {
    h.market.quotes.set('WBTC->ETH', new FakeOkxError('82104'));

    const outcome = await h.execution().confirm({ planId: 'plan1', userId: '7' });

    expect(outcome.kind).toBe('requoted');
    const next = await h.plans.get('plan2');
    // Re-sized at the quote's price: 0.03333333 WBTC × 60,000 = 1,999.9998.
    expect(next?.legs.map((item) => item.leg)).toEqual([{ ...wbtcToUsdc, valueUsd: '1999.9998' }]);
    expect(next?.dropped).toEqual([
      { leg: { ...wbtcToEth, valueUsd: '999.9996' }, reason: 'token not supported by the aggregator (OKX 82104)' },
    ]);
  });

  it('stays simulated when the user opted in but DRY_RUN_MODE is on', async () => {
    await h.settings.setLiveMode('7', true, '2036-03-18T09:00:00.000Z');

    expect((await h.execution(true).confirm({ planId: 'plan1', userId: '7' })).kind).toBe('simulated');
  });

  it('stays simulated when DRY_RUN_MODE is off but the user never opted in', async () => {
    expect((await h.execution(false).confirm({ planId: 'plan1', userId: '7' })).kind).toBe('simulated');
  });

  it('opens the plan for signing when live mode is on: a 15-minute window, each leg with its wallet, nothing built yet', async () => {
    await h.settings.setLiveMode('7', true, '2036-03-18T09:00:00.000Z');

    const outcome = await h.execution(false).confirm({ planId: 'plan1', userId: '7' });

    expect(outcome).toMatchObject({ kind: 'awaiting-signature', plan: { state: 'awaiting-signature' } });
    // The swap is fetched fresh by the signing page, never here.
    expect(h.market.swapCalls).toEqual([]);
    const stored = (await h.plans.get('plan1'))!;
    expect(stored.signBy).toBe(new Date(h.clock.ms + 15 * 60_000).toISOString());
    expect(stored.legs.map((item) => item.execution)).toEqual([
      { rev: 1, state: 'awaiting-signature', walletAddress: '0xwallet', steps: [] },
      { rev: 1, state: 'awaiting-signature', walletAddress: '0xwallet', steps: [] },
    ]);
  });

  it('names the wallet that holds the sold token as the leg signer, not just any wallet on the chain', async () => {
    await h.settings.setLiveMode('7', true, '2036-03-18T09:00:00.000Z');
    const execution = h.execution(false);
    await execution.quotePlan({
      userId: '7',
      chatId: 70,
      plan: suggestedPlan([{ ...wbtcToUsdc, walletAddress: '0xholder' }]),
    });

    const outcome = await execution.confirm({ planId: 'plan2', userId: '7' });

    expect(outcome.kind === 'awaiting-signature' && outcome.plan.legs[0]!.execution?.walletAddress).toBe('0xholder');
  });

  it('fails a leg no tracked wallet can sign', async () => {
    await h.settings.setLiveMode('7', true, '2036-03-18T09:00:00.000Z');
    const execution = createRebalanceExecution({
      market: h.market,
      plans: h.plans,
      settings: h.settings,
      dryRun: false,
      now: () => new Date(h.clock.ms),
      findWallet: async () => undefined,
    });

    const noWallet = await execution.confirm({ planId: 'plan1', userId: '7' });

    expect(noWallet.kind === 'awaiting-signature' && noWallet.plan.legs[0]!.execution).toEqual({
      rev: 1,
      state: 'failed',
      steps: [],
      failReason: 'no tracked wallet holds it on this chain',
    });
  });

  it('cancels a pending plan once; confirming it afterwards reports it done', async () => {
    const cancelled = await h.execution().cancel({ planId: 'plan1', userId: '7' });

    expect(cancelled).toMatchObject({ kind: 'cancelled', plan: { state: 'cancelled' } });
    expect(await h.execution().cancel({ planId: 'plan1', userId: '7' })).toEqual({
      kind: 'already-done',
      state: 'cancelled',
    });
    expect(await h.execution().confirm({ planId: 'plan1', userId: '7' })).toEqual({
      kind: 'already-done',
      state: 'cancelled',
    });
  });

  it('fails loudly when the plan leaves executing under it', async () => {
    const plans: PlanStore = {
      ...h.plans,
      transition: async (planId, request) =>
        request.from === 'executing' ? { ok: false } : h.plans.transition(planId, request),
    };
    const execution = createRebalanceExecution({
      market: h.market,
      plans,
      settings: h.settings,
      dryRun: true,
      now: () => new Date(h.clock.ms),
      findWallet: async () => undefined,
    });

    await expect(execution.confirm({ planId: 'plan1', userId: '7' })).rejects.toMatchObject({ name: 'PlanStateError' });
  });
});

describe('rebalance maths', () => {
  it('floors the minimum received like the aggregator', () => {
    expect(floorAtSlippage('999701', '1')).toBe('989703');
    expect(floorAtSlippage('999701', '0.5')).toBe('994702');
  });

  // okx-api §9.5 example: 1 ETH at 3,120.51 → 3,119.266012 USDC at 0.9998, tradeFee 0.6123, priceImpactPercent "-0.04".
  const ethToUsdc = {
    chainIndex: '1',
    from: { ...ETH, chainIndex: '1' },
    to: { ...USDC, chainIndex: '1', tokenAddress: '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48' },
    amount: '1',
    amountRaw: '1000000000000000000',
    valueUsd: '3120.55',
  };
  const okxExample = {
    fromAmountRaw: '1000000000000000000',
    toAmountRaw: '3119266012',
    fromAmount: '1',
    toAmount: '3119.266012',
    fromTokenUnitPrice: '3120.51',
    toTokenUnitPrice: '0.9998',
    priceImpactPercent: '-0.04',
    gasUsd: '0.6123',
  };

  it("costs a leg as value paid − value received at the quote's own unit prices, plus the network fee", () => {
    // paid 1 × 3120.51 = 3120.51; received 3119.266012 × 0.9998 = 3118.6421587976;
    // cost = 3120.51 − 3118.6421587976 + 0.6123 = 2.4801412024 (a positive cost while OKX's impact is negative).
    expect(costOf(ethToUsdc, okxExample)?.toString()).toBe('2.4801412024');
    // Same amounts from raw units and the leg's decimals when OKX sent no `decimal`.
    expect(costOf(ethToUsdc, { ...okxExample, fromAmount: undefined, toAmount: undefined })?.toString()).toBe(
      '2.4801412024',
    );
    // A favourable quote (more value out than in) lowers the cost below the fee: received 3121 × 1 = 3121;
    // cost = 3120.51 − 3121 + 0.6123 = 0.1223.
    expect(costOf(ethToUsdc, { ...okxExample, toAmount: '3121', toTokenUnitPrice: '1' })?.toString()).toBe('0.1223');
  });

  it("falls back to the leg notional and to OKX's documented impact when a unit price is missing, and gives up without either", () => {
    // No fromToken price: paid = notional 3120.55; received 3118.6421587976; cost = 1.9078412024 + 0.6123 = 2.5201412024.
    expect(costOf(ethToUsdc, { ...okxExample, fromTokenUnitPrice: undefined })?.toString()).toBe('2.5201412024');
    // No toToken price: received = 3120.51 × (100 − 0.04) / 100 = 3119.261796; cost = 1.248204 + 0.6123 = 1.860504.
    expect(costOf(ethToUsdc, { ...okxExample, toTokenUnitPrice: undefined })?.toString()).toBe('1.860504');
    expect(
      costOf(ethToUsdc, { ...okxExample, toTokenUnitPrice: undefined, priceImpactPercent: undefined }),
    ).toBeUndefined();
  });

  it('reports a leg on Tron as not supported without asking for a quote', async () => {
    const market = createFakeRebalanceMarket();
    const trx = { chainIndex: '195', tokenAddress: '', assetId: 'trx', symbol: 'TRX', decimals: 6 };
    const usdt = {
      chainIndex: '195',
      tokenAddress: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
      assetId: 'usdt',
      symbol: 'USDT',
      decimals: 6,
    };
    const leg = { chainIndex: '195', from: trx, to: usdt, amount: '1000', amountRaw: '1000000000', valueUsd: '121.5' };

    expect(await quoteLeg(market, leg, '1')).toEqual({
      kind: 'dropped',
      leg,
      reason: 'rebalancing on Tron is not supported yet: Tron is tracked, but the bot builds no Tron swaps',
    });
    expect(market.quoteCalls).toEqual([]);
  });

  it('drops a leg whose cost cannot be known (no unit price and no impact) instead of trading blind', async () => {
    const market = createFakeRebalanceMarket();
    market.quotes.set('WBTC->USDC', { toAmountRaw: '1998000000', gasUsd: '0.2' });

    expect(await quoteLeg(market, wbtcToUsdc, '1')).toEqual({
      kind: 'dropped',
      leg: wbtcToUsdc,
      reason: 'cost unknown: the quote gave no USD price for USDC',
    });
  });

  it('names quote errors in plain words', () => {
    expect(describeQuoteError(new FakeOkxError('82112'))).toBe(
      'price impact above the protection threshold (OKX 82112)',
    );
    expect(describeQuoteError(new FakeOkxError('50026'))).toBe('no quote (OKX 50026)');
    expect(describeQuoteError(new Error('socket hang up'))).toBe('no quote available right now');
  });

  it('explains refusals from the current state', () => {
    expect(explainRefusal(undefined, '7')).toEqual({ kind: 'expired' });
    expect(explainRefusal({ userId: '7', state: 'superseded' } as StoredPlan, '7')).toEqual({ kind: 'expired' });
  });
});
