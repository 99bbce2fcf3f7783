import { DEFAULTS } from '../shared/platform/config/env-names';
import { readRouterAllowlist } from '../shared/rebalance/router-allowlist';

/**
 * Deploy-time settings, read from CDK context (cdk.json `"context"`, or `-c key=value`) and validated at
 * synth: a missing or invalid value stops the synth with an `InvalidSettingError` naming the setting.
 * `"stages": { "<stage>": { ...settings } }` in the context overrides settings for one stage.
 */
export interface EstherSettings {
  /** Deployment stage (`dev`, `prod`, ...): stages live side by side in one account and region. */
  readonly stage: string;
  /** CloudFormation stack name: the `stackName` setting, else `EstherPortfolio-<stage>`. */
  readonly stackName: string;
  /** Stack-wide permission for live trading; each user still opts in. `false` forces dry-run for everyone. */
  readonly dryRunMode: boolean;
  readonly okxBaseUrl: string;
  readonly telegramApiRoot: string;
  /** OKX request budget per second shared by all functions. */
  readonly okxRateLimitPerSecond: number;
  /** Upper bound of concurrent sync workers (SQS event source maxConcurrency, 2..1000); also the worker's reserved concurrency. */
  readonly syncMaxConcurrency: number;
  /** Upper bound of concurrent notification senders (SQS event source maxConcurrency, 2..100); also their reserved concurrency. */
  readonly notifyMaxConcurrency: number;
  /** Messages per second all notification senders together may send to Telegram (1..30: Telegram's bulk limit). */
  readonly telegramSendRatePerSecond: number;
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
  /** DynamoDB deletion protection on every table (guards against deletes outside CloudFormation). */
  readonly tableDeletionProtection: boolean;
  readonly logLevel: LogLevel;
  readonly tracing: boolean;
  /** Seconds a Mini App's signed initData is accepted after its auth_date (60..604800; Telegram's examples use 86400). */
  readonly miniAppInitDataMaxAgeSeconds: number;
  /** Subscribed to the alarm topic when set. */
  readonly alarmEmail?: string;
  /** More alarm subscribers: a list in cdk.json (may be empty), or comma-separated with -c. */
  readonly alarmEmails: readonly string[];
  /** CloudWatch namespace of the functions' metrics, `EstherPortfolio/<stage>`: each stage alarms on its own. */
  readonly metricsNamespace: string;
  /** Import an existing secret by name instead of creating one. */
  readonly telegramSecretName?: string;
  readonly okxSecretName?: string;
  /** A label of the Telegram secret's version (e.g. its VersionId): a new one registers the bot again. */
  readonly telegramSecretVersion?: string;
  /**
   * OKX DEX routers added to the built-in list (issue 13), as JSON `{"<chainIndex>": ["<address>"]}` (an object in
   * cdk.json, a JSON string with -c): set when OKX deploys a new router before a release ships it.
   */
  readonly okxRouterAllowlist?: string;
}

export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The stack name prefix; the stage is appended unless `stackName` is set. */
export const STACK_NAME_PREFIX = 'EstherPortfolio';

/** The metrics namespace prefix; the stage is appended (`POWERTOOLS_METRICS_NAMESPACE` of every function). */
export const METRICS_NAMESPACE_PREFIX = DEFAULTS.metricsNamespace;

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

const STAGE = /^[a-z](?:[a-z0-9-]{0,18}[a-z0-9])?$/;
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
const SECRET_NAME = /^[\w/+=.@-]{1,512}$/;
const SECRET_VERSION = /^[\w.-]{1,64}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Reads and validates every setting; throws an `InvalidSettingError` naming the first bad one. */
export function readEstherSettings(context: ContextReader): EstherSettings {
  const stage = readString(
    context,
    'stage',
    STAGE,
    'a stage name: 1 to 20 lower-case letters, digits or inner hyphens, starting with a letter (e.g. dev, prod)',
  );
  const read = withStageOverrides(context, stage);
  return {
    stage,
    stackName:
      readOptionalString(
        read,
        'stackName',
        STACK_NAME,
        'a CloudFormation stack name (letters, digits, hyphens; up to 128)',
      ) ?? `${STACK_NAME_PREFIX}-${stage}`,
    dryRunMode: readBoolean(read, 'dryRunMode'),
    okxBaseUrl: readUrl(read, 'okxBaseUrl'),
    telegramApiRoot: readUrl(read, 'telegramApiRoot'),
    okxRateLimitPerSecond: readInt(read, 'okxRateLimitPerSecond', 1, 1000),
    syncMaxConcurrency: readInt(read, 'syncMaxConcurrency', 2, 1000),
    syncBatchSize: readInt(read, 'syncBatchSize', 1, 10),
    notifyMaxConcurrency: readInt(read, 'notifyMaxConcurrency', 2, 100),
    telegramSendRatePerSecond: readInt(read, 'telegramSendRatePerSecond', 1, 30),
    webhookReservedConcurrency: readInt(read, 'webhookReservedConcurrency', 1, 1000),
    apiThrottleRateLimit: readInt(read, 'apiThrottleRateLimit', 1, 10_000),
    apiThrottleBurstLimit: readInt(read, 'apiThrottleBurstLimit', 1, 5000),
    // 6 x 900 s still fits the 12 h visibility ceiling; 15 min is Lambda's own limit.
    syncWorkerTimeoutSeconds: readInt(read, 'syncWorkerTimeoutSeconds', 10, 900),
    tableMaxWriteRequestUnits: readInt(read, 'tableMaxWriteRequestUnits', 1, 40_000),
    tableDeletionProtection: readBoolean(read, 'tableDeletionProtection'),
    logLevel: readChoice(read, 'logLevel', LOG_LEVELS),
    // A minute at least (a page opened and used at once), a week at most (a tab left open for days stays signed in).
    miniAppInitDataMaxAgeSeconds: readInt(read, 'miniAppInitDataMaxAgeSeconds', 60, 604_800),
    tracing: readBoolean(read, 'tracing'),
    alarmEmail: readOptionalString(read, 'alarmEmail', EMAIL, 'an e-mail address'),
    alarmEmails: readEmailList(read, 'alarmEmails'),
    metricsNamespace: `${METRICS_NAMESPACE_PREFIX}/${stage}`,
    telegramSecretName: readOptionalString(read, 'telegramSecretName', SECRET_NAME, 'a Secrets Manager secret name'),
    okxSecretName: readOptionalString(read, 'okxSecretName', SECRET_NAME, 'a Secrets Manager secret name'),
    telegramSecretVersion: readOptionalString(
      read,
      'telegramSecretVersion',
      SECRET_VERSION,
      'a secret version label: 1 to 64 letters, digits, dots, underscores or hyphens',
    ),
    okxRouterAllowlist: readRouterSetting(read),
  };
}

