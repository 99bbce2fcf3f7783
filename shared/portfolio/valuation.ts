import { assetSymbolOf, isRegistryAsset } from '../kernel/asset-registry';
import { sumDecimals, toDecimal, ZERO, type Decimal } from '../kernel/decimal';
import type {
  AssetPosition,
  ChainTotal,
  Holding,
  IsoTime,
  PortfolioView,
  SnapshotPoint,
  TokenRef,
  ValueChange,
  Wallet,
  WalletTotal,
} from '../kernel/types';

/** Three missed 10-minute syncs: after that a wallet counts as stale even if no sync reported a failure. */
export const STALE_AFTER_MS = 30 * 60 * 1000;

export interface PortfolioViewInput {
  readonly userId: string;
  readonly wallets: readonly Wallet[];
  readonly holdings: readonly Holding[];
  /** The recorded point closest to 24 h ago. */
  readonly baseline?: SnapshotPoint;
  /** Further sources of prices 24 h ago, tried after `baseline` (e.g. the back-filled point). */
  readonly fallbackBaselines?: readonly SnapshotPoint[];
  /** Without it the lagging-wallet rule (STALE_AFTER_MS) cannot run: services always pass it. */
  readonly now?: Date;
}

type Valued<T> = T & { readonly value?: Decimal };

function withValue<T extends Pick<Holding, 'balance' | 'priceUsd'>>(holding: T): Valued<T> {
  return {
    ...holding,
    value: holding.priceUsd === undefined ? undefined : toDecimal(holding.balance).times(toDecimal(holding.priceUsd)),
  };
}

/** Sum of the priced values, or undefined when nothing in the group has a price. */
function pricedSum(items: readonly { value?: Decimal }[]): Decimal | undefined {
  const priced = items.flatMap((item) => (item.value === undefined ? [] : [item.value]));
  return priced.length === 0 ? undefined : sumDecimals(priced);
}

function shareOf(value: Decimal, total: Decimal): string {
  return total.eq(ZERO) ? '0' : value.div(total).toString();
}

/** Value descending, unpriced last, then by key so equal values keep a stable order. */
function byValueDesc<T>(valueOf: (item: T) => Decimal | undefined, keyOf: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const [va, vb] = [valueOf(a), valueOf(b)];
    if (va !== undefined && vb !== undefined && !va.eq(vb)) return vb.cmp(va);
    if (va === undefined && vb !== undefined) return 1;
    if (vb === undefined && va !== undefined) return -1;
    return keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0;
  };
}

/** Unit price of an asset held at slightly different prices on several chains: value-weighted. */
function unitPrice(priced: readonly Valued<Pick<Holding, 'balance' | 'priceUsd'>>[]): Decimal | undefined {
  const first = priced[0];
  if (first?.priceUsd === undefined) return undefined;
  const quantity = sumDecimals(priced.map((holding) => toDecimal(holding.balance)));
  if (priced.every((holding) => holding.priceUsd === first.priceUsd) || quantity.eq(ZERO))
    return toDecimal(first.priceUsd);
  return sumDecimals(priced.map((holding) => holding.value ?? ZERO)).div(quantity);
}

function toAssetPosition(assetId: string, holdings: readonly Valued<Holding>[], total: Decimal): AssetPosition {
  const tokens = [...Map.groupBy(holdings, (holding) => `${holding.chainIndex}:${holding.tokenAddress}`).values()].map(
    (group) => ({
      chainIndex: group[0]!.chainIndex,
      tokenAddress: group[0]!.tokenAddress,
      quantity: sumDecimals(group.map((holding) => toDecimal(holding.balance))),
      value: pricedSum(group),
    }),
  );
  tokens.sort(
    byValueDesc(
      (token) => token.value,
      (token) => `${token.chainIndex}:${token.tokenAddress}`,
    ),
  );
  const value = pricedSum(holdings);
  const price = unitPrice(holdings.filter((holding) => holding.value !== undefined));
  return {
    assetId,
    symbol: isRegistryAsset(assetId) ? assetSymbolOf(assetId) : holdings[0]!.symbol,
    sector: holdings[0]!.sector,
    quantity: sumDecimals(tokens.map((token) => token.quantity)).toString(),
    valueUsd: value?.toString(),
    priceUsd: price?.toString(),
    share: value === undefined ? undefined : shareOf(value, total),
    chains: [...new Set(tokens.map((token) => token.chainIndex))],
    tokens: tokens.map(({ value: tokenValue, quantity, ...ref }) => ({
      ...ref,
      quantity: quantity.toString(),
      valueUsd: tokenValue?.toString(),
    })),
  };
}

