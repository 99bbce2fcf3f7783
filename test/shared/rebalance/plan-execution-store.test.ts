import { describe, expect, it } from 'vitest';
import type { LegExecution, LegStep } from '../../../shared/rebalance/execution-rules';
import { createPlanStore, type StoredPlan } from '../../../shared/rebalance/plan-store';
import { createTestDynamo } from '../../support/dynamo';

const WALLET = '0x238193be9e80e68eace3588b45d8cf4a7eae0fa3';
const leg = {
  chainIndex: '1',
  walletAddress: WALLET,
  from: { chainIndex: '1', tokenAddress: '', assetId: 'eth', symbol: 'ETH', decimals: 18 },
  to: { chainIndex: '1', tokenAddress: '0xa0b8', assetId: 'usdc', symbol: 'USDC', decimals: 6 },
  amount: '0.5',
  amountRaw: '500000000000000000',
  valueUsd: '1500',
};
const quote = { toAmountRaw: '1499000000', minReceivedRaw: '1484010000', costUsd: '1.5' };
const open: LegExecution = { rev: 1, state: 'awaiting-signature', walletAddress: WALLET, steps: [] };
const prepared: LegStep = {
  stepId: 's1',
  kind: 'swap',
  state: 'prepared',
  tx: { family: 'evm', chainId: 1, from: WALLET, to: '0xrouter', data: '0xf2c4', value: '500000000000000000' },
  preparedAt: '2036-03-18T10:01:00.000Z',
};

function plan(overrides: Partial<StoredPlan> = {}): StoredPlan {
  return {
    planId: 'p1',
    userId: '42',
    chatId: 42,
    state: 'awaiting-signature',
    createdAt: '2036-03-18T10:00:00.000Z',
    expiresAt: '2036-03-18T10:05:00.000Z',
    signBy: '2036-03-18T10:15:00.000Z',
    slippagePercent: '1',
    mode: 'target',
    totalValueUsd: '20000',
    legs: [
      { leg, quote, execution: { ...open, steps: [prepared] } },
      { leg, quote, execution: open },
    ],
    dropped: [],
    allocation: [],
    ...overrides,
  };
}

const submitted = (txHash: string): LegExecution => ({
  rev: 2,
  state: 'submitted',
  walletAddress: WALLET,
  steps: [{ ...prepared, state: 'submitted', txHash, via: 'broadcast', submittedAt: '2036-03-18T10:02:00.000Z' }],
});

describe('plan store: the signing states', () => {
  it('lets exactly one of two concurrent submissions of the same step win (the other sees the winner)', async () => {
    const db = await createTestDynamo();
    const store = createPlanStore(db.doc, db.tables.sessions);
    await store.create(plan());
    const write = (txHash: string) =>
      store.updateExecution('p1', {
        userId: '42',
        from: ['awaiting-signature', 'submitted'],
        to: 'submitted',
        at: '2036-03-18T10:02:00.000Z',
        beforeSignBy: '2036-03-18T10:02:00.000Z',
        legs: [{ index: 0, expectedRev: 1, execution: submitted(txHash) }],
      });

    const results = await Promise.all([write('0xaaa'), write('0xbbb')]);

    expect(results.filter((result) => result.ok)).toHaveLength(1);
    const loser = results.find((result) => !result.ok)!;
    const stored = await store.get('p1');
    expect(stored!.state).toBe('submitted');
    expect(loser.current).toEqual(stored);
    const hash = stored!.legs[0]!.execution!.steps[0]!.txHash;
    expect(['0xaaa', '0xbbb']).toContain(hash);
    // The other leg was not touched.
    expect(stored!.legs[1]!.execution).toEqual(open);
  });

  it('refuses a write after the signing window, from another user, or from a state not listed', async () => {
    const db = await createTestDynamo();
    const store = createPlanStore(db.doc, db.tables.sessions);
    await store.create(plan());
    const base = {
      userId: '42',
      from: ['awaiting-signature'] as const,
      at: '2036-03-18T10:02:00.000Z',
      legs: [{ index: 0, expectedRev: 1, execution: submitted('0xaaa') }],
    };

    expect((await store.updateExecution('p1', { ...base, beforeSignBy: '2036-03-18T10:15:00.000Z' })).ok).toBe(false);
    expect((await store.updateExecution('p1', { ...base, userId: '43' })).ok).toBe(false);
    expect((await store.updateExecution('p1', { ...base, from: ['submitted'] })).ok).toBe(false);
    expect((await store.updateExecution('p1', { ...base, legs: [{ ...base.legs[0]!, expectedRev: 2 }] })).ok).toBe(
      false,
    );
    expect((await store.get('p1'))!.legs[0]!.execution!.rev).toBe(1);
    expect((await store.updateExecution('p1', base)).ok).toBe(true);
  });

  it('enters awaiting-signature with the signing window and the legs in one conditional write', async () => {
    const db = await createTestDynamo();
    const store = createPlanStore(db.doc, db.tables.sessions);
    await store.create(plan({ state: 'executing', signBy: undefined, legs: [{ leg, quote }] }));

    const result = await store.transition('p1', {
      from: 'executing',
      to: 'awaiting-signature',
      userId: '42',
      at: '2036-03-18T10:01:00.000Z',
      signBy: '2036-03-18T10:16:00.000Z',
      legs: [{ leg, quote, execution: open }],
    });

    expect(result).toMatchObject({
      ok: true,
      plan: { state: 'awaiting-signature', signBy: '2036-03-18T10:16:00.000Z' },
    });
    expect((await store.get('p1'))!.legs[0]!.execution).toEqual(open);
  });

  it('claims a refresh once per gap and the report exactly once, only for a settled plan', async () => {
    const db = await createTestDynamo();
    const store = createPlanStore(db.doc, db.tables.sessions);
    await store.create(plan());
    const t0 = new Date('2036-03-18T10:03:00.000Z');

    expect(await store.claimTracking('p1', t0, 3000)).toBe(true);
    expect(await store.claimTracking('p1', new Date(t0.getTime() + 2999), 3000)).toBe(false);
    expect(await store.claimTracking('p1', new Date(t0.getTime() + 3000), 3000)).toBe(true);
    expect(await store.claimTracking('missing', t0, 3000)).toBe(false);

    expect(await store.claimReport('p1', t0.toISOString())).toBe(false);
    await store.updateExecution('p1', {
      userId: '42',
      from: ['awaiting-signature'],
      to: 'confirmed',
      at: t0.toISOString(),
      legs: [],
    });
    const reports = await Promise.all([
      store.claimReport('p1', t0.toISOString()),
      store.claimReport('p1', t0.toISOString()),
    ]);
    expect(reports.filter(Boolean)).toHaveLength(1);
  });
});
