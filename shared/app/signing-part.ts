import { ENV, readBooleanEnv } from '../platform/config/env-names';
import type { SigningService } from '../rebalance/signing-service';
import type { SigningMarket } from '../rebalance/signing-types';
import type { App } from './create-app';

/**
 * The signing service (issue 13), built once per app: the Mini App's signing routes and the worker's `track-plan`
 * job share it. Its OKX client is built on the first OKX call, so a Mini App read never loads the client or its key.
 */
export function signingOf(app: App): Promise<SigningService> {
  return app.once('signing', async () => {
    const [{ createSigningService }, { readRouterAllowlist }, { createTrackingScheduler }, stores] = await Promise.all([
      import('../rebalance/signing-service'),
      import('../rebalance/router-allowlist'),
      import('../rebalance/track-plan-job'),
      app.stores(),
    ]);
    return createSigningService({
      plans: stores.plans,
      market: lazyMarket(app),
      settings: stores.settings,
      dryRun: readBooleanEnv(ENV.dryRunMode, true, app.env),
      routers: readRouterAllowlist(app.env[ENV.okxRouterAllowlist]),
      now: app.options.now ?? (() => new Date()),
      scheduleTracking: async (plan, delaySeconds, attempt) =>
        createTrackingScheduler(await app.queue())(plan, delaySeconds, attempt),
    });
  });
}

function lazyMarket(app: App): SigningMarket {
  const okx = () => app.okx();
  return {
    getApproveTransaction: async (request) => (await okx()).getApproveTransaction(request),
    checkApprovals: async (request) => (await okx()).checkApprovals(request),
    getSwap: async (request) => (await okx()).getSwap(request),
    simulate: async (request) => (await okx()).simulate(request),
    broadcast: async (request) => (await okx()).broadcast(request),
    getOrderStatus: async (request) => (await okx()).getOrderStatus(request),
    getSwapHistory: async (request) => (await okx()).getSwapHistory(request),
  };
}