function toChainTotals(holdings: readonly Valued<Holding>[], total: Decimal): ChainTotal[] {
  const chains = [...Map.groupBy(holdings, (holding) => holding.chainIndex)].map(([chainIndex, group]) => ({
    chainIndex,
    value: pricedSum(group) ?? ZERO,
  }));
  chains.sort(
    byValueDesc(
      (chain) => chain.value,
      (chain) => chain.chainIndex,
    ),
  );
  return chains.map((chain) => ({
    chainIndex: chain.chainIndex,
    valueUsd: chain.value.toString(),
    share: shareOf(chain.value, total),
  }));
}

function earliest(times: readonly (IsoTime | undefined)[]): IsoTime | undefined {
  const defined = times.filter((time): time is IsoTime => time !== undefined);
  return defined.length === 0 ? undefined : defined.reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b));
}

function toWalletTotal(
  wallet: Wallet,
  all: readonly Holding[],
  visible: readonly Valued<Holding>[],
  now?: Date,
): WalletTotal {
  const lagging =
    now !== undefined &&
    wallet.lastSyncedAt !== undefined &&
    now.getTime() - Date.parse(wallet.lastSyncedAt) > STALE_AFTER_MS;
  const failedSince = earliest(
    all.filter((holding) => holding.walletId === wallet.walletId).map((holding) => holding.staleSince),
  );
  return {
    walletId: wallet.walletId,
    address: wallet.address,
    valueUsd: (pricedSum(visible.filter((holding) => holding.walletId === wallet.walletId)) ?? ZERO).toString(),
    lastSyncedAt: wallet.lastSyncedAt,
    staleSince: failedSince ?? (lagging ? wallet.lastSyncedAt : undefined),
  };
}

/** Prices then by position key, by `chainIndex:tokenAddress`, and by canonical asset (back-filled points); earlier points win. */
function pastPriceMap(baselines: readonly SnapshotPoint[]): Map<string, Decimal> {
  const pastPrices = new Map<string, Decimal>();
  const setOnce = (key: string, price: Decimal) => {
    if (!pastPrices.has(key)) pastPrices.set(key, price);
  };
  for (const baseline of baselines) {
    for (const position of baseline.positions) {
      const price = toDecimal(position.priceUsd);
      setOnce(position.assetId, price);
      setOnce(position.assetId.slice(position.assetId.indexOf('/') + 1), price);
    }
  }
  return pastPrices;
}

/**
 * The 24 h change of what the user holds NOW: Σ quantity × (price now − price then), as portfolio apps
 * show it, so a deposit or a newly added wallet is never a "gain". The price then comes from the recorded
 * point (same wallet x token, else the same token in another wallet), else from the further baselines (the
 * slot prices any sync recorded, a back-filled point by canonical asset); a holding with none is UNCOVERED. The percentage's base is Σ quantity × price then
 * over exactly the covered holdings, and `coveredValueUsd` says how much of today's value the figure covers.
 */
function pastPriceOf(pastPrices: ReadonlyMap<string, Decimal>, holding: Holding): Decimal | undefined {
  return (
    pastPrices.get(positionKey(holding)) ??
    pastPrices.get(`${holding.chainIndex}:${holding.tokenAddress}`) ??
    pastPrices.get(holding.assetId)
  );
}

/** Priced, visible tokens the baselines give no price for: the ones to look up elsewhere (e.g. the price store). */
export function tokensWithoutPastPrice(holdings: readonly Holding[], baselines: readonly SnapshotPoint[]): TokenRef[] {
  const pastPrices = pastPriceMap(baselines);
  const missing = holdings.filter(
    (holding) =>
      !holding.isRiskToken && holding.priceUsd !== undefined && pastPriceOf(pastPrices, holding) === undefined,
  );
  return [
    ...new Map(
      missing.map((holding) => [
        `${holding.chainIndex}:${holding.tokenAddress}`,
        { chainIndex: holding.chainIndex, tokenAddress: holding.tokenAddress },
      ]),
    ).values(),
  ];
}

