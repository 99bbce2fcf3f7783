import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { releaseStaleLeases } from '../../../dev-tools/local/release-stale-leases';
import { keys } from '../../../shared/platform/dynamo/keys';
import { createTestDynamo } from '../../support/dynamo';

describe('releaseStaleLeases (npm start)', () => {
  it('ends every held sync lease, keeps the cycle marker, and leaves free leases and other items alone', async () => {
    const db = await createTestDynamo();
    const put = (Item: Record<string, unknown>) => db.doc.send(new PutCommand({ TableName: db.tables.sessions, Item }));
    await put({ ...keys.syncLease('u1'), owner: 'run-1', leaseExpiresAt: 1_900_000_000, syncedCycle: 'c1' });
    await put({ ...keys.syncLease('u2'), owner: 'run-1', leaseExpiresAt: 1_900_000_000 });
    await put({ ...keys.syncLease('u3'), syncedCycle: 'c1' });
    await put({ pk: 'other#1', sk: 'x', owner: 'someone' });

    expect(await releaseStaleLeases(db.doc, db.tables.sessions)).toBe(2);

    const get = async (key: { pk: string; sk: string }) =>
      (await db.doc.send(new GetCommand({ TableName: db.tables.sessions, Key: key }))).Item;
    expect(await get(keys.syncLease('u1'))).toEqual({ ...keys.syncLease('u1'), syncedCycle: 'c1' });
    expect(await get(keys.syncLease('u2'))).toEqual(keys.syncLease('u2'));
    expect(await get({ pk: 'other#1', sk: 'x' })).toEqual({ pk: 'other#1', sk: 'x', owner: 'someone' });
    expect(await releaseStaleLeases(db.doc, db.tables.sessions)).toBe(0);
  });
});
