import {
  formatAge,
  formatQuantity,
  formatShare,
  formatSignedPercent,
  formatSignedUsd,
  formatUsd,
} from '../platform/telegram/money-format';
import {
  dashboardRows,
  escapeHtml,
  type HtmlMessage,
  type KeyboardButton,
  editHtml,
  replyHtml,
  type BotContext,
  userIdOf,
} from '../platform/telegram/messages';
import { toDecimal } from '../kernel/decimal';
import type { AssetPosition, PortfolioView } from '../kernel/types';
import { chainName } from '../kernel/chains';
import { Composer } from 'telegraf';
import type { PortfolioServicePort } from './portfolio-service-port';
import type { UserCooldownStore } from '../platform/dynamo/user-cooldown-store';

/** Assets listed by name; the rest are summed into one line so the message stays short. */
export const TOP_ASSETS = 10;
export const TOP_CHAINS = 8;

export const EMPTY_PORTFOLIO_TEXT =
  'Your portfolio is empty so far. Add a wallet with /addwallet &lt;address&gt;; balances appear after the first sync.';

/** /portfolio: total, top assets with quantity, value and weight, chains, 24 h change, freshness and caveats. */
export function renderPortfolio(
  view: PortfolioView,
  now: Date,
  ownerId: string,
  extraRows: readonly (readonly KeyboardButton[])[] = [],
): HtmlMessage {
  const buttons = [
    [
      { text: '📈 Report', data: 'v1:report' },
      { text: '🔄 Rebalance', data: 'v1:rebal' },
    ],
    [{ text: '🔁 Refresh', data: `v1:refresh:${ownerId}` }],
    ...extraRows,
  ];
  if (view.assets.length === 0) return { text: EMPTY_PORTFOLIO_TEXT, buttons: [[buttons[1]![0]!]] };
  const lines = [`💼 <b>Portfolio: ${escapeHtml(formatUsd(view.totalValueUsd))}</b>`];
  if (view.change24h) lines.push(`24 h: ${renderChange(view.change24h)}`);
  lines.push(`<i>as of ${view.asOf ? formatAge(view.asOf, now) : 'never synced'}</i>`, '', '<b>Top assets</b>');
  lines.push(...renderAssets(view.assets));
  if (view.chains.length > 0) lines.push('', '<b>By chain</b>', renderChains(view));
  lines.push(...renderNotes(view));
  return { text: lines.join('\n'), buttons };
}

/** "+$120.00 (+1.20 %)", with "— covers $9,800.00 of $10,000.00" when some holdings had no price 24 h ago. */
function renderChange(change: NonNullable<PortfolioView['change24h']>): string {
  const relative = change.relative === undefined ? '' : ` (${formatSignedPercent(change.relative)})`;
  const partial = toDecimal(change.coveredValueUsd).eq(toDecimal(change.totalValueUsd))
    ? ''
    : ` — covers ${formatUsd(change.coveredValueUsd)} of ${formatUsd(change.totalValueUsd)}`;
  return `${escapeHtml(formatSignedUsd(change.absoluteUsd))}${relative}${escapeHtml(partial)}`;
}

function renderAssets(assets: readonly AssetPosition[]): string[] {
  const rows = assets.slice(0, TOP_ASSETS).map((asset) => {
    const value = asset.valueUsd === undefined ? 'n/a' : escapeHtml(formatUsd(asset.valueUsd));
    const weight = asset.share === undefined ? '' : ` · ${escapeHtml(formatShare(asset.share))}`;
    return `• <b>${escapeHtml(asset.symbol)}</b> ${escapeHtml(formatQuantity(asset.quantity))} · ${value}${weight}`;
  });
  const rest = assets.slice(TOP_ASSETS);
  if (rest.length > 0) rows.push(`• …and ${rest.length} more assets`);
  return rows;
}

function renderChains(view: PortfolioView): string {
  const shown = view.chains
    .slice(0, TOP_CHAINS)
    .map(
      (chain) =>
        `${escapeHtml(chainName(chain.chainIndex))} ${escapeHtml(formatUsd(chain.valueUsd))} (${escapeHtml(formatShare(chain.share))})`,
    );
  const more = view.chains.length > TOP_CHAINS ? [`${view.chains.length - TOP_CHAINS} more`] : [];
  return [...shown, ...more].join(' · ');
}

function renderNotes(view: PortfolioView): string[] {
  const notes: string[] = [];
  if (view.staleWallets > 0)
    notes.push(
      `⚠️ ${plural(view.staleWallets, 'wallet')} could not be synced last time: showing the last good balances.`,
    );
  if (view.unpricedTokens > 0)
    notes.push(`ℹ️ ${plural(view.unpricedTokens, 'token')} without a price: shown as n/a and left out of the total.`);
  if (view.hiddenRiskTokens > 0) notes.push(`🙈 ${plural(view.hiddenRiskTokens, 'spam/risk token')} hidden.`);
  return notes.length > 0 ? ['', ...notes] : [];
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** One manual sync per user per minute: each Refresh costs several OKX requests. */
export const REFRESH_COOLDOWN_SECONDS = 60;
export const NOT_YOUR_PORTFOLIO = 'This is not your portfolio: send /portfolio for yours';

/** What /portfolio and Refresh use; without `cooldowns` Refresh is not rate limited. */
export interface PortfolioFeatureDeps {
  readonly portfolio: Pick<PortfolioServicePort, 'getLiveView' | 'syncBalances'>;
  readonly cooldowns?: UserCooldownStore;
  readonly now: () => Date;
  /** MINIAPP_URL: adds the 📊 Dashboard button in private chats. */
  readonly miniAppUrl?: string;
}

/** /portfolio and its Refresh button (which syncs, then edits the message in place). */
export function createPortfolioFeature(deps: PortfolioFeatureDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const render = async (ctx: BotContext, userId: string) =>
    renderPortfolio(await deps.portfolio.getLiveView(userId), deps.now(), userId, dashboardRows(ctx, deps.miniAppUrl));

  composer.command('portfolio', async (ctx) => {
    await replyHtml(ctx, await render(ctx, userIdOf(ctx)), 'portfolio');
  });

  // The owner rides in the callback data: a tap from anyone else must not overwrite this message.
  composer.action(/^v1:refresh:(\d{1,20})$/, async (ctx) => {
    const userId = userIdOf(ctx);
    if (ctx.match[1] !== userId) return void (await ctx.answerCbQuery(NOT_YOUR_PORTFOLIO));
    const cooldown = await deps.cooldowns?.tryAcquire(userId, 'refresh', REFRESH_COOLDOWN_SECONDS);
    if (cooldown && !cooldown.allowed)
      return void (await ctx.answerCbQuery(`Just refreshed, try again in ${cooldown.retryAfterSeconds} s`));
    await ctx.answerCbQuery('Refreshing…');
    // Asked for by the user, so it fetches from OKX now rather than serving this slot's cached balances.
    await deps.portfolio.syncBalances(userId, { fresh: true });
    await editHtml(ctx, await render(ctx, userId));
  });
  return composer;
}
