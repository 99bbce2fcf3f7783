import { OkxApiError } from './okx-api-error';
import { OkxMalformedResponseError } from './okx-malformed-response-error';
import { OkxRateLimitedError } from './okx-rate-limited-error';

const RATE_LIMITED = '50011';

/**
 * okx-api §1: the body decides, whatever the HTTP status. `code` may be a string or a number; the
 * bare 404 body is `{"code":404,"error_message":"Not Found"}`. Returns `data` on code "0".
 */
export function readEnvelope(endpoint: string, httpStatus: number, text: string): unknown {
  const body = parseJson(text);
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !('code' in body)) {
    if (httpStatus === 429)
      throw new OkxRateLimitedError({ code: RATE_LIMITED, msg: 'Too Many Requests', endpoint, httpStatus });
    if (httpStatus >= 400) throw new OkxApiError({ code: String(httpStatus), msg: '', endpoint, httpStatus });
    throw new OkxMalformedResponseError(endpoint, 'body', body === undefined ? 'is not JSON' : 'has no code');
  }
  const envelope = body as Record<string, unknown>;
  if (typeof envelope.code !== 'string' && typeof envelope.code !== 'number')
    throw new OkxMalformedResponseError(endpoint, 'code', 'is not a string or number');
  const code = String(envelope.code);
  const msg =
    typeof envelope.msg === 'string'
      ? envelope.msg
      : typeof envelope.error_message === 'string'
        ? envelope.error_message
        : '';
  if (code === RATE_LIMITED || httpStatus === 429)
    throw new OkxRateLimitedError({ code: code === '0' ? RATE_LIMITED : code, msg, endpoint, httpStatus });
  if (code !== '0') throw new OkxApiError({ code, msg, endpoint, httpStatus });
  if (httpStatus >= 400) throw new OkxApiError({ code: String(httpStatus), msg, endpoint, httpStatus });
  if (!('data' in envelope)) throw new OkxMalformedResponseError(endpoint, 'data', 'is missing');
  return envelope.data;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
