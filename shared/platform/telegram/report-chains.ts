/** Display names for the chains users meet most (okx-api §5); anything else shows its index. */
const CHAIN_NAMES: Readonly<Record<string, string>> = {
  '1': 'Ethereum',
  '10': 'Optimism',
  '56': 'BNB Chain',
  '137': 'Polygon',
  '195': 'Tron',
  '196': 'X Layer',
  '324': 'zkSync Era',
  '501': 'Solana',
  '5000': 'Mantle',
  '8453': 'Base',
  '42161': 'Arbitrum',
  '43114': 'Avalanche',
  '59144': 'Linea',
  '81457': 'Blast',
  '534352': 'Scroll',
};

export function chainName(chainIndex: string): string {
  return CHAIN_NAMES[chainIndex] ?? `chain ${chainIndex}`;
}
