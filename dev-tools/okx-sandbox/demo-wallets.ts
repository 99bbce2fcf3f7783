import { base58 } from '@scure/base';
import { hashBytes } from './random';
import { BSC_SPAM_TOKEN, SPAM_TOKEN, UNPRICED_TOKEN } from './tokens';

export interface DemoWallet {
  readonly name: string;
  readonly address: string;
  readonly kind: 'evm' | 'solana';
  readonly description: string;
}

/** [chainIndex, token address ('' = native), balance in UI units] */
export type DemoHolding = readonly [string, string, string];

interface DemoWalletSpec extends Omit<DemoWallet, 'address'> {
  readonly holdings: readonly DemoHolding[];
}

const SPECS: readonly DemoWalletSpec[] = [
  {
    name: 'whale',
    kind: 'evm',
    description: 'Large multi-chain EVM portfolio: blue chips and stablecoins on 1, 10, 56, 137, 8453, 42161, 43114',
    holdings: [
      ['1', '', '12.5'],
      ['1', '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48', '250000.123456'],
      ['1', '0x2260fac5e5542a773aa44fbcfedf7c193bc2c599', '3.25'],
      ['1', '0x514910771af9ca656af840dff83e8264ecf986ca', '1500'],
      ['1', '0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2', '4.2'],
      ['10', '', '1.1'],
      ['10', '0x4200000000000000000000000000000000000042', '2500'],
      ['56', '', '20.75'],
      ['56', '0x55d398326f99059ff775485246999027b3197955', '12000'],
      ['137', '', '3200'],
      ['137', '0x3c499c542cef5e3811e1192ce70d8cc03d5c3359', '8000.5'],
      ['8453', '', '2.4'],
      ['8453', '0x833589fcd6edb6e08f4c7c32d4f71b54bda02913', '15000'],
      ['8453', '0xcbb7c0000ab88b473b1f5afd9ef808440eed33bf', '0.5'],
      ['42161', '', '5'],
      ['42161', '0xaf88d065e77c8cc2239327c5edb3a432268e5831', '30000'],
      ['42161', '0x912ce59144191c1204e64559fe8253a0e49e6548', '10000'],
      ['43114', '', '150'],
    ],
  },
  {
    name: 'degen',
    kind: 'evm',
    description: 'Risk tokens, an unpriced token and 18-decimal dust next to a few real holdings',
    holdings: [
      ['1', '', '0.042'],
      ['1', SPAM_TOKEN.address, '1000000'],
      ['1', '0x1f9840a85d5af5bf1d1762f925bdaddc4201f984', '120.5'],
      ['56', '', '0.3'],
      ['56', BSC_SPAM_TOKEN.address, '5000'],
      ['8453', UNPRICED_TOKEN.address, '424242.424242424242424242'],
      ['8453', '', '0.000000000000000042'],
      ['137', '0x8f3cf7ad23cd3cadbd9735aff958023239c6a063', '0.000000000000001234'],
      ['137', '', '0.000000000000000001'],
      ['42161', '0xaf88d065e77c8cc2239327c5edb3a432268e5831', '12.34'],
    ],
  },
  {
    name: 'stable-saver',
    kind: 'evm',
    description: 'Stablecoins spread over five chains (good for rebalancing)',
    holdings: [
      ['1', '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48', '5000'],
      ['1', '0x6b175474e89094c44da98b954eedeac495271d0f', '2500.75'],
      ['10', '0x0b2c639c533813f4aa9d7837caf62653d097ff85', '1200'],
      ['137', '0xc2132d05d31c914a87c6611c10748aeb04b58e8f', '800'],
      ['8453', '0x833589fcd6edb6e08f4c7c32d4f71b54bda02913', '3000'],
      ['42161', '0xfd086bc7cd5c481dcc9c85ebe478a1c0b69fcbb9', '1750.5'],
      ['1', '', '0.05'],
    ],
  },
  {
    name: 'solana-trader',
    kind: 'solana',
    description: 'Solana wallet: SOL, USDC, USDT, wSOL, JUP and Bonk',
    holdings: [
      ['501', '', '84.123456789'],
      ['501', 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v', '4200.5'],
      ['501', 'Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB', '999.999999'],
      ['501', 'So11111111111111111111111111111111111111112', '2.5'],
      ['501', 'JUPyiwrYJFskUPiHa7hkeR8VUtAeFoSYbKedZNsDvCN', '3100'],
      ['501', 'DezXAZ8z7PnrnRJjz3wXBoRgixCa6xjnB7YaB1pPB263', '125000000.12345'],
    ],
  },
  { name: 'empty', kind: 'evm', description: 'A valid EVM address holding nothing', holdings: [] },
];

/** Demo wallet addresses depend on the seed, so two sandboxes with different seeds never share wallets. */
export function buildDemoWallets(seed: number): { wallet: DemoWallet; holdings: readonly DemoHolding[] }[] {
  return SPECS.map(({ holdings, ...spec }) => {
    const bytes = hashBytes('okx-sandbox-demo-wallet', seed, spec.name);
    const address = spec.kind === 'evm' ? `0x${bytes.toString('hex').slice(0, 40)}` : base58.encode(bytes);
    return { wallet: { ...spec, address }, holdings };
  });
}
