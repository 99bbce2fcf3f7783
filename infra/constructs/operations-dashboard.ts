import { Duration, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Dashboard, GraphWidget, MathExpression, SingleValueWidget } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { METRIC } from '../../shared/platform/metrics';
import { type CustomMetric, okxRateLimitedPercent } from './custom-metrics';

export interface OperationsDashboardProps {
  readonly custom: CustomMetric;
  readonly webhook: IFunction;
  readonly health: IFunction;
  readonly worker: IFunction;
  readonly fanout: IFunction;
  readonly api: HttpApi;
  readonly deadLetterQueue: IQueue;
}

const MINUTE = Duration.minutes(1);
const FIVE_MINUTES = Duration.minutes(5);

/** `<stack name>-operations`: users, sync lag, OKX requests per second and 429s, webhook latency, errors, DLQ, health. */
export function createOperationsDashboard(scope: Construct, id: string, props: OperationsDashboardProps): Dashboard {
  return new Dashboard(scope, id, {
    // One per stack: two stages in one account get two dashboards.
    dashboardName: `${Stack.of(scope).stackName}-operations`,
    defaultInterval: Duration.hours(24),
    widgets: [syncRow(props.custom), upstreamRow(props), healthRow(props)],
  });
}

function syncRow(custom: CustomMetric) {
  return [
    new SingleValueWidget({
      title: 'Users',
      metrics: [custom(METRIC.users, 'Maximum', FIVE_MINUTES, 'Users due per cycle')],
      width: 6,
    }),
    new GraphWidget({
      title: 'Sync lag',
      left: [
        custom(METRIC.lastSyncCycleAgeSeconds, 'Maximum', FIVE_MINUTES, 'Last completed cycle age (s)'),
        custom(METRIC.syncCycleDurationSeconds, 'Maximum', FIVE_MINUTES, 'Cycle duration (s)'),
      ],
      right: [custom(METRIC.syncCyclesCompleted, 'Sum', Duration.minutes(10), 'Cycles completed')],
      width: 18,
    }),
  ];
}

function upstreamRow({ custom, webhook, api }: OperationsDashboardProps) {
  const perSecond = new MathExpression({
    expression: 'requests / PERIOD(requests)',
    usingMetrics: { requests: custom(METRIC.okxRequests, 'Sum', MINUTE) },
    period: MINUTE,
    label: 'OKX requests / s',
  });
  return [
    new GraphWidget({ title: 'OKX requests per second', left: [perSecond], width: 8 }),
    new GraphWidget({
      title: 'OKX 429s',
      left: [custom(METRIC.okxRateLimited, 'Sum', FIVE_MINUTES, '429 answers')],
      right: [okxRateLimitedPercent(custom, FIVE_MINUTES)],
      width: 8,
    }),
    new GraphWidget({
      title: 'Webhook latency',
      left: ['p50', 'p95', 'p99'].map((statistic) =>
        webhook.metricDuration({ statistic, period: FIVE_MINUTES, label: `Duration ${statistic}` }),
      ),
      right: [api.metricLatency({ statistic: 'p95', period: FIVE_MINUTES, label: 'API p95' })],
      width: 8,
    }),
  ];
}

function healthRow(props: OperationsDashboardProps) {
  const functions = { webhook: props.webhook, worker: props.worker, fanout: props.fanout, health: props.health };
  return [
    new GraphWidget({
      title: 'Errors',
      left: Object.entries(functions).map(([name, fn]) =>
        fn.metricErrors({ period: FIVE_MINUTES, label: `${name} errors` }),
      ),
      width: 8,
    }),
    new GraphWidget({
      title: 'Sync DLQ depth',
      left: [props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: MINUTE, statistic: 'Maximum' })],
      width: 8,
    }),
    new GraphWidget({
      title: 'Health check (1 = ok)',
      left: [props.custom(METRIC.healthCheckOk, 'Minimum', FIVE_MINUTES, 'HealthCheckOk')],
      width: 8,
    }),
  ];
}
