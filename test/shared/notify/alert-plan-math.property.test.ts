import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { replayEpisodes, stepEpisode, type Thresholds } from '../../../shared/notify/alert-rules';

/** Trigger 50 %, clear 48 % (the asset rule's defaults); 'below' mirrors it for a gas balance (trigger 10, clear 12.5). */
const above = (value: number): Thresholds => ({ value: String(value), trigger: '50', clear: '48', direction: 'above' });
const below = (value: number): Thresholds => ({
  value: String(value),
  trigger: '10',
  clear: '12.5',
  direction: 'below',
});

/** Values around both thresholds (exact hits included), and sometimes no reading at all (the subject is gone). */
const readings = (make: (value: number) => Thresholds, values: number[]) =>
  fc.array(fc.option(fc.constantFrom(...values).map(make), { nil: undefined, freq: 8 }), { maxLength: 60 });
const aboveReadings = readings(above, [40, 47.9, 48, 48.1, 49, 50, 50.1, 55, 70]);
const belowReadings = readings(below, [0, 5, 9.9, 10, 11, 12.5, 12.6, 20]);

const isBad = (reading: Thresholds | undefined) =>
  reading !== undefined &&
  (reading.direction === 'above'
    ? Number(reading.value) > Number(reading.trigger)
    : Number(reading.value) < Number(reading.trigger));
const isBack = (reading: Thresholds | undefined) =>
  reading === undefined ||
  (reading.direction === 'above'
    ? Number(reading.value) <= Number(reading.clear)
    : Number(reading.value) >= Number(reading.clear));

describe('hysteresis (property tests)', () => {
  for (const [name, arbitrary] of [
    ['above', aboveReadings],
    ['below', belowReadings],
  ] as const) {
    it(`${name}: never two alerts for one episode: between two starts the value came back inside the clear threshold`, () => {
      fc.assert(
        fc.property(arbitrary, (sequence) => {
          const steps = replayEpisodes(sequence);
          const starts = steps.flatMap((step, index) => (step === 'start' ? [index] : []));
          for (const [previous, next] of starts.slice(1).map((start, index) => [starts[index]!, start] as const))
            expect(sequence.slice(previous + 1, next).some(isBack)).toBe(true);
          // Events alternate start, clear, start, …: never two starts in a row.
          const events = steps.filter((step) => step !== 'none');
          events.forEach((event, index) => expect(event).toBe(index % 2 === 0 ? 'start' : 'clear'));
        }),
        { numRuns: 500 },
      );
    });

    it(`${name}: every episode that cleared properly alerts again when the condition returns`, () => {
      fc.assert(
        fc.property(arbitrary, (sequence) => {
          const steps = replayEpisodes(sequence);
          // From the start (nothing open) or from any reading back inside the clear threshold, the next
          // reading past the trigger starts an episode (it, or one between them, is a start).
          const anchors = [-1, ...sequence.flatMap((reading, index) => (isBack(reading) ? [index] : []))];
          for (const anchor of anchors) {
            const next = sequence.findIndex((reading, index) => index > anchor && isBad(reading));
            if (next >= 0) expect(steps.slice(anchor + 1, next + 1)).toContain('start');
          }
          // And an alert starts only on a reading past the trigger.
          steps.forEach((step, index) => step === 'start' && expect(isBad(sequence[index])).toBe(true));
        }),
        { numRuns: 500 },
      );
    });
  }

  it('a value hovering between clear and trigger after an alert never alerts again', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(48.1, 49, 50, 50.1, 51, 60), { minLength: 1, maxLength: 40 }), (tail) => {
        const steps = replayEpisodes([above(55), ...tail.map(above)]);
        expect(steps.filter((step) => step === 'start')).toHaveLength(1);
        expect(steps).not.toContain('clear');
      }),
    );
  });
});

describe('one step, worked by hand', () => {
  it('starts strictly past the trigger and clears at the clear threshold', () => {
    expect(stepEpisode(false, above(50))).toBe('none');
    expect(stepEpisode(false, above(50.1))).toBe('start');
    expect(stepEpisode(true, above(48.1))).toBe('none');
    expect(stepEpisode(true, above(48))).toBe('clear');
    expect(stepEpisode(true, undefined)).toBe('clear');
    expect(stepEpisode(false, undefined)).toBe('none');
    expect(stepEpisode(false, below(9.9))).toBe('start');
    expect(stepEpisode(true, below(12.4))).toBe('none');
    expect(stepEpisode(true, below(12.5))).toBe('clear');
  });
});
