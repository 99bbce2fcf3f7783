import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { ComparisonOperator, type Dashboard, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC } from '../../shared/platform/metrics';
import type { OperatorAlarms } from './alarms';
import { type CustomMetric, customMetrics, okxRateLimitedPercent } from './custom-metrics';
import { createOperationsDashboard } from './operations-dashboard';

export interface OperationsProps {
  readonly alarms: OperatorAlarms;
  /** The functions' POWERTOOLS_METRICS_NAMESPACE (one per stage). */
  readonly namespace: string;
  readonly webhook: IFunction;
  readonly health: IFunction;
  readonly worker: IFunction;
  readonly fanout: IFunction;
  readonly api: HttpApi;
  readonly deadLetterQueue: IQueue;
}

/** The thresholds of docs/deploy.md ("Alarms"); test/infra/operations.test.ts asserts each in the template. */
export const OPERATIONS = {
  /** Cycles start every 10 minutes: three empty 10-minute windows = no cycle completed for 30 minutes. */
  syncStalled: { period: Duration.minutes(10), periods: 3 },
  /** Percent of OKX attempts answered 429 / 50011, in two 5-minute periods in a row. */
  okxRateLimitedPercent: { threshold: 5, period: Duration.minutes(5), periods: 2 },
  /** Webhook function p95 duration (its timeout is 20 s; Telegram waits), three 5-minute periods in a row. */
  webhookP95Ms: { threshold: 10_000, period: Duration.minutes(5), periods: 3 },
  /** The health check runs every 5 minutes; a degraded (or missing) check in two 10-minute windows in a row. */
  healthCheck: { schedule: Duration.minutes(5), period: Duration.minutes(10), periods: 2 },
} as const;

/**
 * "Is it well?": the heartbeat and rate alarms over the functions' own metrics, the scheduled health check
 * and one dashboard. The zero-tolerance alarms (DLQ, errors, 5xx) are added by the stack next to their resources.
 */
export class Operations extends Construct {
  readonly dashboard: Dashboard;
  readonly healthSchedule: Rule;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    const custom = customMetrics(props.namespace);
    // The health route's check, run by the clock too: each run emits HealthCheckOk (1 or 0).
    this.healthSchedule = new Rule(this, 'HealthSchedule', {
      description: 'Runs the health check every 5 minutes (HealthCheckOk metric)',
      schedule: Schedule.rate(OPERATIONS.healthCheck.schedule),
      targets: [
        new LambdaFunction(props.health, {
          event: RuleTargetInput.fromObject({ source: 'esther.health-schedule' }),
          retryAttempts: 0,
        }),
      ],
    });
    addHeartbeatAlarms(props.alarms, custom);
    addRateAlarms(props.alarms, custom, props.webhook);
    this.dashboard = createOperationsDashboard(this, 'Dashboard', { ...props, custom });
  }
}

/** Alarms on a metric whose absence is the problem: missing data breaches. */
function addHeartbeatAlarms(alarms: OperatorAlarms, custom: CustomMetric): void {
  const stalled = OPERATIONS.syncStalled;
  alarms.add('SyncStalled', {
    description: 'No sync cycle completed for 30 minutes (the fan-out or the workers stopped)',
    metric: custom(METRIC.syncCyclesCompleted, 'Sum', stalled.period),
    threshold: 1,
    comparison: ComparisonOperator.LESS_THAN_THRESHOLD,
    periods: stalled.periods,
    missing: TreatMissingData.BREACHING,
  });
  const health = OPERATIONS.healthCheck;
  alarms.add('HealthCheck', {
    description: 'GET /portfolio/health is degraded, or the scheduled check stopped running',
    metric: custom(METRIC.healthCheckOk, 'Minimum', health.period),
    threshold: 1,
    comparison: ComparisonOperator.LESS_THAN_THRESHOLD,
    periods: health.periods,
    missing: TreatMissingData.BREACHING,
  });
}

/** Alarms on a sustained rate or latency: quiet periods (no data) are fine. */
function addRateAlarms(alarms: OperatorAlarms, custom: CustomMetric, webhook: IFunction): void {
  const limited = OPERATIONS.okxRateLimitedPercent;
  alarms.add('OkxRateLimited', {
    description: `More than ${limited.threshold} % of OKX requests were rate limited (lower okxRateLimitPerSecond)`,
    metric: okxRateLimitedPercent(custom, limited.period),
    threshold: limited.threshold,
    comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
    periods: limited.periods,
    missing: TreatMissingData.NOT_BREACHING,
  });
  const latency = OPERATIONS.webhookP95Ms;
  alarms.add('WebhookLatencyP95', {
    description: `The webhook's p95 duration is above ${latency.threshold / 1000} s`,
    metric: webhook.metricDuration({ statistic: 'p95', period: latency.period }),
    threshold: latency.threshold,
    comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
    periods: latency.periods,
    missing: TreatMissingData.NOT_BREACHING,
  });
}
