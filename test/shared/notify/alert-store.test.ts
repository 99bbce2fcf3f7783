import { beforeAll, describe, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../../shared/platform/dynamo/keys';
import { createAlertStore, type AlertStore } from '../../../shared/notify/alert-store';
import { defaultAlertSettings, type AlertState } from '../../../shared/notify/alert-rules';
import { createTestDynamo, type TestDynamo } from '../../support/dynamo';

let db: TestDynamo;
let store: AlertStore;
const AT = '2026-12-03T12:00:00.000Z';
let nextUser = 1;
const user = () => `${Date.now()}${nextUser++}`;
const state = (subject: string, episodeStart = AT): AlertState => ({
  rule: 'asset',
  subject,
  episodeStart,
  status: 'pending',
  value: '62',
  detail: { label: 'ETH', chains: ['1'] },
});

beforeAll(async () => {
  db = await createTestDynamo();
  store = createAlertStore(db.doc, db.tables.sessions);
});

describe('alert settings (DynamoDB Local)', () => {
  it('reads the defaults for a new user, then each change', async () => {
    const id = user();
    expect(await store.getSettings(id)).toEqual(defaultAlertSettings());

    await store.setRule(id, 'asset', { threshold: '60' }, AT);
    await store.setRule(id, 'gas', { on: false }, AT);
    await store.setMuted(id, true, AT);
    await store.setQuietHours(id, { start: 22, end: 7 }, AT);
    await store.setDailyCap(id, 3, AT);
    const settings = await store.getSettings(id);
    expect(settings.rules.asset).toEqual({ on: true, threshold: '60' });
    expect(settings.rules.gas).toEqual({ on: false, threshold: '100' });
    expect(settings).toMatchObject({ muted: true, quietHours: { start: 22, end: 7 }, dailyCap: 3 });

    await store.setQuietHours(id, undefined, AT);
    expect((await store.getSettings(id)).quietHours).toBeUndefined();
    expect((await store.read(id)).settings).toEqual(await store.getSettings(id));
  });

  it('falls back to the defaults for values it cannot use', async () => {
    const id = user();
    await db.doc.send(
      new PutCommand({
        TableName: db.tables.sessions,
        Item: {
          ...keys.alertSettings(id),
          threshold_asset: '500',
          threshold_move: 'x',
          dailyCap: 99,
          quietStart: 25,
          quietEnd: 3,
        },
      }),
    );
    const settings = await store.getSettings(id);
    expect(settings.rules.asset.threshold).toBe('50');
    expect(settings.rules.move.threshold).toBe('10');
    expect(settings.dailyCap).toBe(5);
    expect(settings.quietHours).toBeUndefined();
  });
});

describe('alert episodes (DynamoDB Local)', () => {
  it('opens an episode once, however many evaluations try at the same time', async () => {
    const id = user();
    const results = await Promise.all(Array.from({ length: 8 }, () => store.startEpisode(id, state('eth'), AT)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await store.read(id)).states).toEqual([state('eth')]);
  });

  it('moves pending → sent for exactly one of several concurrent evaluations, and only for that episode', async () => {
    const id = user();
    await store.startEpisode(id, state('eth'), AT);
    const moves = await Promise.all(
      Array.from({ length: 6 }, () => store.moveEpisode(id, state('eth'), 'pending', 'sent', AT)),
    );
    expect(moves.filter(Boolean)).toHaveLength(1);
    expect(await store.moveEpisode(id, state('eth', '2026-12-01T00:00:00.000Z'), 'sent', 'pending', AT)).toBe(false);
    expect((await store.read(id)).states[0]!.status).toBe('sent');
  });

  it('ends only the episode it names', async () => {
    const id = user();
    await store.startEpisode(id, state('eth'), AT);
    await store.endEpisode(id, state('eth', '2026-12-01T00:00:00.000Z'));
    expect((await store.read(id)).states).toHaveLength(1);
    await store.endEpisode(id, state('eth'));
    expect((await store.read(id)).states).toEqual([]);
  });
});

describe('the daily cap (DynamoDB Local)', () => {
  it('grants at most the cap on one local day, across concurrent evaluations', async () => {
    const id = user();
    const granted = await Promise.all([
      store.reserveDaily(id, '2026-12-03', 3, 5, AT),
      store.reserveDaily(id, '2026-12-03', 3, 5, AT),
    ]);
    // One gets 3, the other what is left: 2.
    expect([...granted].sort()).toEqual([2, 3]);
    expect(await store.reserveDaily(id, '2026-12-03', 1, 5, AT)).toBe(0);
    expect(await store.reserveDaily(id, '2026-12-04', 2, 5, AT)).toBe(2);
    expect((await store.read(id)).sentByDay).toEqual(
      new Map([
        ['2026-12-03', 5],
        ['2026-12-04', 2],
      ]),
    );
  });
});
