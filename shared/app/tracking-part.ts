import { logger } from '../platform/logger';
import type { App } from './create-app';
import { signingOf } from './signing-part';

/** The sync worker's `track-plan` job (issue 13) over the app's signing service, queue, outbox and portfolio. */
export function trackingOf(app: App) {
  return app.once('tracking', async () => {
    const [{ createPlanTrackingJob }, { createTrackingScheduler }, signing, stores, portfolio, outbox, queue] =
      await Promise.all([
        import('../notify/plan-tracking-job'),
        import('../rebalance/track-plan-job'),
        signingOf(app),
        app.stores(),
        app.portfolio(),
        app.notifications(),
        app.queue(),
      ]);
    return createPlanTrackingJob({
      signing,
      plans: stores.plans,
      schedule: createTrackingScheduler(queue),
      outbox,
      portfolio,
      settings: stores.settings,
      now: app.options.now ?? (() => new Date()),
      logger,
    });
  });
}
