import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { createApp } from '../../shared/app/create-app';
import type { Stores } from '../../shared/app/stores';
import type { DueIndexStore } from '../../shared/wallets/portfolio-store';
import type { CompletedCycle, SyncCycleStore } from '../../shared/sync/sync-cycle-store';
import type { MarketDataPort } from '../../shared/platform/okx/market-data-port';
import { logger as platformLogger, type Log } from '../../shared/platform/logger';
import { METRIC, metrics as platformMetrics, type MetricsSink } from '../../shared/platform/metrics';
import { tracingMiddleware } from '../../shared/platform/tracing';
import { createOkxProbe, type OkxHealth } from './okx-probe';
import { countStaleWallets, type StaleCount } from './stale-count';

export interface HealthDeps {
  readonly cycles: Pick<SyncCycleStore, 'getLastCompleted'>;
  readonly due: Pick<DueIndexStore, 'listDueUsers'>;
  readonly checkOkx: () => Promise<OkxHealth>;
  readonly now?: () => Date;
  /** @default 600 */
  readonly cycleSeconds?: number;
  /** The last completed cycle may be this many cycles old before the system counts as unhealthy. @default 3 */
  readonly maxCycleAge?: number;
  /** A wallet is stale when its user was not synced for this many cycles. @default 2 */
  readonly staleAfterCycles?: number;
  /** @default 250 users per shard */
  readonly staleReadCap?: number;
  /** Where the counts go (users, stale users and wallets, dead-lettered jobs), never the public answer. @default the platform logger */
  readonly logger?: Log;
  /** `HealthCheckOk` (1 or 0), `Users` and `LastSyncCycleAgeSeconds` of every check. @default the platform metrics */
  readonly metrics?: MetricsSink;
}

export interface HealthReport {
  readonly status: 'ok' | 'degraded';
  readonly checkedAt: string;
  readonly problems: readonly string[];
  readonly dynamodb: { readonly reachable: boolean; readonly latencyMs: number };
  readonly okx: OkxHealth;
  readonly lastSyncCycle: {
    readonly cycleId: string;
    readonly completedAt: string;
    readonly ageSeconds: number;
  } | null;
}

/**
 * One check: DynamoDB (one GetItem for the last completed cycle, timed, plus a bounded query for stale
 * users), OKX (a cached cheap call) and sync freshness. 200 when all three are fine, 503 otherwise. The
 * route is public: it answers status and component health only. No secret, URL, error message, user or
 * wallet count is ever part of the answer; the counts go to the log (one JSON line per check).
 */
export async function checkHealth(deps: HealthDeps): Promise<APIGatewayProxyResultV2> {
  const now = deps.now ?? (() => new Date());
  const logger = deps.logger ?? platformLogger;
  const cycleMs = (deps.cycleSeconds ?? 600) * 1000;

  const checkDynamo = async (at: Date) => {
    const started = performance.now();
    try {
      const cycle = await deps.cycles.getLastCompleted();
      const stale = await countStaleWallets(
        deps.due,
        new Date(at.getTime() - (deps.staleAfterCycles ?? 2) * cycleMs).toISOString(),
        deps.staleReadCap ?? 250,
      );
      return { reachable: true, latencyMs: Math.round(performance.now() - started), cycle, stale };
    } catch {
      return {
        reachable: false,
        latencyMs: Math.round(performance.now() - started),
        cycle: undefined,
        stale: undefined,
      };
    }
  };

  const at = now();
  const [dynamo, okx] = await Promise.all([checkDynamo(at), deps.checkOkx()]);
  const lastSyncCycle = dynamo.cycle ? describeCycle(dynamo.cycle, at) : null;
  const problems = [
    ...(dynamo.reachable ? [] : ['dynamodb unreachable']),
    ...(okx.reachable ? [] : ['okx unreachable']),
    ...(dynamo.reachable && !lastSyncCycle ? ['no completed sync cycle'] : []),
    ...(lastSyncCycle && lastSyncCycle.ageSeconds * 1000 > (deps.maxCycleAge ?? 3) * cycleMs
      ? ['last sync cycle too old']
      : []),
  ];
  const report: HealthReport = {
    status: problems.length === 0 ? 'ok' : 'degraded',
    checkedAt: at.toISOString(),
    problems,
    dynamodb: { reachable: dynamo.reachable, latencyMs: dynamo.latencyMs },
    okx,
    lastSyncCycle,
  };
  const sink = deps.metrics ?? platformMetrics;
  sink.addMetric(METRIC.healthCheckOk, MetricUnit.Count, report.status === 'ok' ? 1 : 0);
  if (dynamo.cycle) sink.addMetric(METRIC.users, MetricUnit.Count, dynamo.cycle.dueUsers);
  if (lastSyncCycle) sink.addMetric(METRIC.lastSyncCycleAgeSeconds, MetricUnit.Seconds, lastSyncCycle.ageSeconds);
  logger.info('health counts', {
    status: report.status,
    users: dynamo.cycle?.dueUsers ?? null,
    deadLettered: dynamo.cycle?.deadLettered ?? null,
    ...staleFields(dynamo.stale),
  });
  return answer(report.status === 'ok' ? 200 : 503, report);
}

const answer = (statusCode: number, body: unknown): APIGatewayProxyResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  body: JSON.stringify(body),
});

function describeCycle(cycle: CompletedCycle, at: Date) {
  return {
    cycleId: cycle.cycleId,
    completedAt: cycle.completedAt,
    ageSeconds: Math.max(0, Math.round((at.getTime() - Date.parse(cycle.completedAt)) / 1000)),
  };
}

function staleFields(stale: StaleCount | undefined) {
  return {
    staleUsers: stale?.users ?? null,
    staleWallets: stale?.wallets ?? null,
    staleCapped: stale?.capped ?? false,
  };
}

/** What the health check takes from the app: DynamoDB (two stores) and the OKX client, nothing else. */
export interface HealthParts {
  stores(): Promise<Pick<Stores, 'cycles' | 'due'>>;
  okx(): Promise<Pick<MarketDataPort, 'getSupportedChains'>>;
}

/**
 * GET /portfolio/health over the app's parts. The OKX probe (and its cache) lives as long as the container.
 * A failed start-up (config, secret) is a 503 naming only the error class; the parts are built again next call.
 */
export function createHealthHandler(parts: HealthParts, options: Omit<HealthDeps, 'cycles' | 'due' | 'checkOkx'> = {}) {
  const now = options.now ?? (() => new Date());
  const checkOkx = createOkxProbe({
    market: { getSupportedChains: async () => (await parts.okx()).getSupportedChains() },
    now,
  });
  return async (): Promise<APIGatewayProxyResultV2> => {
    let stores: Awaited<ReturnType<HealthParts['stores']>>;
    try {
      [stores] = await Promise.all([parts.stores(), parts.okx()]);
    } catch (error) {
      (options.metrics ?? platformMetrics).addMetric(METRIC.healthCheckOk, MetricUnit.Count, 0);
      return answer(503, {
        status: 'degraded',
        checkedAt: now().toISOString(),
        problems: [`start-up failed: ${(error as Error).name}`],
      });
    }
    return checkHealth({ ...options, now, cycles: stores.cycles, due: stores.due, checkOkx });
  };
}

export const handler = middy(createHealthHandler(createApp(process.env)))
  .use(injectLambdaContext(platformLogger, { resetKeys: true, logEvent: false }))
  .use(logMetrics(platformMetrics))
  .use(await tracingMiddleware(process.env));
