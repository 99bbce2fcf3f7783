import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, it } from 'vitest';
import { isSharedRateLimitTimeoutError } from '../../../../shared/adapters/dynamo/shared-rate-limit-timeout-error';
import { createSharedRateLimiter } from '../../../../shared/adapters/dynamo/shared-rate-limiter-store';
import { createTestDynamo, type TestDynamo } from '../../../support/dynamo';

let db: TestDynamo;

beforeAll(async () => {
  db = await createTestDynamo();
});

/** Far in the future, so DynamoDB Local's TTL sweeper never removes the window items under test. */
const FUTURE_MS = Date.parse('2036-11-24T10:01:00.250Z');
const FUTURE_SECOND = Math.floor(FUTURE_MS / 1000);

function fakeClock(startMs = FUTURE_MS) {
  const clock = { ms: startMs, sleeps: [] as number[] };
  return {
    clock,
    now: () => clock.ms,
    sleep: async (ms: number) => {
      clock.sleeps.push(ms);
      clock.ms += ms;
    },
  };
}

const uniqueScope = () => `test-${randomUUID().slice(0, 8)}`;

async function windowsOf(scope: string): Promise<Record<string, number>> {
  const { Items = [] } = await db.doc.send(
    new QueryCommand({ TableName: db.tables.sessions, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `rate#${scope}` } }),
  );
  return Object.fromEntries(Items.map((item) => [item.sk as string, item.count as number]));
}

describe('shared rate limiter (DynamoDB Local)', () => {
  it('counts grants in one item per scope and epoch second, swept by TTL a minute later', async () => {
    // Prepare
    const scope = uniqueScope();
    const { now, sleep } = fakeClock();
    const limiter = createSharedRateLimiter({ doc: db.doc, tableName: db.tables.sessions, scope, limitPerSecond: 3, now, sleep });
    // Act
    await limiter.acquire();
    await limiter.acquire();
    // Assess
    const { Item } = await db.doc.send(new GetCommand({ TableName: db.tables.sessions, Key: { pk: `rate#${scope}`, sk: `window#${FUTURE_SECOND}` } }));
    expect(Item).toEqual({
      pk: `rate#${scope}`,
      sk: `window#${FUTURE_SECOND}`,
      count: 2,
      entity: 'rate-window',
      createdAt: '2036-11-24T10:01:00.250Z',
      updatedAt: '2036-11-24T10:01:00.250Z',
      ttl: FUTURE_SECOND + 60,
    });
  });

  it('makes a caller who finds the window full wait for the next second plus jitter', async () => {
    const scope = uniqueScope();
    const { clock, now, sleep } = fakeClock();
    const limiter = createSharedRateLimiter({ doc: db.doc, tableName: db.tables.sessions, scope, limitPerSecond: 2, now, sleep, random: () => 0.5, jitterMs: 40 });

    for (let i = 0; i < 3; i += 1) await limiter.acquire();

    expect(clock.sleeps).toEqual([750 + 20]);
    expect(await windowsOf(scope)).toEqual({ [`window#${FUTURE_SECOND}`]: 2, [`window#${FUTURE_SECOND + 1}`]: 1 });
  });

  it('shares the budget between limiters (Lambda containers) of the same scope only', async () => {
    const scope = uniqueScope();
    const { now, sleep } = fakeClock();
    const options = { doc: db.doc, tableName: db.tables.sessions, limitPerSecond: 1, now, sleep, maxWaitMs: 0 };
    const first = createSharedRateLimiter({ ...options, scope });
    const second = createSharedRateLimiter({ ...options, scope });
    const other = createSharedRateLimiter({ ...options, scope: uniqueScope() });

    await first.acquire();

    await expect(second.acquire()).rejects.toThrow(/no "test-.*" request slot \(1\/s shared by all functions\) within 0 ms/);
    await expect(other.acquire()).resolves.toBeUndefined();
  });

  it('grants at most the limit per second to many concurrent callers on the real clock', async () => {
    // Prepare
    const scope = uniqueScope();
    const limiters = Array.from({ length: 3 }, () => createSharedRateLimiter({ doc: db.doc, tableName: db.tables.sessions, scope, limitPerSecond: 5 }));
    const startedAt = Date.now();
    let lastGrantAt = startedAt;
    // Act: 30 callers spread over three "containers"
    await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        await limiters[i % limiters.length]!.acquire();
        lastGrantAt = Math.max(lastGrantAt, Date.now());
      }),
    );
    // Assess: the window items are the ledger (a grant may resolve a little after its second ends)
    const windows = await windowsOf(scope);
    expect(Object.values(windows).reduce((sum, count) => sum + count, 0)).toBe(30);
    expect(Math.max(...Object.values(windows))).toBeLessThanOrEqual(5);
    expect(Object.keys(windows).length).toBeGreaterThanOrEqual(6);
    // Six full windows need more than four seconds whatever fraction of a second we started in.
    expect(lastGrantAt - startedAt).toBeGreaterThan(4_000);
  });

  it('gives up with a timeout error instead of waiting past maxWaitMs, without sleeping into it', async () => {
    const scope = uniqueScope();
    const { clock, now, sleep } = fakeClock();
    const limiter = createSharedRateLimiter({ doc: db.doc, tableName: db.tables.sessions, scope, limitPerSecond: 1, now, sleep, random: () => 0, maxWaitMs: 700 });
    await limiter.acquire();

    const error = await limiter.acquire().catch((caught: unknown) => caught);

    expect(isSharedRateLimitTimeoutError(error)).toBe(true);
    expect(error).toMatchObject({ name: 'SharedRateLimitTimeoutError', scope, limitPerSecond: 1, waitedMs: 0 });
    expect(clock.sleeps).toEqual([]);
    expect(isSharedRateLimitTimeoutError(new Error('other'))).toBe(false);
  });

  it('keeps trying window after window until its wait budget is spent', async () => {
    const doc = DynamoDBDocumentClient.from(db.doc);
    const mock = mockClient(doc);
    mock.onAnyCommand().rejects(Object.assign(new Error('condition'), { name: 'ConditionalCheckFailedException' }));
    const { clock, now, sleep } = fakeClock(FUTURE_SECOND * 1000);
    const limiter = createSharedRateLimiter({ doc, tableName: 'table', scope: 'okx', limitPerSecond: 5, now, sleep, random: () => 0, maxWaitMs: 3_000 });

    await expect(limiter.acquire()).rejects.toMatchObject({ name: 'SharedRateLimitTimeoutError', waitedMs: 3_000 });

    expect(clock.sleeps).toEqual([1_000, 1_000, 1_000]);
    expect(mock.calls().map((call) => (call.args[0].input as { Key: { sk: string } }).Key.sk)).toEqual([0, 1, 2, 3].map((n) => `window#${FUTURE_SECOND + n}`));
    mock.restore();
  });

  it('passes DynamoDB errors other than a full window straight through', async () => {
    const doc = DynamoDBDocumentClient.from(db.doc);
    const mock = mockClient(doc);
    mock.onAnyCommand().rejects(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));
    const limiter = createSharedRateLimiter({ doc, tableName: 'table', scope: 'okx', limitPerSecond: 5 });

    await expect(limiter.acquire()).rejects.toThrow('throttled');
    mock.restore();
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a limit of %s per second', (limitPerSecond) => {
    expect(() => createSharedRateLimiter({ doc: db.doc, tableName: db.tables.sessions, scope: 'okx', limitPerSecond })).toThrow(RangeError);
  });
});
