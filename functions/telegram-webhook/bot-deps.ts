import type { Context } from 'telegraf';
import type { PlanStore } from '../../shared/adapters/dynamo/plan-store';
import type { RateLimitStore } from '../../shared/adapters/dynamo/rate-limit-store';
import type { SettingsStore } from '../../shared/adapters/dynamo/settings-store';
import type { PortfolioServicePort } from '../../shared/domain/ports/portfolio-service-port';
import type { RebalanceMarket } from '../../shared/services/rebalance-market';

/** Everything the bot's features use; tests pass fakes of the ports and real local stores. */
export interface BotDeps {
  readonly portfolio: PortfolioServicePort;
  readonly market: RebalanceMarket;
  /** Rebalance plans and user settings: without them the rebalance and /live features are not installed. */
  readonly plans?: PlanStore;
  readonly settings?: SettingsStore;
  /** Per-user cooldowns (Refresh); without it Refresh is not rate limited. */
  readonly rateLimits?: RateLimitStore;
  readonly now: () => Date;
  /** DRY_RUN_MODE: previews and simulations only, whatever a user chose with /live. */
  readonly dryRun: boolean;
}

export type BotContext = Context;
