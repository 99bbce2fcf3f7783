/**
 * The sync job message shared by the fan-out (producer) and the worker (consumer). Bodies carry a
 * schema version `v` so a deploy while messages are in flight can still read (or deliberately drop)
 * the old shape.
 */
export const SYNC_JOB_VERSION = 1;

export interface SyncJob {
  readonly v: typeof SYNC_JOB_VERSION;
  readonly userId: string;
  /** The cycle's scheduled time, normalised ISO (`2026-01-01T10:00:00.000Z`). */
  readonly cycleId: string;
}

export class InvalidSyncJobError extends Error {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`invalid sync job: ${reason}`, options);
    this.name = 'InvalidSyncJobError';
  }
}

export function isInvalidSyncJobError(error: unknown): error is InvalidSyncJobError {
  return error instanceof InvalidSyncJobError;
}

export function encodeSyncJob(userId: string, cycleId: string): string {
  return JSON.stringify({ v: SYNC_JOB_VERSION, userId, cycleId } satisfies SyncJob);
}

/** Parses a message body; body without `v` is the pre-versioned shape `{ userId, cycleId }`. */
export function parseSyncJob(body: string): SyncJob {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new InvalidSyncJobError('body is not JSON', { cause: error });
  }
  if (typeof value !== 'object' || value === null) throw new InvalidSyncJobError('body is not an object');
  const { v, userId, cycleId } = value as Record<string, unknown>;
  if (v !== undefined && v !== SYNC_JOB_VERSION) throw new InvalidSyncJobError(`unknown schema version ${String(v)}`);
  if (typeof userId !== 'string' || userId === '') throw new InvalidSyncJobError('userId missing');
  if (typeof cycleId !== 'string' || Number.isNaN(Date.parse(cycleId)))
    throw new InvalidSyncJobError('cycleId is not a timestamp');
  return { v: SYNC_JOB_VERSION, userId, cycleId: new Date(cycleId).toISOString() };
}
