/**
 * When a digest is due, in the user's own time zone. Pure: Intl (built in) for the zone's rules, no I/O.
 * A digest is due at `hour`:00 local time, every day or on one weekday. The next due instant is computed per
 * occurrence, so a daylight-saving change between two digests moves its UTC hour (Berlin 08:00 is 07:00 UTC in
 * winter, 06:00 UTC in summer). A local hour that does not exist that day (the spring gap) is served at the first
 * instant after the gap; an hour that happens twice (autumn) at its first occurrence.
 */
export type DigestSchedule =
  | { readonly mode: 'off' }
  | { readonly mode: 'daily'; readonly hour: number }
  /** `weekday`: ISO, 1 = Monday … 7 = Sunday. */
  | { readonly mode: 'weekly'; readonly hour: number; readonly weekday: number };

export const DEFAULT_DIGEST_HOUR = 9;
export const DEFAULT_DIGEST_WEEKDAY = 1;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const WEEKDAYS: Readonly<Record<string, number>> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

interface LocalTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly weekday: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatOf(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    });
    formats.set(timeZone, format);
  }
  return format;
}

/** The wall-clock reading in `timeZone` at instant `at`. */
export function localTimeOf(at: Date, timeZone: string): LocalTime {
  const parts = Object.fromEntries(
    formatOf(timeZone)
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    weekday: WEEKDAYS[parts.weekday!]!,
  };
}

/** `YYYY-MM-DD` of the local date at `at` (the digest's id: one per user and local date). */
export function localDateOf(at: Date, timeZone: string): string {
  const { year, month, day } = localTimeOf(at, timeZone);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** UTC offset (ms) of `timeZone` at instant `at`, to the minute. */
function offsetAt(at: number, timeZone: string): number {
  const local = localTimeOf(new Date(at), timeZone);
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  return asUtc - Math.floor(at / 60_000) * 60_000;
}

/** The instant of `hour`:00 on the local date (year, month, day) in `timeZone` (see the gap and overlap rules above). */
export function localHourToInstant(year: number, month: number, day: number, hour: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, day, hour);
  // The offsets in force around that wall time: before and after any change that day.
  const before = offsetAt(wall - 14 * HOUR_MS, timeZone);
  const after = offsetAt(wall + 14 * HOUR_MS, timeZone);
  const matches = [...new Set([before, after])]
    .map((offset) => wall - offset)
    .filter((instant) => offsetAt(instant, timeZone) === wall - instant)
    .sort((a, b) => a - b);
  // No match: the hour falls in the spring gap; the old offset lands on the first instant after it.
  return new Date(matches[0] ?? wall - before);
}

/** The first due instant strictly after `after`, or undefined when the digest is off. */
export function nextDigestAt(schedule: DigestSchedule, timeZone: string, after: Date): Date | undefined {
  if (schedule.mode === 'off') return undefined;
  const today = localTimeOf(after, timeZone);
  const start = Date.UTC(today.year, today.month - 1, today.day);
  for (let offset = 0; offset <= 8; offset += 1) {
    const date = new Date(start + offset * DAY_MS);
    const weekday = ((date.getUTCDay() + 6) % 7) + 1;
    if (schedule.mode === 'weekly' && weekday !== schedule.weekday) continue;
    const due = localHourToInstant(
      date.getUTCFullYear(),
      date.getUTCMonth() + 1,
      date.getUTCDate(),
      schedule.hour,
      timeZone,
    );
    if (due.getTime() > after.getTime()) return due;
  }
  return undefined;
}

export function isValidSchedule(schedule: DigestSchedule): boolean {
  if (schedule.mode === 'off') return true;
  const isHour = Number.isInteger(schedule.hour) && schedule.hour >= 0 && schedule.hour <= 23;
  if (schedule.mode === 'daily') return isHour;
  return isHour && Number.isInteger(schedule.weekday) && schedule.weekday >= 1 && schedule.weekday <= 7;
}
