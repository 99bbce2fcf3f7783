import { describe, expect, it } from 'vitest';
import { createCircuitBreaker, createCircuitBreakers } from '../../../../shared/platform/okx/circuit-breaker';
import { isOkxCircuitOpenError, OkxCircuitOpenError } from '../../../../shared/platform/okx/okx-errors';

function breakerAt(clock: { ms: number }) {
  return createCircuitBreaker('market', { failureThreshold: 3, cooldownMs: 10_000, now: () => clock.ms });
}

describe('createCircuitBreaker', () => {
  it('opens after N consecutive failures and fails fast with the family name', () => {
    // Prepare
    const clock = { ms: 1_000 };
    const breaker = breakerAt(clock);
    // Act
    for (let i = 0; i < 3; i += 1) {
      breaker.assertCanRequest();
      breaker.recordFailure();
    }
    // Assess
    expect(breaker.state()).toBe('open');
    let caught: unknown;
    try {
      breaker.assertCanRequest();
    } catch (error) {
      caught = error;
    }
    expect(isOkxCircuitOpenError(caught)).toBe(true);
    expect(caught).toMatchObject({ family: 'market', retryAtMs: 11_000 });
    expect((caught as Error).message).toContain('1970-01-01T00:00:11.000Z');
  });

  it('resets the count on a success, so only consecutive failures count', () => {
    const clock = { ms: 0 };
    const breaker = breakerAt(clock);
    breaker.recordFailure();
    breaker.recordFailure();
    breaker.recordSuccess();
    breaker.recordFailure();
    breaker.recordFailure();
    expect(breaker.state()).toBe('closed');
    expect(() => breaker.assertCanRequest()).not.toThrow();
  });

  it('lets one probe through after the cooldown and closes when it succeeds', () => {
    const clock = { ms: 0 };
    const breaker = breakerAt(clock);
    for (let i = 0; i < 3; i += 1) breaker.recordFailure();
    clock.ms += 10_000;
    expect(breaker.state()).toBe('half-open');
    breaker.assertCanRequest();
    expect(() => breaker.assertCanRequest()).toThrow(OkxCircuitOpenError);
    breaker.recordSuccess();
    expect(breaker.state()).toBe('closed');
    expect(() => breaker.assertCanRequest()).not.toThrow();
  });

  it('re-opens for a full cooldown when the probe fails', () => {
    const clock = { ms: 0 };
    const breaker = breakerAt(clock);
    for (let i = 0; i < 3; i += 1) breaker.recordFailure();
    clock.ms += 10_000;
    breaker.assertCanRequest();
    breaker.recordFailure();
    expect(breaker.state()).toBe('open');
    clock.ms += 9_999;
    expect(() => breaker.assertCanRequest()).toThrow(OkxCircuitOpenError);
  });

  it('keeps one breaker per endpoint family', () => {
    const breakers = createCircuitBreakers({ failureThreshold: 1, cooldownMs: 1_000, now: () => 0 });
    breakers.aggregator.recordFailure();
    expect(breakers.aggregator.state()).toBe('open');
    expect(breakers.balance.state()).toBe('closed');
    expect(Object.keys(breakers).sort()).toEqual(['aggregator', 'balance', 'gateway', 'market', 'token']);
  });
});
