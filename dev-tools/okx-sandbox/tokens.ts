import { CHAINS } from './chains';

/** One token the sandbox knows. `address` follows the Balance API: '' for the native coin, EVM lower case. */
export interface TokenSpec {
  readonly chainIndex: string;
  readonly address: string;
  readonly symbol: string;
  readonly name: string;
  readonly decimals: number;
  /** USD price as a decimal string; undefined = the API has no price for it. */
  readonly priceUsd?: string;
  readonly liquidityUsd: string;
  readonly isRiskToken: boolean;
  readonly communityRecognized: boolean;
}

const NATIVE_PRICES: Record<string, string> = {
  ETH: '3120.55',
  BNB: '590.12',
  POL: '0.4512',
  OKB: '45.3',
  AVAX: '28.41',
  SOL: '150.25',
  TRX: '0.1215',
};

function token(
  chainIndex: string,
  address: string,
  symbol: string,
  name: string,
  decimals: number,
  priceUsd: string | undefined,
  liquidityUsd: string,
): TokenSpec {
  return {
    chainIndex,
    address: address.startsWith('0x') ? address.toLowerCase() : address,
    symbol,
    name,
    decimals,
    priceUsd,
    liquidityUsd,
    isRiskToken: false,
    communityRecognized: true,
  };
}

const natives: TokenSpec[] = CHAINS.map((chain) =>
  token(
    chain.chainIndex,
    '',
    chain.nativeSymbol,
    chain.nativeName,
    chain.nativeDecimals,
    NATIVE_PRICES[chain.nativeSymbol],
    '100000000',
  ),
);

