import { slotOf } from '../kernel/slots';

export const SYNC_SCHEDULE_SOURCE = 'esther.sync-schedule';

/** The Scheduler target input (see infra/constructs/sync-pipeline.ts); `time` accepts an EventBridge rule event too. */
export interface SyncScheduleEvent {
  readonly scheduledTime?: string;
  readonly time?: string;
  readonly source?: string;
}

export interface SyncCycle {
  /** Normalised scheduled time: `2026-01-01T10:00:00.000Z`. */
  readonly cycleId: string;
  /** The 10-minute slot of the scheduled time: the `user#slot` job key. */
  readonly slot: string;
}

export class InvalidScheduleEventError extends Error {
  constructor(reason: string) {
    super(`not a sync schedule event: ${reason}`);
    this.name = 'InvalidScheduleEventError';
  }
}

export function readSyncCycle(event: SyncScheduleEvent): SyncCycle {
  const scheduledTime = event.scheduledTime ?? event.time;
  if (typeof scheduledTime !== 'string') throw new InvalidScheduleEventError('no scheduledTime');
  const time = new Date(scheduledTime);
  if (Number.isNaN(time.getTime()))
    throw new InvalidScheduleEventError(`scheduledTime "${scheduledTime}" is not a timestamp`);
  return { cycleId: time.toISOString(), slot: slotOf(time) };
}
