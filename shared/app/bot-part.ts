import type { Telegraf } from 'telegraf';
import { DEFAULTS, ENV, optionalEnv, readBooleanEnv, readUrlEnv } from '../platform/config/env-names';
import { logger } from '../platform/logger';
import type { BotContext } from '../platform/telegram/messages';
import type { App } from './create-app';

/**
 * The Telegram bot with every feature installed, built once per app from its portfolio service, OKX client,
 * stores and Telegram secret. Only the webhook imports this module, so only its bundle carries telegraf, the
 * features and the charts.
 */
export function botOf(app: App): Promise<Telegraf<BotContext>> {
  return app.once('bot', async () => {
    const apiRoot = readUrlEnv(ENV.telegramApiRoot, DEFAULTS.telegramApiRoot, app.env);
    const dryRun = readBooleanEnv(ENV.dryRunMode, true, app.env);
    const miniAppUrl = optionalEnv(ENV.miniAppUrl, app.env);
    // Imported here, not at the top: the webhook evaluates the bot's modules on its first update, not at init.
    const [{ createBot }, service, market, stores, credentials] = await Promise.all([
      import('../bot/bot'),
      app.portfolio(),
      app.okx(),
      app.stores(),
      app.telegramCredentials(),
    ]);
    const deps = {
      portfolio: service,
      market,
      plans: stores.plans,
      settings: stores.settings,
      cooldowns: stores.cooldowns,
      alerts: stores.alerts,
      activity: stores.activity,
      digests: stores.digests,
      now: app.options.now ?? (() => new Date()),
      dryRun,
      ...(miniAppUrl ? { miniAppUrl } : {}),
    };
    return createBot(deps, { token: credentials.botToken, apiRoot, logger });
  });
}
