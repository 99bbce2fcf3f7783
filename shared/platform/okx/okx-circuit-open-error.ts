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
