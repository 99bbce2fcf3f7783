import { Metrics, type MetricUnit } from '@aws-lambda-powertools/metrics';

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];
import { DEFAULTS, ENV } from './config/env-names';
import { logger } from './logger';

/** The CloudWatch namespace of our metrics (POWERTOOLS_METRICS_NAMESPACE, set by CDK from the same default). */
export const METRIC_NAMESPACE = DEFAULTS.metricsNamespace;

/** Metric names: operators' dashboards and any alarm on them use these. */
export const METRIC = {
  /** A Telegram update delivered again after its first delivery was claimed (webhook). */
  duplicateUpdates: 'DuplicateUpdates',
  /** A sync cycle completed (every enqueued user settled): the "sync stopped" alarm watches its absence. */
  syncCyclesCompleted: 'SyncCyclesCompleted',
  /** Seconds from a cycle's scheduled start to its completion (sync lag, per completed cycle). */
  syncCycleDurationSeconds: 'SyncCycleDurationSeconds',
  /** One OKX request attempt sent (retries included): requests per second on the dashboard. */
  okxRequests: 'OkxRequests',
  /** An OKX answer that was rate limited (HTTP 429 or code 50011). */
  okxRateLimited: 'OkxRateLimited',
  /** One health check: 1 when healthy, 0 when degraded (scheduled every 5 minutes, and every GET). */
  healthCheckOk: 'HealthCheckOk',
  /** Users due in the last completed cycle, as the health check read it. */
  users: 'Users',
  /** Age of the last completed sync cycle, as the health check read it. */
  lastSyncCycleAgeSeconds: 'LastSyncCycleAgeSeconds',
  /** Bot API messages a notification delivery sent (a chart and the text parts). */
  notificationMessagesSent: 'NotificationMessagesSent',
  /** A notification Telegram answered 429 for (put back or waited out). */
  notificationRateLimited: 'NotificationRateLimited',
  /** A notification to a chat that blocked the bot (403): its user was marked inactive. */
  notificationBlocked: 'NotificationBlocked',
  /** A notification not delivered for good (refused by Telegram, retries exhausted, or in doubt after a transport failure). */
  notificationsLost: 'NotificationsLost',
} as const;

/** What emitters need of the metrics buffer: tests pass a fake, Lambdas the one below. */
export interface MetricsSink {
  addMetric(name: string, unit: Unit, value: number): unknown;
}

/**
 * The one metrics buffer (Powertools Metrics): `addMetric` stores, and the handler's `logMetrics` middleware
 * writes one CloudWatch EMF line per invocation (no API call). Its own warnings go through our logger at
 * ERROR only: an invocation that emitted no metric (most of them) would otherwise log a warning each time.
 */
export const metrics = new Metrics({
  namespace: process.env[ENV.metricsNamespace] || METRIC_NAMESPACE,
  serviceName: process.env[ENV.serviceName] || DEFAULTS.serviceName,
  logger: logger.createChild({ logLevel: 'ERROR' }),
});
