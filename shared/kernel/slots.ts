/** Sync slots are 10-minute UTC buckets: one snapshot per user per slot. */
export const SLOT_MINUTES = 10;

export function slotOf(time: Date): string {
  const slotMs = SLOT_MINUTES * 60_000;
  return new Date(Math.floor(time.getTime() / slotMs) * slotMs).toISOString();
}
