import { Big } from './big';
import { SandboxInputError } from './decimal';
import { json, type SandboxResponse } from './envelope';
import { FAULT_KINDS, type FaultKind, type SandboxFaults } from './faults';
import type { Ledger } from './ledger';
import type { SandboxStats } from './stats';
import type { SandboxWorld } from './world';

export const CONTROL_PREFIX = '/__sandbox/';

interface ControlDeps {
  readonly world: SandboxWorld;
  readonly faults: SandboxFaults;
  readonly stats: SandboxStats;
  readonly ledger: Ledger;
}

type Body = Record<string, unknown>;

function text(body: Body, name: string): string {
  const value = body[name];
  if (typeof value !== 'string') throw new SandboxInputError(`${name} must be a string`);
  return value;
}

/** Every non-stable priced token moves by `percent` (e.g. "-12.5"): a one-call market shock for demos. */
function moveMarket(world: SandboxWorld, percent: string): number {
  const factor = new Big(100).plus(percent).div(100);
  if (factor.lte(0)) throw new SandboxInputError('percent must be above -100');
  const moved = world.allTokens().filter((token) => token.priceUsd && !['USDC', 'USDT', 'DAI'].includes(token.symbol));
  for (const token of moved)
    world.setPrice({
      chainIndex: token.chainIndex,
      tokenAddress: token.address,
      priceUsd: new Big(token.priceUsd!).times(factor).prec(12).toString(),
    });
  return moved.length;
}

const handlers: Record<string, (deps: ControlDeps, body: Body, query: URLSearchParams) => unknown> = {
  'GET wallets': ({ world }) =>
    world.demoWallets().map((wallet) => ({ ...wallet, balances: world.getBalances(wallet.address) })),
  'GET balances': ({ world }, _body, query) => world.getBalances(query.get('address') ?? ''),
  'GET stats': ({ stats }) => ({
    totalRequests: stats.totalRequests,
    rateLimited: stats.rateLimited,
    authFailures: stats.authFailures,
    perPath: stats.perPath,
    maxRequestsPerSecond: stats.maxRequestsPerSecond(),
  }),
  'POST set-balance': ({ world }, body) =>
    world.setBalance({
      address: text(body, 'address'),
      chainIndex: text(body, 'chainIndex'),
      tokenAddress: text(body, 'tokenAddress'),
      balance: text(body, 'balance'),
    }),
  'POST set-price': ({ world }, body) =>
    world.setPrice({
      chainIndex: text(body, 'chainIndex'),
      tokenAddress: text(body, 'tokenAddress'),
      priceUsd: text(body, 'priceUsd'),
    }),
  'POST set-risk-token': ({ world }, body) =>
    world.setRiskToken({
      chainIndex: text(body, 'chainIndex'),
      tokenAddress: text(body, 'tokenAddress'),
      isRiskToken: body.isRiskToken !== false,
    }),
  'POST set-liquidity': ({ world }, body) =>
    world.setLiquidity({
      chainIndex: text(body, 'chainIndex'),
      tokenAddress: text(body, 'tokenAddress'),
      liquidityUsd: text(body, 'liquidityUsd'),
    }),
  'POST move-market': ({ world }, body) => ({ moved: moveMarket(world, text(body, 'percent')) }),
  'POST faults': ({ faults }, body) => {
    const kind = text(body, 'kind') as FaultKind;
    if (!(FAULT_KINDS as readonly string[]).includes(kind))
      throw new SandboxInputError(`kind must be one of ${FAULT_KINDS.join(', ')}`);
    const path =
      typeof body.pathPattern === 'string'
        ? new RegExp(body.pathPattern)
        : typeof body.path === 'string'
          ? body.path
          : undefined;
    const chains = Array.isArray(body.chains) ? body.chains.map(String) : undefined;
    faults.inject({ kind, path, chains, times: typeof body.times === 'number' ? body.times : undefined });
    return faults.active().map((fault) => ({ ...fault, path: fault.path?.toString() }));
  },
  'POST faults/clear': ({ faults }) => faults.clear(),
  'GET settings': ({ ledger }) => ledger.settings(),
  'POST settings': ({ ledger }, body) => {
    const value = body.confirmAfterMs;
    if (value !== undefined && typeof value !== 'number')
      throw new SandboxInputError('confirmAfterMs must be a number');
    return ledger.updateSettings({ confirmAfterMs: value });
  },
  'GET nonce': ({ ledger }, _body, query) => {
    const chainIndex = query.get('chainIndex');
    const address = query.get('address');
    if (!chainIndex || !address) throw new SandboxInputError('chainIndex and address are required');
    return { nonce: ledger.nextNonce(chainIndex, address) };
  },
};

/** Controls whose result is also spread at the top level of the answer (the shared spec reads `{ nonce }`). */
const FLAT = new Set(['GET nonce']);

/** The unauthenticated test/demo controls under /__sandbox/* (see README.md). */
export function handleControl(
  deps: ControlDeps,
  method: string,
  path: string,
  query: URLSearchParams,
  rawBody: string,
): SandboxResponse {
  const name = `${method} ${path.slice(CONTROL_PREFIX.length)}`;
  const handler = handlers[name];
  if (!handler)
    return json(404, { ok: false, error: `unknown control ${method} ${path}`, controls: Object.keys(handlers) });
  try {
    const body = rawBody ? (JSON.parse(rawBody) as Body) : {};
    const result = handler(deps, body ?? {}, query) ?? null;
    return json(200, { ok: true, result, ...(FLAT.has(name) ? (result as object) : {}) });
  } catch (error) {
    // Every failure here is a bad control request (bad JSON, unknown token, invalid amount...).
    return json(400, { ok: false, error: (error as Error).message });
  }
}
