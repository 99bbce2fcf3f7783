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
