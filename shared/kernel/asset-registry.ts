import { SUPPORTED_CHAINS } from './chains';
import type { Sector, TokenRef } from './types';

export interface AssetInfo {
  assetId: string;
  symbol: string;
  sector: Sector;
  /** Known for registry tokens; undefined for tokens we do not curate. */
  decimals?: number;
}

export interface RegistryToken extends TokenRef {
  assetId: string;
  /** The token's own symbol on that chain (WETH, USDC.e, BTCB), not the asset's. */
  symbol: string;
  decimals: number;
  sector: Sector;
}

/** [chainIndex, address, decimals, token symbol (defaults to the asset symbol)] */
type TokenRow = readonly [string, string, number, string?];

/**
 * The curated map: identity is chain + contract, never the symbol (anyone can deploy a token called USDC).
 * Decisions:
 * - Wrapped natives (WETH, WBNB, WPOL, WAVAX, wSOL, WMNT, WOKB) are the native asset: they are redeemable
 *   1:1 by contract, so holding WETH is economically holding ETH (the usual portfolio-app choice).
 * - Custodial/bridged BTC and ETH (WBTC, cbBTC, BTCB, BTC.b, Binance-Peg ETH, WETH.e, Wormhole WETH) are
 *   aggregated into 'btc' / 'eth' as well: users think of them as BTC / ETH exposure.
 * - Legacy bridged stablecoins on chains that also have native Circle/Tether tokens (USDC.e, USDbC, USDT.e)
 *   are their own assets: they are claims on a bridge, not on the issuer, can depeg separately
 *   (finance-methods §6: count depeg-prone bridged variants separately) and a rebalance to "USDC" must
 *   buy the native token. Where a chain has only one USDC/USDT (BSC, Mantle, X Layer, …) it is 'usdc'/'usdt'.
 * - Liquid-staking tokens are their own assets: their price drifts from ETH/SOL and they carry protocol risk.
 * - Per chain, rows are listed in buy preference: the native coin first, then the main token.
 */
