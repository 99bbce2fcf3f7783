import type { OkxCredentials } from '../config/credentials';
import type { MetricsSink } from '../metrics';
import type { SharedRateLimiter } from './shared-rate-limiter-port';
import { DEFAULTS, ENV, readPositiveIntEnv, readUrlEnv } from '../config/env-names';
import { sleep as realSleep } from '../helpers';
import { createAggregatorApi } from './aggregator-api';
import { createBalanceApi } from './balance-api';
import { createCircuitBreakers } from './circuit-breaker';
import { createGatewayApi } from './gateway-api';
import { createMarketApi } from './market-api';
import { createOkxHttp, type CredentialsProvider } from './okx-http';
import { createTokenApi } from './token-api';
import { createTokenBucket } from './token-bucket';

export interface OkxClientOptions {
  /** Default https://web3.okx.com. */
  readonly baseUrl?: string;
  /** Without them requests go unsigned (the local sandbox). */
  readonly credentials?: OkxCredentials;
  /** Called with `true` once after an auth error (50111/50113/50105) to fetch a rotated key set. */
  readonly credentialsProvider?: CredentialsProvider;
  readonly fetch?: typeof globalThis.fetch;
  /** Clock in ms (signing timestamps, limiter, breaker). */
  readonly now?: () => number;
  /** Requests per second across the whole client; default 1 (the documented trial tier). */
  readonly ratePerSecond?: number;
  /** Requests allowed at once after a quiet spell; default 1. */
  readonly burst?: number;
  /**
   * The account-wide budget shared by every Lambda (e.g. the DynamoDB window limiter), asked after the
   * local bucket before every attempt, retries included. Without it only this client is limited.
   */
  readonly sharedLimiter?: SharedRateLimiter;
  /** Per attempt; default 10 s. */
  readonly timeoutMs?: number;
  /** Retries after the first attempt for retryable failures; default 3. */
  readonly maxRetries?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Source of jitter in [0, 1). */
  readonly random?: () => number;
  readonly backoffBaseMs?: number;
  readonly backoffCapMs?: number;
  /** Consecutive retryable failures that open one family's circuit; default 5. */
  readonly breakerThreshold?: number;
  readonly breakerCooldownMs?: number;
  /** Where the request and rate-limit counts go (the Lambdas pass the platform metrics). */
  readonly metrics?: MetricsSink;
}

export type OkxClient = ReturnType<typeof createBalanceApi> &
  ReturnType<typeof createMarketApi> &
  ReturnType<typeof createTokenApi> &
  ReturnType<typeof createAggregatorApi> &
  ReturnType<typeof createGatewayApi>;

/**
 * The OKX Web3/DEX v6 client: one ky instance, one rate limiter and one set of circuit breakers per
 * client, so every call of a Lambda container shares them. Satisfies MarketDataPort & RebalanceMarket.
 */
export function createOkxClient(options: OkxClientOptions = {}): OkxClient {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const http = createOkxHttp({
    baseUrl: options.baseUrl ?? DEFAULTS.okxBaseUrl,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.credentialsProvider ? { credentialsProvider: options.credentialsProvider } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    now,
    sleep,
    random: options.random ?? Math.random,
    timeoutMs: options.timeoutMs ?? 10_000,
    maxRetries: options.maxRetries ?? 3,
    backoffBaseMs: options.backoffBaseMs ?? 500,
    backoffCapMs: options.backoffCapMs ?? 8_000,
    limiter: createTokenBucket({
      ratePerSecond: options.ratePerSecond ?? Number(DEFAULTS.okxRateLimitPerSecond),
      burst: options.burst ?? 1,
      now,
      sleep,
    }),
    ...(options.sharedLimiter ? { sharedLimiter: options.sharedLimiter } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
    breakers: createCircuitBreakers({
      failureThreshold: options.breakerThreshold ?? 5,
      cooldownMs: options.breakerCooldownMs ?? 30_000,
      now,
    }),
  });
  return {
    ...createBalanceApi(http),
    ...createMarketApi(http),
    ...createTokenApi(http),
    ...createAggregatorApi(http),
    ...createGatewayApi(http),
  };
}

/** Base URL and rate from the environment (fail fast on a bad value); credentials are loaded separately. */
export function readOkxOptionsFromEnv(
  env: Record<string, string | undefined> = process.env,
): Required<Pick<OkxClientOptions, 'baseUrl' | 'ratePerSecond'>> {
  return {
    baseUrl: readUrlEnv(ENV.okxBaseUrl, DEFAULTS.okxBaseUrl, env),
    ratePerSecond: readPositiveIntEnv(ENV.okxRateLimitPerSecond, Number(DEFAULTS.okxRateLimitPerSecond), env),
  };
}
