import { type AlertSettings, ALERT_RULE_IDS, ALERT_RULES } from '../notify/alert-rules';
import type { DigestPreference } from '../notify/digest-store';

/**
 * GET /miniapp/api/notifications: the user's /alerts and /digest choices as the chat stores them (read-only here;
 * the chat changes them). Thresholds are decimal strings with their unit; hours are the user's local hours.
 */
export function notificationsBody(alerts: AlertSettings, digest: DigestPreference, timeZone: string | undefined) {
  return {
    timeZone: timeZone ?? 'UTC',
    alerts: {
      muted: alerts.muted,
      dailyCap: alerts.dailyCap,
      quietHours: alerts.quietHours ?? null,
      rules: ALERT_RULE_IDS.map((id) => ({
        id,
        title: ALERT_RULES[id].title,
        on: alerts.rules[id].on,
        threshold: alerts.rules[id].threshold,
        unit: ALERT_RULES[id].unit,
      })),
    },
    digest: {
      ...digest.schedule,
      ...(digest.nextDueAt ? { nextDueAt: digest.nextDueAt } : {}),
    },
  };
}

export type NotificationsBody = ReturnType<typeof notificationsBody>;
