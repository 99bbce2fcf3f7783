import { describe, expect, it } from 'vitest';
import {
  OkxCircuitOpenError,
  OkxTransportError,
  OkxMalformedResponseError,
  OkxEmptyParameterError,
} from '../../../shared/platform/okx/okx-errors';
import { explainOkxError } from '../../../shared/rebalance/okx-error-words';
import { okxError } from './signing-fixtures';

describe('OKX errors in words', () => {
  it('words documented codes, with the limit of 82102/82103 and the number of an unknown one', () => {
    expect(explainOkxError(okxError('82112'))).toEqual({
      status: 502,
      code: 'okx-error',
      message: 'the price impact is above the limit (OKX 82112).',
      okxCode: '82112',
    });
    expect(explainOkxError(okxError('82102', 200, 'the minimum amount is 0.01'))!.message).toBe(
      'the amount is below the minimum OKX allows (the minimum amount is 0.01) (OKX 82102).',
    );
    expect(explainOkxError(okxError('99999'))!.message).toBe('OKX refused the request (OKX 99999).');
  });

  it('answers 402 as billing whatever the code', () => {
    expect(explainOkxError(okxError('0', 402))).toMatchObject({ status: 402, code: 'okx-billing' });
  });

  it('words transport, breaker, malformed and empty-parameter failures; leaves our own bugs alone', () => {
    expect(explainOkxError(new OkxTransportError('/x', true))!.message).toContain('could not be reached');
    expect(explainOkxError(new OkxCircuitOpenError('gateway', 0))!.message).toContain('could not be reached');
    expect(explainOkxError(new OkxMalformedResponseError('/x', 'data', 'is empty'))!.message).toContain('cannot read');
    expect(explainOkxError(new OkxEmptyParameterError('/x', 'txHash'))!.message).toContain('missing');
    expect(explainOkxError(new TypeError('bug'))).toBeUndefined();
  });
});
