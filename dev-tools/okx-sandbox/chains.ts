import { hashBytes } from './random';

export type ChainKind = 'evm' | 'solana' | 'tron';

export interface SandboxChain {
  readonly chainIndex: string;
  readonly name: string;
  readonly shortName: string;
  readonly kind: ChainKind;
  readonly nativeSymbol: string;
  readonly nativeName: string;
  readonly nativeDecimals: number;
  /** Legacy gas price in wei (EVM/Tron); Solana uses priority fees instead. */
  readonly gasPriceWei: string;
  readonly supportsEip1559: boolean;
  /** ERC-20 approve spender (aggregator supported/chain `dexTokenApproveAddress`); '' for non-EVM. */
  readonly approveAddress: string;
  /** Router contract swaps are sent to (`tx.to`). */
  readonly routerAddress: string;
  /** Whether generated portfolios place holdings here. */
  readonly isPortfolioChain: boolean;
}

export const EVM_NATIVE_PLACEHOLDER = '0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee';
export const SOLANA_NATIVE_PLACEHOLDER = '11111111111111111111111111111111';
/** Native TRX in the aggregator and market families (okx-api §5); '' in the balance API. */
export const TRON_NATIVE_PLACEHOLDER = 'T9yD14Nj9j7xAB4dbGeiX9h8unkKHxuWwb';
export const SOLANA_DEX_PROGRAM = '6m2CDdhRgxpH4WjvdzxAYbGxwdGUz5MziiL5jek2kBma';

/** Ethereum's spender and router are the real ones quoted in okx-api.md §9; the others are sandbox values. */
function contract(chainIndex: string, role: string): string {
  if (chainIndex === '1')
    return role === 'approve'
      ? '0x40aA958dd87FC8305b97f2BA922CDdCa374bcD7f'
      : '0x5E1f62Dac767b0491e3CE72469C217365D5B48cC';
  return `0x${hashBytes('okx-sandbox-contract', chainIndex, role).toString('hex').slice(0, 40)}`;
}

function evm(
  chainIndex: string,
  name: string,
  shortName: string,
  nativeSymbol: string,
  nativeName: string,
  gasPriceWei: string,
  isPortfolioChain: boolean,
): SandboxChain {
  return {
    chainIndex,
    name,
    shortName,
    kind: 'evm',
    nativeSymbol,
    nativeName,
    nativeDecimals: 18,
    gasPriceWei,
    supportsEip1559: chainIndex !== '56',
    approveAddress: contract(chainIndex, 'approve'),
    routerAddress: contract(chainIndex, 'router'),
    isPortfolioChain,
  };
}

export const CHAINS: readonly SandboxChain[] = [
  evm('1', 'Ethereum', 'ETH', 'ETH', 'Ethereum', '21289500000', true),
  evm('10', 'Optimism', 'OP', 'ETH', 'Ethereum', '1000000', true),
  evm('56', 'BNB Smart Chain', 'BSC', 'BNB', 'BNB', '1000000000', true),
  evm('137', 'Polygon', 'POLYGON', 'POL', 'Polygon Ecosystem Token', '30000000000', true),
  evm('196', 'X Layer', 'XLAYER', 'OKB', 'OKB', '20000000', false),
  evm('324', 'zkSync Era', 'ZKSYNC', 'ETH', 'Ethereum', '45250000', false),
  evm('8453', 'Base', 'BASE', 'ETH', 'Ethereum', '5000000', true),
  evm('42161', 'Arbitrum One', 'ARBITRUM', 'ETH', 'Ethereum', '10000000', true),
  evm('43114', 'Avalanche C-Chain', 'AVAX', 'AVAX', 'Avalanche', '25000000000', true),
  evm('59144', 'Linea', 'LINEA', 'ETH', 'Ethereum', '50000000', false),
  evm('81457', 'Blast', 'BLAST', 'ETH', 'Ethereum', '1000000', false),
  evm('534352', 'Scroll', 'SCROLL', 'ETH', 'Ethereum', '40000000', false),
  evm('5000', 'Mantle', 'MANTLE', 'MNT', 'Mantle', '20000000', false),
  {
    chainIndex: '501',
    name: 'Solana',
    shortName: 'SOL',
    kind: 'solana',
    nativeSymbol: 'SOL',
    nativeName: 'Solana',
    nativeDecimals: 9,
    gasPriceWei: '0',
    supportsEip1559: false,
    approveAddress: '',
    routerAddress: SOLANA_DEX_PROGRAM,
    isPortfolioChain: true,
  },
  {
    chainIndex: '195',
    name: 'Tron',
    shortName: 'TRON',
    kind: 'tron',
    nativeSymbol: 'TRX',
    nativeName: 'TRON',
    nativeDecimals: 6,
    gasPriceWei: '420',
    supportsEip1559: false,
    approveAddress: '',
    routerAddress: 'TPFLKCQS6J5ff97bFBNiY3VKamXxLJE4t2',
    isPortfolioChain: false,
  },
];

const BY_INDEX = new Map(CHAINS.map((chain) => [chain.chainIndex, chain]));

export function findChain(chainIndex: string): SandboxChain | undefined {
  return BY_INDEX.get(chainIndex);
}

/** Chains served by the aggregator and gateway (Tron is balance/market only in the sandbox). */
export function isTradeChain(chain: SandboxChain): boolean {
  return chain.kind !== 'tron';
}

export function logoUrl(symbol: string): string {
  return `https://static.okx.com/cdn/wallet/logo/${symbol.toUpperCase()}-sandbox.png`;
}

/**
 * The routers swaps are sent to, per trade chain, as `OKX_ROUTER_ALLOWLIST` wants them (`{chainIndex: [addresses]}`),
 * so the server's intent check accepts the sandbox's swaps (`npm start` and tests put this in the setting).
 */
export function routerAllowlist(): Record<string, string[]> {
  return Object.fromEntries(CHAINS.filter(isTradeChain).map((chain) => [chain.chainIndex, [chain.routerAddress]]));
}
