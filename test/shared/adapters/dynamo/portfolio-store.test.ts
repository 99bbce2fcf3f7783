import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPortfolioStore, WalletWriteConflictError, type PortfolioStore } from '../../../../shared/adapters/dynamo/portfolio-store';
import { keys } from '../../../../shared/adapters/dynamo/keys';
import type { Wallet } from '../../../../shared/domain/types';
import { createTestDynamo, type TestDynamo } from '../../../support/dynamo';

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
    expect(user).toMatchObject({ userId: 'u1', chatId: '555', walletAddresses: ['0xaaa', '0xbbb'], walletCount: 2, version: 2 });
    expect(user?.lastSyncedAt).toBeUndefined();
    const raw = await db.doc.send(new GetCommand({ TableName: db.tables.portfolios, Key: keys.user('u1') }));
    expect(raw.Item).toMatchObject({ entity: 'user', ...keys.due('u1', undefined), walletChains: { '0xaaa': 2, '0xbbb': 2 } });
  });

  it('refuses a duplicate address and a wallet over the limit', async () => {
    await store.addWallet(wallet('u2', 'w1', '0xccc'), 1);

    await expect(store.addWallet(wallet('u2', 'w2', '0xccc'), 5)).rejects.toMatchObject({ reason: 'duplicate' });
    await expect(store.addWallet(wallet('u2', 'w3', '0xddd'), 1)).rejects.toMatchObject({ reason: 'limit' });
    expect(await store.listWallets('u2')).toHaveLength(1);
  });

  it('reports a concurrent writer as a conflict instead of losing a wallet', async () => {
    const results = await Promise.allSettled([
      store.addWallet(wallet('u3', 'w1', '0x111'), 10),
      store.addWallet(wallet('u3', 'w2', '0x222'), 10),
    ]);

    const rejected = results.filter((result) => result.status === 'rejected');
    const user = await store.getUser('u3');
    const wallets = await store.listWallets('u3');
    expect(wallets.length).toBe(user?.walletCount);
    for (const failure of rejected) expect((failure as PromiseRejectedResult).reason).toBeInstanceOf(WalletWriteConflictError);
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

  it('stores and replaces the target allocation as decimal strings', async () => {
    expect(await store.getTarget('u6')).toBeUndefined();

    await store.putTarget('u6', { eth: '50', usdc: '50' }, '2036-11-24T10:00:00.000Z');
    await store.putTarget('u6', { eth: '60.5', usdc: '39.5' }, '2036-11-24T11:00:00.000Z');

    expect(await store.getTarget('u6')).toEqual({ eth: '60.5', usdc: '39.5' });
  });
});
