import { UnsupportedChainError } from './errors';
import type { AddressFamily, ChainIndex, DecimalString } from './types';

export interface ChainInfo {
  chainIndex: string;
  /** What users see, in every message (the Report, /wallets, rebalance notes and previews). */
  name: string;
  family: AddressFamily;
  nativeSymbol: string;
  nativeDecimals: number;
  /** Canonical asset id of the native coin (ETH on every rollup is the same asset 'eth'). */
  nativeAssetId: string;
  /** Native units a rebalance never sells, so the wallet can still pay for the next transactions. */
  gasReserve: DecimalString;
  /** Lower-case friendly names accepted by resolveTrackedChains (besides chainIndex and name). */
  aliases: readonly string[];
}

/**
 * The chains we track (okx-api §5). Gas reserves are a few dollars' worth of the native coin: more on
 * Ethereum mainnet where one swap costs dollars, less on rollups where it costs cents.
 */
export const SUPPORTED_CHAINS: readonly ChainInfo[] = Object.freeze([
  evm('1', 'Ethereum', 'ETH', 'eth', '0.01', ['eth', 'ethereum', 'mainnet', 'ethereum mainnet']),
  evm('10', 'Optimism', 'ETH', 'eth', '0.002', ['op', 'optimism', 'op mainnet']),
  evm('56', 'BNB Chain', 'BNB', 'bnb', '0.01', ['bsc', 'bnb', 'bnb smart chain', 'binance', 'binance smart chain']),
  evm('137', 'Polygon', 'POL', 'pol', '5', ['polygon', 'pol', 'matic', 'polygon pos']),
  evm('324', 'zkSync Era', 'ETH', 'eth', '0.002', ['zksync', 'zksync era', 'era']),
  evm('8453', 'Base', 'ETH', 'eth', '0.002', ['base']),
  evm('42161', 'Arbitrum', 'ETH', 'eth', '0.002', ['arb', 'arbitrum', 'arbitrum one']),
  evm('43114', 'Avalanche', 'AVAX', 'avax', '0.1', ['avax', 'avalanche', 'avalanche c chain', 'c chain']),
  evm('59144', 'Linea', 'ETH', 'eth', '0.002', ['linea']),
  evm('81457', 'Blast', 'ETH', 'eth', '0.002', ['blast']),
  evm('534352', 'Scroll', 'ETH', 'eth', '0.002', ['scroll']),
  evm('5000', 'Mantle', 'MNT', 'mnt', '2', ['mantle', 'mnt']),
  evm('196', 'X Layer', 'OKB', 'okb', '0.01', ['xlayer', 'x layer', 'okb']),
  Object.freeze({
    chainIndex: '195',
    name: 'Tron',
    family: 'tron',
    nativeSymbol: 'TRX',
    nativeDecimals: 6,
    nativeAssetId: 'trx',
    // A TRC-20 transfer burns a few TRX of energy when the wallet has none staked.
    gasReserve: '20',
    aliases: ['tron', 'trx'],
  } satisfies ChainInfo),
  Object.freeze({
    chainIndex: '501',
    name: 'Solana',
    family: 'solana',
    nativeSymbol: 'SOL',
    nativeDecimals: 9,
    nativeAssetId: 'sol',
    gasReserve: '0.05',
    aliases: ['sol', 'solana'],
  } satisfies ChainInfo),
]);

function evm(
  chainIndex: string,
  name: string,
  nativeSymbol: string,
  nativeAssetId: string,
  gasReserve: string,
  aliases: string[],
): ChainInfo {
  return Object.freeze({
    chainIndex,
    name,
    family: 'evm',
    nativeSymbol,
    nativeDecimals: 18,
    nativeAssetId,
    gasReserve,
    aliases: Object.freeze(aliases),
  });
}

const BY_INDEX = new Map(SUPPORTED_CHAINS.map((chain) => [chain.chainIndex, chain]));

/** Spaces, dashes and underscores are ignored so 'X-Layer', 'x_layer' and 'xlayer' all match. */
function aliasKey(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '');
}

const BY_ALIAS = new Map<string, ChainInfo>();
for (const chain of SUPPORTED_CHAINS) {
  for (const alias of [chain.chainIndex, chain.name, ...chain.aliases]) BY_ALIAS.set(aliasKey(alias), chain);
}

export function chainInfo(chainIndex: ChainIndex): ChainInfo | undefined {
  return BY_INDEX.get(chainIndex);
}

/** The name users see for a chain; one we do not track shows its index. */
export function chainName(chainIndex: ChainIndex): string {
  return chainInfo(chainIndex)?.name ?? `chain ${chainIndex}`;
}

/** Finds a supported chain by index, name or alias, case-insensitively. */
export function findChain(nameOrIndex: string): ChainInfo | undefined {
  return BY_ALIAS.get(aliasKey(nameOrIndex));
}

export function chainsOfFamily(family: AddressFamily): ChainIndex[] {
  return SUPPORTED_CHAINS.filter((chain) => chain.family === family).map((chain) => chain.chainIndex);
}

/** Native units never sold by a rebalance; '0' for a chain we do not know (nothing to protect). */
export function gasReserveOf(chainIndex: ChainIndex): DecimalString {
  return chainInfo(chainIndex)?.gasReserve ?? '0';
}

export function isSupportedChain(chainIndex: ChainIndex): boolean {
  return BY_INDEX.has(chainIndex);
}

const FAMILY_LABEL: Record<AddressFamily, string> = {
  evm: 'an EVM (0x…) address',
  solana: 'a Solana address',
  tron: 'a Tron (T…) address',
};

/**
 * The chains to track for a new wallet. Nothing requested (undefined or empty) means every supported chain
 * of the address family. Requests are chain indexes, names or aliases ('eth', 'arb', 'bsc', 'sol', …);
 * duplicates collapse, the order of first mention is kept.
 */
export function resolveTrackedChains(family: AddressFamily, requested?: readonly string[]): ChainIndex[] {
  const wanted = (requested ?? []).filter((value) => value.trim() !== '');
  if (wanted.length === 0) return chainsOfFamily(family);
  const unknown = wanted.filter((value) => !findChain(value));
  if (unknown.length > 0) {
    const supported = SUPPORTED_CHAINS.filter((chain) => chain.family === family).map((chain) => chain.aliases[0]);
    throw new UnsupportedChainError(
      unknown,
      `unknown or unsupported chain: ${unknown.join(', ')}. Supported: ${supported.join(', ')}`,
    );
  }
  const chains = wanted.flatMap((value) => findChain(value) ?? []);
  const wrongFamily = chains.filter((chain) => chain.family !== family);
  if (wrongFamily.length > 0) {
    const names = [...new Set(wrongFamily.map((chain) => chain.name))];
    throw new UnsupportedChainError(
      [...new Set(wrongFamily.map((chain) => chain.chainIndex))],
      `${names.join(', ')} cannot hold ${FAMILY_LABEL[family]}; drop ${names.length > 1 ? 'them' : 'it'} or use a matching address`,
    );
  }
  return [...new Set(chains.map((chain) => chain.chainIndex))];
}
