import { OkxCircuitOpenError } from './okx-errors';

export type EndpointFamily = 'balance' | 'market' | 'token' | 'aggregator' | 'gateway';

export interface CircuitBreakerOptions {
  /** Consecutive retryable failures that open the circuit. */
  readonly failureThreshold: number;
  /** How long the circuit stays open before one probe request is let through (half-open). */
  readonly cooldownMs: number;
  readonly now: () => number;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreaker {
  /** Throws OkxCircuitOpenError when the circuit is open (or half-open with a probe in flight). */
  assertCanRequest(): void;
  recordSuccess(): void;
  recordFailure(): void;
  state(): CircuitState;
}

export function createCircuitBreaker(family: EndpointFamily, options: CircuitBreakerOptions): CircuitBreaker {
  let failures = 0;
  let openedAt: number | undefined;
  let isProbing = false;

  const state = (): CircuitState => {
    if (openedAt === undefined) return 'closed';
    return options.now() - openedAt >= options.cooldownMs ? 'half-open' : 'open';
  };

  return {
    state,
    assertCanRequest() {
      const current = state();
      if (current === 'closed') return;
      if (current === 'half-open' && !isProbing) {
        isProbing = true;
        return;
      }
      throw new OkxCircuitOpenError(family, (openedAt ?? 0) + options.cooldownMs);
    },
    recordSuccess() {
      failures = 0;
      openedAt = undefined;
      isProbing = false;
    },
    recordFailure() {
      failures += 1;
      if (isProbing || failures >= options.failureThreshold) {
        openedAt = options.now();
        isProbing = false;
      }
    },
  };
}

/** One breaker per endpoint family, so a sick aggregator does not block balance syncs. */
export function createCircuitBreakers(options: CircuitBreakerOptions): Record<EndpointFamily, CircuitBreaker> {
  return {
    balance: createCircuitBreaker('balance', options),
    market: createCircuitBreaker('market', options),
    token: createCircuitBreaker('token', options),
    aggregator: createCircuitBreaker('aggregator', options),
    gateway: createCircuitBreaker('gateway', options),
  };
}
