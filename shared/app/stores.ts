import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TableNames } from '../platform/dynamo/table-definitions';
import { metrics } from '../platform/metrics';
import { createUserCooldownStore } from '../platform/dynamo/user-cooldown-store';
import { createPortfolioStore, createUserActivityStore, createDueIndexStore } from '../wallets/portfolio-store';
import { createBalanceCacheStore, createPriceStore } from '../sync/price-store';
import { createHoldingsStore } from '../sync/holdings-store';
import { createSnapshotStore } from '../sync/snapshot-store';
import { createSyncCycleStore, createSyncLeaseStore } from '../sync/sync-cycle-store';
import { createPlanStore } from '../rebalance/plan-store';
import { createSettingsStore } from '../rebalance/settings-store';
import { createAlertStore } from '../notify/alert-store';
import { createDigestStore } from '../notify/digest-store';

export type Stores = ReturnType<typeof createStores>;

/** Every DynamoDB store over one document client: plain objects, no I/O until called. */
export function createStores(doc: DynamoDBDocumentClient, tables: TableNames) {
  return {
    // wallets and users (the due index keys live on the user item)
    portfolios: createPortfolioStore(doc, tables.portfolios),
    due: createDueIndexStore(doc, tables.portfolios),
    // sync
    holdings: createHoldingsStore(doc, tables.holdings),
    prices: createPriceStore(doc, tables.prices),
    balanceCache: createBalanceCacheStore(doc, tables.prices),
    snapshots: createSnapshotStore(doc, tables.snapshots),
    cycles: createSyncCycleStore(doc, tables.sessions, metrics),
    leases: createSyncLeaseStore(doc, tables.sessions),
    // the bot: rebalance plans and settings, cooldowns
    plans: createPlanStore(doc, tables.sessions),
    settings: createSettingsStore(doc, tables.sessions),
    cooldowns: createUserCooldownStore(doc, tables.sessions),
    // alerts: per-user settings, open episodes and daily counts (issue 14)
    alerts: createAlertStore(doc, tables.sessions),
    // notifications: who is reachable (403 marks), the /digest choices and their index
    activity: createUserActivityStore(doc, tables.portfolios),
    digests: createDigestStore(doc, tables.portfolios),
  };
}
