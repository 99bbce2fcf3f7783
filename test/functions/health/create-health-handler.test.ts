import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHealthHandler, type HealthDeps, type HealthReport } from '../../../functions/health/create-health-handler';
import { createOkxProbe } from '../../../functions/health/okx-probe';
import { createDueIndexStore } from '../../../shared/sync/due-index-store';
import { createSyncCycleStore } from '../../../shared/sync/sync-cycle-store';
import { createTestDynamo, type TestDynamo } from '../../support/dynamo';
import { evmAddress, seedUser, userIdsInShard } from '../../shared/sync/due-fixtures';

const NOW = new Date('2030-01-01T10:05:00.000Z');
const okxUp = async () => ({ reachable: true, cached: false, checkedAt: NOW.toISOString() });

describe('health route', () => {
  let db: TestDynamo;
  let logs: Record<string, unknown>[] = [];
  const handler = (overrides: Partial<HealthDeps> = {}) =>
    createHealthHandler({
      log: (entry) => logs.push(entry),
      cycles: createSyncCycleStore(db.doc, db.tables.sessions),
      due: createDueIndexStore(db.doc, db.tables.portfolios),
      checkOkx: okxUp,
      now: () => NOW,
      ...overrides,
    });
  const call = async (overrides: Partial<HealthDeps> = {}) => {
    logs = [];
    const result = (await handler(overrides)()) as APIGatewayProxyStructuredResultV2;
    return { statusCode: result.statusCode, headers: result.headers, body: JSON.parse(result.body!) as HealthReport };
  };

  beforeAll(async () => {
    db = await createTestDynamo();
    const cycles = createSyncCycleStore(db.doc, db.tables.sessions);
    await cycles.claim('2030-01-01T10:00:00.000Z', Date.now(), 60_000);
    await cycles.recordDispatch('2030-01-01T10:00:00.000Z', { enqueued: 0, dueUsers: 3, skippedForBudget: 0, plannedRequests: 0, budget: 480 }, '2030-01-01T10:02:00.000Z');
    const [fresh, stale, never] = userIdsInShard(1, 3, 'hl');
    await seedUser(db.doc, db.tables.portfolios, fresh!, [evmAddress(1)], '2030-01-01T10:01:00.000Z');
    await seedUser(db.doc, db.tables.portfolios, stale!, [evmAddress(2), evmAddress(3)], '2030-01-01T09:20:00.000Z');
    await seedUser(db.doc, db.tables.portfolios, never!, [evmAddress(4)]);
  });

  it('answers 200 with status and component health only; user and stale wallet counts go to the log', async () => {
    const { statusCode, headers, body } = await call();

    expect(statusCode).toBe(200);
    expect(headers).toMatchObject({ 'content-type': 'application/json', 'cache-control': 'no-store' });
    expect(body).toEqual({
      status: 'ok',
      checkedAt: NOW.toISOString(),
      problems: [],
      dynamodb: { reachable: true, latencyMs: expect.any(Number) },
      okx: { reachable: true, cached: false, checkedAt: NOW.toISOString() },
      lastSyncCycle: { cycleId: '2030-01-01T10:00:00.000Z', completedAt: '2030-01-01T10:02:00.000Z', ageSeconds: 180 },
    });
    expect(logs).toEqual([{ level: 'INFO', message: 'health counts', status: 'ok', users: 3, deadLettered: 0, staleUsers: 2, staleWallets: 3, staleCapped: false }]);
  });

  it('answers 503 when OKX is unreachable, naming only the error class', async () => {
    const probe = createOkxProbe({ market: { getSupportedChains: async () => Promise.reject(Object.assign(new Error('apiKey=secret'), { name: 'OkxTransportError' })) }, now: () => NOW });
    const { statusCode, body } = await call({ checkOkx: probe });

    expect(statusCode).toBe(503);
    expect(body).toMatchObject({ status: 'degraded', problems: ['okx unreachable'], okx: { reachable: false, error: 'OkxTransportError' } });
    expect(JSON.stringify(body)).not.toContain('secret');
  });

  it('answers 503 when the last completed cycle is older than three cycles', async () => {
    const { statusCode, body } = await call({ now: () => new Date('2030-01-01T10:40:00.000Z') });
    expect(statusCode).toBe(503);
    expect(body.problems).toEqual(['last sync cycle too old']);
  });

  it('answers 503 before any cycle completed', async () => {
    const empty = await createTestDynamo();
    const { statusCode, body } = await call({ cycles: createSyncCycleStore(empty.doc, empty.tables.sessions), due: createDueIndexStore(empty.doc, empty.tables.portfolios) });
    expect(statusCode).toBe(503);
    expect(body).toMatchObject({ problems: ['no completed sync cycle'], lastSyncCycle: null });
  });

  it('answers 503 when DynamoDB is unreachable', async () => {
    const { statusCode, body } = await call({ cycles: { getLastCompleted: () => Promise.reject(new Error('ECONNREFUSED')) } });
    expect(statusCode).toBe(503);
    expect(body).toMatchObject({ problems: ['dynamodb unreachable'], dynamodb: { reachable: false } });
    expect(logs).toContainEqual(expect.objectContaining({ staleWallets: null, users: null }));
  });

  it('bounds the stale count per shard and says so', async () => {
    const { body } = await call({ staleReadCap: 1 });
    expect(Object.keys(body)).not.toContain('staleUsers');
    expect(logs).toContainEqual(expect.objectContaining({ staleUsers: 1, staleWallets: 1, staleCapped: true }));
  });
});

describe('OKX health probe', () => {
  it('calls OKX once a minute at most and marks cached answers', async () => {
    let now = new Date('2030-01-01T10:00:00.000Z');
    let calls = 0;
    const probe = createOkxProbe({ market: { getSupportedChains: async () => (calls += 1, []) }, now: () => now });

    expect(await probe()).toEqual({ reachable: true, cached: false, checkedAt: '2030-01-01T10:00:00.000Z' });
    now = new Date('2030-01-01T10:00:59.000Z');
    expect(await probe()).toEqual({ reachable: true, cached: true, checkedAt: '2030-01-01T10:00:00.000Z' });
    now = new Date('2030-01-01T10:01:00.001Z');
    expect(await probe()).toEqual({ reachable: true, cached: false, checkedAt: '2030-01-01T10:01:00.001Z' });
    expect(calls).toBe(2);
  });

  it('re-checks a failure after 10 s and shares one call between concurrent checks', async () => {
    let now = new Date('2030-01-01T10:00:00.000Z');
    let calls = 0;
    const probe = createOkxProbe({
      market: {
        getSupportedChains: async () => {
          calls += 1;
          if (calls === 1) throw new Error('timeout');
          return [];
        },
      },
      now: () => now,
    });

    const [first, second] = await Promise.all([probe(), probe()]);
    expect(first).toMatchObject({ reachable: false, cached: false, error: 'Error' });
    expect(second).toBe(first);
    now = new Date('2030-01-01T10:00:05.000Z');
    expect(await probe()).toMatchObject({ reachable: false, cached: true });
    now = new Date('2030-01-01T10:00:10.001Z');
    expect(await probe()).toMatchObject({ reachable: true, cached: false });
    expect(calls).toBe(2);
  });
});
