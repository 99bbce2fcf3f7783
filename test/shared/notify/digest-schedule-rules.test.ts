import { describe, expect, it } from 'vitest';
import {
  localDateOf,
  localHourToInstant,
  nextDigestAt,
  isValidSchedule,
} from '../../../shared/notify/digest-schedule-rules';

const at = (iso: string) => new Date(iso);

describe('digest schedule', () => {
  it('puts 09:00 Berlin at 08:00 UTC in winter and 07:00 UTC in summer', () => {
    expect(localHourToInstant(2026, 12, 3, 9, 'Europe/Berlin').toISOString()).toBe('2026-12-03T08:00:00.000Z');
    expect(localHourToInstant(2026, 7, 3, 9, 'Europe/Berlin').toISOString()).toBe('2026-07-03T07:00:00.000Z');
  });

  it('moves the UTC hour across the spring change between two daily digests (Berlin, 29 March 2026)', () => {
    // Saturday 28 March 09:00 CET = 08:00 UTC; after the change on Sunday 29 March, 09:00 CEST = 07:00 UTC.
    const saturday = nextDigestAt({ mode: 'daily', hour: 9 }, 'Europe/Berlin', at('2026-03-28T06:00:00.000Z'));
    expect(saturday?.toISOString()).toBe('2026-03-28T08:00:00.000Z');
    const sunday = nextDigestAt({ mode: 'daily', hour: 9 }, 'Europe/Berlin', saturday!);
    expect(sunday?.toISOString()).toBe('2026-03-29T07:00:00.000Z');
  });

  it('moves it back in autumn (New York, 1 November 2026)', () => {
    // Saturday 31 October 08:00 EDT = 12:00 UTC; Sunday 1 November 08:00 EST = 13:00 UTC.
    const sunday = nextDigestAt({ mode: 'daily', hour: 8 }, 'America/New_York', at('2026-10-31T12:00:00.000Z'));
    expect(sunday?.toISOString()).toBe('2026-11-01T13:00:00.000Z');
  });

  it('serves an hour that does not exist at the first instant after the gap, and a doubled hour at its first', () => {
    // Berlin 29 March 2026: 02:00–03:00 does not exist; 02:00 is served at 03:00 CEST = 01:00 UTC.
    expect(localHourToInstant(2026, 3, 29, 2, 'Europe/Berlin').toISOString()).toBe('2026-03-29T01:00:00.000Z');
    // Berlin 25 October 2026: 02:00 happens at 00:00 UTC (CEST) and again at 01:00 UTC (CET).
    expect(localHourToInstant(2026, 10, 25, 2, 'Europe/Berlin').toISOString()).toBe('2026-10-25T00:00:00.000Z');
  });

  it('finds the next chosen weekday, today when its hour is still ahead', () => {
    // Thursday 3 December 2026, 10:00 UTC in Tokyo (UTC+9) is 19:00 Thursday.
    const weekly = (weekday: number, hour: number) =>
      nextDigestAt({ mode: 'weekly', weekday, hour }, 'Asia/Tokyo', at('2026-12-03T10:00:00.000Z'))?.toISOString();
    expect(weekly(4, 20)).toBe('2026-12-03T11:00:00.000Z'); // Thursday 20:00 JST, today
    expect(weekly(4, 18)).toBe('2026-12-10T09:00:00.000Z'); // passed today: next Thursday
    expect(weekly(1, 9)).toBe('2026-12-07T00:00:00.000Z'); // Monday 09:00 JST
  });

  it('is off without a due time, and in UTC hours are UTC hours', () => {
    expect(nextDigestAt({ mode: 'off' }, 'UTC', at('2026-12-03T10:00:00.000Z'))).toBeUndefined();
    expect(nextDigestAt({ mode: 'daily', hour: 10 }, 'UTC', at('2026-12-03T10:00:00.000Z'))?.toISOString()).toBe(
      '2026-12-04T10:00:00.000Z',
    );
  });

  it('dates a digest by the local date', () => {
    expect(localDateOf(at('2026-12-03T23:30:00.000Z'), 'Asia/Tokyo')).toBe('2026-12-04');
    expect(localDateOf(at('2026-12-03T23:30:00.000Z'), 'America/Los_Angeles')).toBe('2026-12-03');
  });

  it('accepts hours 0–23 and ISO weekdays 1–7 only', () => {
    expect(isValidSchedule({ mode: 'daily', hour: 23 })).toBe(true);
    expect(isValidSchedule({ mode: 'daily', hour: 24 })).toBe(false);
    expect(isValidSchedule({ mode: 'weekly', hour: 9, weekday: 0 })).toBe(false);
    expect(isValidSchedule({ mode: 'weekly', hour: 9, weekday: 7 })).toBe(true);
    expect(isValidSchedule({ mode: 'off' })).toBe(true);
  });
});
