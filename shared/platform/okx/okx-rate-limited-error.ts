import { OkxApiError, type OkxApiErrorDetails } from './okx-api-error';

/** HTTP 429 or code 50011. An `OkxApiError` too, so callers keyed on `code` still see "50011". */
export class OkxRateLimitedError extends OkxApiError {
  constructor(details: OkxApiErrorDetails, options?: { cause?: unknown }) {
    super(details, options);
    this.name = 'OkxRateLimitedError';
  }
}

export function isOkxRateLimitedError(error: unknown): error is OkxRateLimitedError {
  return error instanceof OkxRateLimitedError;
}
