import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WalletWriteConflictError } from '../../../shared/wallets/portfolio-store';
import { createPortfolioStore, type PortfolioStore } from '../../../shared/wallets/portfolio-store';
import { keys } from '../../../shared/platform/dynamo/keys';
import type { Wallet } from '../../../shared/kernel/types';
import { createTestDynamo, type TestDynamo } from '../../support/dynamo';

let db: TestDynamo;
let store: PortfolioStore;

beforeAll(async () => {
  db = await createTestDynamo();
  store = createPortfolioStore(db.doc, db.tables.portfolios);
});

const wallet = (userId: string, walletId: string, address: string, addedAt = '2036-11-01T00:00:00.000Z'): Wallet => ({
  userId,
  walletId,
  address,
  family: 'evm',
  chains: ['1', '8453'],
  addedAt,
});

describe('portfolio store', () => {
  it('adds wallets, keeps the user item in step and lists them in the order added', async () => {
    await store.addWallet(wallet('u1', 'w1', '0xaaa', '2036-11-01T00:00:00.000Z'), 10, '555');
    await store.addWallet(wallet('u1', 'w2', '0xbbb', '2036-11-02T00:00:00.000Z'), 10);

    const wallets = await store.listWallets('u1');
    const user = await store.getUser('u1');

    expect(wallets.map((w) => w.walletId)).toEqual(['w1', 'w2']);
    expect(user).toMatchObject({
      userId: 'u1',
      chatId: '555',
      walletAddresses: ['0xaaa', '0xbbb'],
      walletCount: 2,
      version: 2,
    });
    expect(user?.lastSyncedAt).toBeUndefined();
    const raw = await db.doc.send(new GetCommand({ TableName: db.tables.portfolios, Key: keys.user('u1') }));
    expect(raw.Item).toMatchObject({
      entity: 'user',
      ...keys.due('u1', undefined),
      walletChains: new Set(['0xaaa=2', '0xbbb=2']),
    });
  });

  it('refuses a duplicate address and a wallet over the limit', async () => {
    await store.addWallet(wallet('u2', 'w1', '0xccc'), 1);

    await expect(store.addWallet(wallet('u2', 'w2', '0xccc'), 5)).rejects.toMatchObject({ reason: 'duplicate' });
    await expect(store.addWallet(wallet('u2', 'w3', '0xddd'), 1)).rejects.toMatchObject({ reason: 'limit' });
    expect(await store.listWallets('u2')).toHaveLength(1);
  });

  it('stores every one of 15 parallel adds, and the user item counts and lists exactly the wallet items', async () => {
    const adds = Array.from({ length: 15 }, (_, i) =>
      store.addWallet(wallet('u3', `w${i}`, `0x${(0x100 + i).toString(16)}`), 20),
    );

    const results = await Promise.allSettled(adds);

    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    const user = await store.getUser('u3');
    const wallets = await store.listWallets('u3');
    expect(wallets).toHaveLength(15);
    expect(user?.walletCount).toBe(15);
    expect(user?.walletAddresses).toEqual(wallets.map((w) => w.address).sort());
    const raw = await db.doc.send(new GetCommand({ TableName: db.tables.portfolios, Key: keys.user('u3') }));
    expect((raw.Item?.walletChains as Set<string>).size).toBe(15);
  });

  it('answers 15 parallel adds over a limit of 4 with 4 stored and 11 precise "limit" refusals', async () => {
    const adds = Array.from({ length: 15 }, (_, i) =>
      store.addWallet(wallet('u3b', `w${i}`, `0x${(0x200 + i).toString(16)}`), 4),
    );

    const results = await Promise.allSettled(adds);

    const reasons = results.flatMap((result) =>
      result.status === 'rejected' ? [(result.reason as WalletWriteConflictError).reason] : [],
    );
    expect(reasons).toEqual(Array.from({ length: 11 }, () => 'limit'));
    expect(await store.listWallets('u3b')).toHaveLength(4);
    expect((await store.getUser('u3b'))?.walletCount).toBe(4);
  });

  it('answers the same address added twice in parallel with one wallet and one "duplicate"', async () => {
    const results = await Promise.allSettled([
      store.addWallet(wallet('u3c', 'w1', '0x333'), 10),
      store.addWallet(wallet('u3c', 'w2', '0x333'), 10),
    ]);

    const reasons = results.flatMap((result) =>
      result.status === 'rejected' ? [(result.reason as WalletWriteConflictError).reason] : [],
    );
    expect(reasons).toEqual(['duplicate']);
    expect(await store.listWallets('u3c')).toHaveLength(1);
    expect((await store.getUser('u3c'))?.walletCount).toBe(1);
  });

  it('keeps the count and the sets exact when adds and removes run in parallel', async () => {
    for (let i = 0; i < 6; i += 1) await store.addWallet(wallet('u3d', `old${i}`, `0x${(0x300 + i).toString(16)}`), 20);

    await Promise.all([
      ...Array.from({ length: 6 }, (_, i) => store.removeWallet('u3d', `old${i}`)),
      ...Array.from({ length: 6 }, (_, i) =>
        store.addWallet(wallet('u3d', `new${i}`, `0x${(0x400 + i).toString(16)}`), 20),
      ),
    ]);

    const wallets = await store.listWallets('u3d');
    const user = await store.getUser('u3d');
    expect(wallets.map((w) => w.walletId).sort()).toEqual(['new0', 'new1', 'new2', 'new3', 'new4', 'new5']);
    expect(user?.walletCount).toBe(6);
    expect(user?.walletAddresses).toEqual(['0x400', '0x401', '0x402', '0x403', '0x404', '0x405']);
    // A removed address can be added again (its marker went with the wallet).
    await store.addWallet(wallet('u3d', 'again', '0x300'), 20);
    expect((await store.getUser('u3d'))?.walletCount).toBe(7);
  });

  it('upgrades a user item written before the wallet sets (a list and a map) and loses no wallet', async () => {
    // As the old store wrote them: wallet items, and the user item with a list, a map and a version.
    for (const old of [wallet('legacy', 'w1', '0xold1'), wallet('legacy', 'w2', '0xold2')]) {
      await db.doc.send(
        new PutCommand({
          TableName: db.tables.portfolios,
          Item: { ...keys.wallet('legacy', old.walletId), entity: 'wallet', ...old },
        }),
      );
    }
    await db.doc.send(
      new PutCommand({
        TableName: db.tables.portfolios,
        Item: {
          ...keys.user('legacy'),
          entity: 'user',
          userId: 'legacy',
          walletAddresses: ['0xold1', '0xold2'],
          walletChains: { '0xold1': 2, '0xold2': 2 },
          walletCount: 2,
          version: 3,
        },
      }),
    );

    await store.addWallet(wallet('legacy', 'w3', '0xnew'), 10);
    const duplicate = await store
      .addWallet(wallet('legacy', 'w4', '0xold1'), 10)
      .catch((error: WalletWriteConflictError) => error.reason);
    await store.removeWallet('legacy', 'w2');

    expect(duplicate).toBe('duplicate');
    expect((await store.listWallets('legacy')).map((w) => w.address)).toEqual(['0xold1', '0xnew']);
    const raw = (await db.doc.send(new GetCommand({ TableName: db.tables.portfolios, Key: keys.user('legacy') })))
      .Item!;
    // 2 old + 1 new − 1 removed = 2, in the sets, with one entry per address for the fan-out.
    expect(raw).toMatchObject({
      walletCount: 2,
      walletAddresses: new Set(['0xold1', '0xnew']),
      walletChains: new Set(['0xold1=2', '0xnew=2']),
    });
  });

  it('removes a wallet and drops the user from the due index when none are left', async () => {
    await store.addWallet(wallet('u4', 'w1', '0xeee'), 10);

    const removed = await store.removeWallet('u4', 'w1');

    expect(removed.address).toBe('0xeee');
    expect(await store.listWallets('u4')).toEqual([]);
    const raw = await db.doc.send(new GetCommand({ TableName: db.tables.portfolios, Key: keys.user('u4') }));
    expect(raw.Item?.walletCount).toBe(0);
    expect(raw.Item?.gsi1pk).toBeUndefined();
    await expect(store.removeWallet('u4', 'w1')).rejects.toMatchObject({ reason: 'missing' });
  });

  it('marks a sync on the wallets and moves the user to the back of the due index', async () => {
    await store.addWallet(wallet('u5', 'w1', '0xfff'), 10);

    await store.markSynced('u5', ['w1', 'gone'], '2036-11-24T10:00:00.000Z');

    expect((await store.listWallets('u5'))[0]?.lastSyncedAt).toBe('2036-11-24T10:00:00.000Z');
    expect((await store.getUser('u5'))?.lastSyncedAt).toBe('2036-11-24T10:00:00.000Z');
    const due = keys.due('u5', '2036-11-24T10:00:00.000Z');
    const page = await db.doc.send(
      new QueryCommand({
        TableName: db.tables.portfolios,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk = :sk',
        ExpressionAttributeValues: { ':pk': due.gsi1pk, ':sk': due.gsi1sk },
      }),
    );
    expect(page.Items?.map((item) => item.userId)).toEqual(['u5']);
  });

  it('does not create a user when marking a sync for someone unknown', async () => {
    await store.markSynced('nobody', [], '2036-11-24T10:00:00.000Z');

    expect(await store.getUser('nobody')).toBeUndefined();
  });

  it('reads the profile and the wallets (in the order added) in one query of the user partition', async () => {
    await store.addWallet(wallet('u7', 'w2', '0x222', '2036-11-02T00:00:00.000Z'), 10);
    await store.addWallet(wallet('u7', 'w1', '0x111', '2036-11-01T00:00:00.000Z'), 10);
    await store.putTarget('u7', { eth: '100' }, '2036-11-24T10:00:00.000Z');
    const sent: string[] = [];
    db.doc.middlewareStack.add(
      (next, context) => async (args) => (sent.push(String(context.commandName)), next(args)),
      { step: 'initialize', name: 'countU7' },
    );

    const read = await store.getUserWithWallets('u7');
    db.doc.middlewareStack.remove('countU7');

    expect(sent).toEqual(['QueryCommand']);
    expect(read).toMatchObject({ userId: 'u7', walletCount: 2, walletAddresses: ['0x111', '0x222'] });
    expect(read?.wallets.map((w) => w.walletId)).toEqual(['w1', 'w2']);
    // The saved target is in the same partition: the alert check after the sync takes it from this read.
    expect(read?.target).toEqual({ eth: '100' });
    expect(await store.getUserWithWallets('nobody')).toBeUndefined();
    await store.addWallet(wallet('u8', 'w3', '0x333', '2036-11-03T00:00:00.000Z'), 10);
    const withoutTarget = await store.getUserWithWallets('u8');
    expect(withoutTarget && 'target' in withoutTarget).toBe(true);
    expect(withoutTarget?.target).toBeUndefined();
  });

  it("writes a sync's marks as transaction items: sync time, priced slot, pending-empty set and cleared, user in the due index", async () => {
    await store.addWallet(wallet('u8', 'w1', '0x811'), 10);
    await store.addWallet(wallet('u8', 'w2', '0x822'), 10);
    await store.markPendingEmpty('u8', 'w2', '2036-11-24T09:50:00.000Z');

    const items = store.syncMarkItems(
      'u8',
      [
        {
          walletId: 'w1',
          syncedAt: '2036-11-24T10:00:40.000Z',
          pricedSlot: '2036-11-24T10:00:00.000Z',
          pendingEmptySince: '2036-11-24T10:00:00.000Z',
        },
        { walletId: 'w2', pendingEmptySince: null },
        { walletId: 'w3' },
      ],
      '2036-11-24T10:00:40.000Z',
    );
    await db.doc.send(new TransactWriteCommand({ TransactItems: items.map((entry) => entry.item) }));

    // w3 has nothing to write: no item for it; w1, w2 and the user: three.
    expect(items).toHaveLength(3);
    const [w1, w2] = await store.listWallets('u8');
    expect(w1).toMatchObject({
      lastSyncedAt: '2036-11-24T10:00:40.000Z',
      pricedSlot: '2036-11-24T10:00:00.000Z',
      pendingEmptySince: '2036-11-24T10:00:00.000Z',
    });
    expect(w2?.pendingEmptySince).toBeUndefined();
    expect(w2?.lastSyncedAt).toBeUndefined();
    expect((await store.getUser('u8'))?.lastSyncedAt).toBe('2036-11-24T10:00:40.000Z');
    // A deleted wallet's mark is refused by its condition, never creating an item.
    await expect(
      db.doc.send(
        new TransactWriteCommand({
          TransactItems: store
            .syncMarkItems('u8', [{ walletId: 'gone', pricedSlot: '2036-11-24T10:00:00.000Z' }])
            .map((entry) => entry.item),
        }),
      ),
    ).rejects.toMatchObject({
      name: 'TransactionCanceledException',
    });
  });

  it('stores and replaces the target allocation as decimal strings', async () => {
    expect(await store.getTarget('u6')).toBeUndefined();

    await store.putTarget('u6', { eth: '50', usdc: '50' }, '2036-11-24T10:00:00.000Z');
    await store.putTarget('u6', { eth: '60.5', usdc: '39.5' }, '2036-11-24T11:00:00.000Z');

    expect(await store.getTarget('u6')).toEqual({ eth: '60.5', usdc: '39.5' });
  });
});
