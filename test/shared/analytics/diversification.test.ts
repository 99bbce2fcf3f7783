import { describe, expect, it } from 'vitest';
import { toDecimal } from '../../../shared/kernel/decimal';
import { analyseDiversification } from '../../../shared/analytics/diversification';
import type { Holding } from '../../../shared/kernel/types';
import { ethHolding } from '../portfolio/eth-holding';

/** An ETH holding on Arbitrum unless overridden. */
const holding = (overrides: Partial<Holding> = {}): Holding => ethHolding({ chainIndex: '42161', ...overrides });

const WBTC = {
  tokenAddress: '0x2f2a2543b76a4166549f7aab2e75bef0aefc5b0f',
  symbol: 'WBTC',
  priceUsd: '60000',
  assetId: 'btc',
  sector: 'l1',
} as const;
const USDC = {
  tokenAddress: '0xaf88d065e77c8cc2239327c5edb3a432268e5831',
  symbol: 'USDC',
  priceUsd: '1',
  assetId: 'usdc',
  sector: 'stablecoin',
} as const;

/** finance-methods §5.5: ETH 2 on Ethereum + 1 on Arbitrum, WBTC 0.15 and USDC 2,000 on Arbitrum. */
function portfolio(): Holding[] {
  return [
    holding({ chainIndex: '1', balance: '2' }),
    holding({ balance: '1' }),
    holding({ ...WBTC, balance: '0.15' }),
    holding({ ...USDC, balance: '2000' }),
  ];
}

