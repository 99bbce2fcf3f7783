/** Environment variable names shared by the CDK stack (which sets them) and the functions (which read them). */
export const ENV = {
  dynamodbEndpoint: 'DYNAMODB_ENDPOINT',
  awsRegion: 'AWS_REGION',
  portfoliosTable: 'PORTFOLIOS_TABLE',
  holdingsTable: 'HOLDINGS_TABLE',
  pricesTable: 'PRICES_TABLE',
  snapshotsTable: 'SNAPSHOTS_TABLE',
  sessionsTable: 'SESSIONS_TABLE',
  okxBaseUrl: 'OKX_BASE_URL',
  /** JSON `{chainIndex: [router addresses]}` added to the built-in list of OKX DEX routers (issue 13). */
  okxRouterAllowlist: 'OKX_ROUTER_ALLOWLIST',
  okxApiKey: 'OKX_API_KEY',
  okxApiSecret: 'OKX_API_SECRET',
  okxApiPassphrase: 'OKX_API_PASSPHRASE',
  okxProjectId: 'OKX_PROJECT_ID',
  okxRateLimitPerSecond: 'OKX_RATE_LIMIT_PER_SECOND',
  /** 'true' (default false): OKX_RATE_LIMIT_PER_SECOND is also enforced across all functions by a DynamoDB window limiter. */
  okxSharedRateLimit: 'OKX_SHARED_RATE_LIMIT',
  /** Percent (1..100, default 50) of the shared OKX budget the webhook may use; the rest is kept for the scheduled sync. */
  okxInteractiveSharePercent: 'OKX_INTERACTIVE_SHARE_PERCENT',
  okxSecretArn: 'OKX_SECRET_ARN',
  telegramBotToken: 'TELEGRAM_BOT_TOKEN',
  telegramWebhookSecret: 'TELEGRAM_WEBHOOK_SECRET',
  telegramApiRoot: 'TELEGRAM_API_ROOT',
  telegramSecretArn: 'TELEGRAM_SECRET_ARN',
  dryRunMode: 'DRY_RUN_MODE',
  syncQueueUrl: 'SYNC_QUEUE_URL',
  syncIntervalSeconds: 'SYNC_INTERVAL_SECONDS',
  /** The notification queue (alerts, digests) the worker and the digest job send to and the sender drains. */
  notifyQueueUrl: 'NOTIFY_QUEUE_URL',
  /** Messages per second the notification sender may send in total (Telegram: about 30/s per bot). */
  telegramSendRatePerSecond: 'TELEGRAM_SEND_RATE_PER_SECOND',
  port: 'PORT',
  /** Read by the Powertools Logger (as an alias of POWERTOOLS_LOG_LEVEL). */
  logLevel: 'LOG_LEVEL',
  /** Powertools: the `service` key of every log line and the `service` dimension of every metric. */
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  /** Powertools Metrics: the CloudWatch namespace of the EMF lines. */
  metricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
  /** 'true' where the function has X-Ray active tracing (CDK context `tracing`): the handler loads Powertools Tracer. */
  traceEnabled: 'POWERTOOLS_TRACE_ENABLED',
  /** Where the bundled webhook finds the resvg WebAssembly module (unset locally: resolve from node_modules). */
  resvgWasmPath: 'RESVG_WASM_PATH',
  /** Where the bundled webhook finds the chart font (unset locally: resolve from node_modules). */
  chartFontPath: 'CHART_FONT_PATH',
  /** The Mini App's page (https in AWS: the CloudFront URL): the bot adds 📊 Dashboard buttons only when it is set. */
  miniAppUrl: 'MINIAPP_URL',
  /** Seconds a Mini App's signed initData stays valid after its auth_date (CDK context miniAppInitDataMaxAgeSeconds). */
  miniAppInitDataMaxAgeSeconds: 'MINIAPP_INIT_DATA_MAX_AGE_SECONDS',
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];

export const DEFAULTS = {
  okxBaseUrl: 'https://web3.okx.com',
  telegramApiRoot: 'https://api.telegram.org',
  okxRateLimitPerSecond: '1',
  okxInteractiveSharePercent: '50',
  syncIntervalSeconds: '600',
  /** Under Telegram's ~30/s, leaving room for the webhook's replies. */
  telegramSendRatePerSecond: '25',
  port: '3000',
  logLevel: 'INFO',
  serviceName: 'esther-portfolio',
  metricsNamespace: 'EstherPortfolio',
  miniAppInitDataMaxAgeSeconds: '86400',
} as const;

export class MissingConfigError extends Error {
  constructor(readonly variable: string) {
    super(`missing required environment variable ${variable}`);
    this.name = 'MissingConfigError';
  }
}

export class InvalidConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`invalid environment variable ${variable}: ${reason}`);
    this.name = 'InvalidConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Reads a required variable; throws at cold start instead of limping on with an empty string. */
export function requireEnv(name: string, env: Env = process.env): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') throw new MissingConfigError(name);
  return value;
}

export function optionalEnv(name: string, env: Env = process.env): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}

export function readBooleanEnv(name: string, fallback: boolean, env: Env = process.env): boolean {
  const value = optionalEnv(name, env)?.toLowerCase();
  if (value === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw new InvalidConfigError(name, `expected true/false, got "${value}"`);
}

export function readPositiveIntEnv(name: string, fallback: number, env: Env = process.env): number {
  const value = optionalEnv(name, env);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) <= 0)
    throw new InvalidConfigError(name, `expected a positive integer, got "${value}"`);
  return Number(value);
}

export function readUrlEnv(name: string, fallback: string, env: Env = process.env): string {
  const value = optionalEnv(name, env) ?? fallback;
  try {
    return new URL(value).toString().replace(/\/$/, '');
  } catch {
    throw new InvalidConfigError(name, `expected a URL, got "${value}"`);
  }
}

/**
 * Receives of one sync job before SQS moves it to the dead-letter queue. Shared by the queue's redrive
 * policy (infra), the worker (which counts a job's last failed delivery as dead-lettered so its cycle
 * still completes) and the local sync loop.
 */
export const SYNC_MAX_RECEIVE_COUNT = 5;
