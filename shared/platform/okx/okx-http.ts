import ky, { type KyInstance } from 'ky';
import type { OkxCredentials } from '../config/credentials';
import type { SharedRateLimiter } from './shared-rate-limiter-port';
import type { CircuitBreaker, EndpointFamily } from './circuit-breaker';
import { currentOkxAbortSignal } from './okx-abort-scope';
import { isOkxCircuitOpenError } from './okx-circuit-open-error';
import { assertRequiredParameters } from './okx-empty-parameter-error';
import { readEnvelope } from './okx-envelope';
import { OkxTransportError } from './okx-transport-error';
import { countSentRequest } from './request-meter';
import { backoffDelayMs, isAuthError, isClockError, isRetryableError } from './retry-policy';
import { buildOkxAuthHeaders } from './sign-okx-request';
import type { TokenBucket } from './token-bucket';

export type CredentialsProvider = (forceRefresh: boolean) => Promise<OkxCredentials | undefined>;

export interface OkxHttpOptions {
  readonly baseUrl: string;
  readonly credentials?: OkxCredentials;
  readonly credentialsProvider?: CredentialsProvider;
  readonly fetch?: typeof globalThis.fetch;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly backoffBaseMs: number;
  readonly backoffCapMs: number;
  readonly limiter: TokenBucket;
  /** The account-wide budget (all Lambdas), asked after the local bucket on every attempt. */
  readonly sharedLimiter?: SharedRateLimiter;
  readonly breakers: Readonly<Record<EndpointFamily, CircuitBreaker>>;
}

export interface OkxRequest {
  readonly method: 'GET' | 'POST';
  /** Absolute API path, e.g. `/api/v6/dex/balance/supported/chain`. */
  readonly path: string;
  /** Query parameters in wire order; undefined values are left out. */
  readonly query?: Readonly<Record<string, string | undefined>>;
  readonly body?: unknown;
  readonly family: EndpointFamily;
  /**
   * A probe (e.g. isolating which chain of a failed balance call is down) makes one attempt and does not
   * count its failure in the breaker: the failure was already counted by the request it narrows down.
   */
  readonly isProbe?: boolean;
  /**
   * Parameters OKX documents as required (query keys, or keys of the body / of every body item): an absent or
   * empty one is refused here, before anything is sent (brief: never send an empty required parameter).
   */
  readonly required?: readonly string[];
}

export interface OkxHttp {
  /** Sends one logical request (retries included) and returns the envelope's `data`. */
  request(request: OkxRequest): Promise<unknown>;
}

interface Attempt {
  serverDateMs?: number;
}

/** The one HTTP engine of an explorer: one ky instance, one local limiter (+ the optional shared one), one breaker per family, one clock offset. */
export function createOkxHttp(options: OkxHttpOptions): OkxHttp {
  const api: KyInstance = ky.create({
    prefixUrl: options.baseUrl,
    timeout: options.timeoutMs,
    retry: 0,
    throwHttpErrors: false,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  let clockOffsetMs = 0;
  let credentials: Promise<OkxCredentials | undefined> | undefined = options.credentials ? Promise.resolve(options.credentials) : undefined;

  /** Lazily asks the provider when no key set was given; a failed fetch is not cached. */
  function loadCredentials(forceRefresh: boolean): Promise<OkxCredentials | undefined> {
    if (credentials && !forceRefresh) return credentials;
    const loading = options.credentialsProvider ? options.credentialsProvider(forceRefresh) : Promise.resolve(undefined);
    credentials = loading;
    loading.catch(() => {
      if (credentials === loading) credentials = undefined;
    });
    return loading;
  }

  async function sendOnce(request: OkxRequest, requestPath: string, body: string, attempt: Attempt, signal: AbortSignal | undefined): Promise<unknown> {
    const signing = await loadCredentials(false);
    const breaker = options.breakers[request.family];
    breaker.assertCanRequest();
    await options.limiter.acquire();
    // Cancelled while queued: nothing is sent and no slot of the shared budget is spent.
    signal?.throwIfAborted();
    // A rejection (no slot in time) fails this attempt before anything is sent; it is not retried here.
    // No `await` without a limiter: an extra tick would let the clock move between token and timestamp.
    // The requests queued behind this one in the local bucket are its demand: their slots come in the same round trip.
    if (options.sharedLimiter) await options.sharedLimiter.acquire(signal, 1 + options.limiter.waiting);
    // Fresh timestamp on every attempt: a retried request is re-signed, never replayed.
    const timestamp = new Date(options.now() + clockOffsetMs).toISOString();
    const headers = { 'Content-Type': 'application/json', ...(signing ? buildOkxAuthHeaders(signing, { timestamp, method: request.method, requestPath, body }) : {}) };
    let status: number;
    let text: string;
    countSentRequest();
    try {
      const response = await api(requestPath.slice(1), { method: request.method, headers, ...(body ? { body } : {}), ...(signal ? { signal } : {}) });
      status = response.status;
      attempt.serverDateMs = parseDate(response.headers.get('date'));
      text = await response.text();
    } catch (error) {
      // Our own cancel is not OKX failing: no breaker count, no retry, the caller gets the signal's reason.
      if (signal?.aborted) throw signal.reason;
      if (!request.isProbe) breaker.recordFailure();
      throw new OkxTransportError(request.path, isTimeout(error), { cause: error });
    }
    try {
      const data = readEnvelope(request.path, status, text);
      breaker.recordSuccess();
      return data;
    } catch (error) {
      if (!isRetryableError(error)) breaker.recordSuccess();
      else if (!request.isProbe) breaker.recordFailure();
      throw error;
    }
  }

  return {
    async request(request) {
      assertRequiredParameters(request.path, request.required ?? [], request.query, request.body);
      const query = new URLSearchParams(Object.entries(request.query ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined)).toString();
      // Built once: the same string goes on the wire and into the signature (okx-api §2.3).
      const requestPath = query ? `${request.path}?${query}` : request.path;
      const body = request.method === 'POST' ? JSON.stringify(request.body ?? {}) : '';
      let retries = 0;
      let hasResynced = false;
      let hasRefreshed = false;
      let lastError: unknown;
      const signal = currentOkxAbortSignal();
      for (;;) {
        const attempt: Attempt = {};
        try {
          return await sendOnce(request, requestPath, body, attempt, signal);
        } catch (error) {
          // The breaker opened during our own retries: the upstream failure is the useful answer.
          if (isOkxCircuitOpenError(error) && lastError !== undefined) throw lastError;
          lastError = error;
          if (isClockError(error) && !hasResynced) {
            hasResynced = true;
            if (attempt.serverDateMs !== undefined) clockOffsetMs = attempt.serverDateMs - options.now();
            continue;
          }
          if (isAuthError(error) && !hasRefreshed && options.credentialsProvider) {
            hasRefreshed = true;
            await loadCredentials(true);
            continue;
          }
          if (!isRetryableError(error) || retries >= (request.isProbe ? 0 : options.maxRetries)) throw error;
          await options.sleep(backoffDelayMs(retries, options.random, options.backoffBaseMs, options.backoffCapMs));
          signal?.throwIfAborted();
          retries += 1;
        }
      }
    },
  };
}

function parseDate(header: string | null): number | undefined {
  if (!header) return undefined;
  const ms = Date.parse(header);
  return Number.isNaN(ms) ? undefined : ms;
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === 'TimeoutError';
}
