import { createHmac } from 'node:crypto';
import type { OkxCredentials } from '../config/credentials';

export interface SignInput {
  /** ISO-8601 with milliseconds, exactly the OK-ACCESS-TIMESTAMP header value. */
  readonly timestamp: string;
  readonly method: 'GET' | 'POST' | string;
  /** Path from `/api/...` plus `?query` exactly as sent on the wire (no `?` without a query). */
  readonly requestPath: string;
  /** The exact JSON string sent for POST; '' for GET. */
  readonly body: string;
  readonly secretKey: string;
}

/** okx-api §2.3: Base64(HMAC-SHA256(secret, timestamp + METHOD + requestPath + body)). Pure. */
export function signOkxRequest(input: SignInput): string {
  const prehash = `${input.timestamp}${input.method.toUpperCase()}${input.requestPath}${input.body}`;
  return createHmac('sha256', input.secretKey).update(prehash, 'utf8').digest('base64');
}

/** The OK-ACCESS-* headers of §2.2 for one request; the project header is sent whenever configured. */
export function buildOkxAuthHeaders(
  credentials: OkxCredentials,
  request: Omit<SignInput, 'secretKey'>,
): Record<string, string> {
  const headers: Record<string, string> = {
    'OK-ACCESS-KEY': credentials.apiKey,
    'OK-ACCESS-SIGN': signOkxRequest({ ...request, secretKey: credentials.secretKey }),
    'OK-ACCESS-TIMESTAMP': request.timestamp,
    'OK-ACCESS-PASSPHRASE': credentials.passphrase,
  };
  if (credentials.projectId) headers['OK-ACCESS-PROJECT'] = credentials.projectId;
  return headers;
}
