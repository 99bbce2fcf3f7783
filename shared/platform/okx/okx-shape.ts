import { Dec, isDecimalString, toDecimal, ZERO } from '../../kernel/decimal';
import type { DecimalString, IsoTime } from '../../kernel/types';
import { OkxMalformedResponseError, OkxApiError, OkxRateLimitedError } from './okx-errors';

export type Json = Record<string, unknown>;

/** Minimal units fit in a uint256: at most 78 digits. */
const RAW_UNITS = /^\d{1,78}$/;
/**
 * The largest token amount we believe, in whole tokens: 1e20. The largest real supplies are about 1e15–1e18
 * whole tokens (e.g. SHIB ~5.9e14), so anything above is a broken answer (e.g. `"1e+30"`), not a balance.
 */
export const MAX_TOKEN_AMOUNT = new Dec('1e20');
const MS_TIMESTAMP = /^\d{1,16}$/;

/**
 * Validation at the edge: every reader names the field path (e.g. `data[0].tokenAssets[2].balance`)
 * in the OkxMalformedResponseError it throws, and amounts/prices stay decimal strings.
 */
export class OkxShape {
  constructor(readonly endpoint: string) {}

  fail(path: string, problem: string): never {
    throw new OkxMalformedResponseError(this.endpoint, path, problem);
  }

  array(value: unknown, path: string): unknown[] {
    if (!Array.isArray(value)) this.fail(path, 'is not an array');
    return value;
  }

  record(value: unknown, path: string): Json {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(path, 'is not an object');
    return value as Json;
  }

  /** The records of an array, each with its path. */
  records(value: unknown, path: string): { item: Json; path: string }[] {
    return this.array(value, path).map((item, index) => ({
      item: this.record(item, `${path}[${index}]`),
      path: `${path}[${index}]`,
    }));
  }

  /** The first record of `data`; an empty array is malformed. */
  first(data: unknown): { item: Json; path: string } {
    const [head] = this.records(data, 'data');
    return head ?? this.fail('data', 'is empty');
  }

  string(obj: Json, key: string, path: string): string {
    const value = obj[key];
    if (typeof value !== 'string') this.fail(`${path}.${key}`, 'is not a string');
    return value;
  }

  optionalString(obj: Json, key: string, path: string): string | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') this.fail(`${path}.${key}`, 'is not a string');
    return value;
  }

  /** OKX sends numbers as strings; a bare JSON number is accepted for ids/indexes only, never for money. */
  stringish(obj: Json, key: string, path: string): string {
    const value = obj[key];
    if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
    return this.string(obj, key, path);
  }

  decimal(obj: Json, key: string, path: string): DecimalString {
    const value = obj[key];
    if (!isDecimalString(value)) this.fail(`${path}.${key}`, 'is not a decimal string');
    return value.trim();
  }

  /**
   * A token amount: a decimal string, not negative, at most MAX_TOKEN_AMOUNT whole tokens. Anything else is
   * malformed: a negative or astronomically large balance would silently change the user's total.
   */
  amount(obj: Json, key: string, path: string): DecimalString {
    const value = this.decimal(obj, key, path);
    const amount = toDecimal(value);
    if (amount.lt(ZERO)) this.fail(`${path}.${key}`, 'is a negative amount');
    if (amount.gt(MAX_TOKEN_AMOUNT))
      this.fail(`${path}.${key}`, `is above ${MAX_TOKEN_AMOUNT.toString()} whole tokens (beyond any real supply)`);
    return value;
  }

  /** A USD price: a decimal string that is not negative. */
  price(obj: Json, key: string, path: string): DecimalString {
    const value = this.decimal(obj, key, path);
    if (toDecimal(value).lt(ZERO)) this.fail(`${path}.${key}`, 'is a negative price');
    return value;
  }

  /** A price that may be absent: absent, null and "" mean "not given". */
  optionalPrice(obj: Json, key: string, path: string): DecimalString | undefined {
    const value = obj[key];
    if (value === undefined || value === null || value === '') return undefined;
    return this.price(obj, key, path);
  }

  /** Absent, null and "" mean "not given". */
  optionalDecimal(obj: Json, key: string, path: string): DecimalString | undefined {
    const value = obj[key];
    if (value === undefined || value === null || value === '') return undefined;
    return this.decimal(obj, key, path);
  }

  /** Minimal on-chain units: a non-negative integer string. */
  rawUnits(obj: Json, key: string, path: string): DecimalString {
    const value = obj[key];
    if (typeof value !== 'string' || !RAW_UNITS.test(value))
      this.fail(`${path}.${key}`, 'is not an integer string of minimal units');
    return value;
  }

  optionalRawUnits(obj: Json, key: string, path: string): DecimalString | undefined {
    const value = obj[key];
    if (value === undefined || value === null || value === '') return undefined;
    return this.rawUnits(obj, key, path);
  }

  /** JSON boolean, or the strings "true"/"false" some endpoints send. */
  boolean(obj: Json, key: string, path: string, fallback?: boolean): boolean {
    const value = obj[key];
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    if ((value === undefined || value === null) && fallback !== undefined) return fallback;
    return this.fail(`${path}.${key}`, 'is not a boolean');
  }

  /** Token decimals: an integer 0..255 sent as a string (or a number, as simulate does). */
  decimals(obj: Json, key: string, path: string): number {
    const value = obj[key];
    const text = typeof value === 'number' ? String(value) : value;
    if (typeof text !== 'string' || !/^\d{1,3}$/.test(text) || Number(text) > 255)
      this.fail(`${path}.${key}`, 'is not a token decimals integer (0..255)');
    return Number(text);
  }

  /** Unix milliseconds (string) to ISO time. */
  msTime(value: unknown, path: string): IsoTime {
    if (typeof value !== 'string' || !MS_TIMESTAMP.test(value))
      this.fail(path, 'is not a millisecond timestamp string');
    return new Date(Number(value)).toISOString();
  }
}

/** The record without its undefined fields, so optional fields OKX did not send stay absent. */
export function omitUndefined<T extends object>(record: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

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
