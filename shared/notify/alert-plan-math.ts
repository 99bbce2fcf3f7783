import { toDecimal } from '../kernel/decimal';
import type { DecimalString, IsoTime } from '../kernel/types';
import {
  ALERT_RULE_IDS,
  ALERT_RULES,
  type AlertDetail,
  type AlertObservation,
  type AlertRuleId,
  type RuleThresholds,
} from './alert-rules';

// --- The hysteresis: one condition's episode, step by step ---

/**
 * Hysteresis for one alert subject (issue 14): an episode starts when the value crosses the trigger threshold
 * and ends only when it comes back inside the clear threshold, which lies inside the trigger (trigger 50 %,
 * clear 48 %). A value hovering between the two changes nothing, so an alert never flaps.
 */
export interface Thresholds {
  readonly value: DecimalString;
  readonly trigger: DecimalString;
  readonly clear: DecimalString;
  /** 'above': bad above the trigger (a share, a drift); 'below': bad below it (a gas balance). */
  readonly direction: 'above' | 'below';
}

export type EpisodeStep = 'start' | 'clear' | 'none';

/** Strictly past the trigger: a value exactly at the threshold does not alert (like a rebalance band edge). */
export function isTriggered(reading: Thresholds): boolean {
  const value = toDecimal(reading.value);
  return reading.direction === 'above' ? value.gt(reading.trigger) : value.lt(reading.trigger);
}

/** Back inside the clear threshold (at it counts as back). */
export function isCleared(reading: Thresholds): boolean {
  const value = toDecimal(reading.value);
  return reading.direction === 'above' ? value.lte(reading.clear) : value.gte(reading.clear);
}

/**
 * One step of one subject: `reading` undefined means the subject is gone (the asset sold, the wallet removed,
 * the rule switched off), which ends an open episode.
 */
export function stepEpisode(isActive: boolean, reading: Thresholds | undefined): EpisodeStep {
  if (!isActive) return reading !== undefined && isTriggered(reading) ? 'start' : 'none';
  return reading === undefined || isCleared(reading) ? 'clear' : 'none';
}

/** The steps of a whole sequence of readings for one subject, from no open episode. */
export function replayEpisodes(readings: readonly (Thresholds | undefined)[]): EpisodeStep[] {
  let isActive = false;
  return readings.map((reading) => {
    const step = stepEpisode(isActive, reading);
    if (step === 'start') isActive = true;
    if (step === 'clear') isActive = false;
    return step;
  });
}

// --- The alert plan ---

/** Per-user alert settings (issue 14): rules on/off with thresholds, a global mute, quiet hours and a daily cap. */
export interface AlertSettings {
  readonly rules: Readonly<Record<AlertRuleId, { readonly on: boolean; readonly threshold: DecimalString }>>;
  /** Episodes are still tracked, but none is sent (nor sent later): a muted bot says nothing. */
  readonly muted: boolean;
  /** Local hours [start, end), wrapping midnight (22 → 7); absent: no quiet hours. */
  readonly quietHours?: { readonly start: number; readonly end: number };
  /** At most this many alerts a local day. */
  readonly dailyCap: number;
}

export const DEFAULT_DAILY_CAP = 5;
export const MAX_DAILY_CAP = 20;

export function defaultAlertSettings(): AlertSettings {
  const rules = Object.fromEntries(
    ALERT_RULE_IDS.map((id) => [id, { on: true, threshold: ALERT_RULES[id].defaultThreshold }]),
  ) as AlertSettings['rules'];
  return { rules, muted: false, dailyCap: DEFAULT_DAILY_CAP };
}

/** The trigger thresholds of the rules that are on. */
export function thresholdsOf(settings: AlertSettings): RuleThresholds {
  return Object.fromEntries(
    ALERT_RULE_IDS.filter((id) => settings.rules[id].on).map((id) => [id, settings.rules[id].threshold]),
  );
}

