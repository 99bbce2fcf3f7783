import { MetricUnit } from '@aws-lambda-powertools/metrics';
import ky, { isKyError, isNetworkError, isTimeoutError, type KyInstance } from 'ky';
import type { OkxCredentials } from '../config/credentials';
import { METRIC, type MetricsSink } from '../metrics';
import type { SharedRateLimiter } from './shared-rate-limiter-port';
import type { CircuitBreaker, EndpointFamily } from './circuit-breaker';
import {
  isOkxCircuitOpenError,
  isOkxRateLimitedError,
  OkxTransportError,
  assertRequiredParameters,
  isOkxApiError,
  isOkxTransportError,
} from './okx-errors';
import { readEnvelope } from './okx-shape';
import type { TokenBucket } from './token-bucket';
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHmac } from 'node:crypto';

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
  /** Counts every attempt sent (`OkxRequests`) and every rate-limited answer (`OkxRateLimited`); none without it. */
  readonly metrics?: MetricsSink;
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
  /**
   * One attempt, whatever happens: no back-off retry, no clock resync, no credential refresh, no transport retry.
   * For requests that must never be repeated (a broadcast: a second send could double-spend).
   */
  readonly isOnce?: boolean;
}

export interface OkxHttp {
  /** Sends one logical request (retries included) and returns the envelope's `data`. */
  request(request: OkxRequest): Promise<unknown>;
}

/** One logical request's state across its attempts (ky drives the attempts; the hooks below share this). */
interface Call {
  readonly request: OkxRequest;
  readonly requestPath: string;
  readonly body: string;
  readonly signal: AbortSignal | undefined;
  /** Generic (back-off) retries spent; the clock resync and the credential refresh have a budget of one each. */
  retries: number;
  hasResynced: boolean;
  hasRefreshed: boolean;
  /** Back-off before the next attempt; undefined for a resync or refresh, which go again at once. */
  nextDelayMs: number | undefined;
  serverDateMs: number | undefined;
  lastError: unknown;
  data: unknown;
}

/**
 * ky's limit is only a backstop: every retry is decided by `decideRetry` (per-kind budgets: maxRetries back-offs,
 * one clock resync, one credential refresh), so ky's own count never stops a retry we want.
 */
const RETRY_LIMIT_SLACK = 3;

