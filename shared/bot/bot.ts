import { Telegraf } from 'telegraf';
import type { UserFromGetMe } from 'telegraf/types';
import type { BotDeps } from './bot-deps';
import type { BotContext } from '../platform/telegram/messages';
import { createRebalanceFeature } from '../rebalance/rebalance-feature';
import { createPortfolioFeature } from '../portfolio/portfolio-feature';
import { createReportFeature } from '../portfolio/report-feature';
import { createShareFeature } from '../portfolio/share-feature';
import { createFallbackFeature, createStartFeature } from './start-feature';
import { createTargetFeature } from '../rebalance/target-feature';
import { createWalletsFeature } from '../wallets/wallets-feature';
import { createAlertsFeature } from '../notify/alerts-feature';
import { logger as platformLogger, type Log } from '../platform/logger';
import { answerCallbacks, createSecretGuardFeature, privacyGuard, reactivateUsers, trackApiCalls } from './middleware';
import { createBotErrorHandler } from './handle-bot-error';
import { updateDeadline } from '../platform/telegram/update-deadline';
import { createDigestFeature } from '../notify/digest-feature';

/** The webhook Lambda runs for 20 s (infra WEBHOOK_TIMEOUT); the bot gives up 4 s earlier to answer kindly. */
export const HANDLER_TIMEOUT_MS = 16_000;
/** telegraf's own timeout, a backstop behind the update deadline (which cancels the work; telegraf's does not). */
const TELEGRAF_BACKSTOP_MS = 2_000;

export interface BotOptions {
  readonly token: string;
  /** TELEGRAM_API_ROOT: the real Bot API, or the fake one locally and in tests. */
  readonly apiRoot?: string;
  /** Preset so no update ever waits for getMe; the id defaults to the token's numeric prefix. */
  readonly botInfo?: Partial<UserFromGetMe>;
  readonly handlerTimeoutMs?: number;
  /** @default the platform logger */
  readonly logger?: Log;
}

/**
 * The bot: every feature installed as a Composer behind the privacy guard (personal data only in private
 * chats, callbacks only from their owner), callback queries always answered, errors handled once.
 */
export function createBot(deps: BotDeps, options: BotOptions): Telegraf<BotContext> {
  const deadlineMs = options.handlerTimeoutMs ?? HANDLER_TIMEOUT_MS;
  const bot = new Telegraf<BotContext>(options.token, {
    handlerTimeout: deadlineMs + TELEGRAF_BACKSTOP_MS,
    telegram: { apiRoot: options.apiRoot ?? 'https://api.telegram.org', webhookReply: false },
  });
  bot.botInfo = {
    id: Number(options.token.split(':')[0]) || 0,
    is_bot: true,
    first_name: 'Esther Portfolio',
    username: 'EstherPortfolioBot',
    can_join_groups: false,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    ...options.botInfo,
  } as UserFromGetMe;
  const logger = options.logger ?? platformLogger;
  bot.use(trackApiCalls(), answerCallbacks(), updateDeadline(deadlineMs));
  // The secret guard deletes a pasted key wherever it is; the privacy guard then decides what reaches a feature.
  bot.use(createSecretGuardFeature(), privacyGuard(logger));
  if (deps.activity) bot.use(reactivateUsers(deps.activity, deps.now, logger));
  bot.use(
    createStartFeature(deps),
    createWalletsFeature(deps),
    createPortfolioFeature(deps),
    createTargetFeature(deps),
    createReportFeature(deps),
    createRebalanceFeature(deps),
    createShareFeature(deps),
    ...(deps.alerts && deps.settings
      ? [
          createAlertsFeature({
            alerts: deps.alerts,
            settings: deps.settings,
            ...(deps.digests ? { digests: deps.digests } : {}),
            now: deps.now,
          }),
        ]
      : []),
    createDigestFeature(deps),
    createFallbackFeature(),
  );
  bot.catch(createBotErrorHandler(logger));
  return bot;
}
