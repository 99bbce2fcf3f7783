import { describe, expect, it } from 'vitest';
import {
  expireOpenLegs,
  legStateOf,
  planStateOf,
  trackDelaySeconds,
  type LegExecution,
  type LegStep,
  type StepKind,
  type StepState,
} from '../../../shared/rebalance/execution-rules';

const step = (kind: StepKind, state: StepState): LegStep => ({
  stepId: `${kind}-${state}`,
  kind,
  state,
  tx: { family: 'evm', chainId: 1, from: '0xw', to: '0xt', data: '0x', value: '0' },
  preparedAt: '2036-01-01T00:00:00.000Z',
});
const leg = (state: LegExecution['state'], ...steps: LegStep[]): LegExecution => ({ rev: 1, state, steps });
const SIGN_BY = '2036-01-01T00:15:00.000Z';
const before = new Date('2036-01-01T00:10:00.000Z');
const after = new Date('2036-01-01T00:15:00.000Z');

describe('execution rules', () => {
  it('derives a leg from its steps', () => {
    expect(legStateOf(leg('awaiting-signature'))).toBe('awaiting-signature');
    expect(legStateOf(leg('awaiting-signature', step('approve', 'prepared')))).toBe('awaiting-signature');
    expect(legStateOf(leg('awaiting-signature', step('approve', 'submitted')))).toBe('approving');
    expect(legStateOf(leg('approving', step('approve', 'confirmed'), step('swap', 'prepared')))).toBe('approving');
    expect(legStateOf(leg('approving', step('approve', 'confirmed'), step('swap', 'submitted')))).toBe('submitted');
    expect(legStateOf(leg('submitted', step('swap', 'confirmed')))).toBe('confirmed');
    expect(legStateOf(leg('submitted', step('reset-approval', 'failed')))).toBe('failed');
    expect(legStateOf(leg('expired', step('swap', 'submitted')))).toBe('expired');
  });

  it('keeps the plan submitted while anything is in flight, even past the signing window', () => {
    const legs = [leg('failed', step('swap', 'failed')), leg('submitted', step('swap', 'submitted'))];
    expect(planStateOf(legs, after, SIGN_BY)).toBe('submitted');
  });

  it('settles the plan: failed over expired, confirmed when every leg is', () => {
    expect(planStateOf([leg('confirmed'), leg('failed')], before, SIGN_BY)).toBe('failed');
    expect(planStateOf([leg('confirmed'), leg('confirmed')], after, SIGN_BY)).toBe('confirmed');
    expect(planStateOf([leg('confirmed'), leg('expired')], before, SIGN_BY)).toBe('expired');
    expect(planStateOf([leg('confirmed', step('swap', 'confirmed')), leg('awaiting-signature')], after, SIGN_BY)).toBe(
      'expired',
    );
  });

  it('is submitted once something was sent, else awaiting a signature, until the window closes', () => {
    expect(planStateOf([leg('awaiting-signature', step('swap', 'prepared'))], before, SIGN_BY)).toBe(
      'awaiting-signature',
    );
    expect(planStateOf([leg('confirmed', step('swap', 'confirmed')), leg('awaiting-signature')], before, SIGN_BY)).toBe(
      'submitted',
    );
    expect(planStateOf([leg('awaiting-signature')], after, SIGN_BY)).toBe('expired');
  });

  it('expires only the legs not done and not in flight', () => {
    const legs = [leg('confirmed'), leg('submitted', step('swap', 'submitted')), leg('awaiting-signature')];
    const expired = expireOpenLegs(legs, 'not signed in time');
    expect(expired.map((item) => item.state)).toEqual(['confirmed', 'submitted', 'expired']);
    expect(expired[2]).toMatchObject({ rev: 2, failReason: 'not signed in time' });
  });

  it('backs off 5, 10, 20 … seconds, at most 5 minutes', () => {
    expect([0, 1, 2, 3, 5, 6, 10].map(trackDelaySeconds)).toEqual([5, 10, 20, 40, 160, 300, 300]);
  });
});
