import { Big } from './big';
import { mix32, hash32 } from './random';
import type { TokenSpec } from './tokens';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const HONG_KONG = 8 * HOUR;
/** 1970-01-05 was a Monday: weekly bars start on Mondays. */
const MONDAY = 4 * DAY;

/** Bar sizes the sandbox serves. Calendar-month bars (1M, 3M and their utc forms) are not modelled. */
const BARS: Record<string, { ms: number; offset: number }> = {
  '1s': { ms: 1000, offset: 0 },
  '1m': { ms: MINUTE, offset: 0 },
  '3m': { ms: 3 * MINUTE, offset: 0 },
  '5m': { ms: 5 * MINUTE, offset: 0 },
  '15m': { ms: 15 * MINUTE, offset: 0 },
  '30m': { ms: 30 * MINUTE, offset: 0 },
  '1H': { ms: HOUR, offset: 0 },
  '2H': { ms: 2 * HOUR, offset: 0 },
  '4H': { ms: 4 * HOUR, offset: 0 },
  '6H': { ms: 6 * HOUR, offset: HONG_KONG },
  '12H': { ms: 12 * HOUR, offset: HONG_KONG },
  '1D': { ms: DAY, offset: HONG_KONG },
  '1W': { ms: 7 * DAY, offset: HONG_KONG + MONDAY },
  '6Hutc': { ms: 6 * HOUR, offset: 0 },
  '12Hutc': { ms: 12 * HOUR, offset: 0 },
  '1Dutc': { ms: DAY, offset: 0 },
  '1Wutc': { ms: 7 * DAY, offset: MONDAY },
};

/** `/candles` reaches the newest 1,440 bars (okx-api.md §7.3); history stops this many bars back. */
export const RECENT_DEPTH = 1440;
export const HISTORY_DEPTH = 20_000;

const STABLES = new Set(['USDC', 'USDT', 'DAI']);

export function isSupportedBar(bar: string): boolean {
  return bar in BARS;
}

export interface CandleQuery {
  readonly seed: number;
  readonly token: TokenSpec;
  readonly priceUsd: string;
  readonly bar: string;
  readonly nowMs: number;
  /** Only candles with ts < after / ts > before (ms). */
  readonly after?: number;
  readonly before?: number;
  readonly limit: number;
  /** true: closed candles only, reaching HISTORY_DEPTH back; false: the newest RECENT_DEPTH incl. the open one. */
  readonly isHistorical: boolean;
}

/**
 * A seeded random walk per token and bar, anchored at the current price: the open candle is flat at the
 * price and the newest closed candle closes at it, so both endpoints' latest close equals the spot price
 * and a new price (setPrice) shifts the whole path. Returns 8-column string rows, newest first.
 */
export function buildCandles(query: CandleQuery): string[][] {
  const { ms, offset } = BARS[query.bar]!;
  const current = Math.floor((query.nowMs + offset) / ms);
  const top = query.isHistorical ? current - 1 : current;
  const bottom = current - (query.isHistorical ? HISTORY_DEPTH : RECENT_DEPTH - 1);
  const high = Math.min(top, query.after === undefined ? top : Math.ceil((query.after + offset) / ms) - 1);
  const low = Math.max(
    bottom,
    query.before === undefined ? bottom : Math.floor((query.before + offset) / ms) + 1,
    high - query.limit + 1,
  );
  if (high < low) return [];

  const stream = hash32('okx-sandbox-walk', query.seed, query.token.chainIndex, query.token.address, query.bar);
  const volatility = (STABLES.has(query.token.symbol) ? 0.002 : 0.05) * Math.sqrt(ms / DAY);
  const step = (n: number, salt: number) => mix32(stream ^ salt, n) / 2 ** 32;
  // relative[n] = close(n) / price; close(current) = close(current - 1) = price.
  const relative = new Map<number, number>([
    [current, 1],
    [current - 1, 1],
  ]);
  for (let n = current - 1; n >= low; n -= 1)
    relative.set(n - 1, relative.get(n)! / (1 + (step(n, 0) - 0.5) * 2 * volatility));

  const price = new Big(query.priceUsd);
  const at = (factor: number) => (factor === 1 ? price : price.times(factor.toPrecision(15)).prec(10));
  const rows: string[][] = [];
  for (let n = high; n >= low; n -= 1) {
    const isOpen = n === current;
    const open = at(relative.get(n - 1)!);
    const close = at(relative.get(n)!);
    const upper = open.gt(close) ? open : close;
    const lower = open.lt(close) ? open : close;
    const highPrice = isOpen ? upper : upper.times((1 + step(n, 1) * volatility * 0.5).toPrecision(15)).prec(10);
    const lowPrice = isOpen ? lower : lower.times((1 - step(n, 2) * volatility * 0.5).toPrecision(15)).prec(10);
    const volumeUsd = new Big(query.token.liquidityUsd)
      .times(((0.2 + step(n, 3)) * (ms / DAY) * (isOpen ? 0.1 : 1)).toPrecision(12))
      .round(2);
    const volume = close.gt(0) ? volumeUsd.div(close).round(6) : new Big(0);
    rows.push([
      String(n * ms - offset),
      open.toString(),
      highPrice.toString(),
      lowPrice.toString(),
      close.toString(),
      volume.toString(),
      volumeUsd.toString(),
      isOpen ? '0' : '1',
    ]);
  }
  return rows;
}
