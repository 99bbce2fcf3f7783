import { toDecimal } from '../kernel/decimal';
import type { DecimalString } from '../kernel/types';

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
