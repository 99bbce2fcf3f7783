import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoDocumentClient, readDynamoClientOptions } from '../platform/dynamo/dynamo-client';
import { readTableNames, type TableNames } from '../platform/dynamo/table-definitions';
import { loadOkxCredentials, loadTelegramCredentials, type TelegramCredentials } from '../platform/config/credentials';
import { DEFAULTS, ENV, readBooleanEnv, readPositiveIntEnv, requireEnv } from '../platform/config/env-names';
import type { OkxClient } from '../platform/okx/okx-client';
import type { MessageSender } from '../platform/queue/sqs-job-sender';
import type { SecretsReader } from '../platform/secrets/secrets-manager';
import { buildOnce } from '../platform/helpers';
import type { PortfolioServicePort } from '../portfolio/portfolio-service-port';
import type { NotificationOutbox } from '../notify/notification';
import type { AlertEvaluator } from '../notify/alert-evaluation';
import type { Stores } from './stores';

type Env = Record<string, string | undefined>;

export type AppPart =
  | 'dynamo'
  | 'secrets'
  | 'okx'
  | 'stores'
  | 'portfolio'
  | 'bot'
  | 'queue'
  | 'notifyQueue'
  | 'notifications'
  | 'notifier'
  | 'alerts'
  | 'miniapp'
  | 'signing'
  | 'tracking';

export interface AppOptions {
  /** The services' clock (tests, the bench). @default the system clock */
  readonly now?: () => Date;
  /**
   * 'interactive' (the webhook): this container's OKX requests may use only OKX_INTERACTIVE_SHARE_PERCENT of
   * the shared budget, so the scheduled sync keeps the rest. @default 'sync': the whole budget
   */
  readonly okxPriority?: 'interactive' | 'sync';
  /** Replaces the SQS sender (the local sync loop passes its in-process queue). */
  readonly queue?: MessageSender;
  /** Where alerts go (issue 14): without it no alert is evaluated or sent. */
  readonly outbox?: NotificationOutbox;
  /** Replaces the notification queue's SQS sender (the local loop passes its in-process notify queue). */
  readonly notifyQueue?: MessageSender;
}

/**
 * The composition root. Every part is built once, on its first use (a failed build is not kept, so the next
 * call tries again), from the environment it was given; a handler takes only the parts it uses. Each part's
 * code is imported when the part is first built, so a function never loads what it does not use (the health
 * check never loads the bot, the fan-out never the OKX client).
 */
export interface App {
  readonly env: Env;
  /** The parts built so far, in the order they finished. */
  readonly built: readonly AppPart[];
  /** The DynamoDB document client and the table names. */
  dynamo(): Promise<{ readonly doc: DynamoDBDocumentClient; readonly tables: TableNames }>;
  /** The Secrets Manager reader (Powertools Parameters, cached per container). */
  secrets(): Promise<SecretsReader>;
  /** The OKX client (market data, quotes, swaps), signed with the key from the environment or its secret. */
  okx(): Promise<OkxClient>;
  stores(): Promise<Stores>;
  portfolio(): Promise<PortfolioServicePort>;
  readonly options: AppOptions;
  /**
   * A part defined outside this module (the bot: `botOf` in the webhook's handler.ts; the Mini App's and the
   * signing parts), built once per app like the parts above. It lives outside so that only the functions that
   * import it bundle its code (telegraf, the charts).
   */
  once<T>(name: AppPart, build: () => Promise<T>): Promise<T>;
  /** Where sync jobs go: SYNC_QUEUE_URL, or the queue given in the options. */
  queue(): Promise<MessageSender>;
  /** The alert evaluation run after each user's sync; undefined when the app has no notification outbox. */
  alerts(): Promise<AlertEvaluator | undefined>;
  /** Where notifications go: NOTIFY_QUEUE_URL, or the queue given in the options (the sender re-queues on it too). */
  notifyQueue(): Promise<MessageSender>;
  /** The outbox producers (the worker's alert evaluation, the digest job) put notifications into. */
  notifications(): Promise<NotificationOutbox>;
  /** Not cached here: read through the secrets reader's cache each time, so a rotated secret is picked up. */
  telegramCredentials(): Promise<TelegramCredentials>;
}

/** Scope of the account-wide OKX budget in the sessions table (`rate#okx` / `window#<epoch second>`). */
export const OKX_RATE_SCOPE = 'okx';

