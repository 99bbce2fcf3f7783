import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { createApp } from '../../shared/app/create-app';
import type { Stores } from '../../shared/app/stores';
import { logger as platformLogger, type Log } from '../../shared/platform/logger';
import { metrics } from '../../shared/platform/metrics';
import { tracingMiddleware } from '../../shared/platform/tracing';
import { activeAlertsOf, type ActiveAlertsReader } from '../../shared/notify/active-alerts';
import { runDigestJob, type DigestJobSummary } from '../../shared/notify/digest-job';
import type { NotificationOutbox } from '../../shared/notify/notification';

/** EventBridge Scheduler input: `{"scheduledTime":"<the hour>","source":"esther.digest-schedule"}`. */
export interface DigestScheduleEvent {
  readonly scheduledTime: string;
  readonly source?: string;
}

export class InvalidDigestEventError extends Error {
  constructor() {
    super('digest event without a valid scheduledTime');
    this.name = 'InvalidDigestEventError';
  }
}

/** What the digest run takes from the app: its stores and the notification outbox. */
export interface DigestParts {
  stores(): Promise<Pick<Stores, 'digests' | 'snapshots' | 'holdings' | 'settings' | 'activity' | 'alerts'>>;
  notifications(): Promise<NotificationOutbox>;
}

export interface DigestHandlerOptions {
  /** Replaces the alert store's open episodes (tests). */
  readonly alerts?: ActiveAlertsReader;
  readonly logger?: Log;
}

/** The hourly digest run over the app's parts; the Lambda below and the local loop share it. */
export function createDigestHandler(parts: DigestParts, options: DigestHandlerOptions = {}) {
  return async (event: DigestScheduleEvent): Promise<DigestJobSummary> => {
    const at = new Date(event.scheduledTime);
    if (Number.isNaN(at.getTime())) throw new InvalidDigestEventError();
    const [stores, outbox] = await Promise.all([parts.stores(), parts.notifications()]);
    return runDigestJob(
      {
        ...stores,
        outbox,
        alerts: options.alerts ?? activeAlertsOf(stores.alerts, () => new Date()),
        logger: options.logger ?? platformLogger,
      },
      at,
    );
  };
}

/** A failure (the index unreadable, the queue refusing) fails the invocation: the Scheduler retries, ids dedupe. */
export const handler = middy(createDigestHandler(createApp(process.env)))
  .use(injectLambdaContext(platformLogger, { resetKeys: true, logEvent: false }))
  .use(logMetrics(metrics))
  .use(await tracingMiddleware(process.env));
