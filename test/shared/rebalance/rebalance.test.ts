import { describe, expect, it } from 'vitest';
import { planRebalance } from '../../../shared/rebalance/rebalance';
import {
  ARB,
  ARB_TOKEN,
  BASE,
  eth,
  holdingOf,
  usdc,
  USDC_ARB,
  wbtc,
  WBTC_ARB,
  workedHoldings,
  workedTarget,
} from './rebalance-fixtures';

const WBTC_TOKEN = { chainIndex: ARB, tokenAddress: WBTC_ARB, assetId: 'btc', symbol: 'WBTC', decimals: 8 };
const USDC_TOKEN = { chainIndex: ARB, tokenAddress: USDC_ARB, assetId: 'usdc', symbol: 'USDC', decimals: 6 };
const ETH_TOKEN = { chainIndex: ARB, tokenAddress: '', assetId: 'eth', symbol: 'ETH', decimals: 18 };

/** Every fixture holding sits in this wallet (rebalance-fixtures): the leg names its signer. */
const WALLET = '0x1111111111111111111111111111111111111111';

describe('planRebalance on the finance-methods §5.5 example', () => {
  it('to target: sells 3,000 of WBTC on Arbitrum for 2,000 USDC and 1,000 ETH', () => {
    const plan = planRebalance(workedHoldings, workedTarget, { mode: 'target' });
    expect(plan.mode).toBe('target');
    expect(plan.totalValueUsd).toBe('20000');
    expect(plan.legs).toEqual([
      {
        chainIndex: ARB,
        walletAddress: WALLET,
        from: WBTC_TOKEN,
        to: USDC_TOKEN,
        amount: '0.03333333',
        amountRaw: '3333333',
        valueUsd: '2000',
      },
      {
        chainIndex: ARB,
        walletAddress: WALLET,
        from: WBTC_TOKEN,
        to: ETH_TOKEN,
        amount: '0.01666666',
        amountRaw: '1666666',
        valueUsd: '1000',
      },
    ]);
    expect(plan.turnoverUsd).toBe('3000');
    expect(plan.dropped).toEqual([]);
    expect(plan.notes).toEqual([]);
    expect(plan.allocation).toEqual([
      { assetId: 'eth', symbol: 'ETH', current: '0.45', target: '0.5', projected: '0.5', band: '0.05' },
      { assetId: 'btc', symbol: 'BTC', current: '0.45', target: '0.3', projected: '0.3', band: '0.05' },
      { assetId: 'usdc', symbol: 'USDC', current: '0.1', target: '0.2', projected: '0.2', band: '0.05' },
    ]);
  });

  it('to the band edge (when the user picks it): 2 swaps, turnover 2,000, final weights 50 / 35 / 15', () => {
    const plan = planRebalance(workedHoldings, workedTarget, { mode: 'band-edge' });
    expect(plan.mode).toBe('band-edge');
    expect(plan.legs.map((leg) => [leg.from.symbol, leg.to.symbol, leg.valueUsd, leg.amountRaw])).toEqual([
      ['WBTC', 'ETH', '1000', '1666666'],
      ['WBTC', 'USDC', '1000', '1666666'],
    ]);
    expect(plan.turnoverUsd).toBe('2000');
    expect(plan.allocation.map((row) => row.projected)).toEqual(['0.5', '0.35', '0.15']);
  });

  it('goes to target by default (§5.2): sell 3,000 of WBTC, buy 2,000 USDC and 1,000 ETH, turnover 3,000', () => {
    // Total 20,000: WBTC 9,000 → 30 % = 6,000 (sell 3,000); USDC 2,000 → 20 % = 4,000 (buy 2,000); ETH 9,000 → 50 % = 10,000 (buy 1,000).
    for (const plan of [
      planRebalance(workedHoldings, workedTarget),
      planRebalance(workedHoldings, workedTarget, { mode: undefined }),
    ]) {
      expect(plan.mode).toBe('target');
      expect(plan.legs.map((leg) => [leg.from.symbol, leg.to.symbol, leg.valueUsd])).toEqual([
        ['WBTC', 'USDC', '2000'],
        ['WBTC', 'ETH', '1000'],
      ]);
      expect(plan.turnoverUsd).toBe('3000');
      expect(plan.allocation.map((row) => row.projected)).toEqual(['0.5', '0.3', '0.2']);
    }
  });
});

