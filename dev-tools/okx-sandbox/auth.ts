import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { OkxApiError } from './envelope';

export interface SandboxCredentials {
  readonly apiKey: string;
  readonly secretKey: string;
  readonly passphrase: string;
  readonly projectId: string;
}

export interface SignedRequest {
  readonly method: string;
  /** Path and query exactly as on the request line. */
  readonly rawTarget: string;
  /** Body exactly as received ('' for GET). */
  readonly rawBody: string;
  readonly headers: IncomingHttpHeaders;
}

/** ISO-8601 UTC with or without milliseconds, `Z` suffix (okx-api.md §2.2). */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const WINDOW_MS = 30_000;

const unauthorized = (code: string, message: string) => new OkxApiError(code, message, 401);

function header(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** Compares digests so neither the length nor the content of the expected value leaks through timing. */
function isSameSecret(a: string, b: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(a), digest(b));
}

export function expectedSignature(
  secretKey: string,
  timestamp: string,
  method: string,
  rawTarget: string,
  rawBody: string,
): string {
  return createHmac('sha256', secretKey)
    .update(timestamp + method.toUpperCase() + rawTarget + rawBody)
    .digest('base64');
}

/**
 * Checks the OK-ACCESS-* headers in the order of okx-api.md §12.1 and returns the API key, or throws the
 * documented 401 error. An expired or skewed timestamp is 50112 (the CEX code 50102 is not in the Web3 tables).
 * OK-ACCESS-PROJECT is optional on v6; when sent it must match the key's project (else 50114).
 */
export function authenticate(request: SignedRequest, credentials: SandboxCredentials, nowMs: number): string {
  const key = header(request.headers, 'ok-access-key');
  const sign = header(request.headers, 'ok-access-sign');
  const timestamp = header(request.headers, 'ok-access-timestamp');
  const passphrase = header(request.headers, 'ok-access-passphrase');
  const project = header(request.headers, 'ok-access-project');
  if (!key) throw unauthorized('50103', 'Request header OK-ACCESS-KEY can not be empty');
  if (!sign) throw unauthorized('50106', 'Request header OK-ACCESS-SIGN can not be empty');
  if (!timestamp) throw unauthorized('50107', 'Request header OK-ACCESS-TIMESTAMP can not be empty');
  if (!passphrase) throw unauthorized('50104', 'Request header OK-ACCESS-PASSPHRASE can not be empty');
  const sentAt = TIMESTAMP.test(timestamp) ? Date.parse(timestamp) : Number.NaN;
  if (Number.isNaN(sentAt)) throw unauthorized('50112', 'Invalid OK-ACCESS-TIMESTAMP');
  if (Math.abs(nowMs - sentAt) > WINDOW_MS)
    throw unauthorized('50112', 'Invalid OK-ACCESS-TIMESTAMP: request expired (30 s window)');
  if (!isSameSecret(key, credentials.apiKey)) throw unauthorized('50111', 'Invalid OK-ACCESS-KEY');
  if (!isSameSecret(passphrase, credentials.passphrase)) throw unauthorized('50105', 'Invalid OK-ACCESS-PASSPHRASE');
  const expected = expectedSignature(
    credentials.secretKey,
    timestamp,
    request.method,
    request.rawTarget,
    request.rawBody,
  );
  if (!isSameSecret(sign, expected)) throw unauthorized('50113', 'Invalid Sign');
  if (project && !isSameSecret(project, credentials.projectId))
    throw unauthorized('50114', 'Invalid authority: OK-ACCESS-PROJECT does not match the API key');
  return key;
}
