import { analyseDiversification } from '../analytics/diversification';
import { toDecimal, ZERO } from '../kernel/decimal';
import type { TargetAllocation } from '../kernel/types';
import type { PortfolioServicePort } from '../portfolio/portfolio-service-port';
import { planRebalance } from '../rebalance/rebalance';
import type { SettingsStore } from '../rebalance/settings-store';
import { buildAlertNotification } from './alert-message';
import {
  alertKey,
  isQuietHour,
  localTime,
  planAlerts,
  thresholdsOf,
  gasFlagShare,
  inconclusiveRules,
  observeRules,
  type AlertFigures,
  type RuleThresholds,
} from './alert-rules';
import type { AlertStore } from './alert-store';
import type { NotificationOutbox } from './notification';

export interface AlertEvaluationDeps {
  readonly portfolio: Pick<PortfolioServicePort, 'getHoldingsView' | 'getTargetAllocation'>;
  readonly settings: Pick<SettingsStore, 'get'>;
  readonly alerts: AlertStore;
  readonly outbox: NotificationOutbox;
  readonly now: () => Date;
}

/** What one evaluation did (logged by the worker; asserted by tests). */
export interface AlertEvaluation {
  readonly started: number;
  readonly cleared: number;
  /** Alerts in the notification sent (0: none sent). */
  readonly sent: number;
  /** Open alerts held for the end of quiet hours. */
  readonly held: number;
  /** Alerts over the daily cap, never sent. */
  readonly heldBack: number;
  readonly notificationId?: string;
}

export interface AlertEvaluator {
  /** `known.target`: the saved target as the sync's read of the user's partition found it (not read again). */
  evaluate(userId: string, known?: { readonly target: TargetAllocation | undefined }): Promise<AlertEvaluation>;
}

/**
 * Evaluates one user's alert rules on the figures the portfolio computes, right after their sync: episodes start
 * and clear through the hysteresis by conditional writes (two concurrent evaluations never both start or both
 * send one), quiet hours hold alerts in the user's time zone, the daily cap counts alerts on their local day,
 * and whatever this evaluation may send goes out as ONE notification.
 */
export function createAlertEvaluator(deps: AlertEvaluationDeps): AlertEvaluator {
  return {
    async evaluate(userId, known) {
      const now = deps.now();
      const at = now.toISOString();
      const [stored, userSettings, { view, holdings }, target] = await Promise.all([
        deps.alerts.read(userId),
        deps.settings.get(userId),
        deps.portfolio.getHoldingsView(userId),
        known ? known.target : deps.portfolio.getTargetAllocation(userId),
      ]);
      const { settings } = stored;
      const thresholds = thresholdsOf(settings);
      const figures: AlertFigures = {
        now,
        view,
        diversification: analyseDiversification(holdings, { gasReserveShare: gasFlagShare(thresholds) ?? '1' }),
        drift: driftOf(holdings, target, thresholds, userSettings.unlisted),
      };
      const observations = observeRules(figures, thresholds);
      const local = localTime(now, userSettings.timeZone ?? 'UTC');
      const plan = planAlerts({
        states: stored.states,
        observations,
        now,
        isMuted: settings.muted,
        isQuiet: isQuietHour(local.hour, settings.quietHours),
        inconclusive: inconclusiveRules(figures),
      });

      const won = await Promise.all(plan.starts.map((state) => deps.alerts.startEpisode(userId, state, at)));
      const lost = new Set(plan.starts.filter((_, index) => !won[index]).map(alertKey));
      await Promise.all(plan.clears.map((state) => deps.alerts.endEpisode(userId, state)));
      const current = new Map(observations.map((observation) => [alertKey(observation), observation]));
      // Sent with today's figures: an alert held through the night names the value when it goes out.
      const deliverable = plan.deliverable
        .filter((state) => !lost.has(alertKey(state)))
        .map((state) => {
          const seen = current.get(alertKey(state));
          return seen ? { ...state, value: seen.value, detail: seen.detail } : state;
        });
      const cleared = new Set(plan.clears.map(alertKey));
      const open = [...stored.states.filter((state) => !cleared.has(alertKey(state))), ...plan.starts];
      const held = plan.deliverable.length === 0 ? open.filter((state) => state.status === 'pending').length : 0;
      const summary = { started: won.filter(Boolean).length, cleared: plan.clears.length, held };
      if (deliverable.length === 0) return { ...summary, sent: 0, heldBack: 0 };

      const left = settings.dailyCap - (stored.sentByDay.get(local.date) ?? 0);
      const want = Math.min(deliverable.length, Math.max(0, left));
      const granted = want > 0 ? await deps.alerts.reserveDaily(userId, local.date, want, settings.dailyCap, at) : 0;
      const claims = await Promise.all(
        deliverable.map((state, index) =>
          deps.alerts.moveEpisode(userId, state, 'pending', index < granted ? 'sent' : 'capped', at),
        ),
      );
      const claimed = deliverable.filter((_, index) => index < granted && claims[index]);
      const heldBack = deliverable.filter((_, index) => index >= granted && claims[index]).length;
      if (claimed.length === 0) return { ...summary, sent: 0, heldBack };
      const notification = buildAlertNotification({
        userId,
        alerts: claimed,
        heldBack,
        dailyCap: settings.dailyCap,
        now,
      });
      try {
        await deps.outbox.send([notification]);
      } catch (error) {
        // Not sent: back to pending, so the next evaluation sends them (under the same id if nothing changed).
        await Promise.all(claimed.map((state) => deps.alerts.moveEpisode(userId, state, 'sent', 'pending', at)));
        throw error;
      }
      return { ...summary, sent: claimed.length, heldBack, notificationId: notification.id };
    },
  };
}

/** The saved target's allocation as /rebalance plans it, with the drift threshold as its absolute band. */
function driftOf(
  holdings: Parameters<typeof planRebalance>[0],
  target: TargetAllocation | undefined,
  thresholds: RuleThresholds,
  unlisted: 'keep' | 'sell',
): AlertFigures['drift'] {
  if (!target || thresholds.drift === undefined) return undefined;
  const plan = planRebalance(holdings, target, { unlisted, absoluteBandPp: thresholds.drift });
  // Nothing targeted is held: /rebalance has nothing to do, and neither has an alert.
  if (toDecimal(plan.totalValueUsd).eq(ZERO)) return undefined;
  // Only the assets the user targeted: 'sell' adds the unlisted ones at 0 %, which the rebalance sells anyway.
  return plan.allocation.filter((row) => target[row.assetId] !== undefined);
}
