import { createHash, timingSafeEqual } from 'node:crypto';
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Update } from 'telegraf/types';
import { createApp, type App } from '../../shared/app/create-app';
import { errorNameOf } from '../../shared/bot/classify-error';
import { isRetryableUpdateError } from '../../shared/bot/retryable-update-error';
import { logger as platformLogger, type Log } from '../../shared/platform/logger';
import { METRIC, metrics as platformMetrics } from '../../shared/platform/metrics';
import { tracingMiddleware } from '../../shared/platform/tracing';
import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from '../../shared/platform/dynamo/dynamo-ops';
import { keys, ttlAfter } from '../../shared/platform/dynamo/keys';
import type { Telegraf } from 'telegraf';
import { DEFAULTS, ENV, optionalEnv, readBooleanEnv, readUrlEnv } from '../../shared/platform/config/env-names';
import type { BotContext } from '../../shared/platform/telegram/messages';

export const WEBHOOK_PATH = '/telegram/webhook';
export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';
/** Telegram updates are a few KB; anything near this is not from Telegram. */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface UpdateHandler {
  handleUpdate(update: Update): Promise<unknown>;
}

export interface WebhookParts {
  readonly bot: UpdateHandler;
  readonly updates: Pick<UpdateStore, 'claim' | 'release'>;
}

export interface WebhookHandlerDeps {
  /** The expected secret token (Secrets Manager, cached); a failure answers 500 and is not cached. */
  readonly getWebhookSecret: () => Promise<string>;
  /** Bot and update store, built once on the first authorised update; a failure answers 500. */
  readonly getParts: () => Promise<WebhookParts>;
  /** @default the platform logger */
  readonly logger?: Log;
  /** @default the platform metrics, published by the handler's logMetrics middleware */
  readonly metrics?: Pick<Metrics, 'addMetric'>;
}

export type WebhookHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

const answer = (statusCode: number): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ ok: statusCode < 300 }),
});

/**
 * POST /telegram/webhook. Status codes, chosen so Telegram only retries when a retry can help
 * (a non-2xx blocks that chat's later updates until it succeeds):
 * - 401 wrong or missing secret (checked in constant time before the body is read); 404/405 wrong route;
 * - 500 only for transient infrastructure failures before the user saw anything: the secret or the
 *   bot could not be loaded, the update_id claim write failed, or the bot hit DynamoDB throttling
 *   before replying (its claim is released so the redelivery is processed);
 * - 200 for everything else: processed, duplicate, unhandled update type, unparseable body, or a bot
 *   error already answered to the user by bot.catch.
 */
export function createWebhookHandler(deps: WebhookHandlerDeps): WebhookHandler {
  const logger = deps.logger ?? platformLogger;
  return async (event) => {
    const { method, sourceIp } = event.requestContext.http;
    // The exact route (HTTP API $default stage: no stage prefix); `/anything/telegram/webhook` is not it.
    if (event.rawPath !== WEBHOOK_PATH) return answer(404);
    if (method !== 'POST') return answer(405);
    const expected = await loadSecret(deps, logger);
    if (expected === undefined) return answer(500);
    if (!isSecretValid(readHeader(event, SECRET_HEADER), expected)) {
      logger.warn('webhook call with a missing or wrong secret', { sourceIp });
      return answer(401);
    }
    const update = parseUpdate(event, logger);
    if (!update) return answer(200);
    return processUpdate(update, deps, logger);
  };
}

async function processUpdate(
  update: Update,
  deps: WebhookHandlerDeps,
  logger: Log,
): Promise<APIGatewayProxyStructuredResultV2> {
  const updateId = update.update_id;
  let parts: WebhookParts;
  let isFirst: boolean;
  try {
    parts = await deps.getParts();
    isFirst = await parts.updates.claim(updateId);
  } catch (error) {
    logger.error('could not start processing the update', { updateId, errorName: errorNameOf(error) });
    return answer(500);
  }
  if (!isFirst) {
    logger.info('duplicate update ignored', { updateId });
    (deps.metrics ?? platformMetrics).addMetric(METRIC.duplicateUpdates, MetricUnit.Count, 1);
    return answer(200);
  }
  try {
    await parts.bot.handleUpdate(update);
    return answer(200);
  } catch (error) {
    if (!isRetryableUpdateError(error)) {
      logger.error('bot failed outside its error handler', { updateId, errorName: errorNameOf(error) });
      return answer(200);
    }
    await parts.updates.release(updateId);
    return answer(500);
  }
}