function readRouterSetting(read: ContextReader): string | undefined {
  const raw = read('okxRouterAllowlist');
  if (raw === undefined || raw === null || raw === '') return undefined;
  const json = typeof raw === 'string' ? raw : JSON.stringify(raw);
  try {
    readRouterAllowlist(json);
  } catch (error) {
    throw new InvalidSettingError('okxRouterAllowlist', (error as Error).message);
  }
  return json;
}

/** `stages.<stage>.<key>` wins over `<key>`, so one cdk.json holds every stage (e.g. prod's secret names). */
function withStageOverrides(context: ContextReader, stage: string): ContextReader {
  const stages = context('stages') ?? {};
  if (!isPlainObject(stages)) throw new InvalidSettingError('stages', 'expected an object of stage name -> settings');
  const overrides = stages[stage] ?? {};
  if (!isPlainObject(overrides))
    throw new InvalidSettingError(`stages.${stage}`, 'expected an object of setting -> value');
  return (key) => (key in overrides ? overrides[key] : context(key));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A required list (may be empty): a JSON array in cdk.json, or comma-separated text from `-c`. */
function readEmailList(context: ContextReader, key: string): readonly string[] {
  const value = context(key);
  const expected = 'a list of e-mail addresses (may be empty: [])';
  if (value === undefined || value === null) throw new InvalidSettingError(key, `missing, expected ${expected}`);
  if (!Array.isArray(value) && typeof value !== 'string')
    throw new InvalidSettingError(key, `expected ${expected}, got ${JSON.stringify(value)}`);
  const items: unknown[] = Array.isArray(value) ? value : value.split(',');
  const emails = items.map((item) => (typeof item === 'string' ? item.trim() : item)).filter((item) => item !== '');
  const bad = emails.find((item) => typeof item !== 'string' || !EMAIL.test(item));
  if (bad !== undefined) throw new InvalidSettingError(key, `expected e-mail addresses, got ${JSON.stringify(bad)}`);
  return emails as string[];
}

function readRaw(context: ContextReader, key: string): string | undefined {
  const value = context(key);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
    throw new InvalidSettingError(key, `expected a plain value, got ${JSON.stringify(value)}`);
  const text = String(value).trim();
  return text === '' ? undefined : text;
}

/** A required setting: its raw text, or an error saying it is missing and what it should be. */
function readRequired(context: ContextReader, key: string, expected: string): string {
  const value = readRaw(context, key);
  if (value === undefined) throw new InvalidSettingError(key, `missing, expected ${expected}`);
  return value;
}

function readBoolean(context: ContextReader, key: string): boolean {
  const value = readRequired(context, key, 'true or false').toLowerCase();
  if (value === 'true' || value === 'false') return value === 'true';
  throw new InvalidSettingError(key, `expected true or false, got "${value}"`);
}

function readInt(context: ContextReader, key: string, min: number, max: number): number {
  const expected = `an integer from ${min} to ${max}`;
  const value = readRequired(context, key, expected);
  const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(parsed >= min && parsed <= max)) throw new InvalidSettingError(key, `expected ${expected}, got "${value}"`);
  return parsed;
}

function readUrl(context: ContextReader, key: string): string {
  const value = readRequired(context, key, 'an https URL');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidSettingError(key, `expected an https URL, got "${value}"`);
  }
  if (url.protocol !== 'https:') throw new InvalidSettingError(key, `expected an https URL, got "${value}"`);
  return url.toString().replace(/\/$/, '');
}

function readChoice<T extends string>(context: ContextReader, key: string, choices: readonly T[]): T {
  const expected = `one of ${choices.join(', ')}`;
  const value = readRequired(context, key, expected).toUpperCase();
  if (!(choices as readonly string[]).includes(value))
    throw new InvalidSettingError(key, `expected ${expected}, got "${value}"`);
  return value as T;
}

function readString(context: ContextReader, key: string, pattern: RegExp, what: string): string {
  const value = readRequired(context, key, what);
  if (!pattern.test(value)) throw new InvalidSettingError(key, `expected ${what}, got "${value}"`);
  return value;
}

function readOptionalString(context: ContextReader, key: string, pattern: RegExp, what: string): string | undefined {
  const value = readRaw(context, key);
  if (value !== undefined && !pattern.test(value))
    throw new InvalidSettingError(key, `expected ${what}, got "${value}"`);
  return value;
}
