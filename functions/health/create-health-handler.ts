import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import type { DueIndexStore } from '../../shared/sync/due-index-store';
import type { CompletedCycle, SyncCycleStore } from '../../shared/sync/sync-cycle-store';
import type { OkxHealth } from './okx-probe';
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
  /** Where the counts go (users, stale users and wallets, dead-lettered jobs): logs and metrics, never the public answer. */
  readonly log?: (entry: Record<string, unknown>) => void;
}

export interface HealthReport {
  readonly status: 'ok' | 'degraded';
  readonly checkedAt: string;
  readonly problems: readonly string[];
  readonly dynamodb: { readonly reachable: boolean; readonly latencyMs: number };
  readonly okx: OkxHealth;
  readonly lastSyncCycle: { readonly cycleId: string; readonly completedAt: string; readonly ageSeconds: number } | null;
}

/**
 * GET /portfolio/health: DynamoDB (one GetItem for the last completed cycle, timed, plus a bounded
 * query for stale users), OKX (a cached cheap call) and sync freshness. 200 when all three are fine,
 * 503 otherwise. The route is public: it answers status and component health only. No secret, URL,
 * error message, user or wallet count is ever part of the answer; the counts go to the log (one JSON
 * line per check, for a metric filter).
 */
export function createHealthHandler(deps: HealthDeps) {
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? ((entry) => console.log(JSON.stringify(entry)));
  const cycleMs = (deps.cycleSeconds ?? 600) * 1000;

  const checkDynamo = async (at: Date) => {
    const started = performance.now();
    try {
      const cycle = await deps.cycles.getLastCompleted();
      const stale = await countStaleWallets(deps.due, new Date(at.getTime() - (deps.staleAfterCycles ?? 2) * cycleMs).toISOString(), deps.staleReadCap ?? 250);
      return { reachable: true, latencyMs: Math.round(performance.now() - started), cycle, stale };
    } catch {
      return { reachable: false, latencyMs: Math.round(performance.now() - started), cycle: undefined, stale: undefined };
    }
  };

  return async (): Promise<APIGatewayProxyResultV2> => {
    const at = now();
    const [dynamo, okx] = await Promise.all([checkDynamo(at), deps.checkOkx()]);
    const lastSyncCycle = dynamo.cycle ? describeCycle(dynamo.cycle, at) : null;
    const problems = [
      ...(dynamo.reachable ? [] : ['dynamodb unreachable']),
      ...(okx.reachable ? [] : ['okx unreachable']),
      ...(dynamo.reachable && !lastSyncCycle ? ['no completed sync cycle'] : []),
      ...(lastSyncCycle && lastSyncCycle.ageSeconds * 1000 > (deps.maxCycleAge ?? 3) * cycleMs ? ['last sync cycle too old'] : []),
    ];
    const report: HealthReport = {
      status: problems.length === 0 ? 'ok' : 'degraded',
      checkedAt: at.toISOString(),
      problems,
      dynamodb: { reachable: dynamo.reachable, latencyMs: dynamo.latencyMs },
      okx,
      lastSyncCycle,
    };
    log({
      level: 'INFO',
      message: 'health counts',
      status: report.status,
      users: dynamo.cycle?.dueUsers ?? null,
      deadLettered: dynamo.cycle?.deadLettered ?? null,
      ...staleFields(dynamo.stale),
    });
    return {
      statusCode: report.status === 'ok' ? 200 : 503,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
      body: JSON.stringify(report),
    };
  };
}

function describeCycle(cycle: CompletedCycle, at: Date) {
  return { cycleId: cycle.cycleId, completedAt: cycle.completedAt, ageSeconds: Math.max(0, Math.round((at.getTime() - Date.parse(cycle.completedAt)) / 1000)) };
}

function staleFields(stale: StaleCount | undefined) {
  return { staleUsers: stale?.users ?? null, staleWallets: stale?.wallets ?? null, staleCapped: stale?.capped ?? false };
}
