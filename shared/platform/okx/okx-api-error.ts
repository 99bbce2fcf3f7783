export interface OkxApiErrorDetails {
  /** OKX business code as a string ("82000", "50011", "404" for the bare 404 body). */
  readonly code: string;
  readonly msg: string;
  /** Request path without the query string (never carries credentials). */
  readonly endpoint: string;
  readonly httpStatus: number;
}

/** OKX answered, but said no: a non-zero envelope `code` (any HTTP status) or an error status. */
export class OkxApiError extends Error {
  readonly code: string;
  readonly msg: string;
  readonly endpoint: string;
  readonly httpStatus: number;

  constructor(details: OkxApiErrorDetails, options?: { cause?: unknown }) {
    super(
      `OKX ${details.code} on ${details.endpoint} (HTTP ${details.httpStatus})${details.msg ? `: ${details.msg}` : ''}`,
      options,
    );
    this.name = 'OkxApiError';
    this.code = details.code;
    this.msg = details.msg;
    this.endpoint = details.endpoint;
    this.httpStatus = details.httpStatus;
  }
}

export function isOkxApiError(error: unknown): error is OkxApiError {
  return error instanceof OkxApiError;
}
