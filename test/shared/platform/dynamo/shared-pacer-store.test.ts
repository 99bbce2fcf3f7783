import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSharedPacer } from '../../../../shared/platform/dynamo/shared-pacer-store';
import { createTestDynamo, type TestDynamo } from '../../../support/dynamo';

let db: TestDynamo;
beforeAll(async () => {
  db = await createTestDynamo();
});
afterAll(() => db.doc.destroy());

const pacer = (scope: string, intervalMs: number, extra: { maxWaitMs?: number; maxAheadMs?: number } = {}) =>
  createSharedPacer({ doc: db.doc, tableName: db.tables.sessions, scope, intervalMs, ...extra });

describe('shared pacer', () => {
  it('spaces grants across two containers at least one interval apart', async () => {
    // Two containers (two pacer objects, one item), 10 callers: grants 100 ms apart, so ≥ 900 ms for all ten.
    const [a, b] = [pacer('spacing', 100, { maxAheadMs: 2000 }), pacer('spacing', 100, { maxAheadMs: 2000 })];
    const started = Date.now();
    const granted: number[] = [];
    await Promise.all(
      Array.from({ length: 10 }, async (_, index) => {
        await (index % 2 === 0 ? a : b).acquire();
        granted.push(Date.now());
      }),
    );
    granted.sort((x, y) => x - y);
    expect(granted.at(-1)! - started).toBeGreaterThanOrEqual(890);
    // Each grant is measured after the event loop resumes it, so single gaps jitter; the median is the spacing.
    const gaps = granted
      .slice(1)
      .map((time, index) => time - granted[index]!)
      .sort((x, y) => x - y);
    expect(gaps[Math.floor(gaps.length / 2)]).toBeGreaterThanOrEqual(90);
  });

  it('holds every caller until a pause (a 429’s retry_after) ends', async () => {
    const one = pacer('pause', 10);
    await one.pauseUntil(Date.now() + 600);
    const started = Date.now();
    await pacer('pause', 10).acquire();
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
  });

  it('gives up rather than wait longer than maxWaitMs', async () => {
    // One a second, three at once: the third's slot is 2 s away, past the 1.5 s it may wait.
    const slow = pacer('timeout', 1000, { maxWaitMs: 1500, maxAheadMs: 5000 });
    const outcomes = await Promise.allSettled([slow.acquire(), slow.acquire(), slow.acquire()]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect(String((outcomes.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult).reason)).toMatch(
      /no "timeout" request slot/,
    );
  });

  it('refuses an interval that is not positive', () => {
    expect(() => pacer('bad', 0)).toThrow(RangeError);
  });
});
