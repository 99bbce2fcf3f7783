import { addressKind, normalizeToken, normalizeWallet, tokenKey } from './addresses';
import { findChain } from './chains';
import { SandboxInputError, fromRaw, isUnsignedDecimal, toRaw } from './decimal';
import { buildDemoWallets, type DemoWallet } from './demo-wallets';
import { generatePortfolio } from './generated-portfolio';
import { hash32 } from './random';
import { CATALOG, type TokenSpec } from './tokens';

/** One balance row as the Balance API reports it (plus `decimals`, which the API itself does not send). */
export interface HoldingView {
  readonly chainIndex: string;
  readonly tokenContractAddress: string;
  readonly address: string;
  readonly symbol: string;
  readonly balance: string;
  /** Minimal units when the sandbox "fills" it for this wallet/token (about half the rows), else ''. */
  readonly rawBalance: string;
  /** USD price, or '' when the token has no price. */
  readonly tokenPrice: string;
  readonly isRiskToken: boolean;
  readonly decimals: number;
}

export interface TokenInput {
  readonly chainIndex: string;
  readonly tokenAddress: string;
}

export interface SandboxWorld {
  readonly seed: number;
  demoWallets(): DemoWallet[];
  /** Every holding of the address on every chain, risk tokens included. */
  getBalances(address: string): HoldingView[];
  /** Sets a balance in UI units ('0' removes the holding). The token must be known (see addToken). */
  setBalance(input: TokenInput & { readonly address: string; readonly balance: string }): void;
  /** Sets the USD price ('' = the API has no price). Candles follow: their latest close is the new price. */
  setPrice(input: TokenInput & { readonly priceUsd: string }): void;
  setRiskToken(input: TokenInput & { readonly isRiskToken?: boolean }): void;
  /** Pool depth in USD used by the aggregator's price impact and its 82000 check. */
  setLiquidity(input: TokenInput & { readonly liquidityUsd: string }): void;
  addToken(
    input: TokenInput & {
      readonly symbol: string;
      readonly name?: string;
      readonly decimals: number;
      readonly priceUsd?: string;
      readonly liquidityUsd?: string;
      readonly isRiskToken?: boolean;
    },
  ): void;
  /** Minimal units the address holds of a known token (0 when none). */
  rawBalanceOf(input: TokenInput & { readonly address: string }): bigint;
  /** Adds `delta` minimal units (negative to take); refuses to go below zero. */
  adjustRawBalance(input: TokenInput & { readonly address: string; readonly delta: bigint }): void;
  findToken(chainIndex: string, tokenAddress: string): TokenSpec | undefined;
  tokensOn(chainIndex: string): TokenSpec[];
  allTokens(): TokenSpec[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function createWorld(seed: number): SandboxWorld {
  const tokens = new Map<string, Mutable<TokenSpec>>(
    CATALOG.map((token) => [tokenKey(token.chainIndex, token.address), { ...token }]),
  );
  const demos = buildDemoWallets(seed);
  const holdings = new Map<string, Map<string, bigint>>();

  const findToken = (chainIndex: string, tokenAddress: string) =>
    tokens.get(tokenKey(chainIndex, normalizeToken(chainIndex, tokenAddress)));
  const requireToken = (input: TokenInput): Mutable<TokenSpec> => {
    const token = findToken(input.chainIndex, input.tokenAddress);
    if (!token)
      throw new SandboxInputError(
        `unknown token ${input.chainIndex}:${input.tokenAddress} (add it with addToken first)`,
      );
    return token;
  };
  const tokensOn = (chainIndex: string) => [...tokens.values()].filter((token) => token.chainIndex === chainIndex);

  for (const { wallet, holdings: rows } of demos) {
    const map = new Map<string, bigint>();
    for (const [chainIndex, address, balance] of rows)
      map.set(
        tokenKey(chainIndex, address),
        toRaw(balance, requireToken({ chainIndex, tokenAddress: address }).decimals),
      );
    holdings.set(normalizeWallet(wallet.address), map);
  }

  const walletHoldings = (address: string): Map<string, bigint> => {
    const kind = addressKind(address);
    if (!kind) throw new SandboxInputError(`not a valid EVM, Solana or Tron address: ${JSON.stringify(address)}`);
    const wallet = normalizeWallet(address);
    let map = holdings.get(wallet);
    if (!map) {
      map = new Map(
        generatePortfolio(seed, wallet, kind, tokensOn).map(({ token, raw }) => [
          tokenKey(token.chainIndex, token.address),
          raw,
        ]),
      );
      holdings.set(wallet, map);
    }
    return map;
  };

  const view = (wallet: string, key: string, raw: bigint): HoldingView => {
    const token = tokens.get(key)!;
    const isRawFilled = hash32('okx-sandbox-raw', seed, wallet, key) % 2 === 0;
    return {
      chainIndex: token.chainIndex,
      tokenContractAddress: token.address,
      address: wallet,
      symbol: token.symbol,
      balance: fromRaw(raw, token.decimals),
      rawBalance: isRawFilled ? raw.toString() : '',
      tokenPrice: token.priceUsd ?? '',
      isRiskToken: token.isRiskToken,
      decimals: token.decimals,
    };
  };

  return {
    seed,
    demoWallets: () => demos.map(({ wallet }) => wallet),
    getBalances(address) {
      if (!addressKind(address)) return [];
      const wallet = normalizeWallet(address);
      return [...walletHoldings(address)].map(([key, raw]) => view(wallet, key, raw));
    },
    setBalance(input) {
      const token = requireToken(input);
      const raw = toRaw(input.balance, token.decimals);
      const map = walletHoldings(input.address);
      const key = tokenKey(token.chainIndex, token.address);
      if (raw === 0n) map.delete(key);
      else map.set(key, raw);
    },
    rawBalanceOf(input) {
      const token = requireToken(input);
      return walletHoldings(input.address).get(tokenKey(token.chainIndex, token.address)) ?? 0n;
    },
    adjustRawBalance(input) {
      const token = requireToken(input);
      const map = walletHoldings(input.address);
      const key = tokenKey(token.chainIndex, token.address);
      const next = (map.get(key) ?? 0n) + input.delta;
      if (next < 0n) throw new SandboxInputError(`${token.symbol} balance of ${input.address} would go below zero`);
      if (next === 0n) map.delete(key);
      else map.set(key, next);
    },
    setPrice(input) {
      if (input.priceUsd !== '' && !(isUnsignedDecimal(input.priceUsd) && /[1-9]/.test(input.priceUsd)))
        throw new SandboxInputError(
          `priceUsd must be a positive decimal string or '': ${JSON.stringify(input.priceUsd)}`,
        );
      requireToken(input).priceUsd = input.priceUsd === '' ? undefined : input.priceUsd;
    },
    setRiskToken(input) {
      requireToken(input).isRiskToken = input.isRiskToken ?? true;
    },
    setLiquidity(input) {
      if (!isUnsignedDecimal(input.liquidityUsd))
        throw new SandboxInputError(`liquidityUsd must be a decimal string: ${JSON.stringify(input.liquidityUsd)}`);
      requireToken(input).liquidityUsd = input.liquidityUsd;
    },
    addToken(input) {
      if (!findChain(input.chainIndex)) throw new SandboxInputError(`unknown chain ${input.chainIndex}`);
      const address = normalizeToken(input.chainIndex, input.tokenAddress);
      tokens.set(tokenKey(input.chainIndex, address), {
        chainIndex: input.chainIndex,
        address,
        symbol: input.symbol,
        name: input.name ?? input.symbol,
        decimals: input.decimals,
        priceUsd: input.priceUsd,
        liquidityUsd: input.liquidityUsd ?? '1000000',
        isRiskToken: input.isRiskToken ?? false,
        communityRecognized: false,
      });
    },
    findToken,
    tokensOn,
    allTokens: () => [...tokens.values()],
  };
}