/** The one HTTP engine of the OKX client: one ky instance, one local limiter (+ the optional shared one), one breaker per family, one clock offset. */
export function createOkxHttp(options: OkxHttpOptions): OkxHttp {
  const api: KyInstance = ky.create({
    prefix: options.baseUrl,
    timeout: options.timeoutMs,
    throwHttpErrors: false,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  let clockOffsetMs = 0;
  let credentials: Promise<OkxCredentials | undefined> | undefined = options.credentials
    ? Promise.resolve(options.credentials)
    : undefined;

  /** Lazily asks the provider when no key set was given; a failed fetch is not cached. */
  function loadCredentials(forceRefresh: boolean): Promise<OkxCredentials | undefined> {
    if (credentials && !forceRefresh) return credentials;
    const loading = options.credentialsProvider
      ? options.credentialsProvider(forceRefresh)
      : Promise.resolve(undefined);
    credentials = loading;
    loading.catch(() => {
      if (credentials === loading) credentials = undefined;
    });
    return loading;
  }

  /** Before every attempt (ky's beforeRequest / beforeRetry hooks): breaker, budgets, then a fresh signature. */
  async function prepareAttempt(call: Call, request: Request): Promise<void> {
    const signing = await loadCredentials(false);
    options.breakers[call.request.family].assertCanRequest();
    await options.limiter.acquire();
    // Cancelled while queued: nothing is sent and no slot of the shared budget is spent.
    call.signal?.throwIfAborted();
    // A rejection (no slot in time) fails this attempt before anything is sent; it is not retried.
    // No `await` without a limiter: an extra tick would let the clock move between token and timestamp.
    // The requests queued behind this one in the local bucket are its demand: their slots come in the same round trip.
    if (options.sharedLimiter) await options.sharedLimiter.acquire(call.signal, 1 + options.limiter.waiting);
    // Fresh timestamp on every attempt: a retried request is re-signed, never replayed.
    const timestamp = new Date(options.now() + clockOffsetMs).toISOString();
    request.headers.set('Content-Type', 'application/json');
    if (signing) {
      const headers = buildOkxAuthHeaders(signing, {
        timestamp,
        method: call.request.method,
        requestPath: call.requestPath,
        body: call.body,
      });
      for (const [name, value] of Object.entries(headers)) request.headers.set(name, value);
    }
    countSentRequest();
    options.metrics?.addMetric(METRIC.okxRequests, MetricUnit.Count, 1);
  }

  /** Whether a failed attempt goes again, spending the budget of its kind; sets the back-off. */
  async function decideRetry(call: Call, error: unknown): Promise<boolean> {
    call.lastError = error;
    call.nextDelayMs = undefined;
    if (call.request.isOnce) return false;
    if (isClockError(error) && !call.hasResynced) {
      call.hasResynced = true;
      if (call.serverDateMs !== undefined) clockOffsetMs = call.serverDateMs - options.now();
      return true;
    }
    if (isAuthError(error) && !call.hasRefreshed && options.credentialsProvider) {
      call.hasRefreshed = true;
      await loadCredentials(true);
      return true;
    }
    if (!isRetryableError(error) || call.retries >= (call.request.isProbe ? 0 : options.maxRetries)) return false;
    call.nextDelayMs = backoffDelayMs(call.retries, options.random, options.backoffBaseMs, options.backoffCapMs);
    call.retries += 1;
    return true;
  }

  /** The answer decides, whatever the HTTP status (okx-api §1): a retryable code goes again through `ky.retry()`. */
  async function readAnswer(call: Call, response: Response): Promise<ReturnType<typeof ky.retry> | undefined> {
    const breaker = options.breakers[call.request.family];
    call.serverDateMs = parseDate(response.headers.get('date'));
    const text = await response.text();
    try {
      call.data = readEnvelope(call.request.path, response.status, text);
      breaker.recordSuccess();
      return undefined;
    } catch (error) {
      if (isOkxRateLimitedError(error)) options.metrics?.addMetric(METRIC.okxRateLimited, MetricUnit.Count, 1);
      if (!isRetryableError(error)) breaker.recordSuccess();
      else if (!call.request.isProbe) breaker.recordFailure();
      if (await decideRetry(call, error)) return ky.retry({ delay: 0 });
      throw error;
    }
  }

  /** A transport failure (network, timeout): counted against OKX unless we cancelled it ourselves. */
  async function retryTransport(call: Call, error: Error): Promise<boolean> {
    if (call.signal?.aborted) return false;
    if (!call.request.isProbe) options.breakers[call.request.family].recordFailure();
    return decideRetry(call, transportError(call, error));
  }

  async function send(call: Call): Promise<unknown> {
    try {
      await api(call.requestPath.slice(1), {
        method: call.request.method,
        ...(call.body ? { body: call.body } : {}),
        ...(call.signal ? { signal: call.signal } : {}),
        retry: {
          limit: options.maxRetries + RETRY_LIMIT_SLACK,
          methods: ['get', 'post'],
          statusCodes: [],
          afterStatusCodes: [],
          delay: () => 0,
          shouldRetry: ({ error }) => retryTransport(call, error),
        },
        hooks: {
          beforeRequest: [({ request }) => prepareAttempt(call, request)],
          beforeRetry: [
            async ({ request }) => {
              if (call.nextDelayMs !== undefined) await options.sleep(call.nextDelayMs);
              call.signal?.throwIfAborted();
              try {
                await prepareAttempt(call, request);
              } catch (error) {
                // The breaker opened during our own retries: the upstream failure is the useful answer.
                throw isOkxCircuitOpenError(error) ? call.lastError : error;
              }
            },
          ],
          afterResponse: [({ response }) => readAnswer(call, response)],
        },
      });
      return call.data;
    } catch (error) {
      // Our own cancel is not OKX failing: the caller gets the signal's reason.
      if (call.signal?.aborted) throw call.signal.reason;
      // ky's network / timeout error: the translated one was recorded when the retry was refused.
      if (isKyError(error) && call.lastError !== undefined) throw call.lastError;
      if (isKyError(error)) throw transportError(call, error);
      throw error;
    }
  }

  return {
    async request(request) {
      assertRequiredParameters(request.path, request.required ?? [], request.query, request.body);
      const query = new URLSearchParams(
        Object.entries(request.query ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined),
      ).toString();
      // Built once: the same string goes on the wire and into the signature (okx-api §2.3).
      const requestPath = query ? `${request.path}?${query}` : request.path;
      const body = request.method === 'POST' ? JSON.stringify(request.body ?? {}) : '';
      return send({
        request,
        requestPath,
        body,
        signal: currentOkxAbortSignal(),
        retries: 0,
        hasResynced: false,
        hasRefreshed: false,
        nextDelayMs: undefined,
        serverDateMs: undefined,
        lastError: undefined,
        data: undefined,
      });
    },
  };
}

/** The cause is what fetch threw (ky's NetworkError only wraps it). */
function transportError(call: Call, error: Error): OkxTransportError {
  return new OkxTransportError(call.request.path, isTimeoutError(error), {
    cause: isNetworkError(error) ? error.cause : error,
  });
}

function parseDate(header: string | null): number | undefined {
  if (!header) return undefined;
  const ms = Date.parse(header);
  return Number.isNaN(ms) ? undefined : ms;
}

const scope = new AsyncLocalStorage<AbortSignal>();

/**
 * Runs `work` with `signal` as the cancel signal of every OKX request it starts, however deep (the
 * webhook sets the update's deadline here once, so no service or port signature has to carry it).
 * Requests started outside any scope (the sync worker) are never cancelled this way.
 */
export function withOkxAbortSignal<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  return scope.run(signal, work);
}

/** The signal of the innermost `withOkxAbortSignal` around the caller, if any. */
function currentOkxAbortSignal(): AbortSignal | undefined {
  return scope.getStore();
}

export interface SignInput {
  /** ISO-8601 with milliseconds, exactly the OK-ACCESS-TIMESTAMP header value. */
  readonly timestamp: string;
  readonly method: 'GET' | 'POST' | string;
  /** Path from `/api/...` plus `?query` exactly as sent on the wire (no `?` without a query). */
  readonly requestPath: string;
  /** The exact JSON string sent for POST; '' for GET. */
  readonly body: string;
  readonly secretKey: string;
}

/** okx-api §2.3: Base64(HMAC-SHA256(secret, timestamp + METHOD + requestPath + body)). Pure. */
export function signOkxRequest(input: SignInput): string {
  const prehash = `${input.timestamp}${input.method.toUpperCase()}${input.requestPath}${input.body}`;
  return createHmac('sha256', input.secretKey).update(prehash, 'utf8').digest('base64');
}

/** The OK-ACCESS-* headers of §2.2 for one request; the project header is sent whenever configured. */
export function buildOkxAuthHeaders(
  credentials: OkxCredentials,
  request: Omit<SignInput, 'secretKey'>,
): Record<string, string> {
  const headers: Record<string, string> = {
    'OK-ACCESS-KEY': credentials.apiKey,
    'OK-ACCESS-SIGN': signOkxRequest({ ...request, secretKey: credentials.secretKey }),
    'OK-ACCESS-TIMESTAMP': request.timestamp,
    'OK-ACCESS-PASSPHRASE': credentials.passphrase,
  };
  if (credentials.projectId) headers['OK-ACCESS-PROJECT'] = credentials.projectId;
  return headers;
}

/** Codes that mean "try again later" (okx-api §4.1): service unavailable, system error. */
const RETRYABLE_CODES = new Set(['50001', '50026']);
/** Timestamp rejected (okx-api §2.4: 50112; the expiry code is inferred, the CEX API's 50102 too). */
const CLOCK_CODES = new Set(['50112', '50102']);
/** Key / signature / passphrase rejected: worth one credential refresh (rotation in Secrets Manager). */
const AUTH_CODES = new Set(['50111', '50113', '50105']);

export function isRetryableError(error: unknown): boolean {
  if (isOkxRateLimitedError(error) || isOkxTransportError(error)) return true;
  return isOkxApiError(error) && (error.httpStatus >= 500 || RETRYABLE_CODES.has(error.code));
}

export function isClockError(error: unknown): boolean {
  return isOkxApiError(error) && CLOCK_CODES.has(error.code);
}

export function isAuthError(error: unknown): boolean {
  return isOkxApiError(error) && AUTH_CODES.has(error.code);
}

/** Full-jitter exponential backoff: uniform in [0, min(cap, base * 2^attempt)). */
export function backoffDelayMs(attempt: number, random: () => number, baseMs: number, capMs: number): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt));
}

interface Counter {
  count: number;
  readonly parent?: Counter;
}

const current = new AsyncLocalStorage<Counter>();

/** Counts the OKX requests actually sent (every attempt: retries and bisection probes included) by some work. */
export interface RequestMeter {
  /** Requests sent so far by the work run under this meter (and under meters nested in it). */
  readonly count: number;
  run<T>(work: () => Promise<T>): Promise<T>;
}

/**
 * A meter for one unit of work (a user's sync, a worker job). The count follows the async context, so
 * concurrent jobs in one container never count each other's requests; a meter run inside another adds
 * to both. A fetch joined from another job is counted by the job that started it.
 */
export function createRequestMeter(): RequestMeter {
  let counter: Counter = { count: 0 };
  return {
    get count() {
      return counter.count;
    },
    run(work) {
      counter = { count: counter.count, parent: current.getStore() };
      return current.run(counter, work);
    },
  };
}

/** Called by the OKX HTTP engine for each attempt it puts on the wire. */
export function countSentRequest(): void {
  for (let counter = current.getStore(); counter; counter = counter.parent) counter.count += 1;
}
