import { describe, expect, it } from 'vitest';
import {
  chainInfo,
  chainName,
  chainsOfFamily,
  findChain,
  gasReserveOf,
  isSupportedChain,
  resolveTrackedChains,
  SUPPORTED_CHAINS,
} from '../../../shared/kernel/chains';
import { toDecimal } from '../../../shared/kernel/decimal';
import { UnsupportedChainError } from '../../../shared/kernel/errors';

const EVM_CHAINS = ['1', '10', '56', '137', '324', '8453', '42161', '43114', '59144', '81457', '534352', '5000', '196'];

describe('chains', () => {
  it('lists the EVM chains of okx-api §5 and Solana, each once', () => {
    expect(chainsOfFamily('evm')).toEqual(EVM_CHAINS);
    expect(chainsOfFamily('solana')).toEqual(['501']);
    expect(new Set(SUPPORTED_CHAINS.map((chain) => chain.chainIndex)).size).toBe(SUPPORTED_CHAINS.length);
  });

  it('describes native coins with their canonical asset and decimals', () => {
    expect(chainInfo('1')).toMatchObject({
      name: 'Ethereum',
      family: 'evm',
      nativeSymbol: 'ETH',
      nativeDecimals: 18,
      nativeAssetId: 'eth',
    });
    expect(chainInfo('8453')).toMatchObject({ nativeAssetId: 'eth' });
    expect(chainInfo('56')).toMatchObject({ nativeSymbol: 'BNB', nativeAssetId: 'bnb' });
    expect(chainInfo('137')).toMatchObject({ nativeSymbol: 'POL', nativeAssetId: 'pol' });
    expect(chainInfo('196')).toMatchObject({ nativeSymbol: 'OKB', nativeAssetId: 'okb' });
    expect(chainInfo('501')).toMatchObject({
      family: 'solana',
      nativeSymbol: 'SOL',
      nativeDecimals: 9,
      nativeAssetId: 'sol',
    });
    // Tron is tracked through the OKX balance API (issue 9, defect 12): native TRX has 6 decimals.
    expect(chainInfo('195')).toMatchObject({
      name: 'Tron',
      family: 'tron',
      nativeSymbol: 'TRX',
      nativeDecimals: 6,
      nativeAssetId: 'trx',
    });
    expect(isSupportedChain('42161')).toBe(true);
    expect(isSupportedChain('0')).toBe(false);
  });

  it('names chains as users see them everywhere, and an untracked chain by its index', () => {
    expect(['1', '56', '42161', '43114', '324', '196', '195', '501'].map(chainName)).toEqual([
      'Ethereum',
      'BNB Chain',
      'Arbitrum',
      'Avalanche',
      'zkSync Era',
      'X Layer',
      'Tron',
      'Solana',
    ]);
    expect(chainName('999')).toBe('chain 999');
  });

  it('keeps a gas reserve per chain and none for an unknown chain', () => {
    expect(gasReserveOf('1')).toBe('0.01');
    expect(gasReserveOf('42161')).toBe('0.002');
    expect(gasReserveOf('56')).toBe('0.01');
    expect(gasReserveOf('501')).toBe('0.05');
    expect(gasReserveOf('137')).toBe('5');
    expect(gasReserveOf('999')).toBe('0');
    for (const chain of SUPPORTED_CHAINS) expect(toDecimal(chain.gasReserve).gt(toDecimal('0'))).toBe(true);
  });

  it.each([
    ['eth', '1'],
    ['Ethereum', '1'],
    [' ETH ', '1'],
    ['base', '8453'],
    ['arb', '42161'],
    ['Arbitrum One', '42161'],
    ['op', '10'],
    ['bsc', '56'],
    ['polygon', '137'],
    ['matic', '137'],
    ['X-Layer', '196'],
    ['zksync', '324'],
    ['avalanche', '43114'],
    ['sol', '501'],
    ['8453', '8453'],
    ['BNB Smart Chain', '56'],
    ['BNB Chain', '56'],
    ['Avalanche C-Chain', '43114'],
  ])('finds %j as chain %s', (input, chainIndex) => {
    expect(findChain(input)?.chainIndex).toBe(chainIndex);
  });

  describe('resolveTrackedChains', () => {
    it('defaults to every supported chain of the family', () => {
      expect(resolveTrackedChains('evm')).toEqual(EVM_CHAINS);
      expect(resolveTrackedChains('evm', [])).toEqual(EVM_CHAINS);
      expect(resolveTrackedChains('evm', ['  '])).toEqual(EVM_CHAINS);
      expect(resolveTrackedChains('solana')).toEqual(['501']);
    });

    it('accepts indexes, names and aliases case-insensitively and removes duplicates in order', () => {
      expect(resolveTrackedChains('evm', ['Base', 'eth', '1', 'ethereum', 'ARB', '8453'])).toEqual([
        '8453',
        '1',
        '42161',
      ]);
      expect(resolveTrackedChains('solana', ['SOL', 'solana', '501'])).toEqual(['501']);
      expect(resolveTrackedChains('tron', [])).toEqual(['195']);
      expect(resolveTrackedChains('tron', ['TRX', 'tron'])).toEqual(['195']);
      expect(() => resolveTrackedChains('evm', ['tron'])).toThrow(
        expect.objectContaining({ reason: 'Tron cannot hold an EVM (0x…) address; drop it or use a matching address' }),
      );
    });

    it('rejects unknown chains naming them and listing what is supported', () => {
      const attempt = () => resolveTrackedChains('evm', ['eth', 'cardano', 'fantom']);
      expect(attempt).toThrow(UnsupportedChainError);
      try {
        attempt();
      } catch (error) {
        expect((error as UnsupportedChainError).chains).toEqual(['cardano', 'fantom']);
        expect((error as UnsupportedChainError).reason).toContain('unknown or unsupported chain: cardano, fantom');
        expect((error as UnsupportedChainError).reason).toContain('Supported: eth, op, bsc');
      }
    });

    it('rejects a chain of the other family with a reason naming it', () => {
      expect(() => resolveTrackedChains('evm', ['base', 'sol'])).toThrow(
        new UnsupportedChainError(
          ['501'],
          'Solana cannot hold an EVM (0x…) address; drop it or use a matching address',
        ),
      );
      try {
        resolveTrackedChains('solana', ['eth', 'arb', 'ethereum']);
      } catch (error) {
        expect((error as UnsupportedChainError).chains).toEqual(['1', '42161']);
        expect((error as UnsupportedChainError).reason).toBe(
          'Ethereum, Arbitrum cannot hold a Solana address; drop them or use a matching address',
        );
      }
      expect.assertions(3);
    });
  });
});
