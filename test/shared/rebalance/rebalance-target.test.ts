import { describe, expect, it, vi } from 'vitest';
import type * as AssetRegistry from '../../../shared/kernel/asset-registry';
import { InvalidTargetError, UnknownAssetError } from '../../../shared/kernel/errors';
import { validateTargetAllocation } from '../../../shared/rebalance/rebalance';
import { ARB, holdingOf, workedHoldings } from './rebalance-fixtures';

// The real registry has no symbol shared by two assets; a fake one exercises the ambiguity rule.
vi.mock('../../../shared/kernel/asset-registry', async (importOriginal) => {
  const original = await importOriginal<typeof AssetRegistry>();
  return {
    ...original,
    findAssetsBySymbol: (symbol: string) =>
      symbol === 'DUP'
        ? [
            { assetId: 'dup-a', symbol: 'DUP', sector: 'other' },
            { assetId: 'dup-b', symbol: 'DUP', sector: 'other' },
          ]
        : original.findAssetsBySymbol(symbol),
  };
});

function errorOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('validateTargetAllocation', () => {
  it('resolves ids and symbols, held or not, case-insensitively, and normalises the numbers', () => {
    expect(validateTargetAllocation({ ETH: '050.0', wbtc: '30', ' usdc ': '15', Sol: '5' }, workedHoldings)).toEqual({
      eth: '50',
      btc: '30',
      usdc: '15',
      sol: '5',
    });
  });

  it('finds an unmapped token you hold by its id or its symbol', () => {
    const gem = holdingOf({
      assetId: '42161:0xgem',
      symbol: 'GEM',
      chainIndex: ARB,
      tokenAddress: '0xgem',
      balance: '1',
      priceUsd: '1',
    });
    expect(validateTargetAllocation({ gem: '40', eth: '60' }, [gem])).toEqual({ '42161:0xgem': '40', eth: '60' });
    expect(validateTargetAllocation({ '42161:0xGEM': '40', eth: '60' }, [gem])).toEqual({
      '42161:0xgem': '40',
      eth: '60',
    });
  });

  it('accepts a sum within 0.01 pp of 100', () => {
    expect(validateTargetAllocation({ eth: '33.33', btc: '33.33', usdc: '33.33' }, workedHoldings)).toEqual({
      eth: '33.33',
      btc: '33.33',
      usdc: '33.33',
    });
  });

  it('refuses targets that do not add up to 100 %', () => {
    const error = errorOf(() => validateTargetAllocation({ eth: '50', btc: '30', usdc: '15' }, workedHoldings));
    expect(error).toBeInstanceOf(InvalidTargetError);
    expect(error).toMatchObject({ reason: 'targets add up to 95 %, they must add up to 100 %', sumPercent: '95' });
  });

  it('refuses bad percentages', () => {
    expect(() => validateTargetAllocation({ eth: '-5', btc: '105' }, workedHoldings)).toThrow(
      '"-5" is not a valid percentage for eth: use a number from 0 to 100',
    );
    expect(() => validateTargetAllocation({ eth: 'lots' }, workedHoldings)).toThrow(InvalidTargetError);
  });

  it('lists every unknown asset at once', () => {
    const error = errorOf(() => validateTargetAllocation({ eth: '50', FOO: '25', bar: '25' }, workedHoldings));
    expect(error).toBeInstanceOf(UnknownAssetError);
    expect(error).toMatchObject({ assets: ['FOO', 'bar'] });
  });

  it('asks for the asset id when a symbol you hold is ambiguous, ignoring risk-flagged copies', () => {
    const copies = [
      holdingOf({
        assetId: '1:0xaaa',
        symbol: 'MOON',
        chainIndex: '1',
        tokenAddress: '0xaaa',
        balance: '1',
        priceUsd: '1',
      }),
      holdingOf({
        assetId: '8453:0xbbb',
        symbol: 'moon',
        chainIndex: '8453',
        tokenAddress: '0xbbb',
        balance: '1',
        priceUsd: '1',
      }),
      holdingOf({
        assetId: '1:0xccc',
        symbol: 'MOON',
        chainIndex: '1',
        tokenAddress: '0xccc',
        balance: '1',
        priceUsd: '1',
        isRiskToken: true,
      }),
    ];
    expect(() => validateTargetAllocation({ MOON: '100' }, copies)).toThrow(
      '"MOON" matches several assets you hold: 1:0xaaa (MOON), 8453:0xbbb (moon); use the asset id instead',
    );
    expect(validateTargetAllocation({ MOON: '100' }, copies.slice(1))).toEqual({ '8453:0xbbb': '100' });
  });

  it('asks for the asset id when a registry symbol is ambiguous', () => {
    expect(() => validateTargetAllocation({ DUP: '100' }, [])).toThrow(
      '"DUP" matches several assets in the token list: dup-a (DUP), dup-b (DUP); use the asset id instead',
    );
  });

  it('refuses the same asset listed twice', () => {
    expect(() => validateTargetAllocation({ ETH: '50', eth: '50' }, [])).toThrow(
      'ETH and eth are the same asset (eth): list it once',
    );
  });
});