async function loadSecret(deps: WebhookHandlerDeps, logger: Log): Promise<string | undefined> {
  try {
    return await deps.getWebhookSecret();
  } catch (error) {
    logger.error('webhook secret unavailable', { errorName: errorNameOf(error) });
    return undefined;
  }
}

/** Digests make the lengths equal, so timingSafeEqual never throws and the length leaks nothing. */
export function isSecretValid(received: string | undefined, expected: string): boolean {
  if (received === undefined) return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(received), digest(expected));
}

function readHeader(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const entry = Object.entries(event.headers ?? {}).find(([key]) => key.toLowerCase() === name);
  return entry?.[1];
}

/** A signed body that is too big, not JSON or not an Update cannot be fixed by a retry: log and drop it. */
function parseUpdate(event: APIGatewayProxyEventV2, logger: Log): Update | undefined {
  const raw = event.body ?? '';
  const body = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (body.length > MAX_BODY_BYTES) {
    logger.error('webhook body too large', { bytes: body.length });
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    logger.error('webhook body is not JSON', { bytes: body.length });
    return undefined;
  }
  const updateId = (parsed as { update_id?: unknown } | null)?.update_id;
  if (typeof updateId !== 'number' || !Number.isSafeInteger(updateId) || updateId < 0) {
    logger.error('webhook body is not a Telegram update', { bytes: body.length });
    return undefined;
  }
  return parsed as Update;
}

// The update claims (sessions table): each update_id is processed once, however often Telegram delivers it.

/** Telegram retries an update for up to a day; two days of claims cover every redelivery. */
export const UPDATE_CLAIM_TTL_SECONDS = 48 * 3600;

export interface UpdateStore {
  /** Records `update_id` as processed: true for the first caller, false for every duplicate. */
  claim(updateId: number): Promise<boolean>;
  /** Gives the claim back so a redelivery is processed (only when we answer Telegram with a 5xx). */
  release(updateId: number): Promise<void>;
}

export function createUpdateStore(
  doc: DynamoDBDocumentClient,
  tableName: string,
  now: () => Date = () => new Date(),
): UpdateStore {
  return {
    async claim(updateId) {
      const at = now();
      const item = {
        ...keys.telegramUpdate(updateId),
        entity: 'telegram-update',
        updateId: String(updateId),
        createdAt: at.toISOString(),
        updatedAt: at.toISOString(),
        ttl: ttlAfter(at.getTime(), UPDATE_CLAIM_TTL_SECONDS),
      };
      try {
        await doc.send(
          new PutCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
    async release(updateId) {
      await doc.send(new DeleteCommand({ TableName: tableName, Key: keys.telegramUpdate(updateId) }));
    },
  };
}

/**
 * The Telegram bot with every feature installed, built once per app from its portfolio service, OKX client,
 * stores and Telegram secret. It is the webhook's part, built here, so only the webhook's bundle carries telegraf,
 * the features and the charts.
 */
export function botOf(app: App): Promise<Telegraf<BotContext>> {
  return app.once('bot', async () => {
    const apiRoot = readUrlEnv(ENV.telegramApiRoot, DEFAULTS.telegramApiRoot, app.env);
    const dryRun = readBooleanEnv(ENV.dryRunMode, true, app.env);
    const miniAppUrl = optionalEnv(ENV.miniAppUrl, app.env);
    // Imported here, not at the top: the webhook evaluates the bot's modules on its first update, not at init.
    const [{ createBot }, service, market, stores, credentials] = await Promise.all([
      import('../../shared/bot/bot'),
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
    return createBot(deps, { token: credentials.botToken, apiRoot, logger: platformLogger });
  });
}

// The Lambda: the bot and the update claims from the one composition root, built on the first authorised
// update; the webhook's OKX requests may use only the interactive share of the account budget.
const app = createApp(process.env, { okxPriority: 'interactive' });

export const handler = middy(
  createWebhookHandler({
    getWebhookSecret: async () => (await app.telegramCredentials()).webhookSecret,
    getParts: async () => {
      const [bot, { doc, tables }] = await Promise.all([botOf(app), app.dynamo()]);
      return { bot, updates: createUpdateStore(doc, tables.sessions) };
    },
  }),
)
  .use(injectLambdaContext(platformLogger, { resetKeys: true, logEvent: false }))
  .use(logMetrics(platformMetrics))
  .use(await tracingMiddleware(app.env));
