import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFanoutHandler, handler } from '../../../functions/sync-fanout/handler';
import { createApp } from '../../../shared/app/create-app';
import { captureOutput } from '../../support/captured-output';
import { createMemoryLogger } from '../../support/memory-logger';
import { createTestDynamo, type TestDynamo } from '../../support/dynamo';
import { evmAddress, seedUser, userIdsInShard } from '../../shared/sync/due-fixtures';
import { createRecordingQueue, lambdaContext, ruleEvent, schedulerEvent } from './fanout-fixtures';

const QUEUE_URL = 'https://sqs.eu-central-1.amazonaws.com/123456789012/EstherPortfolio-SyncQueue';

describe('sync fan-out Lambda (EventBridge Scheduler event, Lambda context)', () => {
  const sqs = mockClient(SQSClient);
  const saved = { ...process.env };
  let db: TestDynamo;
  beforeAll(async () => {
    db = await createTestDynamo();
    Object.assign(process.env, db.env, {
      SYNC_QUEUE_URL: QUEUE_URL,
      OKX_RATE_LIMIT_PER_SECOND: '2',
      AWS_REGION: 'eu-central-1',
    });
    const users = userIdsInShard(0, 12, 'h');
    for (const [index, user] of users.entries())
      await seedUser(
        db.doc,
        db.tables.portfolios,
        user,
        [evmAddress(index + 1)],
        `2030-01-01T09:${String(10 + index)}:00.000Z`,
      );
    sqs.on(SendMessageBatchCommand).resolves({ Failed: [] });
  });
  afterAll(() => {
    process.env = saved;
    sqs.restore();
  });

  it('builds its clients from the environment, sends the jobs to SYNC_QUEUE_URL in batches of 10, and logs the summary as JSON with the request id', async () => {
    const output = captureOutput();

    const summary = await handler(schedulerEvent('2030-01-01T10:00:00Z'), {
      ...lambdaContext(),
      awsRequestId: 'fanout-req-1',
    });
    output.restore();

    expect(summary).toMatchObject({ enqueued: 12, budget: 960 });
    const calls = sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input);
    expect(calls.map((input) => [input.QueueUrl, input.Entries!.length])).toEqual([
      [QUEUE_URL, 10],
      [QUEUE_URL, 2],
    ]);
    expect(output.json()).toEqual([
      expect.objectContaining({
        level: 'INFO',
        message: 'sync cycle dispatched',
        cycleId: '2030-01-01T10:00:00.000Z',
        enqueued: 12,
        function_request_id: 'fanout-req-1',
        function_name: 'EstherPortfolio-SyncFanout',
        service: 'esther-portfolio',
      }),
    ]);
  });

  it('takes only DynamoDB (its stores) and the queue from the app: never the OKX client, its secret or the bot', async () => {
    const queue = createRecordingQueue();
    const app = createApp({ ...db.env, OKX_RATE_LIMIT_PER_SECOND: '2' }, { queue });

    await createFanoutHandler(app, { logger: createMemoryLogger() })(
      ruleEvent('2030-01-01T11:00:00Z'),
      lambdaContext(),
    );

    expect([...app.built].sort()).toEqual(['dynamo', 'queue', 'stores']);
    expect(queue.sent.length).toBeGreaterThan(0);
  });
});