function changeSince(
  visible: readonly Valued<Holding>[],
  baselines: readonly SnapshotPoint[],
  total: Decimal,
): ValueChange {
  const pastPrices = pastPriceMap(baselines);
  let change = ZERO;
  let before = ZERO;
  let covered = ZERO;
  for (const holding of visible) {
    const past = pastPriceOf(pastPrices, holding);
    if (holding.value === undefined || past === undefined) continue;
    const quantity = toDecimal(holding.balance);
    change = change.plus(holding.value.minus(quantity.times(past)));
    before = before.plus(quantity.times(past));
    covered = covered.plus(holding.value);
  }
  return {
    absoluteUsd: change.toString(),
    relative: before.eq(ZERO) ? undefined : change.div(before).toString(),
    since: baselines[0]!.takenAt,
    coveredValueUsd: covered.toString(),
    totalValueUsd: total.toString(),
  };
}

/**
 * The portfolio as the user sees it. Risk tokens are hidden (counted only); tokens without a price are
 * listed without a value (counted, never valued at 0). Values are exact products and sums, so the total
 * equals the sum of the asset values and the sum of the chain values.
 */
export function buildPortfolioView(input: PortfolioViewInput): PortfolioView {
  const visible = input.holdings.filter((holding) => !holding.isRiskToken).map(withValue);
  const total = pricedSum(visible) ?? ZERO;
  const assets = [...Map.groupBy(visible, (holding) => holding.assetId)].map(([assetId, group]) =>
    toAssetPosition(assetId, group, total),
  );
  assets.sort(
    byValueDesc(
      (asset) => (asset.valueUsd === undefined ? undefined : toDecimal(asset.valueUsd)),
      (asset) => asset.assetId,
    ),
  );
  const wallets = input.wallets.map((wallet) => toWalletTotal(wallet, input.holdings, visible, input.now));
  const baselines = [...(input.baseline ? [input.baseline] : []), ...(input.fallbackBaselines ?? [])];
  return {
    userId: input.userId,
    totalValueUsd: total.toString(),
    assets,
    chains: toChainTotals(visible, total),
    wallets,
    change24h: baselines.length > 0 ? changeSince(visible, baselines, total) : undefined,
    asOf: earliest(input.wallets.map((wallet) => wallet.lastSyncedAt)),
    hiddenRiskTokens: input.holdings.length - visible.length,
    unpricedTokens: visible.filter((holding) => holding.value === undefined).length,
    staleWallets: wallets.filter((wallet) => wallet.staleSince !== undefined).length,
  };
}

/**
 * One history point: quantity and unit price per wallet x token (priced, non-risk holdings only), so
 * later maths can tell deposits from price moves. Positions are keyed `walletId/chainIndex:tokenAddress`
 * rather than by canonical asset: each then has exactly one price, so the total (the sum of
 * quantity x price) is exact, and a move between the user's own wallets or chains nets out as internal.
 * `walletIds` (the wallets tracked) lets the maths tell a wallet added or removed from a deposit or withdrawal.
 */
export function buildSnapshotPoint(
  holdings: readonly Omit<Holding, 'syncedAt'>[],
  slot: IsoTime,
  takenAt: IsoTime,
  incomplete: boolean,
  walletIds?: readonly string[],
): SnapshotPoint {
  const positions = holdings
    .filter((holding) => !holding.isRiskToken && holding.priceUsd !== undefined)
    .map((holding) => ({
      assetId: positionKey(holding),
      quantity: toDecimal(holding.balance),
      price: toDecimal(holding.priceUsd!),
    }))
    .sort((a, b) => (a.assetId < b.assetId ? -1 : a.assetId > b.assetId ? 1 : 0));
  return {
    slot,
    takenAt,
    totalValueUsd: sumDecimals(positions.map((position) => position.quantity.times(position.price))).toString(),
    positions: positions.map((position) => ({
      assetId: position.assetId,
      quantity: position.quantity.toString(),
      priceUsd: position.price.toString(),
    })),
    incomplete,
    ...(walletIds ? { walletIds: [...walletIds].sort() } : {}),
  };
}

export function positionKey(holding: Pick<Holding, 'walletId' | 'chainIndex' | 'tokenAddress'>): string {
  return `${holding.walletId}/${holding.chainIndex}:${holding.tokenAddress}`;
}
