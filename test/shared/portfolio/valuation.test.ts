import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dec, sumDecimals, toDecimal } from '../../../shared/kernel/decimal';
import type { Holding, SnapshotPoint, Wallet } from '../../../shared/kernel/types';
import { buildPortfolioView, buildSnapshotPoint } from '../../../shared/portfolio/valuation';
import { ethHolding, SYNCED } from './eth-holding';

const holding = ethHolding;

function wallet(overrides: Partial<Wallet> = {}): Wallet {
  return {
    userId: 'u1',
    walletId: 'w1',
    address: '0xabc',
    family: 'evm',
    chains: ['1', '42161', '8453'],
    addedAt: '2025-01-01T00:00:00.000Z',
    lastSyncedAt: SYNCED,
    ...overrides,
  };
}

/** finance-methods §5.5: ETH 2 on Ethereum + 1 on Arbitrum, WBTC 0.15 on Arbitrum, USDC 1,500 on Arbitrum + 500 on Base. */
const WORKED_EXAMPLE: Holding[] = [
  holding({ chainIndex: '1', balance: '2' }),
  holding({ chainIndex: '42161', balance: '1' }),
  holding({
    chainIndex: '42161',
    tokenAddress: '0x2f2a2543b76a4166549f7aab2e75bef0aefc5b0f',
    symbol: 'WBTC',
    balance: '0.15',
    priceUsd: '60000',
    assetId: 'btc',
  }),
  holding({
    chainIndex: '42161',
    tokenAddress: '0xaf88d065e77c8cc2239327c5edb3a432268e5831',
    symbol: 'USDC',
    balance: '1500',
    priceUsd: '1',
    assetId: 'usdc',
    sector: 'stablecoin',
  }),
  holding({
    chainIndex: '8453',
    tokenAddress: '0x833589fcd6edb6e08f4c7c32d4f71b54bda02913',
    symbol: 'USDC',
    balance: '500',
    priceUsd: '1',
    assetId: 'usdc',
    sector: 'stablecoin',
  }),
];

