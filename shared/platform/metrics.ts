import { Metrics } from '@aws-lambda-powertools/metrics';
import { DEFAULTS, ENV } from './config/env-names';
import { logger } from './logger';

/** The CloudWatch namespace of our metrics (POWERTOOLS_METRICS_NAMESPACE, set by CDK from the same default). */
export const METRIC_NAMESPACE = DEFAULTS.metricsNamespace;

/** Metric names: operators' dashboards and any alarm on them use these. */
export const METRIC = {
  /** A Telegram update delivered again after its first delivery was claimed (webhook). */
  duplicateUpdates: 'DuplicateUpdates',
} as const;

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
