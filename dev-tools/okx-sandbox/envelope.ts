/** What a route answers before it is written to the socket. */
export interface SandboxResponse {
  readonly status: number;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A documented OKX error: a non-zero string `code`, a short English `msg`, `data: []`, and its HTTP status. */
export class OkxApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus: number,
  ) {
    super(message);
    this.name = 'OkxApiError';
  }
}

export function isOkxApiError(error: unknown): error is OkxApiError {
  return error instanceof OkxApiError;
}

export function json(status: number, payload: unknown, headers?: Record<string, string>): SandboxResponse {
  return { status, body: JSON.stringify(payload), headers: { 'content-type': 'application/json', ...headers } };
}

export function ok(data: unknown): SandboxResponse {
  return json(200, { code: '0', msg: '', data });
}

export function errorResponse(error: OkxApiError, headers?: Record<string, string>): SandboxResponse {
  return json(error.httpStatus, { code: error.code, msg: error.message, data: [] }, headers);
}

/** Unknown routes: the gateway's own shape, with a numeric code (okx-api.md §1). */
export function notFound(): SandboxResponse {
  return json(404, { code: 404, error_message: 'Not Found' });
}

export const rateLimited = (): OkxApiError => new OkxApiError('50011', 'Too Many Requests', 429);
export const systemError = (): OkxApiError => new OkxApiError('50026', 'System error, please try again later', 500);
export const serviceUnavailable = (detail: string): OkxApiError =>
  new OkxApiError('50001', `Service temporarily unavailable: ${detail}`, 503);
