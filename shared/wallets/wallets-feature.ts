import { Composer } from 'telegraf';
import {
  inputExcerpt,
  editHtml,
  replyHtml,
  type BotContext,
  commandArgs,
  userIdOf,
} from '../platform/telegram/messages';
import type { WalletsPort } from './wallets-port';
import { KNOWN_CHAIN_NAMES, parseChains } from './parse-chains';
import {
  ADD_WALLET_USAGE,
  renderRemoveConfirm,
  renderRemoved,
  renderWalletAdded,
  renderWalletList,
} from './wallets-message';

const WALLET_ID = '([A-Za-z0-9_-]{1,40})';
export const NOT_YOUR_WALLET = 'That wallet is not in your list';

/** What the wallet commands use. */
export interface WalletsFeatureDeps {
  readonly portfolio: WalletsPort;
  readonly now: () => Date;
}

/** /addwallet, /wallets and the Remove → confirm flow. Callbacks act on the tapping user's own wallets. */
export function createWalletsFeature(deps: WalletsFeatureDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const findOwnWallet = async (ctx: BotContext, walletId: string) =>
    (await deps.portfolio.listWallets(userIdOf(ctx))).find((wallet) => wallet.walletId === walletId);

  composer.command('addwallet', async (ctx) => {
    const [address, ...chainWords] = commandArgs(ctx);
    if (!address) return replyHtml(ctx, { text: ADD_WALLET_USAGE }, 'addwallet-usage');
    const parsed = parseChains(chainWords);
    if (!parsed.ok)
      return replyHtml(
        ctx,
        {
          text: `⚠️ I don't know the chain "${inputExcerpt(parsed.unknown)}". Use chain names (${KNOWN_CHAIN_NAMES}) or OKX chain ids.`,
        },
        'addwallet-chain',
      );
    // Domain errors (bad address, duplicate, limit, unsupported chain) reach bot.catch, which shows their reason.
    const wallet = await deps.portfolio.addWallet(
      userIdOf(ctx),
      address,
      parsed.chains.length > 0 ? parsed.chains : undefined,
    );
    await replyHtml(ctx, { text: renderWalletAdded(wallet) }, 'wallet-added');
  });

  composer.command('wallets', async (ctx) => {
    await replyHtml(ctx, renderWalletList(await deps.portfolio.listWallets(userIdOf(ctx)), deps.now()), 'wallets');
  });

  composer.action(new RegExp(`^v1:wrm:${WALLET_ID}$`), async (ctx) => {
    const wallet = await findOwnWallet(ctx, ctx.match[1]!);
    if (!wallet) return void (await ctx.answerCbQuery(NOT_YOUR_WALLET));
    await ctx.answerCbQuery();
    await editHtml(ctx, renderRemoveConfirm(wallet));
  });

  composer.action(new RegExp(`^v1:wrmok:${WALLET_ID}$`), async (ctx) => {
    const wallet = await findOwnWallet(ctx, ctx.match[1]!);
    if (!wallet) return void (await ctx.answerCbQuery(NOT_YOUR_WALLET));
    await ctx.answerCbQuery('Removing…');
    await deps.portfolio.removeWallet(userIdOf(ctx), wallet.walletId);
    await editHtml(ctx, { text: renderRemoved(wallet) });
  });

  // One read serves both the ownership check and the list shown again.
  composer.action(new RegExp(`^v1:wrmno:${WALLET_ID}$`), async (ctx) => {
    const wallets = await deps.portfolio.listWallets(userIdOf(ctx));
    if (!wallets.some((wallet) => wallet.walletId === ctx.match[1]))
      return void (await ctx.answerCbQuery(NOT_YOUR_WALLET));
    await ctx.answerCbQuery('Kept');
    await editHtml(ctx, renderWalletList(wallets, deps.now()));
  });
  return composer;
}