describe('buildPortfolioView', () => {
  it('aggregates the worked example per canonical asset across chains', () => {
    const view = buildPortfolioView({ userId: 'u1', wallets: [wallet()], holdings: WORKED_EXAMPLE });
    expect(view.totalValueUsd).toBe('20000');
    expect(
      view.assets.map((asset) => [asset.assetId, asset.symbol, asset.quantity, asset.valueUsd, asset.share]),
    ).toEqual([
      ['btc', 'BTC', '0.15', '9000', '0.45'],
      ['eth', 'ETH', '3', '9000', '0.45'],
      ['usdc', 'USDC', '2000', '2000', '0.1'],
    ]);
    const eth = view.assets[1]!;
    expect(eth.priceUsd).toBe('3000');
    expect(eth.chains).toEqual(['1', '42161']);
    expect(eth.tokens).toEqual([
      { chainIndex: '1', tokenAddress: '', quantity: '2', valueUsd: '6000' },
      { chainIndex: '42161', tokenAddress: '', quantity: '1', valueUsd: '3000' },
    ]);
    expect(view.chains).toEqual([
      { chainIndex: '42161', valueUsd: '13500', share: '0.675' },
      { chainIndex: '1', valueUsd: '6000', share: '0.3' },
      { chainIndex: '8453', valueUsd: '500', share: '0.025' },
    ]);
    expect(view.wallets).toEqual([
      { walletId: 'w1', address: '0xabc', valueUsd: '20000', lastSyncedAt: SYNCED, staleSince: undefined },
    ]);
    expect(view).toMatchObject({ userId: 'u1', asOf: SYNCED, hiddenRiskTokens: 0, unpricedTokens: 0, staleWallets: 0 });
    expect(view.change24h).toBeUndefined();
  });

  it('hides risk tokens from totals and counts them', () => {
    const scam = holding({
      tokenAddress: '0xdead',
      symbol: 'FREE',
      balance: '1000000',
      priceUsd: '5',
      isRiskToken: true,
      assetId: '1:0xdead',
      sector: 'other',
    });
    const view = buildPortfolioView({ userId: 'u1', wallets: [wallet()], holdings: [holding(), scam] });
    expect(view.totalValueUsd).toBe('3000');
    expect(view.assets.map((asset) => asset.assetId)).toEqual(['eth']);
    expect(view.hiddenRiskTokens).toBe(1);
  });

  it('lists unpriced tokens without a value, last, and counts them', () => {
    const unpriced = holding({
      tokenAddress: '0xaaa',
      symbol: 'AAA',
      balance: '42',
      priceUsd: undefined,
      assetId: '1:0xaaa',
      sector: 'other',
    });
    const view = buildPortfolioView({
      userId: 'u1',
      wallets: [wallet()],
      holdings: [unpriced, holding({ balance: '0.5' })],
    });
    expect(view.totalValueUsd).toBe('1500');
    expect(view.unpricedTokens).toBe(1);
    expect(view.assets[1]).toEqual({
      assetId: '1:0xaaa',
      symbol: 'AAA',
      sector: 'other',
      quantity: '42',
      valueUsd: undefined,
      priceUsd: undefined,
      share: undefined,
      chains: ['1'],
      tokens: [{ chainIndex: '1', tokenAddress: '0xaaa', quantity: '42', valueUsd: undefined }],
    });
    expect(view.chains).toEqual([{ chainIndex: '1', valueUsd: '1500', share: '1' }]);
  });

  it('values the priced part of a partly priced asset and uses a value-weighted unit price', () => {
    const view = buildPortfolioView({
      userId: 'u1',
      wallets: [wallet()],
      holdings: [
        holding({ balance: '1', priceUsd: '3000' }),
        holding({ chainIndex: '8453', balance: '3', priceUsd: '3004' }),
        holding({ chainIndex: '10', balance: '2', priceUsd: undefined }),
      ],
    });
    const eth = view.assets[0]!;
    expect(eth).toMatchObject({ quantity: '6', valueUsd: '12012', priceUsd: '3003', share: '1' });
    expect(eth.tokens.map((token) => [token.chainIndex, token.valueUsd])).toEqual([
      ['8453', '9012'],
      ['1', '3000'],
      ['10', undefined],
    ]);
    expect(view.unpricedTokens).toBe(1);
    expect(view.chains.map((chain) => [chain.chainIndex, chain.valueUsd, chain.share])).toEqual([
      ['8453', '9012', '0.75024975024975024975024975024975025'],
      ['1', '3000', '0.24975024975024975024975024975024975'],
      ['10', '0', '0'],
    ]);
  });

  it('sums the same token held in several wallets and totals per wallet', () => {
    const wallets = [
      wallet(),
      wallet({ walletId: 'w2', address: '0xdef', lastSyncedAt: '2025-01-01T11:50:00.000Z' }),
      wallet({ walletId: 'w3', address: '0x999', lastSyncedAt: undefined }),
    ];
    const view = buildPortfolioView({
      userId: 'u1',
      wallets,
      holdings: [holding(), holding({ walletId: 'w2', walletAddress: '0xdef', balance: '0.25' })],
    });
    expect(view.assets[0]!.tokens).toEqual([{ chainIndex: '1', tokenAddress: '', quantity: '1.25', valueUsd: '3750' }]);
    expect(view.wallets.map((total) => [total.walletId, total.valueUsd])).toEqual([
      ['w1', '3000'],
      ['w2', '750'],
      ['w3', '0'],
    ]);
    expect(view.asOf).toBe('2025-01-01T11:50:00.000Z');
  });

  it('marks wallets stale from failed chains or from missed syncs', () => {
    const wallets = [
      wallet(),
      wallet({ walletId: 'w2', lastSyncedAt: '2025-01-01T11:00:00.000Z' }),
      wallet({ walletId: 'w3' }),
    ];
    const holdings = [
      holding({ staleSince: '2025-01-01T11:40:00.000Z' }),
      holding({ chainIndex: '8453', staleSince: '2025-01-01T11:20:00.000Z', isRiskToken: true }),
      holding({ walletId: 'w3' }),
    ];
    const view = buildPortfolioView({ userId: 'u1', wallets, holdings, now: new Date('2025-01-01T12:05:00.000Z') });
    expect(view.wallets.map((total) => total.staleSince)).toEqual([
      '2025-01-01T11:20:00.000Z',
      '2025-01-01T11:00:00.000Z',
      undefined,
    ]);
    expect(view.staleWallets).toBe(2);
  });

  it('reports the 24 h change of the current holdings at the prices then, so a deposit is not a gain', () => {
    const position = (assetId: string, quantity: string, priceUsd: string) => ({ assetId, quantity, priceUsd });
    const baseline: SnapshotPoint = {
      slot: '2024-12-31T12:00:00.000Z',
      takenAt: '2024-12-31T12:00:05.000Z',
      totalValueUsd: '1450',
      positions: [position('w1/1:', '0.5', '2900')],
      incomplete: false,
    };
    // 1 ETH deposited since: 1.5 ETH now at 3000; only the +100 price move on 1.5 ETH is a change.
    const view = buildPortfolioView({
      userId: 'u1',
      wallets: [wallet()],
      holdings: [holding({ balance: '1.5', priceUsd: '3000' })],
      baseline,
    });
    // covered = total = 1.5 × 3000 = 4500
    expect(view.change24h).toEqual({
      absoluteUsd: '150',
      relative: new Dec('150').div('4350').toString(),
      since: '2024-12-31T12:00:05.000Z',
      coveredValueUsd: '4500',
      totalValueUsd: '4500',
    });
  });

  it('prices a newly added wallet from the same token elsewhere or the canonical asset, and skips tokens new to the portfolio', () => {
    const baseline: SnapshotPoint = {
      slot: 's',
      takenAt: 't',
      totalValueUsd: '0',
      positions: [
        { assetId: 'w1/1:', quantity: '1', priceUsd: '2900' },
        { assetId: 'btc', quantity: '1', priceUsd: '60000' },
      ],
      incomplete: false,
    };
    const holdings = [
      holding({ walletId: 'w2', balance: '2', priceUsd: '3000' }),
      holding({
        walletId: 'w2',
        chainIndex: '42161',
        tokenAddress: '0xwbtc',
        assetId: 'btc',
        balance: '0.1',
        priceUsd: '61000',
      }),
      holding({ walletId: 'w2', tokenAddress: '0xnew', assetId: '1:0xnew', balance: '5', priceUsd: '7' }),
    ];
    const view = buildPortfolioView({
      userId: 'u1',
      wallets: [wallet(), wallet({ walletId: 'w2' })],
      holdings,
      baseline,
    });
    // ETH 2 × (3000 − 2900) = 200, BTC 0.1 × (61000 − 60000) = 100 → 300 over a base of 2 × 2900 + 0.1 × 60000 = 11800.
    // The new token (5 × 7 = 35) has no price then: covered 6000 + 6100 = 12100 of 12135.
    expect(view.change24h).toMatchObject({
      absoluteUsd: '300',
      relative: new Dec('300').div('11800').toString(),
      coveredValueUsd: '12100',
      totalValueUsd: '12135',
    });
    const unknown = buildPortfolioView({
      userId: 'u1',
      wallets: [wallet()],
      holdings: [holding()],
      baseline: { ...baseline, positions: [] },
    });
    expect(unknown.change24h).toEqual({
      absoluteUsd: '0',
      relative: undefined,
      since: 't',
      coveredValueUsd: '0',
      totalValueUsd: '3000',
    });
  });

  it('returns an empty view without dividing by zero', () => {
    const view = buildPortfolioView({ userId: 'u1', wallets: [], holdings: [] });
    expect(view).toEqual({
      userId: 'u1',
      totalValueUsd: '0',
      assets: [],
      chains: [],
      wallets: [],
      change24h: undefined,
      asOf: undefined,
      hiddenRiskTokens: 0,
      unpricedTokens: 0,
      staleWallets: 0,
    });
    const zeroPriced = buildPortfolioView({ userId: 'u1', wallets: [], holdings: [holding({ priceUsd: '0' })] });
    expect(zeroPriced.assets[0]).toMatchObject({ valueUsd: '0', share: '0' });
    expect(zeroPriced.chains).toEqual([{ chainIndex: '1', valueUsd: '0', share: '0' }]);
  });

  it('keeps exact sums: total = Σ asset values = Σ chain values = Σ wallet values', () => {
    const decimal = fc
      .tuple(fc.bigInt({ min: 0n, max: 10n ** 24n }), fc.integer({ min: 0, max: 18 }))
      .map(([digits, scale]) => toDecimal(`${digits}e-${scale}`).toString());
    const arbitraryHolding = fc.record({
      walletId: fc.constantFrom('w1', 'w2'),
      chainIndex: fc.constantFrom('1', '10', '8453', '501'),
      assetId: fc.constantFrom('eth', 'usdc', 'btc', '1:0xaaa'),
      balance: decimal,
      priceUsd: fc.option(decimal, { nil: undefined }),
      isRiskToken: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(arbitraryHolding, { maxLength: 25 }), (drafts) => {
        const holdings = drafts.map((draft) =>
          holding({ ...draft, tokenAddress: draft.assetId === 'eth' ? '' : draft.assetId }),
        );
        const view = buildPortfolioView({ userId: 'u1', wallets: [wallet(), wallet({ walletId: 'w2' })], holdings });
        const total = toDecimal(view.totalValueUsd);
        const assetSum = sumDecimals(
          view.assets.flatMap((asset) => (asset.valueUsd === undefined ? [] : [toDecimal(asset.valueUsd)])),
        );
        const chainSum = sumDecimals(view.chains.map((chain) => toDecimal(chain.valueUsd)));
        const walletSum = sumDecimals(view.wallets.map((total) => toDecimal(total.valueUsd)));
        const expected = sumDecimals(
          holdings
            .filter((h) => !h.isRiskToken && h.priceUsd !== undefined)
            .map((h) => toDecimal(h.balance).times(toDecimal(h.priceUsd!))),
        );
        return total.eq(assetSum) && total.eq(chainSum) && total.eq(walletSum) && total.eq(expected);
      }),
      { numRuns: 200 },
    );
  });
});

