import { createPortfolioStore } from '../../shared/wallets/portfolio-store';
import { createSyncCycleStore } from '../../shared/sync/sync-cycle-store';
import { createSyncLeaseStore } from '../../shared/sync/sync-lease-store';
import type { PortfolioRuntime } from '../../shared/app/portfolio-runtime';
import { createWorkerHandler, type WorkerDeps } from './create-worker-handler';

/** Wires the worker onto a portfolio runtime; the Lambda handler and the local sync loop share it. */
export function composeWorkerHandler(runtime: Pick<PortfolioRuntime, 'service' | 'doc' | 'tables'>, log?: WorkerDeps['log']) {
  const portfolios = createPortfolioStore(runtime.doc, runtime.tables.portfolios);
  return createWorkerHandler({
    service: runtime.service,
    // The profile and the wallets in one query; the sync then reads only the holdings.
    profiles: { getUser: (userId) => portfolios.getUserWithWallets(userId) },
    leases: createSyncLeaseStore(runtime.doc, runtime.tables.sessions),
    cycles: createSyncCycleStore(runtime.doc, runtime.tables.sessions),
    log,
  });
}
