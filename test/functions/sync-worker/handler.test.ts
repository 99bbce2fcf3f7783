import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PortfolioRuntime } from '../../../shared/app/portfolio-runtime';
import { createTestDynamo } from '../../support/dynamo';
import { createFakeSyncService, job, sqsEvent, sqsRecord, workerContext } from './worker-fixtures';

const createPortfolioRuntime = vi.hoisted(() => vi.fn<() => Promise<Pick<PortfolioRuntime, 'service' | 'doc' | 'tables'>>>());
vi.mock('../../../shared/app/portfolio-runtime', () => ({ createPortfolioRuntime }));

describe('sync worker Lambda handler', () => {
  afterEach(() => vi.restoreAllMocks());

  it('fails the whole batch when the runtime cannot be built, and builds it again on the next invocation only once', async () => {
    const db = await createTestDynamo();
    const service = createFakeSyncService();
    createPortfolioRuntime.mockRejectedValueOnce(Object.assign(new Error('secret unreadable'), { name: 'SecretUnavailableError' }));
    createPortfolioRuntime.mockResolvedValue({ service: service as unknown as PortfolioRuntime['service'], doc: db.doc, tables: db.tables });
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { handler } = await import('../../../functions/sync-worker/handler');
    const event = sqsEvent(sqsRecord('m1', job('nobody', '2030-01-01T10:00:00.000Z')));

    await expect(handler(event, workerContext())).rejects.toThrow('secret unreadable');
    expect(await handler(event, workerContext())).toEqual({ batchItemFailures: [] });
    expect(await handler(event, workerContext())).toEqual({ batchItemFailures: [] });

    expect(createPortfolioRuntime).toHaveBeenCalledTimes(2);
    // "nobody" has no profile: a deleted user is acknowledged without a sync.
    expect(service.calls).toEqual([]);
  });
});
