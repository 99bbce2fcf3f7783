import type { AlertStore } from './alert-store';
import { renderAlertLine } from './alert-message';

/** One alert whose condition holds now, as the digest lists it: a short line of Telegram HTML (escaped). */
export interface ActiveAlert {
  readonly text: string;
}

/** What the digest reads of the alerts: the episodes open now. */
export interface ActiveAlertsReader {
  listActive(userId: string): Promise<readonly ActiveAlert[]>;
}

export const noActiveAlerts: ActiveAlertsReader = { listActive: async () => [] };

/**
 * The alert store's open episodes, one line each as the alert said it. An episode is open from the sync that saw its
 * condition start until the sync that saw it clear, whatever its delivery (sent, held by quiet hours, over the daily
 * cap); a muted one is left out, as the user asked not to hear about it.
 */
export function activeAlertsOf(store: Pick<AlertStore, 'read'>, now: () => Date): ActiveAlertsReader {
  return {
    async listActive(userId) {
      const { states } = await store.read(userId);
      return states
        .filter((state) => state.status !== 'muted')
        .toSorted((a, b) => a.episodeStart.localeCompare(b.episodeStart))
        .map((state) => ({ text: renderAlertLine(state, now()) }));
    },
  };
}
