import { sumDecimals, toDecimal, ZERO } from '../../kernel/decimal';
import type { BalancesResult, ChainFailure, SupportedChain, TokenBalance } from './market-data-port';
import type { ChainIndex, DecimalString, TokenRef } from '../../kernel/types';
import { chunk } from '../helpers';
import { fromAggregatorAddress } from './native-address';
import {
  isOkxCircuitOpenError,
  isOkxRateLimitedError,
  isOkxMalformedResponseError,
  type OkxMalformedResponseError,
} from './okx-errors';
import { isAuthError, isClockError, type OkxHttp } from './okx-http';
import { OkxShape, type Json } from './okx-shape';

const BASE = '/api/v6/dex/balance';
export const MAX_CHAINS_PER_CALL = 50;
export const MAX_TOKENS_PER_BALANCE_CALL = 20;
/**
 * Bisection probes one address may spend isolating failing chains: 12 = 2 × ceil(log2 50), enough to
 * isolate one failing chain in a full 50-chain slice. Worst case per address: (1 + retries) per slice + 12.
 */
export const MAX_PROBES_PER_ADDRESS = 12;

/** The probes an address has left, shared by all its slices and halves. */
interface ProbeAllowance {
  left: number;
}

export interface BalanceOptions {
  /** Include risk/airdrop/honeypot tokens (OKX filters them by default). */
  readonly includeRiskTokens?: boolean;
}

export interface TotalValueOptions extends BalanceOptions {
  /** okx-api §6.2 `assetType`: all (default), tokens only, DeFi positions only. */
  readonly assetType?: 'all' | 'tokens' | 'defi';
}

const ASSET_TYPE = { all: '0', tokens: '1', defi: '2' } as const;

/** §6.3 / §6.4 encode the filter as a string: "0" filters risk tokens, "1" includes them. */
function excludeRiskTokenParam(options: BalanceOptions): string {
  return options.includeRiskTokens ? '1' : '0';
}

/** A balance answer that also carries the first upstream error, to rethrow when every chain failed. */
type IsolatedResult = BalancesResult & { readonly firstError?: unknown };

