import { describe, expect, it } from 'vitest';
import { base58 } from '@scure/base';
import {
  assetSymbolOf,
  findAssetsBySymbol,
  identifyAsset,
  isRegistryAsset,
  registryAssetInfo,
  registryToken,
  registryTokensOf,
} from '../../../shared/kernel/asset-registry';
import { chainInfo, SUPPORTED_CHAINS } from '../../../shared/kernel/chains';

const USDC_ETHEREUM = '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48';
const ALL_ASSETS = [
  'eth',
  'btc',
  'sol',
  'avax',
  'bnb',
  'okb',
  'pol',
  'mnt',
  'arb',
  'op',
  'zk',
  'usdc',
  'usdc-e',
  'usdt',
  'usdt-e',
  'dai',
  'usdb',
  'steth',
  'wsteth',
  'reth',
  'cbeth',
  'meth',
  'savax',
  'jitosol',
  'msol',
  'uni',
  'aave',
  'link',
  'crv',
  'ldo',
  'gmx',
  'cake',
  'aero',
  'jup',
  'ray',
  'jto',
  'pepe',
  'shib',
  'doge',
  'bonk',
  'wif',
  'ondo',
];

describe('asset registry', () => {
  it('aggregates the same token across chains by contract', () => {
    for (const [chainIndex, tokenAddress] of [
      ['1', USDC_ETHEREUM],
      ['8453', '0x833589fcd6edb6e08f4c7c32d4f71b54bda02913'],
      ['42161', '0xaf88d065e77c8cc2239327c5edb3a432268e5831'],
      ['501', 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v'],
    ]) {
      expect(identifyAsset({ chainIndex: chainIndex!, tokenAddress: tokenAddress! }, 'USDC')).toEqual({
        assetId: 'usdc',
        symbol: 'USDC',
        sector: 'stablecoin',
        decimals: 6,
      });
    }
    expect(
      identifyAsset({ chainIndex: '56', tokenAddress: '0x8ac76a51cc950d9822d68b83fe1ad97b32cd580d' }, 'USDC').decimals,
    ).toBe(18);
  });

  it('maps native coins of every supported chain to their canonical asset', () => {
    for (const chain of SUPPORTED_CHAINS) {
      expect(identifyAsset({ chainIndex: chain.chainIndex, tokenAddress: '' }, chain.nativeSymbol)).toMatchObject({
        assetId: chain.nativeAssetId,
        decimals: chain.nativeDecimals,
      });
    }
    expect(identifyAsset({ chainIndex: '42161', tokenAddress: '' }, 'ETH')).toEqual({
      assetId: 'eth',
      symbol: 'ETH',
      sector: 'l1',
      decimals: 18,
    });
    expect(identifyAsset({ chainIndex: '196', tokenAddress: '' }, 'OKB').sector).toBe('exchange');
  });

  it('treats wrapped natives and wrapped BTC as the underlying asset', () => {
    expect(
      identifyAsset({ chainIndex: '1', tokenAddress: '0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2' }, 'WETH'),
    ).toMatchObject({ assetId: 'eth', symbol: 'ETH' });
    expect(
      identifyAsset({ chainIndex: '501', tokenAddress: 'So11111111111111111111111111111111111111112' }, 'wSOL').assetId,
    ).toBe('sol');
    expect(
      identifyAsset({ chainIndex: '56', tokenAddress: '0x7130d2a12b9bcbfae4f2634d864a1ee1ce3ead9c' }, 'BTCB'),
    ).toMatchObject({ assetId: 'btc', decimals: 18 });
    expect(
      identifyAsset({ chainIndex: '8453', tokenAddress: '0xcbb7c0000ab88b473b1f5afd9ef808440eed33bf' }, 'cbBTC')
        .assetId,
    ).toBe('btc');
  });

  it('keeps bridged USDC.e and liquid-staking tokens as their own assets', () => {
    expect(
      identifyAsset({ chainIndex: '42161', tokenAddress: '0xff970a61a04b1ca14834a43f5de4533ebddb5cc8' }, 'USDC.e'),
    ).toMatchObject({ assetId: 'usdc-e', sector: 'stablecoin' });
    expect(
      identifyAsset({ chainIndex: '1', tokenAddress: '0xae7ab96520de3a18e5e111b5eaab095312d7fe84' }, 'stETH'),
    ).toMatchObject({ assetId: 'steth', sector: 'liquid-staking' });
    expect(
      identifyAsset({ chainIndex: '501', tokenAddress: 'J1toso1uCk3RLmjorhTtrVwY9HJ7X8V9yYac6Y7kGCPn' }, 'JitoSOL')
        .assetId,
    ).toBe('jitosol');
  });

  it('compares EVM contracts case-insensitively but Solana mints exactly', () => {
    expect(
      identifyAsset({ chainIndex: '1', tokenAddress: '0xA0b86991c6218b36c1d19d4a2e9eB0cE3606eB48' }, 'USDC').assetId,
    ).toBe('usdc');
    expect(
      identifyAsset({ chainIndex: '501', tokenAddress: 'epjfwdd5aufqssqem2qn1xzybapc8g4wegGkzwytdt1v' }, 'USDC')
        .assetId,
    ).toBe('501:epjfwdd5aufqssqem2qn1xzybapc8g4wegGkzwytdt1v');
  });

  it('never identifies by symbol: an unknown token called USDC is its own asset', () => {
    expect(
      identifyAsset({ chainIndex: '1', tokenAddress: '0x1111111111111111111111111111111111111111' }, 'USDC'),
    ).toEqual({
      assetId: '1:0x1111111111111111111111111111111111111111',
      symbol: 'USDC',
      sector: 'other',
    });
    expect(
      identifyAsset({ chainIndex: '1', tokenAddress: '0xABCDEF0000000000000000000000000000000000' }, 'X').assetId,
    ).toBe('1:0xabcdef0000000000000000000000000000000000');
    // The native coin of a chain we do not track (TON, 607) is its own asset; Tron's TRX is tracked since issue 9.
    expect(identifyAsset({ chainIndex: '607', tokenAddress: '' }, 'TON')).toEqual({
      assetId: '607:',
      symbol: 'TON',
      sector: 'other',
    });
    expect(identifyAsset({ chainIndex: '8453', tokenAddress: USDC_ETHEREUM }, 'USDC').assetId).toBe(
      `8453:${USDC_ETHEREUM}`,
    );
  });

  it('lists the canonical tokens of an asset per chain, natives first', () => {
    const eth = registryTokensOf('eth');
    expect(eth[0]).toEqual({
      chainIndex: '1',
      tokenAddress: '',
      assetId: 'eth',
      symbol: 'ETH',
      decimals: 18,
      sector: 'l1',
    });
    expect(eth.filter((token) => token.tokenAddress === '').map((token) => token.chainIndex)).toEqual([
      '1',
      '10',
      '324',
      '8453',
      '42161',
      '59144',
      '81457',
      '534352',
    ]);
    const onArbitrum = eth.filter((token) => token.chainIndex === '42161');
    expect(onArbitrum.map((token) => token.symbol)).toEqual(['ETH', 'WETH']);
    expect(registryTokensOf('usdc').find((token) => token.chainIndex === '8453')).toMatchObject({
      tokenAddress: '0x833589fcd6edb6e08f4c7c32d4f71b54bda02913',
      decimals: 6,
    });
    expect(registryTokensOf('usdc-e').find((token) => token.chainIndex === '8453')?.symbol).toBe('USDbC');
    expect(registryTokensOf('1:0xabc')).toEqual([]);
  });

  it('looks a registry token up by reference', () => {
    expect(
      registryToken({ chainIndex: '10', tokenAddress: '0x4200000000000000000000000000000000000042' }),
    ).toMatchObject({ assetId: 'op', symbol: 'OP', sector: 'l2' });
    expect(
      registryToken({ chainIndex: '10', tokenAddress: '0x0000000000000000000000000000000000000042' }),
    ).toBeUndefined();
  });

  it.each([
    ['eth', ['eth']],
    ['ETH', ['eth']],
    ['Usdc', ['usdc']],
    ['usdc.e', ['usdc-e']],
    ['usdc-e', ['usdc-e']],
    ['WETH', ['eth']],
    ['wbtc', ['btc']],
    ['USDbC', ['usdc-e']],
    ['jitosol', ['jitosol']],
    [' link ', ['link']],
    ['nope', []],
  ])('finds registry assets for the symbol %j', (symbol, ids) => {
    expect(findAssetsBySymbol(symbol).map((asset) => asset.assetId)).toEqual(ids);
  });

  it('gives display symbols and asset info', () => {
    expect(assetSymbolOf('usdc-e')).toBe('USDC.e');
    expect(assetSymbolOf('jitosol')).toBe('JitoSOL');
    expect(assetSymbolOf('1:0xabc')).toBe('1:0xabc');
    expect(isRegistryAsset('btc')).toBe(true);
    expect(isRegistryAsset('1:')).toBe(false);
    expect(registryAssetInfo('link')).toEqual({ assetId: 'link', symbol: 'LINK', sector: 'defi' });
    expect(registryAssetInfo('zzz')).toBeUndefined();
  });

  it('holds only well-formed contracts on supported chains, each mapped to one asset', () => {
    const seen = new Map<string, string>();
    for (const assetId of ALL_ASSETS) {
      const tokens = registryTokensOf(assetId);
      expect(tokens.length, assetId).toBeGreaterThan(0);
      for (const token of tokens) {
        const info = chainInfo(token.chainIndex);
        expect(info, `${assetId} on ${token.chainIndex}`).toBeDefined();
        if (token.tokenAddress === '') continue;
        if (info!.family === 'evm') expect(token.tokenAddress).toMatch(/^0x[0-9a-f]{40}$/);
        // A Tron contract is base58check: 21 bytes from 0x41 plus a 4-byte checksum.
        else if (info!.family === 'tron')
          expect([...base58.decode(token.tokenAddress).slice(0, 1), base58.decode(token.tokenAddress).length]).toEqual([
            0x41, 25,
          ]);
        else expect(base58.decode(token.tokenAddress)).toHaveLength(32);
        const key = `${token.chainIndex}:${token.tokenAddress}`;
        expect(seen.get(key), key).toBeUndefined();
        seen.set(key, assetId);
      }
    }
  });
});
