import { Dec, minDecimal, sumDecimals, toRawUnits, ZERO, type Decimal } from '../kernel/decimal';
import { formatUsdNote, type Inventory, type SellSource } from './rebalance-inventory';
import type { DroppedLeg, RebalanceLeg, RebalanceToken } from '../kernel/types';

export interface PairedLegs {
  readonly legs: readonly RebalanceLeg[];
  readonly dropped: readonly DroppedLeg[];
  readonly notes: readonly string[];
}

interface Need {
  readonly assetId: string;
  left: Decimal;
}

interface Draft {
  readonly source: SellSource;
  readonly to: RebalanceToken;
  readonly usd: Decimal;
}

interface Match {
  readonly sell: Need;
  readonly buy: Need;
  readonly source: SellSource;
  readonly to: RebalanceToken;
}

/** Leftovers under a cent are rounding, not a need worth a note. */
const NOTE_THRESHOLD_USD = new Dec('0.01');

const byLeftDescending = (a: Need, b: Need) => b.left.cmp(a.left) || a.assetId.localeCompare(b.assetId);

/**
 * The largest open sell with the largest open buy that can meet it on one chain (§5.3 greedy, §5.4
 * same-chain only). Among that sell's holdings, the one with the most left to sell: fewest legs.
 */
function nextMatch(
  sells: readonly Need[],
  buys: readonly Need[],
  inventory: Inventory,
  supply: Map<SellSource, Decimal>,
): Match | undefined {
  const open = (needs: readonly Need[]) => needs.filter((need) => need.left.gt(ZERO)).sort(byLeftDescending);
  for (const sell of open(sells)) {
    const sources = inventory.sourcesOf(sell.assetId).filter((source) => supply.get(source)!.gt(ZERO));
    for (const buy of open(buys)) {
      const options = sources.flatMap((source) => {
        const to = inventory.buyToken(buy.assetId, source.token.chainIndex);
        return to ? [{ source, to }] : [];
      });
      options.sort(
        (a, b) =>
          supply.get(b.source)!.cmp(supply.get(a.source)!) ||
          a.source.token.chainIndex.localeCompare(b.source.token.chainIndex),
      );
      if (options.length > 0) return { sell, buy, ...options[0]! };
    }
  }
  return undefined;
}

/** Greedy pairing: every leg closes a sell, a buy or a holding, so there are at most |S| + |B| − 1 per holding set. */
function pairDrafts(
  sells: Need[],
  buys: Need[],
  inventory: Inventory,
): { drafts: Draft[]; supply: Map<SellSource, Decimal> } {
  const supply = new Map<SellSource, Decimal>();
  for (const sell of sells)
    for (const source of inventory.sourcesOf(sell.assetId)) supply.set(source, source.sellable.times(source.price));
  const drafts: Draft[] = [];
  for (
    let match = nextMatch(sells, buys, inventory, supply);
    match;
    match = nextMatch(sells, buys, inventory, supply)
  ) {
    const usd = minDecimal(minDecimal(match.sell.left, match.buy.left), supply.get(match.source)!);
    drafts.push({ source: match.source, to: match.to, usd });
    match.sell.left = match.sell.left.minus(usd);
    match.buy.left = match.buy.left.minus(usd);
    supply.set(match.source, supply.get(match.source)!.minus(usd));
  }
  return { drafts, supply };
}

/** Exact amounts: usd / price rounded DOWN to the token's decimals, so a leg never sells more than held. */
function toLeg({ source, to, usd }: Draft): RebalanceLeg {
  const amount = usd.div(source.price).round(source.token.decimals, Dec.roundDown);
  return {
    chainIndex: source.token.chainIndex,
    walletAddress: source.holding.walletAddress,
    from: source.token,
    to,
    amount: amount.toString(),
    amountRaw: toRawUnits(amount, source.token.decimals),
    valueUsd: usd.toString(),
  };
}

function reasonToDrop(leg: RebalanceLeg, minTradeUsd: Decimal): string | undefined {
  if (new Dec(leg.valueUsd).lt(minTradeUsd)) return `below the $${minTradeUsd.toString()} minimum trade`;
  if (leg.amountRaw === '0') return `too small to trade: rounds down to 0 ${leg.from.symbol}`;
  return undefined;
}

function leftoverNotes(
  sells: readonly Need[],
  buys: readonly Need[],
  inventory: Inventory,
  supply: Map<SellSource, Decimal>,
): string[] {
  const notes: string[] = [];
  for (const sell of sells.filter((need) => need.left.gte(NOTE_THRESHOLD_USD))) {
    const canSellMore = sumDecimals(inventory.sourcesOf(sell.assetId).map((source) => supply.get(source)!)).gt(ZERO);
    const why = canSellMore
      ? 'has no buyer on the same chain (cross-chain moves are not automated)'
      : 'cannot be sold: the rest is gas reserve or has unknown decimals';
    notes.push(`${inventory.symbolOf(sell.assetId)}: ${formatUsdNote(sell.left)} to sell ${why}`);
  }
  for (const buy of buys.filter((need) => need.left.gte(NOTE_THRESHOLD_USD))) {
    notes.push(
      `${inventory.symbolOf(buy.assetId)}: ${formatUsdNote(buy.left)} to buy has no seller on the same chain (cross-chain moves are not automated)`,
    );
  }
  return notes;
}

/** Turns per-asset USD moves (+ buy, − sell) into same-chain legs, dropping those below the minimum trade. */
export function pairLegs(moves: ReadonlyMap<string, Decimal>, inventory: Inventory, minTradeUsd: Decimal): PairedLegs {
  const sells: Need[] = [...moves]
    .filter(([, usd]) => usd.lt(ZERO))
    .map(([assetId, usd]) => ({ assetId, left: usd.neg() }));
  const buys: Need[] = [...moves].filter(([, usd]) => usd.gt(ZERO)).map(([assetId, usd]) => ({ assetId, left: usd }));
  const { drafts, supply } = pairDrafts(sells, buys, inventory);
  const legs: RebalanceLeg[] = [];
  const dropped: DroppedLeg[] = [];
  for (const leg of drafts.map(toLeg)) {
    const reason = reasonToDrop(leg, minTradeUsd);
    if (reason) dropped.push({ leg, reason });
    else legs.push(leg);
  }
  return { legs, dropped, notes: leftoverNotes(sells, buys, inventory, supply) };
}
