import { findAssetsBySymbol, registryAssetInfo } from '../kernel/asset-registry';
import { HUNDRED, isDecimalString, sumDecimals, toDecimal, ZERO, type Decimal } from '../kernel/decimal';
import { InvalidTargetError, UnknownAssetError } from '../kernel/errors';
import type { Holding, TargetAllocation } from '../kernel/types';

/** Targets may miss 100 % by this many percentage points (rounding in what users type, e.g. 33.33 × 3). */
export const TARGET_SUM_TOLERANCE_PP = toDecimal('0.01');

interface Candidate {
  readonly assetId: string;
  readonly symbol: string;
}

function distinct(candidates: readonly Candidate[]): Candidate[] {
  return [...new Map(candidates.map((candidate) => [candidate.assetId, candidate])).values()];
}

function ambiguous(key: string, where: string, candidates: readonly Candidate[]): InvalidTargetError {
  const options = candidates.map((candidate) => `${candidate.assetId} (${candidate.symbol})`).join(', ');
  return new InvalidTargetError(`"${key}" matches several assets ${where}: ${options}; use the asset id instead`);
}

/**
 * One key as the user typed it → a canonical asset id, in this order: an asset id you hold, a registry
 * asset id, a symbol you hold (risk-flagged tokens never match a symbol: spam copies symbols), a registry
 * symbol. undefined when nothing matches.
 */
export function resolveTargetKey(key: string, holdings: readonly Holding[]): string | undefined {
  const trimmed = key.trim();
  const lower = trimmed.toLowerCase();
  const byId =
    holdings.find((holding) => holding.assetId === trimmed) ??
    holdings.find((holding) => holding.assetId.toLowerCase() === lower);
  if (byId) return byId.assetId;
  if (registryAssetInfo(lower)) return lower;
  const held = distinct(holdings.filter((holding) => !holding.isRiskToken && holding.symbol.toLowerCase() === lower));
  if (held.length > 1) throw ambiguous(trimmed, 'you hold', held);
  if (held.length === 1) return held[0]!.assetId;
  const known = distinct(findAssetsBySymbol(trimmed));
  if (known.length > 1) throw ambiguous(trimmed, 'in the token list', known);
  return known[0]?.assetId;
}

function parsePercent(key: string, value: string): Decimal {
  if (!isDecimalString(value) || toDecimal(value).lt(ZERO)) {
    throw new InvalidTargetError(`"${value}" is not a valid percentage for ${key}: use a number from 0 to 100`);
  }
  return toDecimal(value);
}

/**
 * Checks a target as typed (`{ ETH: "50", btc: "30", "USDC": "20" }`) and returns it keyed by canonical
 * asset id with normalised percent strings. Throws InvalidTargetError (bad number, ambiguous symbol,
 * duplicate, sum off 100 by more than 0.01 pp) or UnknownAssetError (every key that matched nothing).
 */
export function validateTargetAllocation(
  target: Record<string, string>,
  holdings: readonly Holding[],
): TargetAllocation {
  const entries = Object.entries(target).map(([key, value]) => ({
    key: key.trim(),
    percent: parsePercent(key.trim(), value),
  }));
  const resolved = entries.map((entry) => ({ ...entry, assetId: resolveTargetKey(entry.key, holdings) }));
  const unknown = resolved.filter((entry) => entry.assetId === undefined).map((entry) => entry.key);
  if (unknown.length > 0) throw new UnknownAssetError(unknown);
  const normalised: Record<string, string> = {};
  const keyOf = new Map<string, string>();
  for (const { key, percent, assetId } of resolved) {
    const id = assetId!;
    if (keyOf.has(id))
      throw new InvalidTargetError(`${keyOf.get(id)} and ${key} are the same asset (${id}): list it once`);
    keyOf.set(id, key);
    normalised[id] = percent.toString();
  }
  const sum = sumDecimals(entries.map((entry) => entry.percent));
  if (sum.minus(HUNDRED).abs().gt(TARGET_SUM_TOLERANCE_PP)) {
    throw new InvalidTargetError(`targets add up to ${sum.toString()} %, they must add up to 100 %`, sum.toString());
  }
  return normalised;
}
