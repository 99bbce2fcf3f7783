import { isOkxApiError } from './okx-api-error';
import { isOkxRateLimitedError } from './okx-rate-limited-error';
import { isOkxTransportError } from './okx-transport-error';

/** Codes that mean "try again later" (okx-api §4.1): service unavailable, system error. */
const RETRYABLE_CODES = new Set(['50001', '50026']);
/** Timestamp rejected (okx-api §2.4: 50112; the expiry code is inferred, the CEX API's 50102 too). */
const CLOCK_CODES = new Set(['50112', '50102']);
/** Key / signature / passphrase rejected: worth one credential refresh (rotation in Secrets Manager). */
const AUTH_CODES = new Set(['50111', '50113', '50105']);

export function isRetryableError(error: unknown): boolean {
  if (isOkxRateLimitedError(error) || isOkxTransportError(error)) return true;
  return isOkxApiError(error) && (error.httpStatus >= 500 || RETRYABLE_CODES.has(error.code));
}

export function isClockError(error: unknown): boolean {
  return isOkxApiError(error) && CLOCK_CODES.has(error.code);
}

export function isAuthError(error: unknown): boolean {
  return isOkxApiError(error) && AUTH_CODES.has(error.code);
}

/** Full-jitter exponential backoff: uniform in [0, min(cap, base * 2^attempt)). */
export function backoffDelayMs(attempt: number, random: () => number, baseMs: number, capMs: number): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt));
}
