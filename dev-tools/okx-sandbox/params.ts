import { findChain, type SandboxChain } from './chains';
import { OkxApiError } from './envelope';

/** Error families differ per module (okx-api.md §4 and §12.5): balance and gateway answer HTTP 200 + 81xxx. */
export type Module = 'balance' | 'market' | 'aggregator' | 'gateway';

export interface ParamOptions {
  /** Code for "too many items" on market and aggregator paths (HTTP 400). */
  readonly limitCode: '50025' | '51000';
}

const isLenient = (module: Module): boolean => module === 'balance' || module === 'gateway';

export function missingParam(name: string): OkxApiError {
  return new OkxApiError('50014', `Parameter ${name} can not be empty`, 400);
}

export function badParam(module: Module, name: string): OkxApiError {
  return isLenient(module)
    ? new OkxApiError('81001', `Incorrect parameter ${name}`, 200)
    : new OkxApiError('51000', `Parameter ${name} error`, 400);
}

export function tooMany(module: Module, name: string, limit: number, options: ParamOptions): OkxApiError {
  if (isLenient(module)) return new OkxApiError('81001', `Incorrect parameter ${name}: at most ${limit} items`, 200);
  return options.limitCode === '50025'
    ? new OkxApiError('50025', `Parameter ${name} count exceeds the limit ${limit}`, 400)
    : new OkxApiError('51000', `Parameter ${name} error: at most ${limit} items`, 400);
}

function chainUnsupported(module: Module, chainIndex: string): OkxApiError {
  if (module === 'aggregator') return new OkxApiError('82105', `Chain ${chainIndex} is not supported`, 200);
  if (module === 'market') return new OkxApiError('50038', `This chain (${chainIndex}) is not supported`, 400);
  return new OkxApiError('81104', `Chain ${chainIndex} not supported`, 200);
}

export function requireParam(query: URLSearchParams, name: string): string {
  const value = query.get(name);
  if (value === null || value === '') throw missingParam(name);
  return value;
}

export function requireChain(
  module: Module,
  chainIndex: string,
  accept: (chain: SandboxChain) => boolean = () => true,
): SandboxChain {
  const chain = findChain(chainIndex);
  if (!chain || !accept(chain)) throw chainUnsupported(module, chainIndex);
  return chain;
}

/** `limit`-style integer parameter with a default and a documented maximum. */
export function readLimit(
  module: Module,
  query: URLSearchParams,
  fallback: number,
  max: number,
  options: ParamOptions,
  name = 'limit',
): number {
  const text = query.get(name);
  if (text === null || text === '') return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw badParam(module, name);
  const limit = Number(text);
  if (limit > max) throw tooMany(module, name, max, options);
  return limit;
}

/** Comma-separated `chains`, at most 50, every one supported (balance, token search). */
export function readChains(module: Module, query: URLSearchParams, options: ParamOptions, name = 'chains'): string[] {
  const chains = requireParam(query, name)
    .split(',')
    .map((chain) => chain.trim())
    .filter(Boolean);
  if (chains.length === 0) throw missingParam(name);
  if (chains.length > 50) throw tooMany(module, name, 50, options);
  const distinct = [...new Set(chains)];
  for (const chain of distinct) requireChain(module, chain);
  return distinct;
}

export function missingBody(module: Module): OkxApiError {
  return isLenient(module)
    ? new OkxApiError('81001', 'Required request body is missing', 200)
    : new OkxApiError('50000', 'Body can not be empty', 400);
}

/** POST body that must be a JSON array of at most `max` items. */
export function readArrayBody<T>(module: Module, body: unknown, max: number, options: ParamOptions, name: string): T[] {
  if (body === undefined) throw missingBody(module);
  if (!Array.isArray(body) || body.length === 0) throw badParam(module, name);
  if (body.length > max) throw tooMany(module, name, max, options);
  return body as T[];
}

export function readString(record: unknown, name: string): string | undefined {
  const value = (record as Record<string, unknown> | null)?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** One `{chainIndex, tokenContractAddress}` item of a batch body; `name` is the parameter blamed when it is not one. */
export function readTokenItem(
  module: Module,
  item: unknown,
  name: string,
): { chainIndex: string; tokenAddress: string } {
  const chainIndex = readString(item, 'chainIndex');
  const tokenAddress = readString(item, 'tokenContractAddress');
  if (!chainIndex || tokenAddress === undefined) throw badParam(module, name);
  return { chainIndex, tokenAddress };
}
