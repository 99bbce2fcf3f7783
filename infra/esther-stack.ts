import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DEFAULTS, ENV } from '../shared/platform/config/env-names';
import { OperatorAlarms } from './constructs/alarms';
import { BotRegistration } from './constructs/bot-registration';
import { type BundledFile, EstherFunction, LAMBDA_TASK_ROOT, PROJECT_ROOT } from './constructs/esther-function';
import { MINIAPP_DIST_DIR, MiniAppHosting } from './constructs/miniapp-hosting';
import { IntegrationSecrets } from './constructs/secrets';
import { Operations } from './constructs/operations';
import { SyncPipeline } from './constructs/sync-pipeline';
import { NotifyPipeline } from './constructs/notify-pipeline';
import { type TableAccess, Tables } from './constructs/tables';
import type { TableName } from '../shared/platform/dynamo/table-definitions';
import { MAX_WEBHOOK_TIMEOUT, WebhookApi } from './constructs/webhook-api';
import { type EstherSettings, readEstherSettings } from './settings';

export interface EstherStackProps extends StackProps {
  /** @default read from CDK context and validated (see infra/settings.ts) */
  readonly settings?: EstherSettings;
  /** The built Mini App. @default dist/miniapp under the project root (a placeholder page when missing) */
  readonly miniAppDistDir?: string;
}

/** Files the chart renderer loads at run time, shipped next to the webhook bundle. */
export const CHART_FILES = {
  resvgWasm: { source: 'node_modules/@resvg/resvg-wasm/index_bg.wasm', bundledName: 'resvg.wasm' },
  font: { source: 'node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf', bundledName: 'DejaVuSans.ttf' },
} as const satisfies Record<string, BundledFile>;

export const WEBHOOK_TIMEOUT = Duration.seconds(20);
/** Long enough for a batch of 10 that waits out a short retry_after and the chat pacers (a second per message). */
export const NOTIFY_SENDER_TIMEOUT = Duration.seconds(60);

/** What a sync writes: holdings (transactions of Put/Delete), balance cache and prices (batches), snapshots. */
const SYNC_WRITES = {
  holdings: ['Query', 'PutItem', 'DeleteItem'],
  prices: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'BatchWriteItem'],
  snapshots: ['Query', 'PutItem'],
} as const satisfies Partial<Record<TableName, TableAccess>>;

/**
 * Least privilege, per function and table: only the actions its stores send (no Scan anywhere; Delete
 * and BatchWrite only where used). test/infra/grants.test.ts asserts these lists.
 */
export const TABLE_ACCESS = {
  // Wallet edits (Put/Update/Delete in transactions), first syncs and refreshes; sessions: plans, settings, cooldowns, update claims, OKX rate windows.
  webhook: {
    portfolios: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'],
    ...SYNC_WRITES,
    sessions: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'],
  },
  // Sync: reads the profile with the wallets (one query), marks them synced; sessions: lease, cycle counters, OKX rate
  // windows. Alerts after each sync (issue 14): the saved target (portfolios GetItem); the user's alert items (one
  // Query), an episode opened (PutItem), ended (DeleteItem) or moved and the day's count (UpdateItem).
  worker: {
    portfolios: ['GetItem', 'Query', 'UpdateItem'],
    ...SYNC_WRITES,
    sessions: ['DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'],
  },
  // The due index, and the cycle claim/dispatch updates.
  fanout: { portfolios: ['Query'], sessions: ['UpdateItem'] },
  // The due index (stale count), the last completed cycle, the OKX rate windows of its probe.
  health: { portfolios: ['Query'], sessions: ['GetItem', 'UpdateItem'] },
  // The chart's history (wallets, holdings, their slot prices, snapshots); a 403 marks the user item; sessions:
  // delivery records (claim, progress) and the Telegram pacers.
  notifySender: {
    portfolios: ['Query', 'UpdateItem'],
    holdings: ['Query'],
    prices: ['BatchGetItem'],
    snapshots: ['Query'],
    sessions: ['GetItem', 'UpdateItem'],
  },
  // The digest index and entries, the user's inactive mark; the points and holdings a digest shows; the time zone and
  // the open alert episodes (one Query).
  notifyDigest: {
    portfolios: ['GetItem', 'Query', 'UpdateItem'],
    holdings: ['Query'],
    snapshots: ['Query'],
    sessions: ['GetItem', 'Query'],
  },
  // Reads what the chat reads (wallets, holdings, slot prices, snapshots, target, settings); writes the target, the
  // per-user request windows, the signing steps of a plan (conditional UpdateItem) and the shared OKX rate windows.
  miniapp: {
    portfolios: ['GetItem', 'Query', 'UpdateItem'],
    holdings: ['Query'],
    prices: ['BatchGetItem', 'Query'],
    snapshots: ['Query'],
    sessions: ['GetItem', 'UpdateItem'],
  },
} as const satisfies Record<string, Partial<Record<TableName, TableAccess>>>;

