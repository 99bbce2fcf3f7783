import type { ChainIndex } from '../../kernel/types';

export const EVM_NATIVE_PLACEHOLDER = '0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee';
export const SOLANA_CHAIN = '501';
export const SOLANA_NATIVE_PLACEHOLDER = '11111111111111111111111111111111';
/** Market price and candles do not serve native SOL (okx-api §5); wSOL has the same price and decimals. */
export const WRAPPED_SOL_MINT = 'So11111111111111111111111111111111111111112';

/** Aggregator native placeholders for the non-EVM chains (okx-api §5). */
const NON_EVM_NATIVE: Readonly<Record<ChainIndex, string>> = {
  [SOLANA_CHAIN]: SOLANA_NATIVE_PLACEHOLDER,
  '195': 'T9yD14Nj9j7xAB4dbGeiX9h8unkKHxuWwb',
  '607': 'EQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAM9c',
  '784': '0x2::sui::SUI',
};

const EVM_ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** Project vocabulary: EVM lower-case, everything else as is. */
export function normalizeTokenAddress(address: string): string {
  return isEvmAddress(address) ? address.toLowerCase() : address;
}

export function isEvmAddress(address: string): boolean {
  return EVM_ADDRESS.test(address);
}

/** '' (native) to the aggregator's placeholder for that chain. */
export function toAggregatorAddress(chainIndex: ChainIndex, tokenAddress: string): string {
  if (tokenAddress !== '') return tokenAddress;
  return NON_EVM_NATIVE[chainIndex] ?? EVM_NATIVE_PLACEHOLDER;
}

/** The aggregator's placeholder back to '' ; other addresses normalised. */
export function fromAggregatorAddress(chainIndex: ChainIndex, tokenAddress: string): string {
  if (tokenAddress.toLowerCase() === EVM_NATIVE_PLACEHOLDER || tokenAddress === NON_EVM_NATIVE[chainIndex]) return '';
  return normalizeTokenAddress(tokenAddress);
}

/**
 * Address to send to the market family (price, candles, historical candles, token basic-info): never '' (the
 * real API answers 50014 on candles). EVM natives go as the lower-case 0xeeee… placeholder and native SOL as
 * the wSOL mint (okx-api §5, §7.2; OKX's CLI `onchainos market price --address 0xeeee…`). Other non-EVM natives
 * (Tron, TON, Sui) as their aggregator placeholder, the only non-empty form OKX documents for them.
 */
export function toMarketAddress(chainIndex: ChainIndex, tokenAddress: string): string {
  if (tokenAddress !== '') return normalizeTokenAddress(tokenAddress);
  if (chainIndex === SOLANA_CHAIN) return WRAPPED_SOL_MINT;
  return NON_EVM_NATIVE[chainIndex] ?? EVM_NATIVE_PLACEHOLDER;
}

/** Key used to match batch answers to requests: chainIndex + lower-cased address, placeholders as ''. */
export function marketKey(chainIndex: ChainIndex, tokenAddress: string): string {
  const address = tokenAddress.toLowerCase();
  return `${chainIndex}:${address === EVM_NATIVE_PLACEHOLDER ? '' : address}`;
}
