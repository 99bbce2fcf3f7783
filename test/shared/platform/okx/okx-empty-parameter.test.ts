import { describe, expect, it } from 'vitest';
import { assertRequiredParameters, isOkxEmptyParameterError } from '../../../../shared/platform/okx/okx-errors';
import { createHarness, ok, sequence } from './okx-test-kit';

describe('the HTTP edge refuses an empty required parameter', () => {
  it('refuses an empty query parameter and an empty field of any batch item, naming it', () => {
    expect(() =>
      assertRequiredParameters(
        '/candles',
        ['chainIndex', 'tokenContractAddress'],
        { chainIndex: '1', tokenContractAddress: '' },
        undefined,
      ),
    ).toThrow(/tokenContractAddress is empty/);
    expect(() => assertRequiredParameters('/candles', ['chainIndex'], { bar: '1H' }, undefined)).toThrow(
      /chainIndex is empty/,
    );
    const batch = [
      { chainIndex: '1', tokenContractAddress: '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48' },
      { chainIndex: '56', tokenContractAddress: '' },
    ];
    expect(() => assertRequiredParameters('/price', ['chainIndex', 'tokenContractAddress'], undefined, batch)).toThrow(
      /tokenContractAddress \(item 1\) is empty/,
    );
    expect(() =>
      assertRequiredParameters('/price', ['chainIndex', 'tokenContractAddress'], undefined, batch.slice(0, 1)),
    ).not.toThrow();
  });

  it('sends nothing when a balance call has an empty wallet address', async () => {
    const h = createHarness(sequence(ok([])));
    const error = await h.explorer.getTokenBalances('', ['1']).catch((caught: unknown) => caught);
    expect(isOkxEmptyParameterError(error)).toBe(true);
    expect(error).toMatchObject({ parameter: 'address' });
    expect(h.requests).toHaveLength(0);
  });

  it('sends nothing when a quote has an empty amount', async () => {
    const h = createHarness(sequence(ok([])));
    await expect(
      h.explorer.getQuote({
        chainIndex: '1',
        fromTokenAddress: '',
        toTokenAddress: '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48',
        amountRaw: '',
      }),
    ).rejects.toMatchObject({ parameter: 'amount' });
    expect(h.requests).toHaveLength(0);
  });
});
