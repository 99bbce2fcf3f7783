import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDynamo } from '../../support/dynamo';
import { evmAddress, seedUser, userIdsInShard } from '../../shared/sync/due-fixtures';
import { lambdaContext, schedulerEvent } from './fanout-fixtures';

const QUEUE_URL = 'https://sqs.eu-central-1.amazonaws.com/123456789012/EstherPortfolio-SyncQueue';

describe('sync fan-out Lambda handler', () => {
  const sqs = mockClient(SQSClient);
  const saved = { ...process.env };
  beforeAll(async () => {
    const db = await createTestDynamo();
    Object.assign(process.env, db.env, { SYNC_QUEUE_URL: QUEUE_URL, OKX_RATE_LIMIT_PER_SECOND: '2', AWS_REGION: 'eu-central-1' });
    const users = userIdsInShard(0, 12, 'h');
    for (const [index, user] of users.entries()) await seedUser(db.doc, db.tables.portfolios, user, [evmAddress(index + 1)], `2030-01-01T09:${String(10 + index)}:00.000Z`);
    sqs.on(SendMessageBatchCommand).resolves({ Failed: [] });
  });
  afterAll(() => {
    process.env = saved;
    sqs.restore();
  });

  it('builds its clients from the environment and sends the jobs to SYNC_QUEUE_URL in batches of 10', async () => {
    const { handler } = await import('../../../functions/sync-fanout/handler');

    const summary = await handler(schedulerEvent('2030-01-01T10:00:00Z'), lambdaContext());

    expect(summary).toMatchObject({ enqueued: 12, budget: 960 });
    const calls = sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input);
    expect(calls.map((input) => [input.QueueUrl, input.Entries!.length])).toEqual([
      [QUEUE_URL, 10],
      [QUEUE_URL, 2],
    ]);
  });
});
