import { createHmac } from 'node:crypto';
import type { OkxSandbox } from '../../../dev-tools/okx-sandbox/index';

/** A tiny independent OKX signer for the sandbox tests (deliberately not the product's client). */
export function sign(secretKey: string, timestamp: string, method: string, target: string, body: string): string {
  return createHmac('sha256', secretKey)
    .update(timestamp + method + target + body)
    .digest('base64');
}

export interface CallOptions {
  readonly body?: unknown;
  readonly headers?: Record<string, string | undefined>;
  readonly timestamp?: string;
  readonly signal?: AbortSignal;
}

export interface CallResult {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly json: any;
}

/** Signs and sends one request; `headers` entries set to undefined are left out. */
export async function call(
  sandbox: Pick<OkxSandbox, 'url' | 'credentials'>,
  method: 'GET' | 'POST',
  target: string,
  options: CallOptions = {},
): Promise<CallResult> {
  const timestamp = options.timestamp ?? new Date().toISOString();
  const body = options.body === undefined ? '' : JSON.stringify(options.body);
  const { credentials } = sandbox;
  const headers: Record<string, string | undefined> = {
    'OK-ACCESS-KEY': credentials.apiKey,
    'OK-ACCESS-SIGN': sign(credentials.secretKey, timestamp, method, target, body),
    'OK-ACCESS-TIMESTAMP': timestamp,
    'OK-ACCESS-PASSPHRASE': credentials.passphrase,
    'OK-ACCESS-PROJECT': credentials.projectId,
    'Content-Type': 'application/json',
    ...options.headers,
  };
  const sent = Object.fromEntries(
    Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const response = await fetch(`${sandbox.url}${target}`, {
    method,
    headers: sent,
    body: body || undefined,
    signal: options.signal,
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export async function control(sandbox: Pick<OkxSandbox, 'url'>, method: 'GET' | 'POST', path: string, body?: unknown) {
  const response = await fetch(`${sandbox.url}/__sandbox/${path}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: response.status,
    json: (await response.json()) as { ok: boolean; result?: unknown; error?: string },
  };
}

export const USDC_ETH = '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48';
export const USDT_ETH = '0xdac17f958d2ee523a2206206994597c13d831ec7';
export const WETH_ETH = '0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2';
export const EVM_NATIVE = '0xEeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE';
export const qs = (params: Record<string, string>) => new URLSearchParams(params).toString();
