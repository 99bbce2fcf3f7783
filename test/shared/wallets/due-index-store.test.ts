import { beforeAll, describe, expect, it } from 'vitest';
import { createDueIndexStore, type DueIndexStore, createPortfolioStore } from '../../../shared/wallets/portfolio-store';
import { createTestDynamo, type TestDynamo } from '../../support/dynamo';
import { evmAddress, seedUser, userIdsInShard } from '../sync/due-fixtures';

describe('due index store', () => {
  let db: TestDynamo;
  let store: DueIndexStore;
  const [never, older, newer, fresh] = userIdsInShard(2, 4);

  beforeAll(async () => {
    db = await createTestDynamo();
    store = createDueIndexStore(db.doc, db.tables.portfolios);
    await seedUser(db.doc, db.tables.portfolios, fresh!, [evmAddress(4)], '2030-01-01T10:05:00.000Z');
    await seedUser(db.doc, db.tables.portfolios, newer!, [evmAddress(3)], '2030-01-01T09:50:00.000Z');
    await seedUser(db.doc, db.tables.portfolios, older!, [evmAddress(2), evmAddress(22)], '2030-01-01T09:40:00.000Z');
    await seedUser(db.doc, db.tables.portfolios, never!, [evmAddress(1)]);
  });

  it('lists a shard oldest-synced first, never-synced users before all others', async () => {
    const page = await store.listDueUsers(2, { limit: 10 });

    expect(page.users.map((user) => user.userId)).toEqual([never, older, newer, fresh]);
    expect(page.users[0]).toMatchObject({
      userId: never,
      lastSyncedAt: undefined,
      walletAddresses: [evmAddress(1)],
      walletCount: 1,
    });
    expect(page.users[1]).toMatchObject({
      lastSyncedAt: '2030-01-01T09:40:00.000Z',
      walletAddresses: [evmAddress(2), evmAddress(22)],
      walletCount: 2,
    });
    expect(page.users[1]!.dueKey).toBe(`2030-01-01T09:40:00.000Z#${older}`);
    expect(page.cursor).toBeUndefined();
  });

  it('leaves out users synced at or after the cut-off', async () => {
    const page = await store.listDueUsers(2, { limit: 10, syncedBefore: '2030-01-01T10:00:00.000Z' });
    expect(page.users.map((user) => user.userId)).toEqual([never, older, newer]);
  });

  it('pages with an opaque cursor and counts the rest without returning it', async () => {
    const first = await store.listDueUsers(2, { limit: 2, syncedBefore: '2030-01-01T10:00:00.000Z' });
    expect(first.users.map((user) => user.userId)).toEqual([never, older]);
    expect(first.cursor).toEqual(expect.any(String));

    const second = await store.listDueUsers(2, {
      limit: 2,
      cursor: first.cursor,
      syncedBefore: '2030-01-01T10:00:00.000Z',
    });
    expect(second.users.map((user) => user.userId)).toEqual([newer]);

    expect(await store.countDueUsers(2, { cursor: first.cursor, syncedBefore: '2030-01-01T10:00:00.000Z' })).toEqual({
      count: 1,
      capped: false,
    });
    expect(await store.countDueUsers(2, {})).toEqual({ count: 4, capped: false });
    expect(await store.countDueUsers(1, {})).toEqual({ count: 0, capped: false });
  });

  it('reports a count stopped by its page bound as capped', async () => {
    const capped = await store.countDueUsers(2, { maxPages: 0 });
    expect(capped).toEqual({ count: 0, capped: true });
  });

  it('drops a user from the index when the last wallet is removed', async () => {
    const [leaving] = userIdsInShard(3, 1, 'leaving');
    await seedUser(db.doc, db.tables.portfolios, leaving!, [evmAddress(9)]);
    expect((await store.listDueUsers(3, { limit: 10 })).users.map((user) => user.userId)).toEqual([leaving]);

    await createPortfolioStore(db.doc, db.tables.portfolios).removeWallet(leaving!, 'w0');

    expect((await store.listDueUsers(3, { limit: 10 })).users).toEqual([]);
  });
});