/** Real contract addresses and decimals of well-known tokens. */
const wellKnown: TokenSpec[] = [
  token('1', '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48', 'USDC', 'USD Coin', 6, '0.9998', '80000000'),
  token('1', '0xdac17f958d2ee523a2206206994597c13d831ec7', 'USDT', 'Tether USD', 6, '1.0003', '80000000'),
  token('1', '0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2', 'WETH', 'Wrapped Ether', 18, '3120.55', '100000000'),
  token('1', '0x2260fac5e5542a773aa44fbcfedf7c193bc2c599', 'WBTC', 'Wrapped BTC', 8, '64012.5', '30000000'),
  token('1', '0x6b175474e89094c44da98b954eedeac495271d0f', 'DAI', 'Dai Stablecoin', 18, '1.0001', '20000000'),
  token('1', '0x514910771af9ca656af840dff83e8264ecf986ca', 'LINK', 'ChainLink Token', 18, '14.27', '5000000'),
  token('1', '0x1f9840a85d5af5bf1d1762f925bdaddc4201f984', 'UNI', 'Uniswap', 18, '7.52', '4000000'),
  token('10', '0x0b2c639c533813f4aa9d7837caf62653d097ff85', 'USDC', 'USD Coin', 6, '0.9998', '20000000'),
  token('10', '0x94b008aa00579c1307b0ef2c499ad98a8ce58e58', 'USDT', 'Tether USD', 6, '1.0003', '10000000'),
  token('10', '0x4200000000000000000000000000000000000006', 'WETH', 'Wrapped Ether', 18, '3120.55', '30000000'),
  token('10', '0x4200000000000000000000000000000000000042', 'OP', 'Optimism', 18, '1.71', '3000000'),
  token('56', '0x8ac76a51cc950d9822d68b83fe1ad97b32cd580d', 'USDC', 'Binance-Peg USD Coin', 18, '0.9998', '30000000'),
  token('56', '0x55d398326f99059ff775485246999027b3197955', 'USDT', 'Binance-Peg BSC-USD', 18, '1.0003', '60000000'),
  token(
    '56',
    '0x2170ed0880ac9a755fd29b2688956bd959f933f8',
    'ETH',
    'Binance-Peg Ethereum Token',
    18,
    '3120.55',
    '20000000',
  ),
  token(
    '56',
    '0x7130d2a12b9bcbfae4f2634d864a1ee1ce3ead9c',
    'BTCB',
    'Binance-Peg BTCB Token',
    18,
    '64012.5',
    '15000000',
  ),
  token('56', '0xbb4cdb9cbd36b01bd1cbaebf2de08d9173bc095c', 'WBNB', 'Wrapped BNB', 18, '590.12', '50000000'),
  token('137', '0x3c499c542cef5e3811e1192ce70d8cc03d5c3359', 'USDC', 'USD Coin', 6, '0.9998', '20000000'),
  token('137', '0xc2132d05d31c914a87c6611c10748aeb04b58e8f', 'USDT', '(PoS) Tether USD', 6, '1.0003', '20000000'),
  token('137', '0x7ceb23fd6bc0add59e62ac25578270cff1b9f619', 'WETH', 'Wrapped Ether', 18, '3120.55', '10000000'),
  token('137', '0x1bfd67037b42cf73acf2047067bd4f2c47d9bfd6', 'WBTC', '(PoS) Wrapped BTC', 8, '64012.5', '5000000'),
  token('137', '0x8f3cf7ad23cd3cadbd9735aff958023239c6a063', 'DAI', '(PoS) Dai Stablecoin', 18, '1.0001', '5000000'),
  token('8453', '0x833589fcd6edb6e08f4c7c32d4f71b54bda02913', 'USDC', 'USD Coin', 6, '0.9998', '40000000'),
  token('8453', '0x4200000000000000000000000000000000000006', 'WETH', 'Wrapped Ether', 18, '3120.55', '40000000'),
  token('8453', '0x50c5725949a6f0c72e6c4a641f24049a917db0cb', 'DAI', 'Dai Stablecoin', 18, '1.0001', '3000000'),
  token(
    '8453',
    '0xcbb7c0000ab88b473b1f5afd9ef808440eed33bf',
    'cbBTC',
    'Coinbase Wrapped BTC',
    8,
    '64010.1',
    '10000000',
  ),
  token('42161', '0xaf88d065e77c8cc2239327c5edb3a432268e5831', 'USDC', 'USD Coin', 6, '0.9998', '40000000'),
  token('42161', '0xfd086bc7cd5c481dcc9c85ebe478a1c0b69fcbb9', 'USDT', 'Tether USD', 6, '1.0003', '30000000'),
  token('42161', '0x82af49447d8a07e3bd95bd0d56f35241523fbab1', 'WETH', 'Wrapped Ether', 18, '3120.55', '50000000'),
  token('42161', '0x2f2a2543b76a4166549f7aab2e75bef0aefc5b0f', 'WBTC', 'Wrapped BTC', 8, '64012.5', '10000000'),
  token('42161', '0xda10009cbd5d07dd0cecc66161fc93d7c9000da1', 'DAI', 'Dai Stablecoin', 18, '1.0001', '5000000'),
  token('42161', '0x912ce59144191c1204e64559fe8253a0e49e6548', 'ARB', 'Arbitrum', 18, '0.8123', '8000000'),
  token('43114', '0xb97ef9ef8734c71904d8002f8b6bc66dd9c48a6e', 'USDC', 'USD Coin', 6, '0.9998', '10000000'),
  token('501', 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v', 'USDC', 'USD Coin', 6, '0.9998', '60000000'),
  token('195', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', 'USDT', 'Tether USD', 6, '1.0003', '90000000'),
  token('501', 'Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB', 'USDT', 'USDT', 6, '1.0003', '30000000'),
  token('501', 'So11111111111111111111111111111111111111112', 'wSOL', 'Wrapped SOL', 9, '150.25', '100000000'),
  token('501', 'JUPyiwrYJFskUPiHa7hkeR8VUtAeFoSYbKedZNsDvCN', 'JUP', 'Jupiter', 6, '0.9134', '6000000'),
  token('501', 'DezXAZ8z7PnrnRJjz3wXBoRgixCa6xjnB7YaB1pPB263', 'Bonk', 'Bonk', 5, '0.00002153', '2000000'),
];

/** Sandbox-only tokens: a spam airdrop (risk token) and a token nobody prices. */
export const SPAM_TOKEN: TokenSpec = {
  ...token(
    '1',
    '0x5a17f0000000000000000000000000000000dead',
    'CLAIM-ETH',
    'Visit claim-eth-reward.example to claim',
    18,
    '0.0000001',
    '5000',
  ),
  isRiskToken: true,
  communityRecognized: false,
};
export const BSC_SPAM_TOKEN: TokenSpec = {
  ...token(
    '56',
    '0x5a17f0000000000000000000000000000000beef',
    'USDT-AIRDROP',
    'Airdrop USDT claim-usdt.example',
    18,
    '0.0000003',
    '2000',
  ),
  isRiskToken: true,
  communityRecognized: false,
};
export const UNPRICED_TOKEN: TokenSpec = {
  ...token(
    '8453',
    '0x0000000000000000000000000000000000c0ffee',
    'NOPRICE',
    'Unpriced Sandbox Token',
    18,
    undefined,
    '0',
  ),
  communityRecognized: false,
};

export const CATALOG: readonly TokenSpec[] = [...natives, ...wellKnown, SPAM_TOKEN, BSC_SPAM_TOKEN, UNPRICED_TOKEN];