describe('planRebalance bands', () => {
  it('does nothing while every asset is inside its band, an asset exactly at the edge included', () => {
    const plan = planRebalance([eth(ARB, '1', '5500'), usdc(ARB, '4500')], { eth: '50', usdc: '50' });
    expect(plan.legs).toEqual([]);
    expect(plan.turnoverUsd).toBe('0');
    expect(plan.notes).toEqual(['every asset is within its band: nothing to trade']);
    expect(plan.allocation.map((row) => row.projected)).toEqual(['0.55', '0.45']);
  });

  it('gives a small sleeve the relative band: a 4 % target trades outside ±1 pp', () => {
    const holdings = [
      usdc(ARB, '9400'),
      holdingOf({
        assetId: 'arb',
        symbol: 'ARB',
        chainIndex: ARB,
        tokenAddress: ARB_TOKEN,
        balance: '600',
        priceUsd: '1',
        decimals: 18,
      }),
    ];
    const plan = planRebalance(holdings, { usdc: '96', arb: '4' }, { mode: 'band-edge' });
    expect(plan.allocation.find((row) => row.assetId === 'arb')).toMatchObject({
      current: '0.06',
      band: '0.01',
      projected: '0.05',
    });
    expect(plan.legs).toEqual([
      expect.objectContaining({ valueUsd: '100', amount: '100', amountRaw: '100000000000000000000' }),
    ]);
  });

  it('honours custom bands', () => {
    const plan = planRebalance(workedHoldings, workedTarget, { absoluteBandPp: '20', relativeBand: '1' });
    expect(plan.legs).toEqual([]);
  });
});

