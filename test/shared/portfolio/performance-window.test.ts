import { describe, expect, it } from 'vitest';
import { describeDuration, isShortOfWindow, isYearWindow, windowStart } from '../../../shared/portfolio/performance';

describe('performance windows', () => {
  it('describes recorded history in whole units', () => {
    expect(describeDuration(2 * 86_400_000 + 5)).toBe('2 days');
    expect(describeDuration(86_400_000)).toBe('1 day');
    expect(describeDuration(5 * 3_600_000)).toBe('5 hours');
    expect(describeDuration(3_600_000)).toBe('1 hour');
    expect(describeDuration(59_000)).toBe('less than an hour');
  });

  it('knows which windows may be annualised and how far back they reach', () => {
    expect(['24h', '7d', '30d', '90d', '1y', 'all'].map((w) => isYearWindow(w as never))).toEqual([
      false,
      false,
      false,
      false,
      true,
      true,
    ]);
    expect(windowStart('7d', new Date('2025-01-08T00:00:00.000Z'))?.toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(windowStart('all', new Date())).toBeUndefined();
    expect(isShortOfWindow('all', 0)).toBe(false);
    expect(isShortOfWindow('24h', 22 * 3_600_000)).toBe(false);
    expect(isShortOfWindow('24h', 21 * 3_600_000)).toBe(true);
  });
});