describe('analyseDiversification', () => {
  it('reproduces the §6 worked numbers before rebalancing: 45/45/10', () => {
    const report = analyseDiversification([
      holding({ chainIndex: '1', balance: '2' }),
      holding({ balance: '1' }),
      holding({ ...WBTC, balance: '0.15' }),
      holding({ ...USDC, balance: '1500' }),
      holding({
        ...USDC,
        chainIndex: '8453',
        tokenAddress: '0x833589fcd6edb6e08f4c7c32d4f71b54bda02913',
        balance: '500',
      }),
    ]);
    expect(report.hhi).toBe('0.415');
    expect(report.effectiveAssets).toBe('2.409638554216867469879518072289156627');
    expect(toDecimal(report.effectiveAssets).round(2).toString()).toBe('2.41');
    expect(report.top1Share).toBe('0.45');
    expect(report.top3Share).toBe('1');
    expect(report.stablecoinShare).toBe('0.1');
    expect(report.sectors).toEqual([
      { sector: 'l1', share: '0.9' },
      { sector: 'stablecoin', share: '0.1' },
    ]);
    expect(report.chains).toEqual([
      { chainIndex: '42161', share: '0.675' },
      { chainIndex: '1', share: '0.3' },
      { chainIndex: '8453', share: '0.025' },
    ]);
    expect(report.flags).toEqual([
      { kind: 'sector-concentration', subject: 'l1', share: '0.9', threshold: '0.5' },
      {
        kind: 'low-gas-reserve',
        subject: '8453',
        threshold: '0.002',
        walletId: 'w1',
        walletAddress: '0xabc',
        nativeBalance: '0',
      },
    ]);
  });

  it.each([
    [
      'after to-band (50/35/15)',
      ['10000', '7000', '3000'],
      '0.395',
      '2.531645569620253164556962025316455696',
      '2.53',
      '0.15',
    ],
    [
      'after to-target (50/30/20)',
      ['10000', '6000', '4000'],
      '0.38',
      '2.631578947368421052631578947368421053',
      '2.63',
      '0.2',
    ],
  ])('reproduces the §6 worked numbers %s', (_state, [eth, btc, usdc], hhi, effective, rounded, stable) => {
    const report = analyseDiversification([
      holding({ balance: toDecimal(eth!).div(toDecimal('3000')).toString() }),
      holding({ ...WBTC, balance: toDecimal(btc!).div(toDecimal('60000')).toString() }),
      holding({ ...USDC, balance: usdc! }),
    ]);
    expect(toDecimal(report.hhi).round(30).toString()).toBe(hhi);
    expect(toDecimal(report.effectiveAssets).round(2).toString()).toBe(rounded);
    expect(toDecimal(report.effectiveAssets).round(30).eq(toDecimal(effective).round(30))).toBe(true);
    expect(toDecimal(report.stablecoinShare).round(30).toString()).toBe(stable);
    expect(toDecimal(report.top1Share).round(30).toString()).toBe('0.5');
  });

  it('returns zeros and no flags for an empty portfolio', () => {
    const empty = {
      hhi: '0',
      effectiveAssets: '0',
      top1Share: '0',
      top3Share: '0',
      stablecoinShare: '0',
      sectors: [],
      chains: [],
      flags: [],
    };
    expect(analyseDiversification([])).toEqual(empty);
    const onlyHidden = [holding({ isRiskToken: true }), holding({ priceUsd: undefined })];
    expect(analyseDiversification(onlyHidden)).toEqual(empty);
  });

  it('does not divide by zero when everything is priced at 0', () => {
    const report = analyseDiversification([holding({ priceUsd: '0' })]);
    expect(report).toMatchObject({ hhi: '0', effectiveAssets: '0', top1Share: '0', flags: [] });
    expect(report.chains).toEqual([{ chainIndex: '42161', share: '0' }]);
  });

  it('flags one dominant asset, not again its one-asset sector, and a dominant chain', () => {
    const report = analyseDiversification([holding({ balance: '3' }), holding({ ...USDC, balance: '1000' })]);
    expect(report.top1Share).toBe('0.9');
    expect(report.flags).toEqual([
      { kind: 'asset-concentration', subject: 'eth', share: '0.9', threshold: '0.5' },
      { kind: 'chain-concentration', subject: '42161', share: '1', threshold: '0.8' },
    ]);
  });

  it('flags a sector made of several assets', () => {
    const report = analyseDiversification([
      holding({ balance: '1' }),
      holding({
        chainIndex: '1',
        tokenAddress: '0x6982508145454ce325ddbe47a25d4ec3d2311933',
        symbol: 'PEPE',
        balance: '1',
        priceUsd: '3000',
        assetId: 'pepe',
        sector: 'meme',
      }),
      holding({
        chainIndex: '1',
        tokenAddress: '0x95ad61b0a150d79219dcf64e1e6cc01f0b64c4ce',
        symbol: 'SHIB',
        balance: '1',
        priceUsd: '3000',
        assetId: 'shib',
        sector: 'meme',
      }),
      holding({ chainIndex: '1', balance: '0.1' }),
    ]);
    expect(report.flags.filter((flag) => flag.kind !== 'low-gas-reserve')).toEqual([
      {
        kind: 'sector-concentration',
        subject: 'meme',
        share: '0.645161290322580645161290322580645161',
        threshold: '0.5',
      },
    ]);
  });

  it('never flags stablecoin or unmapped concentration', () => {
    const report = analyseDiversification(
      [
        holding({ ...USDC, balance: '9000' }),
        holding({
          tokenAddress: '0xaaa',
          symbol: 'AAA',
          balance: '1',
          priceUsd: '1000',
          assetId: '42161:0xaaa',
          sector: 'other',
        }),
        holding({ chainIndex: '1', balance: '0.1', priceUsd: '3000' }),
      ],
      { chainThreshold: '0.99' },
    );
    expect(report.stablecoinShare).toBe('0.873786407766990291262135922330097087');
    expect(report.flags.map((flag) => flag.kind)).toEqual(['low-gas-reserve']);
  });

  it('honours custom thresholds', () => {
    const report = analyseDiversification(portfolio(), {
      assetThreshold: '0.4',
      sectorThreshold: '0.95',
      chainThreshold: '0.5',
    });
    expect(report.flags.map((flag) => [flag.kind, flag.subject, flag.threshold])).toEqual([
      ['asset-concentration', 'btc', '0.4'],
      ['asset-concentration', 'eth', '0.4'],
      ['chain-concentration', '42161', '0.5'],
    ]);
  });

  it('flags low gas per wallet where tokens would be stuck, and not where the native coin covers the reserve', () => {
    const report = analyseDiversification(
      [
        holding({ balance: '0.01' }),
        holding({ ...USDC, balance: '100' }),
        holding({ ...USDC, walletId: 'w2', balance: '100' }),
        holding({ walletId: 'w2', balance: '0.001' }),
        holding({
          ...USDC,
          chainIndex: '137',
          tokenAddress: '0x3c499c542cef5e3811e1192ce70d8cc03d5c3359',
          balance: '50',
        }),
        holding({ chainIndex: '137', symbol: 'POL', balance: '10', priceUsd: '0.5', assetId: 'pol', sector: 'l2' }),
        // TON (607) is not a tracked chain, so it has no known reserve (Tron, 195, is tracked since issue 9).
        holding({ ...USDC, chainIndex: '607', tokenAddress: 'EQCx', balance: '50', assetId: '607:EQCx' }),
        holding({ ...USDC, chainIndex: '56', tokenAddress: '0x55d3', balance: '50', isRiskToken: true }),
        holding({ ...USDC, chainIndex: '10', tokenAddress: '0x0b2c', balance: '50', priceUsd: undefined }),
        holding({ ...USDC, chainIndex: '8453', tokenAddress: '0x8335', balance: '0' }),
      ],
      { chainThreshold: '1' },
    );
    // Wallet w2 on Arbitrum holds USDC and 0.001 ETH < the 0.002 reserve; w1 holds 0.01 ETH >= 0.002.
    expect(report.flags.filter((flag) => flag.kind === 'low-gas-reserve')).toEqual([
      {
        kind: 'low-gas-reserve',
        subject: '42161',
        threshold: '0.002',
        walletId: 'w2',
        walletAddress: ethHolding().walletAddress,
        nativeBalance: '0.001',
      },
    ]);
  });

  it('judges low gas per wallet × chain and names the wallet: another wallet holding 3,200 POL does not hide it', () => {
    const polygonUsdc = { ...USDC, chainIndex: '137', tokenAddress: '0x3c499c542cef5e3811e1192ce70d8cc03d5c3359' };
    const pol = {
      chainIndex: '137',
      tokenAddress: '',
      symbol: 'POL',
      priceUsd: '0.5',
      assetId: 'pol',
      sector: 'l2',
    } as const;
    const report = analyseDiversification(
      [
        holding({
          ...polygonUsdc,
          walletId: 'wa',
          walletAddress: '0xaaaa000000000000000000000000000000000001',
          balance: '500',
        }),
        holding({ ...pol, walletId: 'wa', walletAddress: '0xaaaa000000000000000000000000000000000001', balance: '0' }),
        holding({
          ...polygonUsdc,
          walletId: 'wb',
          walletAddress: '0xbbbb000000000000000000000000000000000002',
          balance: '500',
        }),
        holding({
          ...pol,
          walletId: 'wb',
          walletAddress: '0xbbbb000000000000000000000000000000000002',
          balance: '3200',
        }),
      ],
      { chainThreshold: '1' },
    );
    // Wallet wa: 0 POL < reserve; wallet wb: 3,200 POL >= reserve. Only wa is flagged, with its address.
    expect(report.flags.filter((flag) => flag.kind === 'low-gas-reserve')).toEqual([
      {
        kind: 'low-gas-reserve',
        subject: '137',
        threshold: expect.any(String),
        walletId: 'wa',
        walletAddress: '0xaaaa000000000000000000000000000000000001',
        nativeBalance: '0',
      },
    ]);
  });

  it('sorts sectors and chains by share, then by name', () => {
    const report = analyseDiversification([
      holding({ chainIndex: '10', balance: '1' }),
      holding({ chainIndex: '1', balance: '1' }),
      holding({ ...USDC, chainIndex: '1', balance: '3000' }),
    ]);
    expect(report.chains).toEqual([
      { chainIndex: '1', share: '0.666666666666666666666666666666666667' },
      { chainIndex: '10', share: '0.333333333333333333333333333333333333' },
    ]);
    expect(report.sectors.map((row) => row.sector)).toEqual(['l1', 'stablecoin']);
  });
});