export class EstherStack extends Stack {
  readonly settings: EstherSettings;

  constructor(scope: Construct, id: string, props: EstherStackProps = {}) {
    super(scope, id, props);
    const settings = props.settings ?? readEstherSettings((key) => this.node.tryGetContext(key));
    this.settings = settings;

    const tables = new Tables(this, 'Tables', {
      maxWriteRequestUnits: settings.tableMaxWriteRequestUnits,
      deletionProtection: settings.tableDeletionProtection,
    });
    const secrets = new IntegrationSecrets(this, 'Secrets', settings);
    const environment = {
      ...tables.environment(),
      [ENV.dryRunMode]: String(settings.dryRunMode),
      [ENV.okxBaseUrl]: settings.okxBaseUrl,
      [ENV.okxRateLimitPerSecond]: String(settings.okxRateLimitPerSecond),
      [ENV.telegramApiRoot]: settings.telegramApiRoot,
      // Read by Powertools Logger and Metrics: the level, the `service` of every line and metric, and the
      // metrics namespace of this stage (the alarms and the dashboard read the same one).
      [ENV.logLevel]: settings.logLevel,
      [ENV.serviceName]: DEFAULTS.serviceName,
      [ENV.metricsNamespace]: settings.metricsNamespace,
    };
    const common = { tracing: settings.tracing };
    // Every OKX caller reads the key and takes its requests from the one account-wide budget (sessions table).
    const okxCaller = { [ENV.okxSecretArn]: secrets.okx.secretArn, [ENV.okxSharedRateLimit]: 'true' };

    const webhook = new EstherFunction(this, 'TelegramWebhook', {
      ...common,
      functionDir: 'telegram-webhook',
      description: 'Telegram webhook: verifies the secret token, runs the bot',
      timeout: WEBHOOK_TIMEOUT,
      memorySize: 1024,
      reservedConcurrentExecutions: settings.webhookReservedConcurrency,
      bundledFiles: Object.values(CHART_FILES),
      environment: {
        ...environment,
        ...okxCaller,
        [ENV.telegramSecretArn]: secrets.telegram.secretArn,
        [ENV.resvgWasmPath]: `${LAMBDA_TASK_ROOT}/${CHART_FILES.resvgWasm.bundledName}`,
        [ENV.chartFontPath]: `${LAMBDA_TASK_ROOT}/${CHART_FILES.font.bundledName}`,
      },
    });
    const health = new EstherFunction(this, 'Health', {
      ...common,
      functionDir: 'health',
      description: 'GET /portfolio/health',
      memorySize: 256,
      environment: { ...environment, ...okxCaller },
    });
    const fanout = new EstherFunction(this, 'SyncFanout', {
      ...common,
      functionDir: 'sync-fanout',
      description: 'Scheduled every 10 minutes: claims the cycle and enqueues due sync jobs',
      timeout: Duration.seconds(60),
      memorySize: 256,
      environment,
    });
    const worker = new EstherFunction(this, 'SyncWorker', {
      ...common,
      functionDir: 'sync-worker',
      description: 'SQS sync jobs: refreshes balances, prices and snapshots per user',
      timeout: Duration.seconds(settings.syncWorkerTimeoutSeconds),
      memorySize: 512,
      // The SQS event source never runs more than maxConcurrency workers; reserving as many keeps them available.
      reservedConcurrentExecutions: settings.syncMaxConcurrency,
      environment: { ...environment, ...okxCaller },
    });

    const miniAppApi = new EstherFunction(this, 'MiniAppApi', {
      ...common,
      functionDir: 'miniapp-api',
      description: 'GET|PUT|POST /miniapp/api/*: the Mini App dashboard and signing, signed by Telegram initData',
      memorySize: 512,
      // A prepare is up to five OKX calls in a row at the account's rate; the HTTP API gives up at 30 s.
      timeout: MAX_WEBHOOK_TIMEOUT,
      environment: {
        ...environment,
        // The signing routes call OKX (prepare, broadcast, tracking) from the one account-wide budget.
        ...okxCaller,
        ...(settings.okxRouterAllowlist ? { [ENV.okxRouterAllowlist]: settings.okxRouterAllowlist } : {}),
        [ENV.telegramSecretArn]: secrets.telegram.secretArn,
        [ENV.miniAppInitDataMaxAgeSeconds]: String(settings.miniAppInitDataMaxAgeSeconds),
      },
    });

    const chartFiles = {
      bundledFiles: Object.values(CHART_FILES),
      chartEnvironment: {
        [ENV.resvgWasmPath]: `${LAMBDA_TASK_ROOT}/${CHART_FILES.resvgWasm.bundledName}`,
        [ENV.chartFontPath]: `${LAMBDA_TASK_ROOT}/${CHART_FILES.font.bundledName}`,
      },
    };
    const notifySender = new EstherFunction(this, 'NotifySender', {
      ...common,
      functionDir: 'notify-sender',
      description: 'SQS notifications -> Telegram within its limits, at most once each; draws the digest chart',
      timeout: NOTIFY_SENDER_TIMEOUT,
      memorySize: 1024,
      reservedConcurrentExecutions: settings.notifyMaxConcurrency,
      bundledFiles: chartFiles.bundledFiles,
      environment: {
        ...environment,
        ...chartFiles.chartEnvironment,
        [ENV.telegramSecretArn]: secrets.telegram.secretArn,
        [ENV.telegramSendRatePerSecond]: String(settings.telegramSendRatePerSecond),
      },
    });
    const notifyDigest = new EstherFunction(this, 'NotifyDigest', {
      ...common,
      functionDir: 'notify-digest',
      description: 'Hourly: enqueues the digests whose local hour has come',
      timeout: Duration.minutes(5),
      memorySize: 512,
      environment,
    });

    tables.grant(webhook, TABLE_ACCESS.webhook);
    tables.grant(miniAppApi, TABLE_ACCESS.miniapp);
    tables.grant(notifySender, TABLE_ACCESS.notifySender);
    tables.grant(notifyDigest, TABLE_ACCESS.notifyDigest);
    secrets.telegram.grantRead(notifySender);
    tables.grant(worker, TABLE_ACCESS.worker);
    tables.grant(fanout, TABLE_ACCESS.fanout);
    tables.grant(health, TABLE_ACCESS.health);
    secrets.telegram.grantRead(webhook);
    secrets.telegram.grantRead(miniAppApi);
    for (const fn of [webhook, worker, health, miniAppApi]) secrets.okx.grantRead(fn);

    const api = new WebhookApi(this, 'WebhookApi', {
      webhook,
      health,
      miniAppApi,
      throttleRateLimit: settings.apiThrottleRateLimit,
      throttleBurstLimit: settings.apiThrottleBurstLimit,
    });
    const miniApp = new MiniAppHosting(this, 'MiniApp', {
      api: api.api,
      distDir: props.miniAppDistDir ?? `${PROJECT_ROOT}${MINIAPP_DIST_DIR}`,
    });
    // The bot shows 📊 Dashboard buttons only when it knows where the page is.
    webhook.addEnvironment(ENV.miniAppUrl, miniApp.url);
    new BotRegistration(this, 'BotRegistration', {
      api,
      secret: secrets.telegram,
      tracing: settings.tracing,
      environment: pick(environment, [ENV.telegramApiRoot, ENV.logLevel, ENV.serviceName, ENV.metricsNamespace]),
      // As many parallel webhook calls as the webhook may run: more would only meet throttling.
      maxConnections: settings.webhookReservedConcurrency,
      secretVersion: settings.telegramSecretVersion,
      miniApp: { url: miniApp.url, buttonText: 'Dashboard' },
    });
    const sync = new SyncPipeline(this, 'SyncPipeline', {
      fanout,
      worker,
      batchSize: settings.syncBatchSize,
      maxConcurrency: settings.syncMaxConcurrency,
      producers: [worker, miniAppApi],
    });

    const notify = new NotifyPipeline(this, 'NotifyPipeline', {
      sender: notifySender,
      digest: notifyDigest,
      producers: [worker],
      batchSize: 10,
      maxConcurrency: settings.notifyMaxConcurrency,
    });

    const alarms = new OperatorAlarms(this, 'Alarms', {
      emails: [...(settings.alarmEmail ? [settings.alarmEmail] : []), ...settings.alarmEmails],
    });
    const period = Duration.minutes(5);
    alarms.addAboveZero(
      'SyncDeadLetters',
      sync.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      'Sync jobs failed five times and are in the DLQ: inspect, fix, then redrive',
    );
    alarms.addAboveZero(
      'NotifyDeadLetters',
      notify.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      'Notifications failed five times and are in the DLQ: inspect, fix, then redrive',
    );
    alarms.addAboveZero(
      'NotifyDigestErrors',
      notifyDigest.metricErrors({ period }),
      'The hourly digest run failed (its digests wait for the next run)',
    );
    alarms.addAboveZero('SyncWorkerErrors', worker.metricErrors({ period }), 'The sync worker failed an invocation');
    alarms.addAboveZero(
      'SyncFanoutErrors',
      fanout.metricErrors({ period }),
      'The sync fan-out failed (no cycle was started)',
    );
    alarms.addAboveZero('WebhookErrors', webhook.metricErrors({ period }), 'The Telegram webhook function failed');
    alarms.addAboveZero('HealthErrors', health.metricErrors({ period }), 'The health function failed');
    alarms.addAboveZero(
      'ApiServerErrors',
      api.api.metricServerError({ period }),
      'The HTTP API answered 5xx (Telegram will retry)',
    );
    const operations = new Operations(this, 'Operations', {
      alarms,
      namespace: settings.metricsNamespace,
      webhook,
      health,
      worker,
      fanout,
      api: api.api,
      deadLetterQueue: sync.deadLetterQueue,
    });

    new CfnOutput(this, 'TelegramSecretArn', { value: secrets.telegram.secretArn });
    new CfnOutput(this, 'OkxSecretArn', { value: secrets.okx.secretArn });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarms.topic.topicArn });
    new CfnOutput(this, 'DashboardName', { value: operations.dashboard.dashboardName });
    new CfnOutput(this, 'SyncDeadLetterQueueUrl', { value: sync.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'NotifyDeadLetterQueueUrl', { value: notify.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'DryRunMode', { value: String(settings.dryRunMode) });
    new CfnOutput(this, 'MiniAppUrl', {
      description: "The Mini App's page, opened by the bot's Dashboard buttons (and the menu button, when set)",
      value: miniApp.url,
    });
  }
}

function pick(environment: Record<string, string>, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, environment[name]!]));
}
