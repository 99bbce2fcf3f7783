import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { CdkCustomResourceEvent, CdkCustomResourceResponse } from 'aws-lambda';
import { createApp } from '../../shared/app/create-app';
import {
  loadTelegramCredentials,
  SECRET_PLACEHOLDER,
  type TelegramCredentials,
} from '../../shared/platform/config/credentials';
import { DEFAULTS, ENV, readUrlEnv } from '../../shared/platform/config/env-names';
import { logger as platformLogger, type Log } from '../../shared/platform/logger';
import { tracingMiddleware } from '../../shared/platform/tracing';
import { createBotApi, redactToken, type BotApi } from './bot-api';
import { registerParts, removeWebhook } from './register-bot';
import {
  type BotRegistration,
  changedParts,
  readRegistration,
  REGISTRATION_PARTS,
  type RegistrationPart,
} from './registration-properties';

/** One registration per stack: the id never changes, so CloudFormation never replaces it (a replacement's Delete would remove the webhook). */
export const PHYSICAL_RESOURCE_ID = 'telegram-bot-registration';

export interface RegistrationDeps {
  /** The bot token and webhook secret, read fresh: a deploy right after a rotation must see the new values. */
  readonly getCredentials: () => Promise<TelegramCredentials>;
  /** TELEGRAM_API_ROOT */
  readonly apiRoot: string;
  /** @default the platform logger */
  readonly logger?: Log;
  /** @default global fetch */
  readonly fetch?: typeof fetch;
}

export type RegistrationHandler = (event: CdkCustomResourceEvent) => Promise<CdkCustomResourceResponse>;

/**
 * The on-event handler of the bot registration custom resource (infra/constructs/bot-registration.ts), behind the
 * CDK Provider framework, which answers CloudFormation:
 * - Create: every part (commands, menu button, descriptions, then the webhook), unless the secret still holds
 *   the placeholder token (then nothing, `Registered: 'false'`);
 * - Update: only the parts whose properties changed (nothing, and no secret read, when none did);
 * - Delete: `deleteWebhook` while the webhook is still this stack's; never fails (see docs/decisions.md,
 *   "Bot registration"): a failed delete would leave the stack stuck in DELETE_FAILED or ROLLBACK_FAILED.
 * A Telegram refusal or an unreachable Bot API fails a Create or Update with a message naming the method and
 * Telegram's description; no message or log line holds the token.
 */
export function createRegistrationHandler(deps: RegistrationDeps): RegistrationHandler {
  const logger = deps.logger ?? platformLogger;
  const connect = async (): Promise<{ api: BotApi; credentials: TelegramCredentials }> => {
    const credentials = await deps.getCredentials();
    return {
      api: createBotApi({ apiRoot: deps.apiRoot, token: credentials.botToken, fetch: deps.fetch }),
      credentials,
    };
  };

  return async (event) => {
    if (event.RequestType === 'Delete') {
      // Read leniently: nothing about its properties may fail a delete.
      const webhookUrl = String(event.ResourceProperties.WebhookUrl ?? '');
      await unregister(connect, webhookUrl, logger);
      return { PhysicalResourceId: event.PhysicalResourceId };
    }
    const registration = readRegistration(event.ResourceProperties);
    const physicalResourceId = event.RequestType === 'Create' ? PHYSICAL_RESOURCE_ID : event.PhysicalResourceId;
    const response = {
      PhysicalResourceId: physicalResourceId,
      Data: { WebhookUrl: registration.webhookUrl, Registered: 'true' },
    };
    const parts =
      event.RequestType === 'Create'
        ? [...REGISTRATION_PARTS]
        : partsToUpdate(event.OldResourceProperties, registration);
    logger.info('bot registration', { requestType: event.RequestType, parts, webhookUrl: registration.webhookUrl });
    if (parts.length === 0) return response;
    const { api, credentials } = await connect();
    if (credentials.botToken === SECRET_PLACEHOLDER) {
      // A stack that created its own secrets deploys before the operator can fill them in: failing here would
      // roll the first deploy back. Registered after the token is in, by a deploy with a new telegramSecretVersion.
      logger.warn('bot token is still the placeholder: registration skipped', { requestType: event.RequestType });
      return { ...response, Data: { ...response.Data, Registered: 'false' } };
    }
    try {
      await registerParts(api, registration, credentials.webhookSecret, parts);
    } catch (error) {
      logger.error('bot registration failed', { requestType: event.RequestType, errorName: (error as Error).name });
      // Already free of the token (bot-api.ts); redacted again so no future message can slip one through.
      throw new BotRegistrationError(redactToken((error as Error).message, credentials.botToken));
    }
    return response;
  };
}

/** Old properties this version cannot read (an older contract) count as all changed. */
function partsToUpdate(old: Record<string, unknown>, registration: BotRegistration): RegistrationPart[] {
  try {
    return changedParts(readRegistration(old), registration);
  } catch {
    return [...REGISTRATION_PARTS];
  }
}

/** Why the deployment failed, as CloudFormation shows it (the Provider framework passes the message on). */
export class BotRegistrationError extends Error {
  constructor(reason: string) {
    super(`Telegram bot registration failed: ${reason}`);
    this.name = 'BotRegistrationError';
  }
}

async function unregister(
  connect: () => Promise<{ api: BotApi; credentials: TelegramCredentials }>,
  webhookUrl: string,
  logger: Log,
): Promise<void> {
  let token = '';
  try {
    const { api, credentials } = await connect();
    token = credentials.botToken;
    const outcome = await removeWebhook(api, webhookUrl);
    logger.info('bot webhook removal', { outcome, webhookUrl });
  } catch (error) {
    // Best effort: the stack's deletion or rollback goes on; the operator can run deleteWebhook by hand.
    logger.warn('bot webhook not removed; the delete goes on', {
      errorName: (error as Error).name,
      reason: redactToken((error as Error).message, token),
    });
  }
}

// The Lambda: the Telegram secret through the app's secrets part (Powertools Parameters), always fetched fresh.
const app = createApp(process.env);

export const handler = middy(
  createRegistrationHandler({
    getCredentials: async () => loadTelegramCredentials(app.env, { reader: await app.secrets(), forceRefresh: true }),
    apiRoot: readUrlEnv(ENV.telegramApiRoot, DEFAULTS.telegramApiRoot, app.env),
  }),
)
  .use(injectLambdaContext(platformLogger, { resetKeys: true, logEvent: false }))
  .use(await tracingMiddleware(app.env));
