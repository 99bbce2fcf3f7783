import { describe, expect, it } from 'vitest';
import { attributeChange, type AssetLookup } from '../../../shared/notify/digest-math';

const ETH = '1:';
const USDC = '1:0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48';
const USDC_BASE = '8453:0x833589fcd6edb6e08f4c7c32d4a71b54bda02913';
const SOL = '501:';
const BTC = '1:0x2260fac5e5542a773aa44fbcfedf7c193bc2c599';

const assets: AssetLookup = (tokenKey) =>
  ({
    [ETH]: { assetId: 'eth', symbol: 'ETH' },
    [USDC]: { assetId: 'usdc', symbol: 'USDC' },
    [USDC_BASE]: { assetId: 'usdc', symbol: 'USDC' },
    [SOL]: { assetId: 'sol', symbol: 'SOL' },
    [BTC]: { assetId: 'wbtc', symbol: 'WBTC' },
  })[tokenKey] ?? { assetId: tokenKey, symbol: tokenKey };

const position = (key: string, quantity: string, priceUsd: string) => ({ assetId: key, quantity, priceUsd });

describe('digest attribution', () => {
  it('splits the finance-methods example into a 200 price effect (ETH) and a 1,550 deposit', () => {
    // 2 ETH @ 3,000 + 1,000 USDC (7,000) → 2.5 ETH @ 3,100 + 1,000 USDC (8,750).
    const change = attributeChange(
      { positions: [position(`w1/${ETH}`, '2', '3000'), position(`w1/${USDC}`, '1000', '1')] },
      { positions: [position(`w1/${ETH}`, '2.5', '3100'), position(`w1/${USDC}`, '1000', '1')] },
      assets,
    );

    // The sub-period return 200 / 7,000 = 2.86 %, as finance-methods works it.
    expect(Number(change.priceReturn).toFixed(4)).toBe('0.0286');
    expect(change).toEqual({
      startValueUsd: '7000',
      endValueUsd: '8750',
      changeUsd: '1750',
      priceEffectUsd: '200',
      priceReturn: change.priceReturn,
      flowsUsd: '1550',
      trackingUsd: '0',
      contributions: [{ assetId: 'eth', symbol: 'ETH', priceEffectUsd: '200' }],
    });
  });

  it('ranks assets by the size of their price effect and keeps an added wallet out of flows and gains', () => {
    // Start 3,000: 1 ETH @ 2,000 + 10 SOL @ 100. End 3,700: ETH @ 2,200 (+200), SOL @ 90 (−100), and a wallet
    // added with 0.01 WBTC @ 60,000 (600, a tracking change).
    const change = attributeChange(
      { positions: [position(`w1/${ETH}`, '1', '2000'), position(`w1/${SOL}`, '10', '100')], walletIds: ['w1'] },
      {
        positions: [
          position(`w1/${ETH}`, '1', '2200'),
          position(`w1/${SOL}`, '10', '90'),
          position(`w2/${BTC}`, '0.01', '60000'),
        ],
        walletIds: ['w1', 'w2'],
      },
      assets,
    );

    expect(change.changeUsd).toBe('700');
    expect(change.priceEffectUsd).toBe('100');
    expect(change.flowsUsd).toBe('0');
    expect(change.trackingUsd).toBe('600');
    expect(change.contributions).toEqual([
      { assetId: 'eth', symbol: 'ETH', priceEffectUsd: '200' },
      { assetId: 'sol', symbol: 'SOL', priceEffectUsd: '-100' },
    ]);
  });

  it('adds up one asset across chains and values a sold position as a withdrawal at its last price', () => {
    // USDC depegs to 0.99 on both chains: 500 × −0.01 + 300 × −0.01 = −8. ETH (0.5 @ 3,000) is gone: −1,500 flow.
    const change = attributeChange(
      {
        positions: [
          position(`w1/${USDC}`, '500', '1'),
          position(`w1/${USDC_BASE}`, '300', '1'),
          position(`w1/${ETH}`, '0.5', '3000'),
        ],
      },
      { positions: [position(`w1/${USDC}`, '500', '0.99'), position(`w1/${USDC_BASE}`, '300', '0.99')] },
      assets,
    );

    expect(change.contributions).toEqual([{ assetId: 'usdc', symbol: 'USDC', priceEffectUsd: '-8' }]);
    expect(change.flowsUsd).toBe('-1500');
    // 2,300 → 792: −1,508 = −8 − 1,500.
    expect(change.changeUsd).toBe('-1508');
  });
});