describe('planRebalance safety', () => {
  it('never sells the gas reserve and says what it keeps', () => {
    const plan = planRebalance([eth(ARB, '1.001', '1000')], { eth: '0', usdc: '100' }, { mode: 'target' });
    expect(plan.legs).toEqual([
      {
        chainIndex: ARB,
        walletAddress: WALLET,
        from: ETH_TOKEN,
        to: USDC_TOKEN,
        amount: '0.999',
        amountRaw: '999000000000000000',
        valueUsd: '999',
      },
    ]);
    expect(plan.notes).toEqual([
      'keeps 0.002 ETH on Arbitrum for gas',
      'ETH: $2 to sell cannot be sold: the rest is gas reserve or has unknown decimals',
      'USDC: $2 to buy has no seller on the same chain (cross-chain moves are not automated)',
    ]);
  });

  it('drops legs below the minimum trade with a reason', () => {
    const plan = planRebalance(
      [usdc(ARB, '9995'), eth(ARB, '0.005', '1000')],
      { usdc: '99.9', eth: '0.1' },
      { mode: 'band-edge' },
    );
    expect(plan.legs).toEqual([]);
    expect(plan.dropped).toEqual([
      {
        leg: expect.objectContaining({ valueUsd: '2.5', from: USDC_TOKEN, to: ETH_TOKEN, amountRaw: '2500000' }),
        reason: 'below the $10 minimum trade',
      },
    ]);
    expect(plan.turnoverUsd).toBe('0');
    expect(plan.allocation.map((row) => row.projected)).toEqual(['0.9995', '0.0005']);
  });

  it('drops a leg that rounds down to zero token units', () => {
    const plan = planRebalance(
      [
        usdc(ARB, '98.5'),
        holdingOf({
          assetId: 'gem',
          symbol: 'GEM',
          chainIndex: ARB,
          tokenAddress: '0xgem',
          balance: '3',
          priceUsd: '0.5',
          decimals: 0,
        }),
      ],
      { usdc: '99', gem: '1' },
      { minTradeUsd: '0', mode: 'band-edge' },
    );
    expect(plan.legs).toEqual([]);
    expect(plan.dropped).toEqual([
      {
        leg: expect.objectContaining({ amount: '0', amountRaw: '0', valueUsd: '0.25' }),
        reason: 'too small to trade: rounds down to 0 GEM',
      },
    ]);
  });

  it('cannot sell a holding without decimals and says so', () => {
    const holdings = [
      usdc(ARB, '1000'),
      holdingOf({
        assetId: 'btc',
        symbol: 'WBTC',
        chainIndex: ARB,
        tokenAddress: WBTC_ARB,
        balance: '1',
        priceUsd: '1000',
      }),
    ];
    const plan = planRebalance(holdings, { usdc: '100', btc: '0' });
    expect(plan.legs).toEqual([]);
    expect(plan.notes).toEqual([
      'WBTC on Arbitrum cannot be sold: its decimals are unknown',
      'BTC: $1000 to sell cannot be sold: the rest is gas reserve or has unknown decimals',
      'USDC: $1000 to buy has no seller on the same chain (cross-chain moves are not automated)',
    ]);
  });

  it('reports needs with no same-chain partner instead of bridging', () => {
    const holdings = [
      usdc(BASE, '1000'),
      holdingOf({
        assetId: 'gmx',
        symbol: 'GMX',
        chainIndex: ARB,
        tokenAddress: '0xfc5a1a6eb076a2c7ad06ed22c90d7e710e35ad0a',
        balance: '0',
        priceUsd: '20',
        decimals: 18,
      }),
    ];
    const plan = planRebalance(holdings, { usdc: '50', gmx: '50' }, { mode: 'band-edge' });
    expect(plan.legs).toEqual([]);
    expect(plan.notes).toEqual([
      'USDC: $450 to sell has no buyer on the same chain (cross-chain moves are not automated)',
      'GMX: $450 to buy has no seller on the same chain (cross-chain moves are not automated)',
    ]);
  });

  it('buys an asset the user does not hold through the registry token on that chain', () => {
    const plan = planRebalance([usdc(BASE, '1000')], { usdc: '50', btc: '50' }, { mode: 'target' });
    expect(plan.legs).toEqual([
      expect.objectContaining({
        chainIndex: BASE,
        to: {
          chainIndex: BASE,
          tokenAddress: '0xcbb7c0000ab88b473b1f5afd9ef808440eed33bf',
          assetId: 'btc',
          symbol: 'cbBTC',
          decimals: 8,
        },
        valueUsd: '500',
        amount: '500',
        amountRaw: '500000000',
      }),
    ]);
    expect(plan.allocation.find((row) => row.assetId === 'btc')).toMatchObject({
      symbol: 'BTC',
      current: '0',
      projected: '0.5',
    });
  });

  it('leaves risky, unpriced and untargeted holdings out of the total and says so', () => {
    const holdings = [
      ...workedHoldings,
      holdingOf({
        assetId: '1:0xspam',
        symbol: 'SPAM',
        chainIndex: '1',
        tokenAddress: '0xspam',
        balance: '1',
        priceUsd: '99999',
        isRiskToken: true,
      }),
      holdingOf({ assetId: '1:0xnoprice', symbol: 'NOPE', chainIndex: '1', tokenAddress: '0xnoprice', balance: '5' }),
      holdingOf({
        assetId: 'pepe',
        symbol: 'PEPE',
        chainIndex: '1',
        tokenAddress: '0x6982508145454ce325ddbe47a25d4ec3d2311933',
        balance: '1000',
        priceUsd: '0.0125',
        decimals: 18,
      }),
    ];
    const plan = planRebalance(holdings, workedTarget, { mode: 'target' });
    expect(plan.totalValueUsd).toBe('20000');
    expect(plan.notes).toEqual([
      '1 risk-flagged token left out of the rebalance',
      'no price for NOPE: left out of the total',
      'not in your target, left as is: PEPE ($12.5)',
    ]);
  });

  it('has nothing to do when no priced holding is targeted', () => {
    const plan = planRebalance([usdc(ARB, '100')], { eth: '100' });
    expect(plan).toMatchObject({ totalValueUsd: '0', legs: [], turnoverUsd: '0' });
    expect(plan.allocation).toEqual([
      { assetId: 'eth', symbol: 'ETH', current: '0', target: '1', projected: '0', band: '0.05' },
    ]);
    expect(plan.notes).toEqual([
      'not in your target, left as is: USDC ($100)',
      'nothing to rebalance: none of your priced holdings is in the target',
    ]);
  });

  it('sells from the chain holding the most and splits a sale across holdings when one is not enough', () => {
    const holdings = [eth('1', '1', '1000'), eth(ARB, '0.5', '1000'), usdc(ARB, '10'), usdc('1', '10')];
    const plan = planRebalance(holdings, { eth: '0', usdc: '100' }, { mode: 'target' });
    expect(plan.legs.map((leg) => [leg.chainIndex, leg.amount, leg.valueUsd])).toEqual([
      ['1', '0.99', '990'],
      [ARB, '0.498', '498'],
    ]);
    expect(plan.notes).toContain('ETH: $12 to sell cannot be sold: the rest is gas reserve or has unknown decimals');
  });

  it('rejects a target that adds up to nothing', () => {
    expect(() => planRebalance(workedHoldings, { eth: '0' })).toThrow('targets add up to 0 %');
  });

  it('scales a target within the 0.01 pp tolerance to exactly 100 %', () => {
    const plan = planRebalance([usdc(ARB, '100')], { usdc: '99.995' });
    expect(plan.allocation[0]!.target).toBe('1');
  });

  it('keeps the untouched Base USDC at its chain while trading on Arbitrum', () => {
    const plan = planRebalance(workedHoldings, workedTarget, { mode: 'target' });
    expect(plan.legs.every((leg) => leg.chainIndex === ARB)).toBe(true);
  });
});

