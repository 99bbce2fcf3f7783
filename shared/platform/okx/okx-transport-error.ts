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
