import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { authenticate, type SandboxCredentials } from './auth';
import { CONTROL_PREFIX, handleControl } from './control-routes';
import { errorResponse, isOkxApiError, notFound, rateLimited, type SandboxResponse } from './envelope';
import { distortAnswer } from './answer-faults';
import { isAnswerFault, type FaultBoard } from './faults';
import type { Ledger } from './ledger';
import type { ParamOptions } from './params';
import { badRequest, faultResponse, runRoute } from './respond';
import { createRateLimiter } from './rate-limiter';
import type { Router } from './router';
import type { StatsRecorder } from './stats';
import type { SandboxWorld } from './world';

export interface ServerDeps {
  readonly credentials: SandboxCredentials;
  readonly world: SandboxWorld;
  readonly ledger: Ledger;
  readonly router: Router;
  readonly faults: FaultBoard;
  readonly recorder: StatsRecorder;
  readonly rateLimitPerSecond: number;
  readonly latencyMs: number;
  readonly retryAfterHeader: boolean;
  readonly params: ParamOptions;
  /** Wall clock for timestamps and auth (injectable); rate limiting always uses the monotonic clock. */
  readonly now: () => number;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** Parses a POST body: JSON only (50006), well-formed (50002); an empty body is undefined. */
function parseBody(request: IncomingMessage, rawBody: string): { body?: unknown; error?: SandboxResponse } {
  if (request.method !== 'POST' || rawBody === '') return {};
  if (!(request.headers['content-type'] ?? '').toLowerCase().includes('application/json'))
    return { error: badRequest('50006', 'Invalid Content-Type, please use "application/json" format') };
  try {
    return { body: JSON.parse(rawBody) as unknown };
  } catch {
    return { error: badRequest('50002', 'JSON syntax error') };
  }
}

export function createSandboxServer(deps: ServerDeps) {
  const limiter = createRateLimiter(deps.rateLimitPerSecond);
  const timers = new Set<NodeJS.Timeout>();
  const retryAfter = deps.retryAfterHeader ? { 'retry-after': '1' } : undefined;
  const controlDeps = {
    world: deps.world,
    faults: deps.faults.faults,
    stats: deps.recorder.stats,
    ledger: deps.ledger,
  };

  const send = (response: ServerResponse, answer: SandboxResponse) => {
    const write = () => {
      if (response.destroyed) return;
      response.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
      response.end(answer.body);
    };
    if (deps.latencyMs <= 0) return write();
    const timer = setTimeout(() => {
      timers.delete(timer);
      write();
    }, deps.latencyMs);
    timers.add(timer);
  };

  async function answer(
    request: IncomingMessage,
    method: string,
    rawTarget: string,
    url: URL,
    rawBody: string,
  ): Promise<SandboxResponse | 'hold'> {
    deps.recorder.request(url.pathname);
    const route = deps.router.find(method, url.pathname);
    if (!route) return notFound();
    let apiKey: string;
    try {
      apiKey = authenticate({ method, rawTarget, rawBody, headers: request.headers }, deps.credentials, deps.now());
    } catch (error) {
      if (!isOkxApiError(error)) throw error;
      deps.recorder.authFailure();
      return errorResponse(error);
    }
    const clock = performance.now();
    deps.recorder.authenticated(apiKey, clock);
    if (!limiter.tryAcquire(apiKey, clock)) {
      deps.recorder.rateLimited();
      return errorResponse(rateLimited(), retryAfter);
    }
    const parsed = parseBody(request, rawBody);
    if (parsed.error) return parsed.error;
    const context = {
      method,
      path: url.pathname,
      query: url.searchParams,
      body: parsed.body,
      world: deps.world,
      ledger: deps.ledger,
      nowMs: deps.now(),
      options: deps.params,
    };
    const fault = deps.faults.take(url.pathname, route.chainsOf?.(context) ?? []);
    if (fault && isAnswerFault(fault.kind)) return runRoute(route, context, (data) => distortAnswer(fault, data));
    if (fault) {
      if (fault.kind === 'rateLimit') deps.recorder.rateLimited();
      return faultResponse(fault as Parameters<typeof faultResponse>[0], retryAfter);
    }
    return runRoute(route, context);
  }

  const server = createServer((request, response) => {
    readBody(request)
      .then(async (rawBody) => {
        const rawTarget = request.url ?? '/';
        const url = new URL(rawTarget, 'http://sandbox.local');
        const method = request.method ?? 'GET';
        // Broadcast orders settle lazily: every request first sees the chain as it is now.
        deps.ledger.settle(deps.now());
        if (rawTarget.startsWith(CONTROL_PREFIX))
          return send(response, handleControl(controlDeps, method, url.pathname, url.searchParams, rawBody));
        const result = await answer(request, method, rawTarget, url, rawBody);
        // 'hold': the 'timeout' fault never answers; the client gives up, or stop() destroys the socket.
        if (result !== 'hold') send(response, result);
      })
      .catch((error: unknown) => {
        console.error('[okx-sandbox] request failed:', error);
        if (!response.headersSent) response.writeHead(500).end();
      });
  });

  return {
    server,
    /** Stops accepting, drops every open connection (held 'timeout' requests included) and pending latency timers. */
    close(): Promise<void> {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