describe('planRebalance with assets the target does not list (/target ETH 100)', () => {
  // ETH 1 × 3,000 on Arbitrum, WBTC 0.15 × 60,000 = 9,000, USDC 1,500 on Arbitrum + 500 on Base: total 14,000,
  // ETH 3,000 / 14,000 = 21.4 % of the whole.
  const holdings = [eth(ARB, '1'), wbtc('0.15'), usdc(ARB, '1500'), usdc(BASE, '500')];

  it("'sell' sells every unlisted asset into ETH: 9,000 WBTC + 1,500 + 500 USDC, turnover 11,000", () => {
    const plan = planRebalance(holdings, { eth: '100' }, { unlisted: 'sell' });
    expect(plan.unlisted).toBe('sell');
    expect(plan.kept).toEqual([]);
    expect(plan.totalValueUsd).toBe('14000');
    expect(plan.legs.map((leg) => [leg.chainIndex, leg.from.symbol, leg.to.symbol, leg.amount, leg.valueUsd])).toEqual([
      [ARB, 'WBTC', 'ETH', '0.15', '9000'],
      [ARB, 'USDC', 'ETH', '1500', '1500'],
      [BASE, 'USDC', 'ETH', '500', '500'],
    ]);
    expect(plan.turnoverUsd).toBe('11000');
    // ETH 3,000 + 11,000 = 14,000 = 100 %; BTC and USDC 0 %.
    expect(plan.allocation.map((row) => [row.symbol, row.target, row.projected])).toEqual([
      ['ETH', '1', '1'],
      ['BTC', '0', '0'],
      ['USDC', '0', '0'],
    ]);
  });

  it("'keep' (default) keeps WBTC 9,000 and USDC 2,000 and gives ETH 100 % of the rebalanceable 3,000: nothing to trade", () => {
    const plan = planRebalance(holdings, { eth: '100' });
    expect(plan.unlisted).toBe('keep');
    expect(plan.totalValueUsd).toBe('3000');
    expect(plan.kept).toEqual([
      { assetId: 'btc', symbol: 'WBTC', valueUsd: '9000' },
      { assetId: 'usdc', symbol: 'USDC', valueUsd: '2000' },
    ]);
    expect(plan.legs).toEqual([]);
    expect(plan.allocation).toEqual([
      { assetId: 'eth', symbol: 'ETH', current: '1', target: '1', projected: '1', band: '0.05' },
    ]);
  });
});
