import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createPlanStore, type StoredPlan } from '../../../shared/rebalance/plan-store';
import { createSettingsStore, isTimeZone } from '../../../shared/rebalance/settings-store';
import { createTestDynamo } from '../../support/dynamo';

const leg = {
  chainIndex: '1',
  from: { chainIndex: '1', tokenAddress: '', assetId: 'eth', symbol: 'ETH', decimals: 18 },
  to: { chainIndex: '1', tokenAddress: '0xa0b8', assetId: 'usdc', symbol: 'USDC', decimals: 6 },
  amount: '0.5',
  amountRaw: '500000000000000000',
  valueUsd: '1500',
};

function plan(overrides: Partial<StoredPlan> = {}): StoredPlan {
  return {
    planId: 'p1',
    userId: '42',
    chatId: 42,
    state: 'pending',
    createdAt: '2036-03-18T10:00:00.000Z',
    expiresAt: '2036-03-18T10:05:00.000Z',
    slippagePercent: '1',
    mode: 'band-edge',
    totalValueUsd: '20000.123456789012345678901234567890123',
    legs: [
      {
        leg,
        quote: { toAmountRaw: '1499000000', minReceivedRaw: '1484010000', priceImpactPercent: '0.1', costUsd: '1.5' },
      },
    ],
    dropped: [],
    allocation: [{ assetId: 'eth', symbol: 'ETH', current: '0.6', target: '0.5', projected: '0.55', band: '0.05' }],
    ...overrides,
  };
}

describe('plan store', () => {
  it('round-trips a plan with long decimals as strings and a TTL a day past expiry', async () => {
    const db = await createTestDynamo();
    const store = createPlanStore(db.doc, db.tables.sessions);

    await store.create(plan());

    expect(await store.get('p1')).toEqual(plan());
    expect(await store.get('missing')).toBeUndefined();
    const raw = await db.doc.send(
      new GetCommand({ TableName: db.tables.sessions, Key: { pk: 'plan#p1', sk: 'plan' } }),
    );
    expect(raw.Item).toMatchObject({ entity: 'rebalance-plan', ttl: Date.parse('2036-03-19T10:05:00.000Z') / 1000 });
  });

  it('refuses to create the same plan id twice', async () => {
    const db = await createTestDynamo();
    const store = createPlanStore(db.doc, db.tables.sessions);
    await store.create(plan());

    await expect(store.create(plan())).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
  });

  it('lets exactly one of two concurrent confirms move pending -> executing', async () => {
    const db = await createTestDynamo();
    const store = createPlanStore(db.doc, db.tables.sessions);
    await store.create(plan());
    const request = {
      from: 'pending',
      to: 'executing',
      userId: '42',
      at: '2036-03-18T10:01:00.000Z',
      notExpiredAt: '2036-03-18T10:01:00.000Z',
    } as const;

    const results = await Promise.all([store.transition('p1', request), store.transition('p1', request)]);

    expect(results.filter((result) => result.ok)).toHaveLength(1);
    const loser = results.find((result) => !result.ok);
    expect(loser).toEqual({ ok: false, current: expect.objectContaining({ state: 'executing' }) });
  });

  it('refuses a transition by another user, after expiry, or for a missing plan', async () => {
    const db = await createTestDynamo();
    const store = createPlanStore(db.doc, db.tables.sessions);
    await store.create(plan());
    const base = { from: 'pending', to: 'executing', userId: '42', at: '2036-03-18T10:06:00.000Z' } as const;

    expect(await store.transition('p1', { ...base, userId: '7' })).toEqual({ ok: false, current: plan() });
    expect(await store.transition('p1', { ...base, notExpiredAt: '2036-03-18T10:06:00.000Z' })).toEqual({
      ok: false,
      current: plan(),
    });
    expect(await store.transition('nope', base)).toEqual({ ok: false, current: undefined });
  });

  it('records the superseding plan id with the state change', async () => {
    const db = await createTestDynamo();
    const store = createPlanStore(db.doc, db.tables.sessions);
    await store.create(plan({ state: 'executing' }));

    const result = await store.transition('p1', {
      from: 'executing',
      to: 'superseded',
      userId: '42',
      at: '2036-03-18T10:02:00.000Z',
      supersededBy: 'p2',
    });

    expect(result).toEqual({ ok: true, plan: plan({ state: 'superseded', supersededBy: 'p2' }) });
  });
});

describe('settings store', () => {
  it('defaults to dry settings and remembers the live-mode opt-in', async () => {
    const db = await createTestDynamo();
    const store = createSettingsStore(db.doc, db.tables.sessions);

    expect(await store.get('42')).toEqual({ liveMode: false, unlisted: 'keep' });
    await store.setLiveMode('42', true, '2036-03-18T10:00:00.000Z');
    expect(await store.get('42')).toEqual({ liveMode: true, unlisted: 'keep' });
    await store.setLiveMode('42', false, '2036-03-18T10:01:00.000Z');
    expect(await store.get('42')).toEqual({ liveMode: false, unlisted: 'keep' });
  });

  it('stores what a rebalance does with unlisted assets per user, without touching live mode', async () => {
    const db = await createTestDynamo();
    const store = createSettingsStore(db.doc, db.tables.sessions);
    await store.setLiveMode('43', true, '2036-03-18T10:00:00.000Z');
    await store.setUnlisted('43', 'sell', '2036-03-18T10:01:00.000Z');
    expect(await store.get('43')).toEqual({ liveMode: true, unlisted: 'sell' });
    await store.setUnlisted('43', 'keep', '2036-03-18T10:02:00.000Z');
    expect(await store.get('43')).toEqual({ liveMode: true, unlisted: 'keep' });
  });

  it('stores a time zone beside the other settings and ignores a stored name Intl does not know', async () => {
    const db = await createTestDynamo();
    const store = createSettingsStore(db.doc, db.tables.sessions);
    await store.setLiveMode('44', true, '2036-03-18T10:00:00.000Z');
    await store.setTimeZone('44', 'Asia/Singapore', '2036-03-18T10:01:00.000Z');
    expect(await store.get('44')).toEqual({ liveMode: true, unlisted: 'keep', timeZone: 'Asia/Singapore' });
    await db.doc.send(
      new PutCommand({
        TableName: db.tables.sessions,
        Item: { pk: 'user#45', sk: 'settings', timeZone: 'Mars/Olympus' },
      }),
    );
    expect(await store.get('45')).toEqual({ liveMode: false, unlisted: 'keep' });
  });

  it('knows IANA time zone names and refuses others', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });

  it('reads a stored slippage cap', async () => {
    const db = await createTestDynamo();
    await db.doc.send(
      new PutCommand({
        TableName: db.tables.sessions,
        Item: { pk: 'user#9', sk: 'settings', liveMode: false, slippagePercent: '0.5' },
      }),
    );

    expect(await createSettingsStore(db.doc, db.tables.sessions).get('9')).toEqual({
      liveMode: false,
      unlisted: 'keep',
      slippagePercent: '0.5',
    });
  });
});
