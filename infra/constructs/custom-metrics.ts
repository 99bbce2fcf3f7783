import type { Duration } from 'aws-cdk-lib';
import { MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { DEFAULTS } from '../../shared/platform/config/env-names';
import { METRIC } from '../../shared/platform/metrics';

/** One of our EMF metrics: Powertools puts each under the stage's namespace with the one `service` dimension. */
export type CustomMetric = (metricName: string, statistic: string, period: Duration, label?: string) => Metric;

export function customMetrics(namespace: string): CustomMetric {
  return (metricName, statistic, period, label) =>
    new Metric({
      namespace,
      metricName,
      dimensionsMap: { service: DEFAULTS.serviceName },
      statistic,
      period,
      ...(label ? { label } : {}),
    });
}

/** Percent of OKX attempts answered 429 / 50011 (no requests: no data, so no alarm). */
export function okxRateLimitedPercent(custom: CustomMetric, period: Duration): MathExpression {
  return new MathExpression({
    expression: '100 * FILL(limited, 0) / requests',
    usingMetrics: {
      limited: custom(METRIC.okxRateLimited, 'Sum', period),
      requests: custom(METRIC.okxRequests, 'Sum', period),
    },
    period,
    label: 'OKX 429 %',
  });
}
