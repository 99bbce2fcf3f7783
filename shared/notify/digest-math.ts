import { sumDecimals, toDecimal, ZERO, type Decimal } from '../kernel/decimal';
import type { DecimalString, SnapshotPoint } from '../kernel/types';

/** What the digest shows of the change between two recorded points (finance-methods §2). */
export interface DigestChange {
  readonly startValueUsd: DecimalString;
  readonly endValueUsd: DecimalString;
  /** endValue − startValue = priceEffect + flows + tracking, exactly. */
  readonly changeUsd: DecimalString;
  /** Σ q_start × (p_end − p_start) over the positions held at both points: what the markets did. */
  readonly priceEffectUsd: DecimalString;
  /** priceEffect / startValue; undefined when the start value is zero. */
  readonly priceReturn?: DecimalString;
  /** Σ (q_end − q_start) × p_end: deposits and withdrawals (a position gone is valued at its last price). */
  readonly flowsUsd: DecimalString;
  /** Value of wallets added (+) or removed (−) between the points: neither a flow nor a gain. */
  readonly trackingUsd: DecimalString;
  /** Per canonical asset, largest price effect (by size) first; assets without one are left out. */
  readonly contributions: readonly AssetContribution[];
}

export interface AssetContribution {
  readonly assetId: string;
  readonly symbol: string;
  readonly priceEffectUsd: DecimalString;
}

/** The asset and symbol of a token key (`chainIndex:tokenAddress`), from the user's holdings or the registry. */
export type AssetLookup = (tokenKey: string) => { readonly assetId: string; readonly symbol: string };

type Position = SnapshotPoint['positions'][number];

/** Position keys are `walletId/chainIndex:tokenAddress` (portfolio/valuation.ts#positionKey). */
const walletOf = (key: string) => key.slice(0, key.indexOf('/'));
const tokenOf = (key: string) => key.slice(key.indexOf('/') + 1);

function walletsOf(point: Pick<SnapshotPoint, 'positions' | 'walletIds'>): ReadonlySet<string> {
  return new Set(point.walletIds ?? point.positions.map((position) => walletOf(position.assetId)));
}

/**
 * Splits the change between two points into price effect, flows and tracking changes, per position (wallet ×
 * token, one price each), and attributes the price effect to canonical assets (the same token on several chains
 * or in several wallets adds up). Worked example (finance-methods §2): 2 ETH @ 3,000 + 1,000 USDC → 2.5 ETH @
 * 3,100 + 1,000 USDC: change 1,750 = price effect 200 (ETH) + flows 1,550.
 */
export function attributeChange(
  start: Pick<SnapshotPoint, 'positions' | 'walletIds'>,
  end: Pick<SnapshotPoint, 'positions' | 'walletIds'>,
  assetOf: AssetLookup,
): DigestChange {
  const before = new Map(start.positions.map((position) => [position.assetId, position]));
  const after = new Map(end.positions.map((position) => [position.assetId, position]));
  const walletsBefore = walletsOf(start);
  const walletsAfter = walletsOf(end);
  const effects = new Map<string, { symbol: string; effect: Decimal }>();
  const flows: Decimal[] = [];
  const tracking: Decimal[] = [];

  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const was = before.get(key);
    const is = after.get(key);
    const wallet = walletOf(key);
    if (!walletsAfter.has(wallet)) tracking.push(valueOf(was).neg());
    else if (!walletsBefore.has(wallet)) tracking.push(valueOf(is));
    else if (was && is) {
      const effect = toDecimal(was.quantity).times(toDecimal(is.priceUsd).minus(was.priceUsd));
      flows.push(toDecimal(is.quantity).minus(was.quantity).times(is.priceUsd));
      const asset = assetOf(tokenOf(key));
      const sum = effects.get(asset.assetId);
      effects.set(asset.assetId, { symbol: asset.symbol, effect: (sum?.effect ?? ZERO).plus(effect) });
    } else flows.push(is ? valueOf(is) : valueOf(was).neg());
  }

  const startValue = sumDecimals(start.positions.map(valueOf));
  const endValue = sumDecimals(end.positions.map(valueOf));
  const priceEffect = sumDecimals([...effects.values()].map((entry) => entry.effect));
  const contributions = [...effects.entries()]
    .filter(([, entry]) => !entry.effect.eq(ZERO))
    .sort(([a, x], [b, y]) => y.effect.abs().cmp(x.effect.abs()) || (a < b ? -1 : 1))
    .map(([assetId, entry]) => ({ assetId, symbol: entry.symbol, priceEffectUsd: entry.effect.toString() }));
  return {
    startValueUsd: startValue.toString(),
    endValueUsd: endValue.toString(),
    changeUsd: endValue.minus(startValue).toString(),
    priceEffectUsd: priceEffect.toString(),
    ...(startValue.gt(ZERO) ? { priceReturn: priceEffect.div(startValue).toString() } : {}),
    flowsUsd: sumDecimals(flows).toString(),
    trackingUsd: sumDecimals(tracking).toString(),
    contributions,
  };
}

function valueOf(position: Position | undefined): Decimal {
  return position ? toDecimal(position.quantity).times(position.priceUsd) : ZERO;
}
