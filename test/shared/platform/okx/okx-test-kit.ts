import type { OkxCredentials } from '../../../../shared/platform/config/credentials';
import { createOkxClient, type OkxClient, type OkxClientOptions } from '../../../../shared/platform/okx/okx-client';

/** A request as the fake OKX saw it on the wire. */
export interface SeenRequest {
  readonly method: string;
  readonly url: URL;
  /** Path + query exactly as sent (what OKX signs over). */
  readonly requestPath: string;
  readonly headers: Headers;
  readonly body: string;
  /** The request's abort signal (ky's timeout and the caller's own signal, combined). */
  readonly signal: AbortSignal;
}

export interface FakeReply {
  readonly status?: number;
  readonly body?: unknown;
  /** Raw body text (overrides `body`). */
  readonly text?: string;
  readonly headers?: Record<string, string>;
}

export type Handler = (request: SeenRequest, index: number) => FakeReply | Error | Promise<FakeReply | Error>;

export const START_MS = Date.parse('2025-01-01T00:00:00.000Z');

export const CREDENTIALS: OkxCredentials = {
  apiKey: 'key-37c541a1',
  secretKey: '22582BD0CFF14C41EDBF1AB98506286D',
  passphrase: 'pass-phrase-9',
  projectId: 'project-42',
};

export function ok(data: unknown, headers?: Record<string, string>): FakeReply {
  return { status: 200, body: { code: '0', msg: '', data }, ...(headers ? { headers } : {}) };
}

export function okxError(code: string, msg = 'failed', status = 200, headers?: Record<string, string>): FakeReply {
  return { status, body: { code, msg, data: [] }, ...(headers ? { headers } : {}) };
}

/** Replies in order; the last one repeats. */
export function sequence(...replies: (FakeReply | Error)[]): Handler {
  return (_request, index) => replies[Math.min(index, replies.length - 1)]!;
}

export interface Harness {
  readonly explorer: OkxClient;
  readonly requests: SeenRequest[];
  readonly sleeps: number[];
  readonly clock: { ms: number };
}

/** An explorer over a scripted fetch, a fake clock and an instant sleep that advances it. */
export function createHarness(handler: Handler, overrides: Partial<OkxClientOptions> = {}): Harness {
  const requests: SeenRequest[] = [];
  const sleeps: number[] = [];
  const clock = { ms: START_MS };
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    const seen = {
      method: request.method,
      url,
      requestPath: url.pathname + url.search,
      headers: request.headers,
      body: await request.text(),
      signal: request.signal,
    };
    requests.push(seen);
    const reply = await handler(seen, requests.length - 1);
    if (reply instanceof Error) throw reply;
    const text = reply.text ?? JSON.stringify(reply.body ?? {});
    return new Response(text, { status: reply.status ?? 200, headers: reply.headers ?? {} });
  };
  const explorer = createOkxClient({
    baseUrl: 'https://okx.test',
    credentials: CREDENTIALS,
    fetch: fetch as typeof globalThis.fetch,
    now: () => clock.ms,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.ms += ms;
    },
    random: () => 0.5,
    ratePerSecond: 1000,
    burst: 1000,
    ...overrides,
  });
  return { explorer, requests, sleeps, clock };
}

export function bodyOf(request: SeenRequest): unknown {
  return JSON.parse(request.body);
}

export function evmAddress(n: number): string {
  return `0x${n.toString(16).padStart(40, '0')}`;
}
