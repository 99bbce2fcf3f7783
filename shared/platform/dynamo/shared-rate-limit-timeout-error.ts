/** The shared limiter found every window full for longer than the caller may wait. */
export class SharedRateLimitTimeoutError extends Error {
  constructor(
    readonly scope: string,
    readonly limitPerSecond: number,
    readonly waitedMs: number,
  ) {
    super(`no "${scope}" request slot (${limitPerSecond}/s shared by all functions) within ${waitedMs} ms`);
    this.name = 'SharedRateLimitTimeoutError';
  }
}

export function isSharedRateLimitTimeoutError(error: unknown): error is SharedRateLimitTimeoutError {
  return error instanceof SharedRateLimitTimeoutError;
}