export function createBalanceApi(http: OkxHttp) {
  async function getSupportedChains(): Promise<SupportedChain[]> {
    const path = `${BASE}/supported/chain`;
    const shape = new OkxShape(path);
    const data = await http.request({ method: 'GET', path, family: 'balance' });
    return shape.records(data, 'data').map(({ item, path: at }) => ({
      chainIndex: shape.stringish(item, 'chainIndex', at),
      name: shape.string(item, 'name', at),
      ...(typeof item.shortName === 'string' ? { shortName: item.shortName } : {}),
    }));
  }

  async function getTokenBalancesChunk(
    address: string,
    chains: readonly ChainIndex[],
    options: BalanceOptions,
    isProbe = false,
  ): Promise<IsolatedResult> {
    const path = `${BASE}/all-token-balances-by-address`;
    const query = { address, chains: chains.join(','), excludeRiskToken: excludeRiskTokenParam(options) };
    const data = await http.request({
      method: 'GET',
      path,
      query,
      family: 'balance',
      isProbe,
      required: ['address', 'chains'],
    });
    const parsed = parseTokenAssets(new OkxShape(path), data, address);
    return {
      balances: parsed.balances,
      failedChains: parsed.refused.map(({ chainIndex, error }) => ({ chainIndex, error: error.message })),
      ...(parsed.refused[0] ? { firstError: parsed.refused[0].error } : {}),
    };
  }

  /**
   * A multi-chain request fails whole when one chain is down upstream, so a failed slice is split in
   * halves until the failing chains are isolated: the other chains still answer (O(k log n) extra calls
   * for k failing chains, one attempt each, not counted by the breaker). Rate limits, an open breaker and auth/clock errors are not chain-specific and
   * are never split. The probes of one address stop at MAX_PROBES_PER_ADDRESS: the slices not yet
   * narrowed down then fail whole (their chains keep their last good data).
   */
  async function getIsolating(
    address: string,
    chains: readonly ChainIndex[],
    options: BalanceOptions,
    probes: ProbeAllowance,
    isProbe = false,
  ): Promise<IsolatedResult> {
    try {
      return await getTokenBalancesChunk(address, chains, options, isProbe);
    } catch (error) {
      if (chains.length === 1 || !isChainSpecific(error) || probes.left < 2) throw new SliceError(chains, error);
      probes.left -= 2;
      const middle = Math.ceil(chains.length / 2);
      const halves = await Promise.allSettled([
        getIsolating(address, chains.slice(0, middle), options, probes, true),
        getIsolating(address, chains.slice(middle), options, probes, true),
      ]);
      return mergeSettled(halves);
    }
  }

  /** All tokens of one address; chains go in slices of 50, and failed chains are reported, not fatal. */
  async function getTokenBalances(
    address: string,
    chains: readonly ChainIndex[],
    options: BalanceOptions = {},
  ): Promise<BalancesResult> {
    const distinct = [...new Set(chains)];
    const probes: ProbeAllowance = { left: MAX_PROBES_PER_ADDRESS };
    const result = mergeSettled(
      await Promise.allSettled(
        chunk(distinct, MAX_CHAINS_PER_CALL).map((slice) => getIsolating(address, slice, options, probes)),
      ),
    );
    if (result.balances.length === 0 && result.failedChains.length === distinct.length && result.firstError)
      throw result.firstError;
    return { balances: result.balances, failedChains: result.failedChains };
  }

  /** Specific tokens (''= native) of one address, 20 per POST; any failed slice fails the call. */
  async function getSpecificTokenBalances(
    address: string,
    tokens: readonly TokenRef[],
    options: BalanceOptions = {},
  ): Promise<TokenBalance[]> {
    const path = `${BASE}/token-balances-by-address`;
    const shape = new OkxShape(path);
    const slices = chunk(tokens, MAX_TOKENS_PER_BALANCE_CALL);
    const answers = await Promise.all(
      slices.map(async (slice) => {
        const body = {
          address,
          tokenContractAddresses: slice.map((token) => ({
            chainIndex: token.chainIndex,
            tokenContractAddress: token.tokenAddress,
          })),
          excludeRiskToken: excludeRiskTokenParam(options),
        };
        const parsed = parseTokenAssets(
          shape,
          await http.request({ method: 'POST', path, body, family: 'balance', required: ['address'] }),
          address,
        );
        if (parsed.refused[0]) throw parsed.refused[0].error;
        return parsed.balances;
      }),
    );
    return answers.flat();
  }

  /** The native coin balance on one chain; undefined when OKX lists none. */
  async function getNativeBalance(address: string, chainIndex: ChainIndex): Promise<TokenBalance | undefined> {
    const balances = await getSpecificTokenBalances(address, [{ chainIndex, tokenAddress: '' }], {
      includeRiskTokens: true,
    });
    return balances.find((balance) => balance.chainIndex === chainIndex && balance.tokenAddress === '');
  }

  /** USD value of an address over the chains (summed over slices of 50). §6.2 takes a Boolean here. */
  async function getTotalValue(
    address: string,
    chains: readonly ChainIndex[],
    options: TotalValueOptions = {},
  ): Promise<DecimalString> {
    const path = `${BASE}/total-value-by-address`;
    const shape = new OkxShape(path);
    const slices = chunk([...new Set(chains)], MAX_CHAINS_PER_CALL);
    const totals = await Promise.all(
      slices.map(async (slice) => {
        const query = {
          address,
          chains: slice.join(','),
          assetType: ASSET_TYPE[options.assetType ?? 'all'],
          excludeRiskToken: options.includeRiskTokens ? 'false' : 'true',
        };
        const data = await http.request({
          method: 'GET',
          path,
          query,
          family: 'balance',
          required: ['address', 'chains'],
        });
        return shape.records(data, 'data').map(({ item, path: at }) => toDecimal(shape.price(item, 'totalValue', at)));
      }),
    );
    return sumDecimals(totals.flat()).toString();
  }

  return { getSupportedChains, getTokenBalances, getSpecificTokenBalances, getNativeBalance, getTotalValue };
}

