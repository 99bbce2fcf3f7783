import { formatShare } from '../platform/telegram/money-format';
import { inputExcerpt } from '../platform/telegram/messages';
import { sumDecimals, toDecimal } from '../kernel/decimal';
import type { PortfolioView } from '../kernel/types';

/** Assets named on the card; the rest share one "Others" line. */
export const SHARE_TOP_ASSETS = 6;
/** Token symbols come from the chain (anyone can mint one): shown as a short excerpt. */
const MAX_SYMBOL = 16;

export const NOTHING_TO_SHARE_TEXT = '📊 Nothing to share yet: no priced assets.';

/**
 * /share: an allocation card safe for a group, because the user chose to post it. Only each asset's share of
 * the priced total (`AssetPosition.share`, as in /portfolio); never a dollar amount, a quantity, a chain
 * total or an address. Unpriced assets have no share and are left out.
 */
export function renderShareCard(view: PortfolioView, firstName?: string): string {
  const priced = view.assets.filter((asset) => asset.share !== undefined);
  if (priced.length === 0) return NOTHING_TO_SHARE_TEXT;
  const title = firstName ? `📊 <b>${inputExcerpt(firstName)}’s allocation</b>` : '📊 <b>My allocation</b>';
  const lines = priced
    .slice(0, SHARE_TOP_ASSETS)
    .map((asset) => `• <b>${inputExcerpt(asset.symbol, MAX_SYMBOL)}</b> ${formatShare(asset.share!)}`);
  const rest = priced.slice(SHARE_TOP_ASSETS);
  if (rest.length > 0)
    lines.push(
      `• Others (${rest.length}) ${formatShare(sumDecimals(rest.map((asset) => toDecimal(asset.share!))).toString())}`,
    );
  return [title, ...lines, '<i>Percentages only: amounts and addresses stay private.</i>'].join('\n');
}
