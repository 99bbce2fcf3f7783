import type { Context } from 'aws-lambda';
import { composeFanoutHandler } from './compose-fanout';
import type { FanoutSummary } from './create-fanout-handler';
import type { SyncScheduleEvent } from '../../shared/sync/schedule-event';

// Built once per container, on first use; config errors surface as a failed invocation (alarm).
let fanout: ReturnType<typeof composeFanoutHandler> | undefined;

/** EventBridge Scheduler target: `{"scheduledTime":"…","source":"esther.sync-schedule"}`. */
export async function handler(event: SyncScheduleEvent, context: Context): Promise<FanoutSummary> {
  fanout ??= composeFanoutHandler();
  return fanout(event, context);
}
