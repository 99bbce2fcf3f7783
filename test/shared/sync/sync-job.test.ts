import { describe, expect, it } from 'vitest';
import { encodeSyncJob, isInvalidSyncJobError, parseSyncJob } from '../../../shared/sync/sync-job';

describe('sync job message', () => {
  it('round-trips a job with its schema version', () => {
    const body = encodeSyncJob('42', '2026-01-01T10:00:00.000Z');
    expect(JSON.parse(body)).toEqual({ v: 1, userId: '42', cycleId: '2026-01-01T10:00:00.000Z' });
    expect(parseSyncJob(body)).toEqual({ v: 1, userId: '42', cycleId: '2026-01-01T10:00:00.000Z' });
  });

  it('reads the unversioned shape and normalises the cycle id', () => {
    expect(parseSyncJob('{"userId":"7","cycleId":"2026-01-01T10:00:00Z"}')).toEqual({
      v: 1,
      userId: '7',
      cycleId: '2026-01-01T10:00:00.000Z',
    });
  });

  it.each([
    ['not json', 'not JSON'],
    ['null', 'not an object'],
    ['{"v":2,"userId":"1","cycleId":"2026-01-01T10:00:00Z"}', 'unknown schema version 2'],
    ['{"cycleId":"2026-01-01T10:00:00Z"}', 'userId missing'],
    ['{"userId":"1","cycleId":"yesterday"}', 'cycleId is not a timestamp'],
  ])('rejects %s', (body, reason) => {
    let caught: unknown;
    try {
      parseSyncJob(body);
    } catch (error) {
      caught = error;
    }
    expect(isInvalidSyncJobError(caught)).toBe(true);
    expect((caught as Error).message).toContain(reason);
  });
});
