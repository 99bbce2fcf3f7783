/** A `limit` query value: floored into 1..max; undefined (left out) when not given. */
export function clampLimit(limit: number | undefined, max: number): string | undefined {
  return limit === undefined ? undefined : String(Math.min(max, Math.max(1, Math.floor(limit))));
}
