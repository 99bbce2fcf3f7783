import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, it } from 'vitest';
import { isSharedRateLimitTimeoutError } from '../../../../shared/platform/dynamo/shared-rate-limit-timeout-error';
import {
  batchSize,
  createSharedRateLimiter,
  interactiveCapAt,
} from '../../../../shared/platform/dynamo/shared-rate-limiter-store';
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
    new QueryCommand({
      TableName: db.tables.sessions,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `rate#${scope}` },
    }),
  );
  return Object.fromEntries(Items.map((item) => [item.sk as string, item.count as number]));
}

describe('shared rate limiter (DynamoDB Local)', () => {
  it('counts grants in one item per scope and epoch second, swept by TTL a minute later', async () => {
    // Prepare
    const scope = uniqueScope();
    const { now, sleep } = fakeClock();
    const limiter = createSharedRateLimiter({
      doc: db.doc,
      tableName: db.tables.sessions,
      scope,
      limitPerSecond: 3,
      now,
      sleep,
    });
    // Act
    await limiter.acquire();
    await limiter.acquire();
    // Assess
    const { Item } = await db.doc.send(
      new GetCommand({ TableName: db.tables.sessions, Key: { pk: `rate#${scope}`, sk: `window#${FUTURE_SECOND}` } }),
    );
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
    const limiter = createSharedRateLimiter({
      doc: db.doc,
      tableName: db.tables.sessions,
      scope,
      limitPerSecond: 2,
      now,
      sleep,
      random: () => 0.5,
      jitterMs: 40,
    });

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

    await expect(second.acquire()).rejects.toThrow(
      /no "test-.*" request slot \(1\/s shared by all functions\) within 0 ms/,
    );
    await expect(other.acquire()).resolves.toBeUndefined();
  });

  it('grants at most the limit per second to many concurrent callers on the real clock', async () => {
    // Prepare
    const scope = uniqueScope();
    const limiters = Array.from({ length: 3 }, () =>
      createSharedRateLimiter({ doc: db.doc, tableName: db.tables.sessions, scope, limitPerSecond: 5 }),
    );
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
    const limiter = createSharedRateLimiter({
      doc: db.doc,
      tableName: db.tables.sessions,
      scope,
      limitPerSecond: 1,
      now,
      sleep,
      random: () => 0,
      maxWaitMs: 700,
    });
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
    const limiter = createSharedRateLimiter({
      doc,
      tableName: 'table',
      scope: 'okx',
      limitPerSecond: 5,
      now,
      sleep,
      random: () => 0,
      maxWaitMs: 3_000,
    });

    await expect(limiter.acquire()).rejects.toMatchObject({ name: 'SharedRateLimitTimeoutError', waitedMs: 3_000 });

    expect(clock.sleeps).toEqual([1_000, 1_000, 1_000]);
    expect(mock.calls().map((call) => (call.args[0].input as { Key: { sk: string } }).Key.sk)).toEqual(
      [0, 1, 2, 3].map((n) => `window#${FUTURE_SECOND + n}`),
    );
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

  it('takes the slots of several queued requests in one round trip and hands them out without another in that second', async () => {
    const scope = uniqueScope();
    const { clock, now, sleep } = fakeClock();
    const doc = DynamoDBDocumentClient.from(db.doc);
    const spy = mockClient(doc);
    spy.onAnyCommand().callsFake((input) => db.doc.send(new UpdateCommand(input)));
    const limiter = createSharedRateLimiter({
      doc,
      tableName: db.tables.sessions,
      scope,
      limitPerSecond: 10,
      now,
      sleep,
    });

    await limiter.acquire(undefined, 3);
    clock.ms += 100;
    await limiter.acquire(undefined, 2);
    await limiter.acquire(undefined, 1);

    // One conditional ADD of 3 at 10:01:00.250 (3 <= 1 + floor(750 x 10 / 1000) = 8, and <= 10 / 2): one window item, count 3.
    expect(spy.calls()).toHaveLength(1);
    expect(await windowsOf(scope)).toEqual({ [`window#${FUTURE_SECOND}`]: 3 });
    spy.restore();
  });

  it('forfeits the slots it kept when their second ends, and asks again in the next', async () => {
    const scope = uniqueScope();
    const { clock, now, sleep } = fakeClock();
    const limiter = createSharedRateLimiter({
      doc: db.doc,
      tableName: db.tables.sessions,
      scope,
      limitPerSecond: 10,
      now,
      sleep,
    });

    await limiter.acquire(undefined, 4);
    clock.ms += 1_000;
    await limiter.acquire(undefined, 1);

    // 4 taken in the first second (3 never used: a slot is never carried into another window), 1 in the next.
    expect(await windowsOf(scope)).toEqual({ [`window#${FUTURE_SECOND}`]: 4, [`window#${FUTURE_SECOND + 1}`]: 1 });
  });

  it('takes one slot when the window has room for one but not for the batch', async () => {
    const scope = uniqueScope();
    const { now, sleep } = fakeClock();
    const other = createSharedRateLimiter({
      doc: db.doc,
      tableName: db.tables.sessions,
      scope,
      limitPerSecond: 4,
      now,
      sleep,
    });
    const limiter = createSharedRateLimiter({
      doc: db.doc,
      tableName: db.tables.sessions,
      scope,
      limitPerSecond: 4,
      now,
      sleep,
    });
    await other.acquire(undefined, 2);
    await other.acquire();
    await other.acquire();

    // 3 of 4 taken (a batch of 2, its spare slot used, then one more); a batch of 2 no longer fits, a single slot does.
    expect(await windowsOf(scope)).toEqual({ [`window#${FUTURE_SECOND}`]: 3 });
    await limiter.acquire(undefined, 2);
    expect(await windowsOf(scope)).toEqual({ [`window#${FUTURE_SECOND}`]: 4 });
  });

  it('sizes a batch by the demand, what a bucket at the limit can still send this second, and half a window', () => {
    // 20 wanted at the start of a second, limit 10: half a window, 5.
    expect(batchSize(20, 1_000, 10)).toBe(5);
    // 900 ms into the second: 1 + floor(100 x 10 / 1000) = 2.
    expect(batchSize(20, 1_900, 10)).toBe(2);
    // At one request a second there is nothing to batch; an interactive cap of 1 keeps it at 1 too.
    expect(batchSize(5, 0, 1)).toBe(1);
    expect(batchSize(5, 0, 10, 1)).toBe(1);
    expect(batchSize(3, 0, 10)).toBe(3);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a limit of %s per second', (limitPerSecond) => {
    expect(() =>
      createSharedRateLimiter({ doc: db.doc, tableName: db.tables.sessions, scope: 'okx', limitPerSecond }),
    ).toThrow(RangeError);
  });
});

/** One clock for many parallel callers: a sleep moves it forward to the sleeper's wake time, never back. */
function sharedClock(startMs = FUTURE_MS) {
  const clock = { ms: startMs };
  return {
    now: () => clock.ms,
    sleep: async (ms: number) => {
      const wakeAt = clock.ms + ms;
      await new Promise((resolve) => setImmediate(resolve));
      clock.ms = Math.max(clock.ms, wakeAt);
    },
  };
}

async function countersOf(scope: string): Promise<{ sk: string; count: number; interactive: number }[]> {
  const { Items = [] } = await db.doc.send(
    new QueryCommand({
      TableName: db.tables.sessions,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `rate#${scope}` },
    }),
  );
  return Items.map((item) => ({
    sk: item.sk as string,
    count: item.count as number,
    interactive: (item.interactive as number | undefined) ?? 0,
  }));
}

describe('shared rate limiter: the reserve kept for the scheduled sync (issue 10 §4)', () => {
  it('spreads the interactive share over the seconds, also below one request per second', () => {
    // L = 1, p = 50: floor((s+1)/2) - floor(s/2) is 1 on odd seconds, 0 on even ones -> 5 of 10 seconds.
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((second) => interactiveCapAt(second, 1, 50))).toEqual([
      0, 1, 0, 1, 0, 1, 0, 1, 0, 1,
    ]);
    // L = 5, p = 50: 2.5 a second -> floor(2.5(s+1)) - floor(2.5s) = 2, 3, 2, 3 (5 per two seconds).
    expect([0, 1, 2, 3].map((second) => interactiveCapAt(second, 5, 50))).toEqual([2, 3, 2, 3]);
    // L = 4, p = 100: no reserve, the whole window.
    expect(interactiveCapAt(7, 4, 100)).toBe(4);
  });

  it('under load from both, interactive callers never take more than their share of any window and the sync gets the rest', async () => {
    const scope = uniqueScope();
    const { now, sleep } = sharedClock();
    const base = { doc: db.doc, tableName: db.tables.sessions, scope, limitPerSecond: 4, now, sleep, random: () => 0 };
    const webhook = createSharedRateLimiter({ ...base, interactiveSharePercent: 50 });
    const worker = createSharedRateLimiter(base);

    await Promise.all([
      ...Array.from({ length: 12 }, () => webhook.acquire()),
      ...Array.from({ length: 12 }, () => worker.acquire()),
    ]);

    const windows = await countersOf(scope);
    // 24 grants at 4 a second need at least 6 windows; interactive cap = 4 x 50 % = 2 in each.
    expect(windows.reduce((sum, window) => sum + window.count, 0)).toBe(24);
    expect(windows.reduce((sum, window) => sum + window.interactive, 0)).toBe(12);
    for (const window of windows) {
      expect(window.count).toBeLessThanOrEqual(4);
      expect(window.interactive).toBeLessThanOrEqual(2);
    }
    // The first second, when all 24 wanted a slot: full, and at least 4 - 2 = 2 grants went to the sync.
    expect(windows[0]).toMatchObject({ sk: `window#${FUTURE_SECOND}`, count: 4 });
    expect(windows[0]!.count - windows[0]!.interactive).toBeGreaterThanOrEqual(2);
  });

  it('lets the sync use the whole window, interactive callers only their share', async () => {
    const workerScope = uniqueScope();
    const webhookScope = uniqueScope();
    const { now, sleep } = fakeClock();
    const base = { doc: db.doc, tableName: db.tables.sessions, limitPerSecond: 4, now, sleep, random: () => 0 };

    await Promise.all(
      Array.from({ length: 4 }, () => createSharedRateLimiter({ ...base, scope: workerScope }).acquire()),
    );
    await Promise.all(
      Array.from({ length: 2 }, () =>
        createSharedRateLimiter({ ...base, scope: webhookScope, interactiveSharePercent: 50 }).acquire(),
      ),
    );
    const third = createSharedRateLimiter({ ...base, scope: webhookScope, interactiveSharePercent: 50, maxWaitMs: 0 });

    expect(await countersOf(workerScope)).toEqual([{ sk: `window#${FUTURE_SECOND}`, count: 4, interactive: 0 }]);
    await expect(third.acquire()).rejects.toMatchObject({ name: 'SharedRateLimitTimeoutError' });
    expect(await countersOf(webhookScope)).toEqual([{ sk: `window#${FUTURE_SECOND}`, count: 2, interactive: 2 }]);
  });

  it('at 1 request a second, an interactive caller waits for a second open to it without writing in the closed one', async () => {
    const doc = DynamoDBDocumentClient.from(db.doc);
    const mock = mockClient(doc);
    mock.onAnyCommand().resolves({});
    const even = FUTURE_SECOND % 2 === 0 ? FUTURE_SECOND : FUTURE_SECOND + 1;
    const { clock, now, sleep } = fakeClock(even * 1000);
    const limiter = createSharedRateLimiter({
      doc,
      tableName: 'table',
      scope: 'okx',
      limitPerSecond: 1,
      interactiveSharePercent: 50,
      now,
      sleep,
      random: () => 0,
    });

    await limiter.acquire();

    // Even second: cap floor((s+1)/2) - floor(s/2) = 0, so no write; one sleep to the odd second, then a grant there.
    expect(clock.sleeps).toEqual([1_000]);
    expect(mock.calls().map((call) => (call.args[0].input as { Key: { sk: string } }).Key.sk)).toEqual([
      `window#${even + 1}`,
    ]);
    mock.restore();
  });

  it("stops waiting when the caller's signal is aborted, and writes nothing more", async () => {
    const scope = uniqueScope();
    const { now } = fakeClock();
    const controller = new AbortController();
    const sleep = async () => controller.abort(new Error('deadline'));
    const limiter = createSharedRateLimiter({
      doc: db.doc,
      tableName: db.tables.sessions,
      scope,
      limitPerSecond: 1,
      now,
      sleep,
      random: () => 0,
    });
    await limiter.acquire();

    await expect(limiter.acquire(controller.signal)).rejects.toThrow('deadline');

    expect(await countersOf(scope)).toEqual([{ sk: `window#${FUTURE_SECOND}`, count: 1, interactive: 0 }]);
  });

  it.each([0, 101, 12.5])('refuses an interactive share of %s %%', (interactiveSharePercent) => {
    expect(() =>
      createSharedRateLimiter({
        doc: db.doc,
        tableName: db.tables.sessions,
        scope: 'okx',
        limitPerSecond: 1,
        interactiveSharePercent,
      }),
    ).toThrow(RangeError);
  });
});
