import { SlidingWindow } from './rate-limiter';

export interface SandboxStats {
  /** Every request that reached the sandbox, control routes (`/__sandbox/*`) excluded. */
  readonly totalRequests: number;
  readonly rateLimited: number;
  readonly authFailures: number;
  /** Requests per URL path (no query). */
  readonly perPath: Readonly<Record<string, number>>;
  /**
   * The most authenticated requests one API key sent in any sliding 1-second window (accepted and
   * rate-limited alike, so it measures the client's pace). Without a key: the maximum over all keys.
   */
  maxRequestsPerSecond(apiKey?: string): number;
  reset(): void;
}

export interface StatsRecorder {
  readonly stats: SandboxStats;
  request(path: string): void;
  authenticated(apiKey: string, nowMs: number): void;
  rateLimited(): void;
  authFailure(): void;
}

export function createStats(): StatsRecorder {
  let totalRequests = 0;
  let rateLimited = 0;
  let authFailures = 0;
  let perPath: Record<string, number> = {};
  let windows = new Map<string, { window: SlidingWindow; max: number }>();
  const stats: SandboxStats = {
    get totalRequests() {
      return totalRequests;
    },
    get rateLimited() {
      return rateLimited;
    },
    get authFailures() {
      return authFailures;
    },
    get perPath() {
      return { ...perPath };
    },
    maxRequestsPerSecond(apiKey) {
      if (apiKey !== undefined) return windows.get(apiKey)?.max ?? 0;
      return Math.max(0, ...[...windows.values()].map((entry) => entry.max));
    },
    reset() {
      totalRequests = 0;
      rateLimited = 0;
      authFailures = 0;
      perPath = {};
      windows = new Map();
    },
  };
  return {
    stats,
    request(path) {
      totalRequests += 1;
      perPath[path] = (perPath[path] ?? 0) + 1;
    },
    authenticated(apiKey, nowMs) {
      let entry = windows.get(apiKey);
      if (!entry) windows.set(apiKey, (entry = { window: new SlidingWindow(), max: 0 }));
      entry.max = Math.max(entry.max, entry.window.add(nowMs));
    },
    rateLimited: () => void (rateLimited += 1),
    authFailure: () => void (authFailures += 1),
  };
}
