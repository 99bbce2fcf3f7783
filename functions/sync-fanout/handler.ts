import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context } from 'aws-lambda';
import { createApp } from '../../shared/app/create-app';
import type { Stores } from '../../shared/app/stores';
import { DEFAULTS, ENV, readPositiveIntEnv } from '../../shared/platform/config/env-names';
import { logger } from '../../shared/platform/logger';
import { metrics } from '../../shared/platform/metrics';
import type { MessageSender } from '../../shared/platform/queue/sqs-job-sender';
import { tracingMiddleware } from '../../shared/platform/tracing';
import {
  CYCLE_SECONDS,
  dispatchCycle,
  SYNC_SAFETY_SHARE,
  type DispatchDeps,
  type FanoutSummary,
  type SyncScheduleEvent,
} from './dispatch-cycle';

/** What the fan-out takes from the app: the due index and cycle stores, and the queue. */
export interface FanoutParts {
  readonly env: Record<string, string | undefined>;
  stores(): Promise<Pick<Stores, 'due' | 'cycles'>>;
  queue(): Promise<MessageSender>;
}

export type FanoutOptions = Omit<DispatchDeps, 'due' | 'cycles' | 'queue' | 'budget'> & {
  /** The local sync loop runs a cycle every SYNC_INTERVAL_SECONDS. @default CYCLE_SECONDS */
  readonly cycleSeconds?: number;
};

/** The fan-out over the app's parts; the Lambda entry below and the local sync loop share it. */
export function createFanoutHandler(parts: FanoutParts, options: FanoutOptions = {}) {
  const { cycleSeconds = CYCLE_SECONDS, ...rest } = options;
  return async (
    event: SyncScheduleEvent,
    context: Pick<Context, 'getRemainingTimeInMillis'>,
  ): Promise<FanoutSummary> => {
    // A bad value fails the invocation (alarm), like every other part of the app's configuration.
    const budget = {
      requestsPerSecond: readPositiveIntEnv(
        ENV.okxRateLimitPerSecond,
        Number(DEFAULTS.okxRateLimitPerSecond),
        parts.env,
      ),
      cycleSeconds,
      safetyShare: SYNC_SAFETY_SHARE,
    };
    const [{ due, cycles }, queue] = await Promise.all([parts.stores(), parts.queue()]);
    return dispatchCycle({ ...rest, due, cycles, queue, budget }, event, context);
  };
}

/** EventBridge Scheduler target: `{"scheduledTime":"…","source":"esther.sync-schedule"}`. A failure (a config error, jobs not enqueued) fails the invocation (alarm). */
export const handler = middy(createFanoutHandler(createApp(process.env)))
  .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
  .use(logMetrics(metrics))
  .use(await tracingMiddleware(process.env));
