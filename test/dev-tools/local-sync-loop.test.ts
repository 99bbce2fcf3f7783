import { describe, expect, it, vi } from 'vitest';
import { startLocalSyncLoop } from '../../dev-tools/local/sync-loop';
import { createPortfolioService } from '../../shared/portfolio/portfolio-service';
import { createTestDynamo } from '../support/dynamo';
import { createMemoryLogger } from '../support/memory-logger';
import { evmAddress, seedUser } from '../shared/sync/due-fixtures';
import { createFakeSyncService, syncResult } from '../functions/sync-worker/worker-fixtures';

// The app is built from the environment as in `npm start`; only the portfolio service is a scripted fake.
vi.mock('../../shared/portfolio/portfolio-service', () => ({ createPortfolioService: vi.fn() }));

describe('local sync loop (npm start): the real fan-out and worker handlers over an in-process queue', () => {
  it('runs a cycle end to end, redelivers a failed job and dead-letters one that fails five times', async () => {
    const db = await createTestDynamo();
    for (const [index, userId] of ['ann', 'ben', 'cat', 'dan'].entries())
      await seedUser(db.doc, db.tables.portfolios, userId, [evmAddress(index + 1)]);
    let benAttempts = 0;
    const service = createFakeSyncService({
      ben: async (userId) => {
        benAttempts += 1;
        if (benAttempts === 1) throw new Error('OKX 50026');
        return syncResult(userId);
      },
      dan: async () => Promise.reject(new Error('always broken')),
    });
    vi.mocked(createPortfolioService).mockReturnValue(service as never);
    const loop = await startLocalSyncLoop({
      env: { ...db.env, OKX_RATE_LIMIT_PER_SECOND: '5' },
      intervalSeconds: 600,
      runOnStart: false,
      batchSize: 2,
      redeliveryDelayMs: 10,
      logger: createMemoryLogger(),
    });

    const report = await loop.runCycle(new Date(Date.now() - 1000));

    expect(report.fanout).toMatchObject({ enqueued: 4, budget: 2400, skippedForBudget: 0 });
    expect(report.worker).toMatchObject({ synced: 3, failed: 6 });
    expect(report.deadLetters).toBe(1);
    expect(JSON.parse(loop.deadLetters[0]!.body)).toMatchObject({ userId: 'dan' });
    expect(loop.deadLetters[0]!.attributes.ApproximateReceiveCount).toBe('5');
    expect(service.calls.filter((userId) => userId === 'ben')).toHaveLength(2);

    const again = await loop.runCycle(new Date(Date.now() - 500));
    expect(again.fanout.enqueued).toBe(4);
    await loop.stop();
  });

  it('starts a cycle on start and on every tick, and stop waits for it', { timeout: 40_000 }, async () => {
    const db = await createTestDynamo();
    await seedUser(db.doc, db.tables.portfolios, 'eve', [evmAddress(9)]);
    const service = createFakeSyncService();
    vi.mocked(createPortfolioService).mockReturnValue(service as never);
    const logger = createMemoryLogger();

    const loop = await startLocalSyncLoop({ env: db.env, intervalSeconds: 1, logger });
    await vi.waitFor(
      () =>
        expect(logger.entries()).toContainEqual(
          expect.objectContaining({ message: 'local sync cycle done', enqueued: 1, synced: 1 }),
        ),
      { timeout: 10_000 },
    );
    const cyclesDone = () => logger.lines.filter((line) => line.message === 'local sync cycle done').length;
    await vi.waitFor(() => expect(cyclesDone()).toBeGreaterThanOrEqual(2), { timeout: 15_000 });
    await loop.stop();

    expect(service.calls.length).toBeGreaterThanOrEqual(1);
  });
});
