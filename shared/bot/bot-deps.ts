import type { PlanStore } from '../rebalance/plan-store';
import type { UserCooldownStore } from '../platform/dynamo/user-cooldown-store';
import type { SettingsStore } from '../rebalance/settings-store';
import type { PortfolioServicePort } from '../portfolio/portfolio-service-port';
import type { RebalanceMarket } from '../rebalance/rebalance-market';
import type { AlertSettingsStore } from '../notify/alert-store';
import type { UserActivityStore } from '../wallets/portfolio-store';
import type { DigestStore } from '../notify/digest-store';

/** Everything the bot's features use; tests pass fakes of the ports and real local stores. */
export interface BotDeps {
  readonly portfolio: PortfolioServicePort;
  readonly market: RebalanceMarket;
  /** Rebalance plans and user settings: without them the rebalance and /live features are not installed. */
  readonly plans?: PlanStore;
  readonly settings?: SettingsStore;
  /** Per-user cooldowns (Refresh); without it Refresh is not rate limited. */
  readonly cooldowns?: UserCooldownStore;
  /** Per-user alert settings (/alerts, issue 14); without it (or `settings`) /alerts is not installed. */
  readonly alerts?: AlertSettingsStore;
  /** Reactivates a user the notification sender marked inactive (403) on their next update; optional in tests. */
  readonly activity?: Pick<UserActivityStore, 'reactivate'>;
  /** The /digest choice per user; without it /digest is not installed. */
  readonly digests?: DigestStore;
  readonly now: () => Date;
  /** DRY_RUN_MODE: previews and simulations only, whatever a user chose with /live. */
  readonly dryRun: boolean;
  /** MINIAPP_URL: the Mini App's page; the 📊 Dashboard buttons appear (in private chats) only when it is set. */
  readonly miniAppUrl?: string;
}
