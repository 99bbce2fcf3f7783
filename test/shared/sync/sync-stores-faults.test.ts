import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDueIndexStore } from '../../../shared/wallets/portfolio-store';
import { createSyncCycleStore, createSyncLeaseStore } from '../../../shared/sync/sync-cycle-store';

const throttled = () =>
  Object.assign(new Error('Rate of requests exceeds the allowed throughput'), { name: 'ThrottlingException' });

describe('sync stores under DynamoDB faults', () => {
  const ddb = mockClient(DynamoDBDocumentClient);
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-central-1' }));
  beforeEach(() => ddb.reset());

  it('lets throttling surface from every lease write instead of mistaking it for contention', async () => {
    ddb.on(UpdateCommand).rejects(throttled());
    const leases = createSyncLeaseStore(doc, 'sessions');
    await expect(leases.acquire({ userId: 'a', owner: 'w', cycleId: 'c', nowMs: 0, holdMs: 1 })).rejects.toThrow(
      'allowed throughput',
    );
    await expect(leases.complete('a', 'w', 'c', 'now')).rejects.toThrow('allowed throughput');
  });

  it('reads a lease item lost between the failed condition and the read as busy', async () => {
    ddb.on(UpdateCommand).rejects(Object.assign(new Error('condition'), { name: 'ConditionalCheckFailedException' }));
    ddb.on(GetCommand).resolves({});
    const outcome = await createSyncLeaseStore(doc, 'sessions').acquire({
      userId: 'a',
      owner: 'w',
      cycleId: 'c',
      nowMs: 0,
      holdMs: 1,
    });
    expect(outcome.outcome).toBe('busy');
  });

  it('lets throttling surface from cycle claims and counters', async () => {
    ddb.on(UpdateCommand).rejects(throttled());
    const cycles = createSyncCycleStore(doc, 'sessions');
    await expect(cycles.claim('c', 0, 1)).rejects.toThrow('allowed throughput');
    await expect(cycles.recordUserDone('c', 'now')).rejects.toThrow('allowed throughput');
  });

  it('reads sparse index items and empty pages safely', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ userId: 'u', gsi1sk: '0000-00-00T00:00:00.000Z#u' }] });
    const page = await createDueIndexStore(doc, 'portfolios').listDueUsers(0, { limit: 1 });
    expect(page.users).toEqual([
      {
        userId: 'u',
        dueKey: '0000-00-00T00:00:00.000Z#u',
        lastSyncedAt: undefined,
        walletAddresses: [],
        walletCount: 0,
        chainsByAddress: undefined,
      },
    ]);

    ddb.on(QueryCommand).resolves({});
    expect(await createDueIndexStore(doc, 'portfolios').listDueUsers(0, { limit: 1 })).toEqual({
      users: [],
      cursor: undefined,
    });
    expect(await createDueIndexStore(doc, 'portfolios').countDueUsers(0, {})).toEqual({ count: 0, capped: false });
  });
});