const ASSETS: readonly { id: string; symbol: string; sector: Sector; tokens: readonly TokenRow[] }[] = [
  {
    id: 'eth',
    symbol: 'ETH',
    sector: 'l1',
    tokens: [
      ['1', '0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2', 18, 'WETH'],
      ['10', '0x4200000000000000000000000000000000000006', 18, 'WETH'],
      ['8453', '0x4200000000000000000000000000000000000006', 18, 'WETH'],
      ['42161', '0x82af49447d8a07e3bd95bd0d56f35241523fbab1', 18, 'WETH'],
      ['324', '0x5aea5775959fbc2557cc8789bc1bf90a239d9a91', 18, 'WETH'],
      ['59144', '0xe5d7c2a44ffddf6b295a15c148167daaaf5cf34f', 18, 'WETH'],
      ['81457', '0x4300000000000000000000000000000000000004', 18, 'WETH'],
      ['534352', '0x5300000000000000000000000000000000000004', 18, 'WETH'],
      ['137', '0x7ceb23fd6bc0add59e62ac25578270cff1b9f619', 18, 'WETH'],
      ['56', '0x2170ed0880ac9a755fd29b2688956bd959f933f8', 18, 'ETH'],
      ['43114', '0x49d5c2bdffac6ce2bfdb6640f4f80f226bc10bab', 18, 'WETH.e'],
      ['5000', '0xdeaddeaddeaddeaddeaddeaddeaddeaddead1111', 18, 'WETH'],
      ['196', '0x5a77f1443d16ee5761d310e38b62f77f726bc71c', 18, 'WETH'],
      ['501', '7vfCXTUXx5WJV5JADk17DUJ4ksgau7utNKj4b963voxs', 8, 'WETH'],
    ],
  },
  {
    id: 'btc',
    symbol: 'BTC',
    sector: 'l1',
    tokens: [
      ['1', '0x2260fac5e5542a773aa44fbcfedf7c193bc2c599', 8, 'WBTC'],
      ['1', '0xcbb7c0000ab88b473b1f5afd9ef808440eed33bf', 8, 'cbBTC'],
      ['8453', '0xcbb7c0000ab88b473b1f5afd9ef808440eed33bf', 8, 'cbBTC'],
      ['42161', '0x2f2a2543b76a4166549f7aab2e75bef0aefc5b0f', 8, 'WBTC'],
      ['10', '0x68f180fcce6836688e9084f035309e29bf0a2095', 8, 'WBTC'],
      ['137', '0x1bfd67037b42cf73acf2047067bd4f2c47d9bfd6', 8, 'WBTC'],
      ['56', '0x7130d2a12b9bcbfae4f2634d864a1ee1ce3ead9c', 18, 'BTCB'],
      ['43114', '0x152b9d0fdc40c096757f570a51e494bd4b943e50', 8, 'BTC.b'],
      ['43114', '0x50b7545627a5162f82a992c33b87adc75187b52b', 8, 'WBTC.e'],
      ['59144', '0x3aab2285ddcddad8edf438c1bab47e1a9d05a9b4', 8, 'WBTC'],
      ['501', 'cbbtcf3aa214zXHbiAZQwf4122FBYbraNdFqgw4iMij', 8, 'cbBTC'],
      ['501', '3NZ9JMVBmGAqocybic2c7LQCJScmgsAZ6vQqTDzcqmJh', 8, 'WBTC'],
    ],
  },
  {
    id: 'sol',
    symbol: 'SOL',
    sector: 'l1',
    tokens: [['501', 'So11111111111111111111111111111111111111112', 9, 'wSOL']],
  },
  { id: 'trx', symbol: 'TRX', sector: 'l1', tokens: [] },
  {
    id: 'avax',
    symbol: 'AVAX',
    sector: 'l1',
    tokens: [['43114', '0xb31f66aa3c1e785363f0875a1b74e27b85fd66c7', 18, 'WAVAX']],
  },
  // BNB and OKB: value driven by the exchange behind them (fee discounts, buy-backs) more than by their chains.
  {
    id: 'bnb',
    symbol: 'BNB',
    sector: 'exchange',
    tokens: [['56', '0xbb4cdb9cbd36b01bd1cbaebf2de08d9173bc095c', 18, 'WBNB']],
  },
  {
    id: 'okb',
    symbol: 'OKB',
    sector: 'exchange',
    tokens: [
      ['196', '0xe538905cf8410324e03a5a23c1c177a474d59b2b', 18, 'WOKB'],
      ['1', '0x75231f58b43240c9718dd58b4967c5114342a86c', 18],
    ],
  },
  {
    id: 'pol',
    symbol: 'POL',
    sector: 'l2',
    tokens: [
      ['137', '0x0d500b1d8e8ef31e21c99d1db9a6444d3adf1270', 18, 'WPOL'],
      ['1', '0x455e53cbb86018ac2b8092fdcd39d8444affc3f6', 18],
      ['1', '0x7d1afa7b718fb893db30a3abc0cfc608aacfebb0', 18, 'MATIC'],
    ],
  },
  {
    id: 'mnt',
    symbol: 'MNT',
    sector: 'l2',
    tokens: [
      ['5000', '0x78c1b0c915c4faa5fffa6cabf0219da63d7f4cb8', 18, 'WMNT'],
      ['1', '0x3c3a81e81dc49a522a592e7622a7e711c06bf354', 18],
    ],
  },
  {
    id: 'arb',
    symbol: 'ARB',
    sector: 'l2',
    tokens: [
      ['42161', '0x912ce59144191c1204e64559fe8253a0e49e6548', 18],
      ['1', '0xb50721bcf8d664c30412cfbc6cf7a15145234ad1', 18],
    ],
  },
  { id: 'op', symbol: 'OP', sector: 'l2', tokens: [['10', '0x4200000000000000000000000000000000000042', 18]] },
  { id: 'zk', symbol: 'ZK', sector: 'l2', tokens: [['324', '0x5a7d6b2f92c77fad6ccabd7ee0624e64907eaf3e', 18]] },
  {
    id: 'usdc',
    symbol: 'USDC',
    sector: 'stablecoin',
    tokens: [
      ['1', '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48', 6],
      ['10', '0x0b2c639c533813f4aa9d7837caf62653d097ff85', 6],
      ['56', '0x8ac76a51cc950d9822d68b83fe1ad97b32cd580d', 18],
      ['137', '0x3c499c542cef5e3811e1192ce70d8cc03d5c3359', 6],
      ['324', '0x1d17cbcf0d6d143135ae902365d2e5e2a16538d4', 6],
      ['8453', '0x833589fcd6edb6e08f4c7c32d4f71b54bda02913', 6],
      ['42161', '0xaf88d065e77c8cc2239327c5edb3a432268e5831', 6],
      ['43114', '0xb97ef9ef8734c71904d8002f8b6bc66dd9c48a6e', 6],
      ['59144', '0x176211869ca2b568f2a7d4ee941e073a821ee1ff', 6],
      ['534352', '0x06efdbff2a14a7c8e15944d1f4a48f9f95f663a4', 6],
      ['5000', '0x09bc4e0d864854c6afb6eb9a9cdf58ac190d0df9', 6],
      ['196', '0x74b7f16337b8972027f6196a17a631ac6de26d22', 6],
      ['501', 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v', 6],
    ],
  },
  {
    id: 'usdc-e',
    symbol: 'USDC.e',
    sector: 'stablecoin',
    tokens: [
      ['10', '0x7f5c764cbc14f9669b88837ca1490cca17c31607', 6],
      ['137', '0x2791bca1f2de4661ed88a30c99a7a9449aa84174', 6],
      ['42161', '0xff970a61a04b1ca14834a43f5de4533ebddb5cc8', 6],
      ['43114', '0xa7d7079b0fead91f3e65f86e8915cb59c1a4c664', 6],
      ['324', '0x3355df6d4c9c3035724fd0e3914de96a5a83aaf4', 6],
      ['8453', '0xd9aaec86b65d86f6a7b5b1b0c42ffa531710b6ca', 6, 'USDbC'],
    ],
  },
  {
    id: 'usdt',
    symbol: 'USDT',
    sector: 'stablecoin',
    tokens: [
      ['1', '0xdac17f958d2ee523a2206206994597c13d831ec7', 6],
      ['10', '0x94b008aa00579c1307b0ef2c499ad98a8ce58e58', 6],
      ['56', '0x55d398326f99059ff775485246999027b3197955', 18],
      ['137', '0xc2132d05d31c914a87c6611c10748aeb04b58e8f', 6],
      ['324', '0x493257fd37edb34451f62edf8d2a0c418852ba4c', 6],
      ['8453', '0xfde4c96c8593536e31f229ea8f37b2ada2699bb2', 6],
      ['42161', '0xfd086bc7cd5c481dcc9c85ebe478a1c0b69fcbb9', 6],
      ['43114', '0x9702230a8ea53601f5cd2dc00fdbc13d4df4a8c7', 6],
      ['195', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', 6],
      ['59144', '0xa219439258ca9da29e9cc4ce5596924745e12b93', 6],
      ['534352', '0xf55bec9cafdbe8730f096aa55dad6d22d44099df', 6],
      ['5000', '0x201eba5cc46d216ce6dc03f6a759e8e766e956ae', 6],
      ['5000', '0x779ded0c9e1022225f8e0630b35a9b54be713736', 6, 'USDT0'],
      ['196', '0x1e4a5963abfd975d8c9021ce480b42188849d41d', 6],
      ['196', '0x779ded0c9e1022225f8e0630b35a9b54be713736', 6, 'USDT0'],
      ['501', 'Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB', 6],
    ],
  },
  {
    id: 'usdt-e',
    symbol: 'USDT.e',
    sector: 'stablecoin',
    tokens: [['43114', '0xc7198437980c041c805a1edcba50c1ce5db95118', 6]],
  },
  {
    id: 'dai',
    symbol: 'DAI',
    sector: 'stablecoin',
    tokens: [
      ['1', '0x6b175474e89094c44da98b954eedeac495271d0f', 18],
      ['10', '0xda10009cbd5d07dd0cecc66161fc93d7c9000da1', 18],
      ['42161', '0xda10009cbd5d07dd0cecc66161fc93d7c9000da1', 18],
      ['8453', '0x50c5725949a6f0c72e6c4a641f24049a917db0cb', 18],
      ['137', '0x8f3cf7ad23cd3cadbd9735aff958023239c6a063', 18],
      ['56', '0x1af3f329e8be154074d8769d1ffa4ee058b1dbc3', 18],
      ['43114', '0xd586e7f844cea2f87f50152665bcbc2c279d8d70', 18, 'DAI.e'],
      ['59144', '0x4af15ec2a0bd43db75dd04e62faa3b8ef36b00d5', 18],
    ],
  },
  {
    id: 'usdb',
    symbol: 'USDB',
    sector: 'stablecoin',
    tokens: [['81457', '0x4300000000000000000000000000000000000003', 18]],
  },
  {
    id: 'steth',
    symbol: 'stETH',
    sector: 'liquid-staking',
    tokens: [['1', '0xae7ab96520de3a18e5e111b5eaab095312d7fe84', 18]],
  },
  {
    id: 'wsteth',
    symbol: 'wstETH',
    sector: 'liquid-staking',
    tokens: [
      ['1', '0x7f39c581f595b53c5cb19bd0b3f8da6c935e2ca0', 18],
      ['42161', '0x5979d7b546e38e414f7e9822514be443a4800529', 18],
      ['10', '0x1f32b1c2345538c0c6f582fcb022739c4a194ebb', 18],
      ['8453', '0xc1cba3fcea344f92d9239c08c0568f6f2f0ee452', 18],
      ['137', '0x03b54a6e9a984069379fae1a4fc4dbae93b3bccd', 18],
    ],
  },
  {
    id: 'reth',
    symbol: 'rETH',
    sector: 'liquid-staking',
    tokens: [
      ['1', '0xae78736cd615f374d3085123a210448e74fc6393', 18],
      ['42161', '0xec70dcb4a1efa46b8f2d97c310c9c4790ba5ffa8', 18],
      ['10', '0x9bcef72be871e61ed4fbbc7630889bee758eb81d', 18],
      ['8453', '0xb6fe221fe9eef5aba221c348ba20a1bf5e73624c', 18],
    ],
  },
  {
    id: 'cbeth',
    symbol: 'cbETH',
    sector: 'liquid-staking',
    tokens: [
      ['1', '0xbe9895146f7af43049ca1c1ae358b0541ea49704', 18],
      ['8453', '0x2ae3f1ec7f1f5012cfeab0185bfc7aa3cf0dec22', 18],
    ],
  },
  {
    id: 'meth',
    symbol: 'mETH',
    sector: 'liquid-staking',
    tokens: [
      ['1', '0xd5f7838f5c461feff7fe49ea5ebaf7728bb0adfa', 18],
      ['5000', '0xcda86a272531e8640cd7f1a92c01839911b90bb0', 18],
    ],
  },
  {
    id: 'savax',
    symbol: 'sAVAX',
    sector: 'liquid-staking',
    tokens: [['43114', '0x2b2c81e08f1af8835a78bb2a90ae924ace0ea4be', 18]],
  },
  {
    id: 'jitosol',
    symbol: 'JitoSOL',
    sector: 'liquid-staking',
    tokens: [['501', 'J1toso1uCk3RLmjorhTtrVwY9HJ7X8V9yYac6Y7kGCPn', 9]],
  },
  {
    id: 'msol',
    symbol: 'mSOL',
    sector: 'liquid-staking',
    tokens: [['501', 'mSoLzYCxHdYgdzU16g5QSh3i5K3z3KZK7ytfqcJm7So', 9]],
  },
  {
    id: 'uni',
    symbol: 'UNI',
    sector: 'defi',
    tokens: [
      ['1', '0x1f9840a85d5af5bf1d1762f925bdaddc4201f984', 18],
      ['42161', '0xfa7f8980b0f1e64a2062791cc3b0871572f1f7f0', 18],
      ['137', '0xb33eaad8d922b1083446dc23f610c2567fb5180f', 18],
      ['56', '0xbf5140a22578168fd562dccf235e5d43a02ce9b1', 18],
    ],
  },
  {
    id: 'aave',
    symbol: 'AAVE',
    sector: 'defi',
    tokens: [
      ['1', '0x7fc66500c84a76ad7e9c93437bfc5ac33e2ddae9', 18],
      ['137', '0xd6df932a45c0f255f85145f286ea0b292b21c90b', 18],
      ['42161', '0xba5ddd1f9d7f570dc94a51479a000e3bce967196', 18],
      ['56', '0xfb6115445bff7b52feb98650c87f44907e58f802', 18],
    ],
  },
  // Oracle network, grouped with DeFi: it lives off DeFi usage and our sector list has no 'infrastructure'.
  {
    id: 'link',
    symbol: 'LINK',
    sector: 'defi',
    tokens: [
      ['1', '0x514910771af9ca656af840dff83e8264ecf986ca', 18],
      ['42161', '0xf97f4df75117a78c1a5a0dbb814af92458539fb4', 18],
      ['137', '0x53e0bca35ec356bd5dddfebbd1fc0fd03fabad39', 18],
      ['10', '0x350a791bfc2c21f9ed5d10980dad2e2638ffa7f6', 18],
      ['56', '0xf8a0bf9cf54bb92f17374d9e9a321e6a111a51bd', 18],
      ['8453', '0x88fb150bdc53a65fe94dea0c9ba0a6daf8c6e196', 18],
      ['43114', '0x5947bb275c521040051d82396192181b413227a3', 18, 'LINK.e'],
    ],
  },
  {
    id: 'crv',
    symbol: 'CRV',
    sector: 'defi',
    tokens: [
      ['1', '0xd533a949740bb3306d119cc777fa900ba034cd52', 18],
      ['42161', '0x11cdb42b0eb46d95f990bedd4695a6e3fa034978', 18],
      ['137', '0x172370d5cd63279efa6d502dab29171933a610af', 18],
    ],
  },
  {
    id: 'ldo',
    symbol: 'LDO',
    sector: 'defi',
    tokens: [
      ['1', '0x5a98fcbea516cf06857215779fd812ca3bef1b32', 18],
      ['42161', '0x13ad51ed4f1b7e9dc168d8a00cb3f4ddd85efa60', 18],
    ],
  },
  { id: 'gmx', symbol: 'GMX', sector: 'defi', tokens: [['42161', '0xfc5a1a6eb076a2c7ad06ed22c90d7e710e35ad0a', 18]] },
  { id: 'cake', symbol: 'CAKE', sector: 'defi', tokens: [['56', '0x0e09fabb73bd3ade0a17ecc321fd13a19e81ce82', 18]] },
  { id: 'aero', symbol: 'AERO', sector: 'defi', tokens: [['8453', '0x940181a94a35a4569e4529a3cdfb74e38fd98631', 18]] },
  { id: 'jup', symbol: 'JUP', sector: 'defi', tokens: [['501', 'JUPyiwrYJFskUPiHa7hkeR8VUtAeFoSYbKedZNsDvCN', 6]] },
  { id: 'ray', symbol: 'RAY', sector: 'defi', tokens: [['501', '4k3Dyjzvzp8eMZWUXbBCjEvwSkkk59S5iCNLY3QrkX6R', 6]] },
  { id: 'jto', symbol: 'JTO', sector: 'defi', tokens: [['501', 'jtojtomepa8beP8AuQc6eXt5FriJwfFMwQx2v2f9mCL', 9]] },
  { id: 'pepe', symbol: 'PEPE', sector: 'meme', tokens: [['1', '0x6982508145454ce325ddbe47a25d4ec3d2311933', 18]] },
  { id: 'shib', symbol: 'SHIB', sector: 'meme', tokens: [['1', '0x95ad61b0a150d79219dcf64e1e6cc01f0b64c4ce', 18]] },
  { id: 'doge', symbol: 'DOGE', sector: 'meme', tokens: [['56', '0xba2ae424d960c26247dd6c32edc70b295c744c43', 8]] },
  { id: 'bonk', symbol: 'BONK', sector: 'meme', tokens: [['501', 'DezXAZ8z7PnrnRJjz3wXBoRgixCa6xjnB7YaB1pPB263', 5]] },
  { id: 'wif', symbol: 'WIF', sector: 'meme', tokens: [['501', 'EKpQGSJtjMFqKZ9KQanSqYXRcF8fBopzLHYxdM65zcjm', 6]] },
  { id: 'ondo', symbol: 'ONDO', sector: 'rwa', tokens: [['1', '0xfaba6f8e4a5e8ab82f62fe7c39859fa577269be3', 18]] },
];

const BY_ID = new Map(ASSETS.map((asset) => [asset.id, asset]));
const BY_TOKEN = new Map<string, RegistryToken>();
const TOKENS_OF = new Map<string, RegistryToken[]>();

function register(token: RegistryToken): void {
  BY_TOKEN.set(tokenKey(token), token);
  TOKENS_OF.set(token.assetId, [...(TOKENS_OF.get(token.assetId) ?? []), token]);
}

for (const chain of SUPPORTED_CHAINS) {
  const asset = BY_ID.get(chain.nativeAssetId);
  if (asset)
    register({
      chainIndex: chain.chainIndex,
      tokenAddress: '',
      assetId: asset.id,
      symbol: chain.nativeSymbol,
      decimals: chain.nativeDecimals,
      sector: asset.sector,
    });
}
for (const asset of ASSETS) {
  for (const [chainIndex, tokenAddress, decimals, symbol] of asset.tokens) {
    register({
      chainIndex,
      tokenAddress,
      assetId: asset.id,
      symbol: symbol ?? asset.symbol,
      decimals,
      sector: asset.sector,
    });
  }
}

/** EVM addresses compare case-insensitively; Solana mints are case-sensitive base58. */
function normaliseAddress(tokenAddress: string): string {
  const trimmed = tokenAddress.trim();
  return /^0x[0-9a-fA-F]+$/.test(trimmed) ? trimmed.toLowerCase() : trimmed;
}

function tokenKey(ref: TokenRef): string {
  return `${ref.chainIndex}:${normaliseAddress(ref.tokenAddress)}`;
}

export function registryToken(ref: TokenRef): RegistryToken | undefined {
  return BY_TOKEN.get(tokenKey(ref));
}

/**
 * The canonical asset of a token. Unmapped tokens are their own asset, keyed `${chainIndex}:${tokenAddress}`,
 * sector 'other', with the symbol the caller saw: a token merely *called* USDC is not USDC.
 */
export function identifyAsset(ref: TokenRef, symbol: string): AssetInfo {
  const known = registryToken(ref);
  if (known)
    return {
      assetId: known.assetId,
      symbol: assetSymbolOf(known.assetId),
      sector: known.sector,
      decimals: known.decimals,
    };
  return { assetId: tokenKey(ref), symbol, sector: 'other' };
}

/** Canonical tokens of an asset on every chain (natives first per chain): what to buy when the user holds none. */
export function registryTokensOf(assetId: string): readonly RegistryToken[] {
  return TOKENS_OF.get(assetId) ?? [];
}

export function isRegistryAsset(assetId: string): boolean {
  return BY_ID.has(assetId);
}

export function registryAssetInfo(assetId: string): AssetInfo | undefined {
  const asset = BY_ID.get(assetId);
  return asset && { assetId: asset.id, symbol: asset.symbol, sector: asset.sector };
}

/**
 * Registry assets a user may mean by a symbol, case-insensitively: the asset symbol or id ('ETH', 'usdc-e')
 * first; failing that, a token symbol ('WETH' → ETH, 'USDbC' → USDC.e).
 */
export function findAssetsBySymbol(symbol: string): AssetInfo[] {
  const wanted = symbol.trim().toLowerCase();
  const direct = ASSETS.filter((asset) => asset.symbol.toLowerCase() === wanted || asset.id === wanted);
  const matches =
    direct.length > 0
      ? direct
      : ASSETS.filter((asset) => registryTokensOf(asset.id).some((token) => token.symbol.toLowerCase() === wanted));
  return matches.map((asset) => ({ assetId: asset.id, symbol: asset.symbol, sector: asset.sector }));
}

/** Display symbol of a registry asset; an unmapped asset id (a token key) is returned as is. */
export function assetSymbolOf(assetId: string): string {
  return BY_ID.get(assetId)?.symbol ?? assetId;
}
