import { DEFAULTS } from '../shared/platform/config/env-names';

/** Deploy-time settings, read from CDK context (cdk.json or `-c key=value`) and validated at synth. */
export interface EstherSettings {
  /** Stack-wide permission for live trading; each user still opts in. `false` forces dry-run for everyone. */
  readonly dryRunMode: boolean;
  readonly okxBaseUrl: string;
  readonly telegramApiRoot: string;
  /** OKX request budget per second shared by all functions. */
  readonly okxRateLimitPerSecond: number;
  /** Upper bound of concurrent sync workers (SQS event source maxConcurrency, 2..1000); also the worker's reserved concurrency. */
  readonly syncMaxConcurrency: number;
  /** Reserved concurrency of the webhook function (1..1000). */
  readonly webhookReservedConcurrency: number;
  /** HTTP API stage throttling: steady requests per second (1..10000) and burst (1..5000). */
  readonly apiThrottleRateLimit: number;
  readonly apiThrottleBurstLimit: number;
  /** Sync jobs per worker invocation (1..10). */
  readonly syncBatchSize: number;
  /** Worker Lambda timeout; the queue's visibility timeout is six times this. */
  readonly syncWorkerTimeoutSeconds: number;
  /** On-demand write ceiling per table and index: a cost fuse. */
  readonly tableMaxWriteRequestUnits: number;
  readonly logLevel: LogLevel;
  readonly tracing: boolean;
  /** Subscribed to the alarm topic when set. */
  readonly alarmEmail?: string;
  /** Import an existing secret by name instead of creating one. */
  readonly telegramSecretName?: string;
  readonly okxSecretName?: string;
}

export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class InvalidSettingError extends Error {
  constructor(
    readonly setting: string,
    reason: string,
  ) {
    super(`Invalid CDK context "${setting}": ${reason}. Set it in cdk.json ("context") or with -c ${setting}=<value>.`);
    this.name = 'InvalidSettingError';
  }
}

/** Reads a context value; `undefined` when absent. Matches `Node.tryGetContext`. */
export type ContextReader = (key: string) => unknown;

/** Reads and validates every setting; throws an `InvalidSettingError` naming the first bad one. */
export function readEstherSettings(context: ContextReader): EstherSettings {
  const okxRateLimitPerSecond = readInt(
    context,
    'okxRateLimitPerSecond',
    Number(DEFAULTS.okxRateLimitPerSecond),
    1,
    1000,
  );
  return {
    dryRunMode: readBoolean(context, 'dryRunMode', true),
    okxBaseUrl: readUrl(context, 'okxBaseUrl', DEFAULTS.okxBaseUrl),
    telegramApiRoot: readUrl(context, 'telegramApiRoot', DEFAULTS.telegramApiRoot),
    okxRateLimitPerSecond,
    syncMaxConcurrency: readInt(context, 'syncMaxConcurrency', Math.max(2, okxRateLimitPerSecond), 2, 1000),
    syncBatchSize: readInt(context, 'syncBatchSize', 5, 1, 10),
    webhookReservedConcurrency: readInt(context, 'webhookReservedConcurrency', 10, 1, 1000),
    apiThrottleRateLimit: readInt(context, 'apiThrottleRateLimit', 20, 1, 10_000),
    apiThrottleBurstLimit: readInt(context, 'apiThrottleBurstLimit', 40, 1, 5000),
    // 6 x 900 s still fits the 12 h visibility ceiling; 15 min is Lambda's own limit.
    syncWorkerTimeoutSeconds: readInt(context, 'syncWorkerTimeoutSeconds', 120, 10, 900),
    tableMaxWriteRequestUnits: readInt(context, 'tableMaxWriteRequestUnits', 1000, 1, 40_000),
    logLevel: readChoice(context, 'logLevel', DEFAULTS.logLevel, LOG_LEVELS),
    tracing: readBoolean(context, 'tracing', false),
    alarmEmail: readOptionalString(context, 'alarmEmail', /^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'an e-mail address'),
    telegramSecretName: readOptionalString(context, 'telegramSecretName', SECRET_NAME, 'a Secrets Manager secret name'),
    okxSecretName: readOptionalString(context, 'okxSecretName', SECRET_NAME, 'a Secrets Manager secret name'),
  };
}

const SECRET_NAME = /^[\w/+=.@-]{1,512}$/;

function readRaw(context: ContextReader, key: string): string | undefined {
  const value = context(key);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
    throw new InvalidSettingError(key, `expected a plain value, got ${JSON.stringify(value)}`);
  const text = String(value).trim();
  return text === '' ? undefined : text;
}

function readBoolean(context: ContextReader, key: string, fallback: boolean): boolean {
  const value = readRaw(context, key)?.toLowerCase();
  if (value === undefined) return fallback;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new InvalidSettingError(key, `expected true or false, got "${value}"`);
}

function readInt(context: ContextReader, key: string, fallback: number, min: number, max: number): number {
  const value = readRaw(context, key);
  if (value === undefined) return fallback;
  const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(parsed >= min && parsed <= max))
    throw new InvalidSettingError(key, `expected an integer from ${min} to ${max}, got "${value}"`);
  return parsed;
}

function readUrl(context: ContextReader, key: string, fallback: string): string {
  const value = readRaw(context, key) ?? fallback;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidSettingError(key, `expected an https URL, got "${value}"`);
  }
  if (url.protocol !== 'https:') throw new InvalidSettingError(key, `expected an https URL, got "${value}"`);
  return url.toString().replace(/\/$/, '');
}

function readChoice<T extends string>(context: ContextReader, key: string, fallback: T, choices: readonly T[]): T {
  const value = readRaw(context, key)?.toUpperCase() ?? fallback;
  if (!(choices as readonly string[]).includes(value))
    throw new InvalidSettingError(key, `expected one of ${choices.join(', ')}, got "${value}"`);
  return value as T;
}

function readOptionalString(context: ContextReader, key: string, pattern: RegExp, what: string): string | undefined {
  const value = readRaw(context, key);
  if (value !== undefined && !pattern.test(value))
    throw new InvalidSettingError(key, `expected ${what}, got "${value}"`);
  return value;
}
