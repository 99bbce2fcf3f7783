import { clipText, MAX_ECHOED_INPUT } from '../platform/telegram/messages';
import { isDecimalString } from '../kernel/decimal';
import type { TargetAllocation } from '../kernel/types';

const quote = (word: string) => clipText(word, MAX_ECHOED_INPUT);

/** A plain boolean (not a type guard), so a failed check does not narrow the word away. */
const isNumber = (word: string): boolean => isDecimalString(word);

export type ParsedTarget =
  { readonly ok: true; readonly target: TargetAllocation } | { readonly ok: false; readonly problem: string };

/**
 * `ETH 50 BTC 30 USDC 20` -> { eth: "50", btc: "30", usdc: "20" }. Only the shape is checked here
 * (pairs, numbers, repeats); the domain validates the mix itself (sum of 100, known assets).
 * Problems are plain text quoting at most a short excerpt of each word: escape before sending.
 */
export function parseTarget(words: readonly string[]): ParsedTarget {
  if (words.length % 2 !== 0)
    return { ok: false, problem: `Give pairs of asset and percent (I got ${words.length} values).` };
  const target: Record<string, string> = {};
  for (let index = 0; index < words.length; index += 2) {
    const asset = words[index]!;
    const percent = words[index + 1]!.replace(/%$/, '');
    if (isNumber(asset)) return { ok: false, problem: `Expected an asset name, got the number "${quote(asset)}".` };
    if (!isNumber(percent) || percent.startsWith('-') || /e/i.test(percent))
      return { ok: false, problem: `"${quote(words[index + 1]!)}" is not a percentage (for ${quote(asset)}).` };
    const key = asset.toLowerCase();
    if (key in target) return { ok: false, problem: `${quote(asset)} appears twice.` };
    target[key] = percent;
  }
  return { ok: true, target };
}