describe('buildSnapshotPoint', () => {
  it('stores quantity and price per wallet x token of the priced, non-risk holdings and their total', () => {
    const holdings = [
      ...WORKED_EXAMPLE,
      holding({ tokenAddress: '0xaaa', balance: '5', priceUsd: undefined, assetId: '1:0xaaa' }),
      holding({ tokenAddress: '0xdead', balance: '9', priceUsd: '9', isRiskToken: true, assetId: '1:0xdead' }),
    ].map(({ syncedAt: _syncedAt, ...rest }) => rest);
    expect(buildSnapshotPoint(holdings, '2025-01-01T12:00:00.000Z', '2025-01-01T12:00:07.000Z', true)).toEqual({
      slot: '2025-01-01T12:00:00.000Z',
      takenAt: '2025-01-01T12:00:07.000Z',
      totalValueUsd: '20000',
      positions: [
        { assetId: 'w1/1:', quantity: '2', priceUsd: '3000' },
        { assetId: 'w1/42161:', quantity: '1', priceUsd: '3000' },
        { assetId: 'w1/42161:0x2f2a2543b76a4166549f7aab2e75bef0aefc5b0f', quantity: '0.15', priceUsd: '60000' },
        { assetId: 'w1/42161:0xaf88d065e77c8cc2239327c5edb3a432268e5831', quantity: '1500', priceUsd: '1' },
        { assetId: 'w1/8453:0x833589fcd6edb6e08f4c7c32d4f71b54bda02913', quantity: '500', priceUsd: '1' },
      ],
      incomplete: true,
    });
  });

  it("keeps each chain's own price, so the total is exact when chains quote an asset differently", () => {
    const point = buildSnapshotPoint(
      [holding({ balance: '1', priceUsd: '3000' }), holding({ chainIndex: '10', balance: '2', priceUsd: '3001' })],
      's',
      't',
      false,
    );
    expect(point.positions).toEqual([
      { assetId: 'w1/10:', quantity: '2', priceUsd: '3001' },
      { assetId: 'w1/1:', quantity: '1', priceUsd: '3000' },
    ]);
    expect(point.totalValueUsd).toBe('9002');
  });

  it('is empty and zero for no priced holdings', () => {
    expect(buildSnapshotPoint([], 's', 't', false)).toEqual({
      slot: 's',
      takenAt: 't',
      totalValueUsd: '0',
      positions: [],
      incomplete: false,
    });
  });
});
