/** One alert whose condition holds now, as the digest lists it: a short line of Telegram HTML (escaped). */
export interface ActiveAlert {
  readonly text: string;
}

/**
 * What the digest reads of the alerts: the alert evaluation (issue 14, built beside the digest) stores which of a
 * user's alerts are active and implements this; until it is wired in, `noActiveAlerts` answers none.
 */
export interface ActiveAlertsReader {
  listActive(userId: string): Promise<readonly ActiveAlert[]>;
}

export const noActiveAlerts: ActiveAlertsReader = { listActive: async () => [] };
