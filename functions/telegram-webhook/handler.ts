import { createPlanStore } from '../../shared/rebalance/plan-store';
import { createRateLimitStore } from '../../shared/platform/dynamo/rate-limit-store';
import { createSettingsStore } from '../../shared/rebalance/settings-store';
import { createUpdateStore } from '../../shared/bot/update-store';
import { loadTelegramCredentials } from '../../shared/platform/config/credentials';
import { DEFAULTS, ENV } from '../../shared/platform/config/env-names';
import { readUrlEnv } from '../../shared/platform/config/read-env';
import { createPortfolioRuntime } from '../../shared/app/portfolio-runtime';
import { createBot } from '../../shared/bot/bot';
import { createWebhookHandler } from './create-webhook-handler';
import { lazily } from '../../shared/platform/lazily';
import { createJsonLogger } from '../../shared/platform/logger';

// Composition root. Read at cold start so a missing variable fails the init, not an update.
const env = process.env;
const apiRoot = readUrlEnv(ENV.telegramApiRoot, DEFAULTS.telegramApiRoot, env);
const logger = createJsonLogger();

// Built once per container on the first authorised update (secrets are fetched lazily, never logged).
const getApp = lazily(async () => {
  // 'interactive': the webhook's OKX requests may use only part of the shared budget; the rest is the scheduled sync's.
  const [runtime, credentials] = await Promise.all([createPortfolioRuntime(env, { okxPriority: 'interactive' }), loadTelegramCredentials(env)]);
  const { doc, tables } = runtime;
  const deps = {
    portfolio: runtime.service,
    market: runtime.market,
    plans: createPlanStore(doc, tables.sessions),
    settings: createSettingsStore(doc, tables.sessions),
    rateLimits: createRateLimitStore(doc, tables.sessions),
    now: () => new Date(),
    dryRun: runtime.dryRun,
  };
  return { bot: createBot(deps, { token: credentials.botToken, apiRoot, logger }), updates: createUpdateStore(doc, tables.sessions) };
});

export const handler = createWebhookHandler({
  getWebhookSecret: async () => (await loadTelegramCredentials(env)).webhookSecret,
  getApp,
  logger,
});
