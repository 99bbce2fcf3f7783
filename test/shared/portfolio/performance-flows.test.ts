import { describe, expect, it } from 'vitest';
import { classifyStepFlow, flowLegs } from '../../../shared/portfolio/performance-chain';
import { snapshotAt } from './performance-fixtures';

const T0 = '2025-03-01T00:00:00.000Z';
const T1 = '2025-03-01T00:10:00.000Z';
const base = snapshotAt(T0, [
  ['eth', '2', '3000'],
  ['usdc', '1000', '1'],
]);

describe('classifyStepFlow', () => {
  it('sees no flow when only prices moved', () => {
    const flow = classifyStepFlow(
      base,
      snapshotAt(T1, [
        ['eth', '2', '3100'],
        ['usdc', '1000', '1'],
      ]),
    );
    expect(flow.kind).toBe('none');
    expect(flow.flowUsd.toString()).toBe('0');
  });

  it('values a deposit at the new price (finance-methods §2 example)', () => {
    const flow = classifyStepFlow(
      base,
      snapshotAt(T1, [
        ['eth', '2.5', '3100'],
        ['usdc', '1000', '1'],
      ]),
    );
    expect(flow.kind).toBe('external');
    expect(flow.flowUsd.toString()).toBe('1550');
  });

  it('treats offsetting legs within 1 % of gross as an internal swap and keeps the residual as a cost', () => {
    const flow = classifyStepFlow(
      base,
      snapshotAt(T1, [
        ['eth', '0.999', '3100'],
        ['usdc', '4090.7', '1'],
      ]),
    );
    expect(flow.kind).toBe('internal-swap');
    expect(flow.flowUsd.toString()).toBe('0');
    expect(flow.netUsd.toString()).toBe('-12.4');
    expect(flow.grossUsd.toString()).toBe('6193.8');
  });

  it('uses the $5 floor for small swaps', () => {
    const flow = classifyStepFlow(
      base,
      snapshotAt(T1, [
        ['eth', '1.99', '3000'],
        ['usdc', '1026', '1'],
      ]),
    );
    expect(flow.netUsd.toString()).toBe('-4');
    expect(flow.kind).toBe('internal-swap');
  });

  it('counts a swap plus a large withdrawal as an external flow', () => {
    const flow = classifyStepFlow(
      base,
      snapshotAt(T1, [
        ['eth', '1', '3000'],
        ['usdc', '2000', '1'],
      ]),
    );
    expect(flow.kind).toBe('external');
    expect(flow.flowUsd.toString()).toBe('-2000');
  });

  it('treats a lone decrease of at most $5 as gas, not a withdrawal', () => {
    const flow = classifyStepFlow(
      base,
      snapshotAt(T1, [
        ['eth', '1.999', '3000'],
        ['usdc', '1000', '1'],
      ]),
    );
    expect(flow.kind).toBe('gas');
    expect(flow.flowUsd.toString()).toBe('0');
  });

  it('ignores dust below max($1, 0.05 % of value)', () => {
    const flow = classifyStepFlow(
      base,
      snapshotAt(T1, [
        ['eth', '2', '3000'],
        ['usdc', '1003', '1'],
      ]),
    );
    expect(flow.kind).toBe('noise');
    expect(flow.flowUsd.toString()).toBe('0');
    expect(
      classifyStepFlow(
        base,
        snapshotAt(T1, [
          ['eth', '2', '3000'],
          ['usdc', '1004', '1'],
        ]),
      ).kind,
    ).toBe('external');
  });

  it('counts a token that gains a price as a flow in, and one that loses it as a flow out at its last price', () => {
    const appeared = classifyStepFlow(
      base,
      snapshotAt(T1, [
        ['eth', '2', '3000'],
        ['usdc', '1000', '1'],
        ['new', '10', '20'],
      ]),
    );
    expect(appeared.flowUsd.toString()).toBe('200');
    const vanished = classifyStepFlow(base, snapshotAt(T1, [['eth', '2', '3500']]));
    expect(vanished.flowUsd.toString()).toBe('-1000');
  });

  it('sees the same quantity written differently as no change', () => {
    expect(
      flowLegs(
        base,
        snapshotAt(T1, [
          ['eth', '2.0', '3100'],
          ['usdc', '1000.00', '1'],
        ]),
      ),
    ).toEqual([]);
    expect(
      flowLegs(
        base,
        snapshotAt(T1, [
          ['eth', '2', '3100'],
          ['usdc', '1000', '1'],
        ]),
      ),
    ).toEqual([]);
  });

  it('adds up duplicate positions of one asset', () => {
    const split = snapshotAt(T1, [
      ['eth', '1', '3000'],
      ['eth', '1', '3000'],
      ['usdc', '1000', '1'],
    ]);
    expect(flowLegs(base, split)).toEqual([]);
  });
});