/** A chain whose rows OKX answered but we refuse (e.g. a negative balance), with the first refusal. */
interface RefusedChain {
  readonly chainIndex: ChainIndex;
  readonly error: OkxMalformedResponseError;
}

/**
 * `data[].tokenAssets[]` of §6.3 / §6.4; `rawBalance: ""` and a zero/absent `tokenPrice` mean "not given".
 * A row with an implausible amount or price (see OkxShape.amount / price) refuses its whole chain, and
 * only that chain: the other chains of the same answer are kept, with no extra request. A row without a
 * readable chainIndex cannot be pinned to a chain, so it fails the whole answer.
 */
function parseTokenAssets(
  shape: OkxShape,
  data: unknown,
  queriedAddress: string,
): { balances: TokenBalance[]; refused: RefusedChain[] } {
  const rows: { chainIndex: ChainIndex; balance: TokenBalance }[] = [];
  const refused = new Map<ChainIndex, OkxMalformedResponseError>();
  for (const { item, path } of shape.records(data, 'data')) {
    for (const { item: asset, path: at } of shape.records(item.tokenAssets, `${path}.tokenAssets`)) {
      const chainIndex = shape.stringish(asset, 'chainIndex', at);
      try {
        rows.push({ chainIndex, balance: parseTokenAsset(shape, asset, at, chainIndex, queriedAddress) });
      } catch (error) {
        if (!isOkxMalformedResponseError(error)) throw error;
        if (!refused.has(chainIndex)) refused.set(chainIndex, error);
      }
    }
  }
  return {
    balances: rows.filter((row) => !refused.has(row.chainIndex)).map((row) => row.balance),
    refused: [...refused].map(([chainIndex, error]) => ({ chainIndex, error })),
  };
}

function parseTokenAsset(
  shape: OkxShape,
  asset: Json,
  at: string,
  chainIndex: ChainIndex,
  queriedAddress: string,
): TokenBalance {
  const rawBalance = shape.optionalRawUnits(asset, 'rawBalance', at);
  const priceUsd = shape.optionalPrice(asset, 'tokenPrice', at);
  return {
    chainIndex,
    tokenAddress: fromAggregatorAddress(chainIndex, shape.string(asset, 'tokenContractAddress', at)),
    walletAddress: shape.optionalString(asset, 'address', at) ?? queriedAddress,
    symbol: shape.optionalString(asset, 'symbol', at) ?? '',
    balance: shape.amount(asset, 'balance', at),
    ...(rawBalance !== undefined ? { rawBalance } : {}),
    ...(priceUsd !== undefined && !toDecimal(priceUsd).eq(ZERO) ? { priceUsd } : {}),
    isRiskToken: shape.boolean(asset, 'isRiskToken', at, false),
  };
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isChainSpecific(error: unknown): boolean {
  return !isOkxRateLimitedError(error) && !isOkxCircuitOpenError(error) && !isAuthError(error) && !isClockError(error);
}

/** The chains of a slice that could not be answered, with the upstream error. */
class SliceError extends Error {
  constructor(
    readonly chains: readonly ChainIndex[],
    readonly upstream: unknown,
  ) {
    super(describeError(upstream));
    this.name = 'SliceError';
  }
}

function mergeSettled(settled: readonly PromiseSettledResult<IsolatedResult>[]): IsolatedResult {
  const balances: TokenBalance[] = [];
  const failedChains: ChainFailure[] = [];
  let firstError: unknown;
  for (const result of settled) {
    if (result.status === 'fulfilled') {
      balances.push(...result.value.balances);
      failedChains.push(...result.value.failedChains);
      firstError ??= result.value.firstError;
    } else {
      const failure = result.reason as SliceError;
      firstError ??= failure.upstream;
      failedChains.push(...failure.chains.map((chainIndex) => ({ chainIndex, error: failure.message })));
    }
  }
  return { balances, failedChains, ...(firstError === undefined ? {} : { firstError }) };
}
