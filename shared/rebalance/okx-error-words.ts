import {
  isOkxApiError,
  isOkxCircuitOpenError,
  isOkxTransportError,
  isOkxMalformedResponseError,
  isOkxEmptyParameterError,
} from '../platform/okx/okx-errors';

/**
 * Every documented OKX swap and gateway error (okx-api §4.1–4.3) in plain words for the signing page, plus 402
 * (market billing, §3.2). Unknown codes are named with their number.
 */
const WORDS: Readonly<Record<string, string>> = {
  '50001': 'OKX is temporarily unavailable',
  '50004': 'OKX timed out (this does not mean it failed)',
  '50011': 'OKX is rate limiting us',
  '50014': 'a required parameter was empty',
  '50026': 'OKX had a system error',
  '50030': 'this OKX key has no permission for that feature',
  '50038': 'OKX does not support this chain for that feature',
  '51000': 'OKX refused a parameter',
  '80000': 'OKX saw a duplicate request',
  '80001': 'the transaction data is too large',
  '82000': 'there is not enough liquidity for this trade',
  '82001': "OKX's commission service is unavailable",
  '82102': 'the amount is below the minimum OKX allows',
  '82103': 'the amount is above the maximum OKX allows',
  '82104': 'OKX does not support this token',
  '82105': 'OKX does not support this chain',
  '82112': 'the price impact is above the limit',
  '82116': 'the transaction data is too large',
  '82130': 'this chain needs no approval',
  '81001': 'OKX said a parameter is incorrect',
  '81104': 'OKX does not support this chain',
  '81108': 'the wallet type does not match the chain',
  '81152': 'OKX does not know this token',
  '81451': "the chain's node refused the transaction",
};

export interface OkxProblem {
  readonly status: 402 | 502;
  readonly code: 'okx-billing' | 'okx-error';
  readonly message: string;
  readonly okxCode?: string;
}

/** The OKX failure in words, or undefined when the error is not OKX's (a bug of ours stays a 500). */
export function explainOkxError(error: unknown): OkxProblem | undefined {
  if (isOkxApiError(error)) {
    if (error.httpStatus === 402)
      return {
        status: 402,
        code: 'okx-billing',
        message:
          "OKX asks for payment (HTTP 402: this key's market-data quota is used up). Nothing was signed; the operator must top up the OKX plan.",
        okxCode: error.code,
      };
    const words = WORDS[error.code] ?? 'OKX refused the request';
    const detail = error.code === '82102' || error.code === '82103' ? ` (${error.msg})` : '';
    return { status: 502, code: 'okx-error', message: `${words}${detail} (OKX ${error.code}).`, okxCode: error.code };
  }
  if (isOkxTransportError(error) || isOkxCircuitOpenError(error))
    return { status: 502, code: 'okx-error', message: 'OKX could not be reached just now: try again in a minute.' };
  if (isOkxMalformedResponseError(error))
    return { status: 502, code: 'okx-error', message: 'OKX sent an answer we cannot read: nothing was signed.' };
  if (isOkxEmptyParameterError(error))
    return { status: 502, code: 'okx-error', message: 'A value OKX needs was missing, so it was not asked.' };
  return undefined;
}