export function createApp(env: Env = process.env, options: AppOptions = {}): App {
  const built: AppPart[] = [];
  const part = <T>(name: AppPart, build: () => Promise<T>) =>
    buildOnce(async () => {
      const value = await build();
      built.push(name);
      return value;
    });

  const dynamo = part('dynamo', async () => ({
    doc: createDynamoDocumentClient(readDynamoClientOptions(env)),
    tables: readTableNames(env),
  }));

  const secrets = part('secrets', async () => {
    const { createSecretsReader } = await import('../platform/secrets/secrets-manager');
    return createSecretsReader();
  });

  const okx = part('okx', async () => {
    const [{ createOkxClient, readOkxOptionsFromEnv }, { metrics }, reader] = await Promise.all([
      import('../platform/okx/okx-client'),
      import('../platform/metrics'),
      secrets(),
    ]);
    const okxOptions = readOkxOptionsFromEnv(env);
    // Off locally (one process, one bucket); in AWS many containers call OKX, so they share one budget.
    const isSharedLimitOn = readBooleanEnv(ENV.okxSharedRateLimit, false, env);
    const credentials = await loadOkxCredentials(env, { reader });
    return createOkxClient({
      ...okxOptions,
      // Requests sent and rate-limited answers, published by each handler's logMetrics (the dashboard, the 429 alarm).
      metrics,
      ...(isSharedLimitOn ? { sharedLimiter: await createSharedLimiter(okxOptions.ratePerSecond) } : {}),
      // After an auth error the client refetches the secret once, so a rotated key is picked up without a redeploy.
      ...(credentials
        ? {
            credentials,
            credentialsProvider: (forceRefresh: boolean) => loadOkxCredentials(env, { reader, forceRefresh }),
          }
        : {}),
    });
  });

  async function createSharedLimiter(limitPerSecond: number) {
    const [{ createSharedRateLimiter }, { doc, tables }] = await Promise.all([
      import('../platform/dynamo/shared-rate-limiter-store'),
      dynamo(),
    ]);
    const share =
      options.okxPriority === 'interactive'
        ? {
            interactiveSharePercent: Math.min(
              100,
              readPositiveIntEnv(ENV.okxInteractiveSharePercent, Number(DEFAULTS.okxInteractiveSharePercent), env),
            ),
          }
        : {};
    return createSharedRateLimiter({
      doc,
      tableName: tables.sessions,
      scope: OKX_RATE_SCOPE,
      limitPerSecond,
      ...share,
    });
  }

  const stores = part('stores', async () => {
    const [{ createStores }, { doc, tables }] = await Promise.all([import('./stores'), dynamo()]);
    return createStores(doc, tables);
  });

  const portfolio = part('portfolio', async () => {
    const [{ createPortfolioService }, all, market] = await Promise.all([
      import('../portfolio/portfolio-service'),
      stores(),
      okx(),
    ]);
    const { portfolios, holdings, prices, snapshots, balanceCache } = all;
    return createPortfolioService({
      portfolios,
      holdings,
      prices,
      snapshots,
      balanceCache,
      market,
      ...(options.now ? { now: options.now } : {}),
    });
  });

  const telegramCredentials = async () => loadTelegramCredentials(env, { reader: await secrets() });

  const queue = part('queue', async () => {
    if (options.queue) return options.queue;
    const [{ createSqsSender }, { SQSClient }] = await Promise.all([
      import('../platform/queue/sqs-job-sender'),
      import('@aws-sdk/client-sqs'),
    ]);
    // AWS_ENDPOINT_URL_SQS (SDK standard) points the client at a local endpoint when set.
    return createSqsSender({ client: new SQSClient({}), queueUrl: requireEnv(ENV.syncQueueUrl, env) });
  });

  const notifyQueue = part('notifyQueue', async () => {
    if (options.notifyQueue) return options.notifyQueue;
    const [{ createSqsSender }, { SQSClient }] = await Promise.all([
      import('../platform/queue/sqs-job-sender'),
      import('@aws-sdk/client-sqs'),
    ]);
    return createSqsSender({ client: new SQSClient({}), queueUrl: requireEnv(ENV.notifyQueueUrl, env) });
  });

  const notifications = part('notifications', async () => {
    const [{ createQueueNotificationOutbox }, sender] = await Promise.all([
      import('../notify/notification-outbox'),
      notifyQueue(),
    ]);
    return createQueueNotificationOutbox(sender);
  });

  const alerts = part('alerts', async () => {
    // The given outbox (tests, scenarios), else the notification queue when this function has one (the worker in AWS,
    // the local loop's in-process queue); without either no alert is evaluated or sent.
    const outbox =
      options.outbox ?? (options.notifyQueue || env[ENV.notifyQueueUrl] ? await notifications() : undefined);
    if (!outbox) return undefined;
    const [{ createAlertEvaluator }, all, service] = await Promise.all([
      import('../notify/alert-evaluation'),
      stores(),
      portfolio(),
    ]);
    return createAlertEvaluator({
      portfolio: service,
      settings: all.settings,
      alerts: all.alerts,
      outbox,
      now: options.now ?? (() => new Date()),
    });
  });

  const extensions = new Map<AppPart, () => Promise<unknown>>();
  const once = <T>(name: AppPart, build: () => Promise<T>): Promise<T> => {
    if (!extensions.has(name)) extensions.set(name, part(name, build));
    return extensions.get(name)!() as Promise<T>;
  };

  return {
    env,
    options,
    built,
    dynamo,
    secrets,
    okx,
    stores,
    portfolio,
    queue,
    notifyQueue,
    notifications,
    alerts,
    telegramCredentials,
    once,
  };
}
