import { DEFAULTS, ENV, readPositiveIntEnv, readUrlEnv } from '../platform/config/env-names';
import type { MarketDataPort } from '../platform/okx/market-data-port';
import type { SenderDeps } from '../notify/notification-sender';
import type { App } from './create-app';

/** Scope of the bot-wide Telegram pacer in the sessions table (`rate#telegram` / `pace`). */
export const TELEGRAM_PACE_SCOPE = 'telegram';
/** Telegram: "avoid sending more than one message per second" to one chat. */
export const CHAT_INTERVAL_MS = 1000;
/** Chat pacers kept per container (each remembers its chat's next slot); the oldest go first. */
const CHAT_PACERS_KEPT = 1000;

/** The history-only portfolio service of the sender never calls OKX (the chart is drawn from stored points). */
class MarketNotAvailableError extends Error {
  constructor() {
    super('the notification sender reads stored history only; it has no OKX client');
    this.name = 'MarketNotAvailableError';
  }
}

/**
 * What the notification sender uses, built once per app: the Bot API client, the delivery and activity stores,
 * the bot-wide and per-chat pacers, and the chart drawer. Only the sender imports this module, so only its bundle
 * carries telegraf's client and the charts.
 */
export function notifierOf(app: App): Promise<Omit<SenderDeps, 'logger'>> {
  return app.once('notifier', async () => {
    const apiRoot = readUrlEnv(ENV.telegramApiRoot, DEFAULTS.telegramApiRoot, app.env);
    const rate = readPositiveIntEnv(ENV.telegramSendRatePerSecond, Number(DEFAULTS.telegramSendRatePerSecond), app.env);
    const [
      { createNotifyBotApi },
      { createDeliveryStore },
      { createSharedPacer },
      { createValueChartDrawer },
      { createPortfolioService },
      { doc, tables },
      stores,
      credentials,
    ] = await Promise.all([
      import('../notify/notify-bot-api'),
      import('../notify/delivery-store'),
      import('../platform/dynamo/shared-pacer-store'),
      import('../notify/value-chart'),
      import('../portfolio/portfolio-service'),
      app.dynamo(),
      app.stores(),
      app.telegramCredentials(),
    ]);
    const now = app.options.now ?? (() => new Date());
    // The pacers run on the wall clock, whatever the services' clock (a test's fixed `now` must not stop them).
    const pacer = createSharedPacer({
      doc,
      tableName: tables.sessions,
      scope: TELEGRAM_PACE_SCOPE,
      intervalMs: 1000 / rate,
      // Room for every sender's records to reserve in one write (10 a batch × a few senders).
      maxAheadMs: 5000,
    });
    const chatPacers = new Map<string, ReturnType<typeof createSharedPacer>>();
    const chatPacer = (chatId: string) => {
      let chat = chatPacers.get(chatId);
      if (!chat) {
        if (chatPacers.size >= CHAT_PACERS_KEPT) chatPacers.delete(chatPacers.keys().next().value!);
        chat = createSharedPacer({
          doc,
          tableName: tables.sessions,
          scope: `telegram-chat#${chatId}`,
          intervalMs: CHAT_INTERVAL_MS,
          maxAheadMs: 60_000,
        });
        chatPacers.set(chatId, chat);
      }
      return chat;
    };
    const market = new Proxy({} as MarketDataPort, {
      get: () => () => Promise.reject(new MarketNotAvailableError()),
    });
    const { portfolios, holdings, prices, snapshots, balanceCache } = stores;
    const history = createPortfolioService({ portfolios, holdings, prices, snapshots, balanceCache, market, now });
    return {
      botApi: createNotifyBotApi(credentials.botToken, apiRoot),
      deliveries: createDeliveryStore(doc, tables.sessions),
      activity: stores.activity,
      pacer,
      chatPacer,
      drawChart: createValueChartDrawer(history),
      now,
    };
  });
}
