import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Holding, SnapshotPoint } from '../../shared/kernel/types';
import { buildSnapshotPoint } from '../../shared/portfolio/valuation';
import { createSnapshotStore } from '../../shared/sync/snapshot-store';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** How long each resolution is kept (snapshot-store RETENTION_SECONDS): what a year of syncing leaves behind. */
const TEN_MINUTE_DAYS = 8;

export type HistoryLayout = 'rollups' | 'daily';

export interface SeededHistory {
  readonly tenMinute: number;
  readonly hourly: number;
  readonly daily: number;
  readonly positions: number;
}

/**
 * Writes `days` of recorded history before `now` from today's holdings at past prices (a seeded random walk per
 * token, stablecoins flat), with one deposit half-way (the first position held 20 % less before it).
 * - `rollups`, what a year of syncing leaves in the table: 10-minute points for the last 8 days (each with its
 *   hourly and daily rollups, written by `putSnapshot` like a sync), hourly and daily points before that;
 * - `daily`: one 10-minute point a day (with its rollups), a lighter history.
 * The current slot is left to the sync that ran before.
 */
export async function seedHistory(
  doc: DynamoDBDocumentClient,
  table: string,
  userId: string,
  holdings: readonly Holding[],
  days: number,
  now: Date,
  layout: HistoryLayout,
): Promise<SeededHistory> {
  const store = createSnapshotStore(doc, table);
  const walletIds = [...new Set(holdings.map((holding) => holding.walletId))];
  const prices = createPricePaths(holdings, now, days);
  const pointAt = (time: number): SnapshotPoint => {
    const slot = new Date(time).toISOString();
    const past = holdings.map((holding, index) => ({
      ...holding,
      priceUsd: holding.priceUsd === undefined ? undefined : prices(index, time),
      balance: index === 0 && time < now.getTime() - (days / 2) * DAY ? scale(holding.balance, 0.8) : holding.balance,
    }));
    return buildSnapshotPoint(past, slot, slot, false, walletIds);
  };
  const currentSlot = Math.floor(now.getTime() / (10 * MINUTE)) * 10 * MINUTE;
  const start = currentSlot - days * DAY;
  const tenMinute: number[] = [];
  const hourly: number[] = [];
  const daily: number[] = [];
  if (layout === 'daily') {
    for (let time = currentSlot - DAY; time >= start; time -= DAY) tenMinute.push(time);
  } else {
    const fineFrom = currentSlot - TEN_MINUTE_DAYS * DAY;
    for (let time = currentSlot - 10 * MINUTE; time > fineFrom; time -= 10 * MINUTE) tenMinute.push(time);
    // The latest point of each older hour and day, as the rollups keep it.
    for (let time = fineFrom - 10 * MINUTE; time >= start; time -= HOUR) hourly.push(time);
    for (let time = Math.floor(fineFrom / DAY) * DAY - 10 * MINUTE; time >= start; time -= DAY) daily.push(time);
  }
  await inParallel(tenMinute, 16, (time) => store.putSnapshot(userId, pointAt(time)));
  await store.putBackfill(userId, '1h', hourly.map(pointAt));
  await store.putBackfill(userId, '1d', daily.map(pointAt));
  return {
    tenMinute: tenMinute.length,
    hourly: hourly.length,
    daily: daily.length,
    positions: pointAt(currentSlot).positions.length,
  };
}

/** Price of holding `index` at `time`: a walk of ±0.4 % an hour ending at today's price (stablecoins stay put). */
function createPricePaths(
  holdings: readonly Holding[],
  now: Date,
  days: number,
): (index: number, time: number) => string {
  const hours = days * 24 + 24;
  const paths = holdings.map((holding, index) => {
    const isStable = holding.priceUsd !== undefined && Math.abs(Number(holding.priceUsd) - 1) < 0.02;
    const random = mulberry32(1000 + index);
    const factors = [1];
    for (let hour = 1; hour <= hours; hour += 1)
      factors.push(isStable ? 1 : factors[hour - 1]! * (1 + (random() - 0.5) * 0.008));
    return factors;
  });
  return (index, time) => {
    const hoursAgo = Math.min(hours, Math.max(0, Math.floor((now.getTime() - time) / HOUR)));
    // Bench data only: a JS float factor, written back as a decimal string like any OKX price.
    return String(Number((Number(holdings[index]!.priceUsd) * paths[index]![hoursAgo]!).toPrecision(10)));
  };
}

function scale(balance: string, factor: number): string {
  return String(Number((Number(balance) * factor).toPrecision(12)));
}

function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}
