import { registryAssetInfo } from '../kernel/asset-registry';
import { toDecimal } from '../kernel/decimal';
import type { PortfolioView, TargetAllocation, UnlistedPolicy } from '../kernel/types';
import { parseTarget, type ParsedTarget } from '../rebalance/parse-target';
import { TARGET_SUM_TOLERANCE_PP } from '../rebalance/rebalance-target';

/** More pairs than any real mix; /target's own message limit stops the chat near here too. */
export const MAX_TARGET_ENTRIES = 50;

/** GET and PUT /miniapp/api/targets: the saved mix, the priced holdings for the editor, the unlisted policy. */
export function targetsBody(
  target: TargetAllocation | undefined,
  view: PortfolioView,
  unlisted: UnlistedPolicy,
  now: Date,
) {
  const symbols = new Map(view.assets.map((asset) => [asset.assetId, asset.symbol]));
  const symbolOf = (assetId: string) => symbols.get(assetId) ?? registryAssetInfo(assetId)?.symbol ?? assetId;
  return {
    generatedAt: now.toISOString(),
    // Largest first, then by asset id: a stored map has no order of its own.
    target: Object.entries(target ?? {})
      .sort(([a, x], [b, y]) => toDecimal(y).cmp(toDecimal(x)) || a.localeCompare(b))
      .map(([assetId, percent]) => ({ assetId, symbol: symbolOf(assetId), percent })),
    holdings: view.assets.flatMap((asset) =>
      asset.valueUsd === undefined || asset.share === undefined
        ? []
        : [{ assetId: asset.assetId, symbol: asset.symbol, valueUsd: asset.valueUsd, share: asset.share }],
    ),
    totalValueUsd: view.totalValueUsd,
    unlisted,
    rules: { sumPercent: '100', tolerancePp: TARGET_SUM_TOLERANCE_PP.toString() },
  };
}

/** The body was not the documented shape: a client bug, not a rule the user broke. */
export type TargetInput = ParsedTarget | { readonly ok: false; readonly shape: string };

/**
 * `{ "target": [{ "asset": "ETH", "percent": "50" }, ...] }` -> the words `/target ETH 50 ...` would give, through
 * /target's own parser (pairs, numbers, repeats). A word holding white space could never come from the chat
 * (it splits on it), so it is refused as the chat would have read it: as more than one word.
 */
export function readTargetInput(body: unknown): TargetInput {
  const entries = (body as { target?: unknown } | null)?.target;
  if (!Array.isArray(entries))
    return { ok: false, shape: 'expected { "target": [{ "asset": "ETH", "percent": "50" }] }' };
  if (entries.length > MAX_TARGET_ENTRIES)
    return { ok: false, shape: `at most ${MAX_TARGET_ENTRIES} entries, got ${entries.length}` };
  const words: string[] = [];
  for (const entry of entries as unknown[]) {
    const { asset, percent } = (entry ?? {}) as { asset?: unknown; percent?: unknown };
    if (typeof asset !== 'string' || typeof percent !== 'string')
      return { ok: false, shape: 'each entry needs "asset" and "percent" as strings' };
    words.push(asset, percent);
  }
  return parseTarget(
    words.flatMap((word) =>
      word
        .trim()
        .split(/\s+/)
        .filter((part) => part !== ''),
    ),
  );
}
