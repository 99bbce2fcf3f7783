import { describe, expect, it } from 'vitest';
import type { Notification } from '../../../shared/notify/notification';
import { createPlanTrackingJob } from '../../../shared/notify/plan-tracking-job';
import { renderPlanOutcome } from '../../../shared/notify/plan-outcome-message';
import type { LegExecution } from '../../../shared/rebalance/execution-rules';
import type { StoredPlan } from '../../../shared/rebalance/plan-store';
import { awaitingPlan } from '../rebalance/signing-fixtures';
import { createMemoryLogger } from '../../support/memory-logger';

const WALLET = '0x238193be9e80e68eace3588b45d8cf4a7eae0fa3';
const step = (state: 'submitted' | 'confirmed' | 'failed', extra: object = {}) => ({
  stepId: 's1',
  kind: 'swap' as const,
  state,
  tx: { family: 'evm' as const, chainId: 1, from: WALLET, to: '0xr', data: '0x', value: '0' },
  preparedAt: '2036-03-18T10:01:00.000Z',
  txHash: '0xaa',
  ...extra,
});
const withLeg = (state: StoredPlan['state'], execution: LegExecution): StoredPlan => {
  const plan = awaitingPlan(WALLET);
  return { ...plan, state, legs: [{ ...plan.legs[0]!, execution }] };
};

function setUp(plan: StoredPlan | undefined, options: { syncFails?: boolean; claimed?: boolean } = {}) {
  const sent: Notification[] = [];
  const scheduled: { delaySeconds: number; attempt: number }[] = [];
  const synced: string[] = [];
  const job = createPlanTrackingJob({
    signing: { track: async () => plan },
    plans: { claimReport: async () => options.claimed ?? true },
    schedule: async (_plan, delaySeconds, attempt) => void scheduled.push({ delaySeconds, attempt }),
    outbox: { send: async (items) => void sent.push(...items) },
    portfolio: {
      syncBalances: async (userId) => {
        if (options.syncFails) throw new Error('okx down');
        synced.push(userId);
        return {} as never;
      },
      getTargetAllocation: async () => ({ eth: '100' }),
      suggestRebalance: async () =>
        ({
          allocation: [
            { assetId: 'eth', symbol: 'ETH', current: '0.98', target: '1', projected: '1', band: '0.05' },
            { assetId: 'usdc', symbol: 'USDC', current: '0.02', target: '0', projected: '0', band: '0.05' },
          ],
        }) as never,
    },
    settings: { get: async () => ({ liveMode: true, unlisted: 'keep' }) as never },
    now: () => new Date('2036-03-18T10:05:00.000Z'),
    logger: createMemoryLogger(),
  });
  return { job, sent, scheduled, synced };
}

const track = { v: 1 as const, kind: 'track-plan' as const, planId: 'plan1', userId: '42', attempt: 2 };

describe('track-plan job', () => {
  it('looks again with a longer back-off while a transaction is in flight', async () => {
    const t = setUp(
      withLeg('submitted', { rev: 2, state: 'submitted', walletAddress: WALLET, steps: [step('submitted')] }),
    );
    expect(await t.job(track)).toBe('rescheduled');
    // attempt 3: 5 x 2^3 = 40 s
    expect(t.scheduled).toEqual([{ delaySeconds: 40, attempt: 3 }]);
    expect(t.sent).toEqual([]);
  });

  it('between trades, looks again when the signing window closes (10:15, now 10:05: 601 s)', async () => {
    const plan = withLeg('submitted', {
      rev: 3,
      state: 'confirmed',
      walletAddress: WALLET,
      steps: [step('confirmed')],
    });
    const t = setUp(plan);
    expect(await t.job(track)).toBe('rescheduled');
    expect(t.scheduled).toEqual([{ delaySeconds: 601, attempt: 3 }]);
  });

  it('stops when nothing is in flight yet, or the plan is gone or another user’s', async () => {
    expect(await setUp(awaitingPlan(WALLET)).job(track)).toBe('idle');
    expect(await setUp(undefined).job(track)).toBe('gone');
    expect(await setUp({ ...awaitingPlan(WALLET), userId: '43' }).job(track)).toBe('gone');
  });

  it('syncs fresh, then reports a confirmed plan once: realised amounts, total cost, allocation against the target', async () => {
    const plan = withLeg('confirmed', {
      rev: 3,
      state: 'confirmed',
      walletAddress: WALLET,
      steps: [step('confirmed', { realised: { fromAmountRaw: '1000000000', toAmountRaw: '302000000000000000' } })],
    });
    const t = setUp(plan);

    expect(await t.job(track)).toBe('reported');

    expect(t.synced).toEqual(['42']);
    expect(t.sent).toHaveLength(1);
    expect(t.sent[0]).toMatchObject({ id: 'plan#plan1', userId: '42', chatId: '42', kind: 'execution' });
    // Cost: $1,000 sold − 0.302 ETH x $3,300 ($996.60) received + $0.60 gas = $4.00.
    expect(t.sent[0]!.text).toBe(
      [
        '✅ <b>Rebalance done</b>: every trade is confirmed on-chain.',
        '',
        '<b>Trades</b>',
        '1. Sold 1,000.00 USDC → got 0.302 ETH, min was 0.30 ETH',
        'Total cost: $4.00 (price impact and network fees)',
        '',
        '<b>Allocation now</b> (target)',
        'ETH 98.0 % (100.0 %)',
        'USDC 2.0 % (0.0 %)',
      ].join('\n'),
    );
    expect(await setUp({ ...plan, reportedAt: '2036-03-18T10:04:00.000Z' }).job(track)).toBe('already-reported');
  });

  it('names the failed trade and why; falls back to the projection when the sync fails', async () => {
    const plan = withLeg('failed', {
      rev: 3,
      state: 'failed',
      walletAddress: WALLET,
      failReason: 'the swap failed: execution reverted',
      steps: [step('failed', { failReason: 'execution reverted' })],
    });
    const t = setUp(plan, { syncFails: true });
    await t.job(track);
    expect(t.sent[0]!.text).toContain(
      '❌ <b>Rebalance failed</b>: trade 1 (1,000.00 USDC → ETH on Ethereum): the swap failed: execution reverted.',
    );
    expect(t.sent[0]!.text).toContain('Nothing was traded.');
    expect(t.sent[0]!.text).toContain('<b>Allocation expected</b>');
    expect(t.sent[0]!.text).toContain('ETH 100.0 % (100.0 %)');
  });

  it('says what was done and what not when a plan expires; quoted amounts stand in without history', () => {
    const base = awaitingPlan(WALLET);
    const plan: StoredPlan = {
      ...base,
      state: 'expired',
      legs: [
        {
          ...base.legs[0]!,
          execution: { rev: 3, state: 'confirmed', walletAddress: WALLET, steps: [step('confirmed')] },
        },
        { ...base.legs[0]!, execution: { rev: 2, state: 'expired', walletAddress: WALLET, steps: [] } },
      ],
    };
    const text = renderPlanOutcome(plan, plan.allocation, false);
    expect(text).toContain('⌛ <b>Rebalance expired</b>');
    expect(text).toContain('1. Sold 1,000.00 USDC → got 0.303 ETH (as quoted), min was 0.30 ETH');
    // No realised amounts: the quote's own cost ($2.50).
    expect(text).toContain('Total cost: $2.50');
    expect(text).toContain('Not done: 2. 1,000.00 USDC → ETH');
  });
});