/** The user's local calendar date (YYYY-MM-DD) and hour (0–23) in an IANA time zone. */
export function localTime(now: Date, timeZone: string): { readonly date: string; readonly hour: number } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const part = (type: string) => parts.find((item) => item.type === type)!.value;
  return { date: `${part('year')}-${part('month')}-${part('day')}`, hour: Number(part('hour')) };
}

/** Inside [start, end), wrapping midnight; start = end means no quiet hours. */
export function isQuietHour(hour: number, quiet: AlertSettings['quietHours']): boolean {
  if (!quiet || quiet.start === quiet.end) return false;
  return quiet.start < quiet.end ? hour >= quiet.start && hour < quiet.end : hour >= quiet.start || hour < quiet.end;
}

/**
 * An open episode: 'pending' (started, not yet sent: quiet hours, or the send failed), 'sent', 'capped' (over the
 * daily cap: never sent), 'muted' (started while the user had muted alerts: never sent).
 */
export type AlertStatus = 'pending' | 'sent' | 'capped' | 'muted';

export interface AlertState {
  readonly rule: AlertRuleId;
  readonly subject: string;
  readonly episodeStart: IsoTime;
  readonly status: AlertStatus;
  /** The value when the episode started, and what the message names. */
  readonly value: DecimalString;
  readonly detail: AlertDetail;
}

export const alertKey = (alert: { readonly rule: AlertRuleId; readonly subject: string }) =>
  `${alert.rule}#${alert.subject}`;

export interface AlertPlan {
  /** New episodes: write each with a condition that no episode is open for its subject. */
  readonly starts: readonly AlertState[];
  /** Open episodes whose condition cleared (or whose subject or rule is gone): delete, held or not. */
  readonly clears: readonly AlertState[];
  /** Open, pending episodes to send now (not in quiet hours), in rule order. */
  readonly deliverable: readonly AlertState[];
}

/**
 * One evaluation: each observation and open episode through the hysteresis. A pending alert whose condition
 * cleared during quiet hours is dropped with its episode (telling the user about something no longer true is
 * noise); one still open when quiet hours end is sent then.
 */
export function planAlerts(input: {
  readonly states: readonly AlertState[];
  readonly observations: readonly AlertObservation[];
  readonly now: Date;
  readonly isMuted: boolean;
  readonly isQuiet: boolean;
  /** Rules that could not be judged this time: their open episodes stay open. */
  readonly inconclusive?: ReadonlySet<AlertRuleId>;
}): AlertPlan {
  const open = new Map(input.states.map((state) => [alertKey(state), state]));
  const seen = new Map(input.observations.map((observation) => [alertKey(observation), observation]));
  const starts: AlertState[] = [];
  const clears: AlertState[] = [];
  for (const [key, observation] of seen) {
    if (stepEpisode(open.has(key), observation) !== 'start') continue;
    starts.push({
      rule: observation.rule,
      subject: observation.subject,
      episodeStart: input.now.toISOString(),
      status: input.isMuted ? 'muted' : 'pending',
      value: observation.value,
      detail: observation.detail,
    });
  }
  for (const [key, state] of open) {
    if (input.inconclusive?.has(state.rule) && !seen.has(key)) continue;
    if (stepEpisode(true, seen.get(key)) === 'clear') clears.push(state);
  }
  const cleared = new Set(clears.map(alertKey));
  const pending = [...input.states.filter((state) => !cleared.has(alertKey(state))), ...starts].filter(
    (state) => state.status === 'pending',
  );
  return { starts, clears, deliverable: input.isQuiet ? [] : sortAlerts(pending) };
}

export function sortAlerts<T extends { rule: AlertRuleId; subject: string }>(alerts: readonly T[]): T[] {
  const rank = (rule: AlertRuleId) => ALERT_RULE_IDS.indexOf(rule);
  return [...alerts].sort((a, b) => rank(a.rule) - rank(b.rule) || a.subject.localeCompare(b.subject));
}
