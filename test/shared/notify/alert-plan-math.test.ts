import { describe, expect, it } from 'vitest';
import {
  defaultAlertSettings,
  isQuietHour,
  localTime,
  planAlerts,
  thresholdsOf,
  type AlertState,
  type AlertObservation,
} from '../../../shared/notify/alert-rules';

const NOW = new Date('2026-12-03T12:00:00.000Z');
const observe = (rule: AlertObservation['rule'], subject: string, value: string): AlertObservation => ({
  rule,
  subject,
  value,
  trigger: '50',
  clear: '48',
  direction: 'above',
  detail: { label: subject },
});
const open = (rule: AlertState['rule'], subject: string, status: AlertState['status']): AlertState => ({
  rule,
  subject,
  status,
  episodeStart: '2026-12-03T11:00:00.000Z',
  value: '60',
  detail: { label: subject },
});

describe('local time and quiet hours', () => {
  it('gives the local date and hour in the user’s time zone', () => {
    // 22:30 UTC is 23:30 in Berlin (UTC+1 in December); 03:00 UTC is 22:00 the day before in New York (UTC−5).
    expect(localTime(new Date('2026-12-03T22:30:00.000Z'), 'Europe/Berlin')).toEqual({ date: '2026-12-03', hour: 23 });
    expect(localTime(new Date('2026-12-04T03:00:00.000Z'), 'America/New_York')).toEqual({
      date: '2026-12-03',
      hour: 22,
    });
    expect(localTime(new Date('2026-12-03T23:30:00.000Z'), 'Asia/Tokyo')).toEqual({ date: '2026-12-04', hour: 8 });
    expect(localTime(new Date('2026-12-03T00:10:00.000Z'), 'UTC')).toEqual({ date: '2026-12-03', hour: 0 });
  });

  it('wraps quiet hours over midnight; equal ends or none mean no quiet hours', () => {
    const night = { start: 22, end: 7 };
    expect([21, 22, 23, 0, 6, 7].map((hour) => isQuietHour(hour, night))).toEqual([
      false,
      true,
      true,
      true,
      true,
      false,
    ]);
    const lunch = { start: 12, end: 14 };
    expect([11, 12, 13, 14].map((hour) => isQuietHour(hour, lunch))).toEqual([false, true, true, false]);
    expect(isQuietHour(3, { start: 5, end: 5 })).toBe(false);
    expect(isQuietHour(3, undefined)).toBe(false);
  });
});

describe('planning one evaluation', () => {
  it('starts new episodes, clears the ones back inside or gone, and delivers the pending ones in rule order', () => {
    const plan = planAlerts({
      states: [open('asset', 'eth', 'sent'), open('chain', '1', 'sent'), open('depeg', 'usdc', 'pending')],
      observations: [
        observe('asset', 'eth', '49'), // hovering: stays open, not repeated
        observe('chain', '1', '48'), // at the clear threshold: cleared
        observe('move', 'down', '51'), // new
        observe('asset', 'uni', '50'), // at the trigger: nothing
        observe('depeg', 'usdc', '60'), // still open and pending
      ],
      now: NOW,
      isMuted: false,
      isQuiet: false,
    });
    expect(plan.starts.map((state) => [state.rule, state.subject, state.status, state.episodeStart])).toEqual([
      ['move', 'down', 'pending', NOW.toISOString()],
    ]);
    expect(plan.clears.map((state) => `${state.rule}:${state.subject}`)).toEqual(['chain:1']);
    expect(plan.deliverable.map((state) => `${state.rule}:${state.subject}`)).toEqual(['depeg:usdc', 'move:down']);
  });

  it('holds everything in quiet hours, and drops a held alert whose condition cleared meanwhile', () => {
    const plan = planAlerts({
      states: [open('depeg', 'usdc', 'pending')],
      observations: [observe('depeg', 'usdc', '40'), observe('move', 'down', '51')],
      now: NOW,
      isMuted: false,
      isQuiet: true,
    });
    expect(plan.deliverable).toEqual([]);
    expect(plan.clears.map((state) => state.subject)).toEqual(['usdc']);
    expect(plan.starts.map((state) => state.subject)).toEqual(['down']);
  });

  it('keeps the open episodes of a rule that cannot be judged this time (no 24 h baseline)', () => {
    const states = [open('move', 'up', 'sent')];
    const kept = planAlerts({
      states,
      observations: [],
      now: NOW,
      isMuted: false,
      isQuiet: false,
      inconclusive: new Set(['move']),
    });
    expect(kept.clears).toEqual([]);
    const gone = planAlerts({ states, observations: [], now: NOW, isMuted: false, isQuiet: false });
    expect(gone.clears).toEqual(states);
  });

  it('while muted, tracks episodes as muted and delivers nothing', () => {
    const plan = planAlerts({
      states: [],
      observations: [observe('move', 'down', '51')],
      now: NOW,
      isMuted: true,
      isQuiet: false,
    });
    expect(plan.starts.map((state) => state.status)).toEqual(['muted']);
    expect(plan.deliverable).toEqual([]);
  });

  it('reads the thresholds of the rules that are on', () => {
    const settings = defaultAlertSettings();
    expect(thresholdsOf(settings)).toEqual({
      drift: '5',
      asset: '50',
      sector: '50',
      chain: '80',
      depeg: '2',
      move: '10',
      stale: '60',
      gas: '100',
    });
    expect(
      thresholdsOf({ ...settings, rules: { ...settings.rules, gas: { on: false, threshold: '100' } } }).gas,
    ).toBeUndefined();
  });
});
