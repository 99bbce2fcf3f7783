import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dec, sumDecimals, type Decimal } from '../../../shared/kernel/decimal';
import { planRebalance } from '../../../shared/rebalance/rebalance';
import type { Holding, RebalancePlan } from '../../../shared/kernel/types';
import { ARB, ARB_TOKEN, eth, holdingOf, usdc, wbtc } from './rebalance-fixtures';

const GAS_RESERVE_ARB = new Dec('0.002');
const ZERO = new Dec('0');

/** A decimal string with up to `dp` decimals between 0 and max (integer units scaled down). */
const amount = (max: number, dp: number) =>
  fc.integer({ min: 0, max: max * 10 ** dp }).map((units) => new Dec(String(units)).div(new Dec(`1e${dp}`)).toString());
const positivePrice = (max: number) =>
  fc.integer({ min: 1, max: max * 100 }).map((cents) => new Dec(String(cents)).div(new Dec('100')).toString());

/** Four integer percents adding up to exactly 100 (cut points on 0..100). */
const targets = fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 3, maxLength: 3 }).map((cuts) => {
  const [a, b, c] = [...cuts].sort((x, y) => x - y) as [number, number, number];
  return { eth: String(a), btc: String(b - a), usdc: String(c - b), arb: String(100 - c) };
});

const arbToken = (balance: string, priceUsd: string) =>
  holdingOf({
    assetId: 'arb',
    symbol: 'ARB',
    chainIndex: ARB,
    tokenAddress: ARB_TOKEN,
    balance,
    priceUsd,
    decimals: 18,
  });

/** One wallet on Arbitrum, native ETH included (so the gas reserve matters). */
const portfolios = fc.record({
  eth: fc.tuple(amount(20, 6), positivePrice(5000)),
  btc: fc.tuple(amount(2, 8), positivePrice(100000)),
  usdc: amount(50000, 6),
  arb: fc.tuple(amount(10000, 4), positivePrice(10)),
  target: targets,
  mode: fc.constantFrom('band-edge' as const, 'target' as const),
  minTradeUsd: fc.constantFrom('0', '10', '100'),
});

type Portfolio = typeof portfolios extends fc.Arbitrary<infer T> ? T : never;

function holdingsOf(p: Portfolio): Holding[] {
  return [eth(ARB, p.eth[0], p.eth[1]), wbtc(p.btc[0], p.btc[1]), usdc(ARB, p.usdc), arbToken(p.arb[0], p.arb[1])];
}

function soldPerToken(plan: RebalancePlan): Map<string, Decimal> {
  const sold = new Map<string, Decimal>();
  for (const leg of [...plan.legs, ...plan.dropped.map((item) => item.leg)]) {
    sold.set(leg.from.tokenAddress, (sold.get(leg.from.tokenAddress) ?? ZERO).plus(new Dec(leg.amount)));
  }
  return sold;
}

describe('planRebalance properties', () => {
  it('never sells more than held and never touches the gas reserve', () => {
    fc.assert(
      fc.property(portfolios, (p) => {
        const holdings = holdingsOf(p);
        const plan = planRebalance(holdings, p.target, { mode: p.mode, minTradeUsd: p.minTradeUsd });
        for (const [tokenAddress, sold] of soldPerToken(plan)) {
          const holding = holdings.find((item) => item.tokenAddress === tokenAddress)!;
          const reserve = tokenAddress === '' ? GAS_RESERVE_ARB : ZERO;
          expect(sold.lte(new Dec(holding.balance).minus(reserve))).toBe(true);
        }
      }),
    );
  });

  it('values legs consistently and keeps totals exact', () => {
    fc.assert(
      fc.property(portfolios, (p) => {
        const holdings = holdingsOf(p);
        const plan = planRebalance(holdings, p.target, { mode: p.mode, minTradeUsd: p.minTradeUsd });
        const total = sumDecimals(
          holdings.map((holding) => new Dec(holding.balance).times(new Dec(holding.priceUsd!))),
        );
        expect(plan.totalValueUsd).toBe(total.toString());
        expect(plan.turnoverUsd).toBe(sumDecimals(plan.legs.map((leg) => new Dec(leg.valueUsd))).toString());
        for (const leg of [...plan.legs, ...plan.dropped.map((item) => item.leg)]) {
          const price = new Dec(holdings.find((item) => item.tokenAddress === leg.from.tokenAddress)!.priceUsd!);
          const unit = new Dec(`1e-${leg.from.decimals}`);
          expect(leg.chainIndex).toBe(ARB);
          expect(new Dec(leg.amount).times(price).lte(new Dec(leg.valueUsd))).toBe(true);
          expect(new Dec(leg.amount).plus(unit).times(price).gt(new Dec(leg.valueUsd))).toBe(true);
          expect(leg.amountRaw).toBe(new Dec(leg.amount).times(new Dec(`1e${leg.from.decimals}`)).toString());
          if (plan.legs.includes(leg)) expect(new Dec(leg.valueUsd).gte(new Dec(p.minTradeUsd))).toBe(true);
        }
        if (total.gt(ZERO)) {
          expect(
            sumDecimals(plan.allocation.map((row) => new Dec(row.projected)))
              .minus(new Dec('1'))
              .abs()
              .lt(new Dec('1e-30')),
          ).toBe(true);
        }
        const fromAssets = new Set(
          [...plan.legs, ...plan.dropped.map((item) => item.leg)].map((leg) => leg.from.assetId),
        );
        const toAssets = new Set([...plan.legs, ...plan.dropped.map((item) => item.leg)].map((leg) => leg.to.assetId));
        expect(plan.legs.length + plan.dropped.length).toBeLessThanOrEqual(
          Math.max(0, fromAssets.size + toAssets.size - 1),
        );
      }),
    );
  });

  it('lands every asset inside its band when liquidity is ample on one chain', () => {
    const tokenOnly = fc.record({
      btc: fc.tuple(amount(2, 8), positivePrice(100000)),
      usdc: amount(50000, 6),
      arb: fc.tuple(amount(10000, 4), positivePrice(10)),
      target: targets.map(({ eth: ethShare, btc, usdc: usdcShare, arb }) => ({
        btc: String(Number(btc) + Number(ethShare)),
        usdc: usdcShare,
        arb,
      })),
      mode: fc.constantFrom('band-edge' as const, 'target' as const),
    });
    fc.assert(
      fc.property(tokenOnly, (p) => {
        const holdings = [wbtc(p.btc[0], p.btc[1]), usdc(ARB, p.usdc), arbToken(p.arb[0], p.arb[1])];
        const plan = planRebalance(holdings, p.target, { mode: p.mode, minTradeUsd: '0' });
        fc.pre(new Dec(plan.totalValueUsd).gt(ZERO) && plan.dropped.length === 0);
        for (const row of plan.allocation) {
          expect(new Dec(row.projected).minus(new Dec(row.target)).abs().lte(new Dec(row.band))).toBe(true);
        }
      }),
    );
  });
});
