// The OKX client's errors, one class per way a request can end badly, with their type guards.

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

/** The breaker of an endpoint family is open: we fail fast instead of hammering a sick upstream. */
export class OkxCircuitOpenError extends Error {
  constructor(
    readonly family: string,
    readonly retryAtMs: number,
  ) {
    super(`OKX ${family} endpoints are failing; circuit open until ${new Date(retryAtMs).toISOString()}`);
    this.name = 'OkxCircuitOpenError';
  }
}

export function isOkxCircuitOpenError(error: unknown): error is OkxCircuitOpenError {
  return error instanceof OkxCircuitOpenError;
}

/** The request never got an HTTP answer: network failure or timeout. */
export class OkxTransportError extends Error {
  constructor(
    readonly endpoint: string,
    readonly isTimeout: boolean,
    options?: { cause?: unknown },
  ) {
    super(`OKX ${isTimeout ? 'timeout' : 'network failure'} on ${endpoint}`, options);
    this.name = 'OkxTransportError';
  }
}

export function isOkxTransportError(error: unknown): error is OkxTransportError {
  return error instanceof OkxTransportError;
}

/** OKX answered with a body whose shape we do not accept; `field` names the offending path. */
export class OkxMalformedResponseError extends Error {
  constructor(
    readonly endpoint: string,
    readonly field: string,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`malformed OKX response from ${endpoint}: ${field} ${problem}`, options);
    this.name = 'OkxMalformedResponseError';
  }
}

export function isOkxMalformedResponseError(error: unknown): error is OkxMalformedResponseError {
  return error instanceof OkxMalformedResponseError;
}

/**
 * Refused before sending: a documented required parameter is missing or empty. The real API answers 50014
 * ("parameter can not be empty"); we never spend a request (or a rate-limit slot) to learn that.
 */
export class OkxEmptyParameterError extends Error {
  constructor(
    readonly endpoint: string,
    readonly parameter: string,
  ) {
    super(`refused to call OKX ${endpoint}: required parameter ${parameter} is empty`);
    this.name = 'OkxEmptyParameterError';
  }
}

export function isOkxEmptyParameterError(error: unknown): error is OkxEmptyParameterError {
  return error instanceof OkxEmptyParameterError;
}

/**
 * Throws when a required parameter is absent or '' in the query, in a JSON-object body, or in any item of a
 * JSON-array body (the market family's `[{chainIndex, tokenContractAddress}]` batches).
 */
export function assertRequiredParameters(
  endpoint: string,
  required: readonly string[],
  query: Readonly<Record<string, string | undefined>> | undefined,
  body: unknown,
): void {
  const isEmpty = (value: unknown): boolean => value === undefined || value === null || value === '';
  const records: Record<string, unknown>[] = Array.isArray(body)
    ? (body as Record<string, unknown>[])
    : typeof body === 'object' && body !== null
      ? [body as Record<string, unknown>]
      : [];
  for (const name of required) {
    if (query !== undefined && name in query) {
      if (isEmpty(query[name])) throw new OkxEmptyParameterError(endpoint, name);
      continue;
    }
    if (records.length === 0 || records.some((record) => isEmpty(record?.[name]))) {
      const at = Array.isArray(body)
        ? `${name} (item ${records.findIndex((record) => isEmpty(record?.[name]))})`
        : name;
      throw new OkxEmptyParameterError(endpoint, at);
    }
  }
}
