import { describe, expect, it } from 'vitest';
import { createWorkerHandler } from '../../../functions/sync-worker/handler';
import { encodeTrackPlanJob, parseTrackPlanJob, type TrackPlanJob } from '../../../shared/sync/sync-job';
import { createMemoryLogger } from '../../support/memory-logger';
import { createFakeSyncService, job, sqsEvent, sqsRecord, workerContext } from './worker-fixtures';

const stores = async () => ({
  portfolios: { getUserWithWallets: async () => undefined },
  leases: {} as never,
  cycles: { addOkxRequests: async () => undefined, recordUserFailed: async () => undefined } as never,
});

describe('sync worker: track-plan messages (issue 13)', () => {
  it('hands a track-plan message to the tracker, not to the sync, and fails only the record whose tracking threw', async () => {
    const seen: TrackPlanJob[] = [];
    const service = createFakeSyncService();
    const handle = createWorkerHandler(
      {
        portfolio: async () => service,
        stores,
        tracking: async () => async (track) => {
          seen.push(track);
          if (track.planId === 'broken') throw new Error('OKX down');
          return 'rescheduled';
        },
      },
      { logger: createMemoryLogger() },
    );

    const response = await handle(
      sqsEvent(
        sqsRecord('m1', encodeTrackPlanJob({ planId: 'p1', userId: '42', attempt: 1 })),
        sqsRecord('m2', encodeTrackPlanJob({ planId: 'broken', userId: '42', attempt: 0 })),
      ),
      workerContext(),
    );

    expect(seen.map((item) => item.planId)).toEqual(['p1', 'broken']);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm2' }]);
    expect(service.calls).toEqual([]);
  });

  it('fails a track-plan message when the worker has no tracker (it is redelivered, never dropped silently)', async () => {
    const handle = createWorkerHandler(
      { portfolio: async () => createFakeSyncService(), stores },
      { logger: createMemoryLogger() },
    );
    const response = await handle(
      sqsEvent(sqsRecord('m1', encodeTrackPlanJob({ planId: 'p1', userId: '42', attempt: 0 }))),
      workerContext(),
    );
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
  });

  it('tells a track-plan body from a sync job and reads a bad attempt as 0', () => {
    expect(parseTrackPlanJob(job('alice', '2030-01-01T10:00:00.000Z'))).toBeUndefined();
    expect(parseTrackPlanJob('not json')).toBeUndefined();
    expect(parseTrackPlanJob(JSON.stringify({ kind: 'track-plan', planId: '', userId: '42' }))).toBeUndefined();
    expect(parseTrackPlanJob(JSON.stringify({ kind: 'track-plan', planId: 'p', userId: '42', attempt: -1 }))).toEqual({
      v: 1,
      kind: 'track-plan',
      planId: 'p',
      userId: '42',
      attempt: 0,
    });
  });
});
