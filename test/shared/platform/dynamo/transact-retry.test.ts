import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { transactDroppingRefused, transactWithRetry } from '../../../../shared/platform/dynamo/dynamo-ops';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const mock = mockClient(doc);
const canceled = (codes: string[]) =>
  new TransactionCanceledException({
    message: 'canceled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
const items = () => [{ Put: { TableName: 't', Item: { pk: 'a', sk: 'b' } } }];

beforeEach(() => mock.reset());

describe('transactWithRetry', () => {
  it('retries a TransactionConflict with a full-jitter wait and writes on a later attempt', async () => {
    mock
      .on(TransactWriteCommand)
      .rejectsOnce(canceled(['TransactionConflict']))
      .rejectsOnce(canceled(['None', 'TransactionConflict']))
      .resolves({});
    const waits: number[] = [];

    const refusal = await transactWithRetry(doc, items, {
      random: () => 0.5,
      sleep: async (ms) => void waits.push(ms),
    });

    expect(refusal).toBeUndefined();
    expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(3);
    // random 0.5 x min(400, 25 x 2^0) = 12.5 -> 12; then 0.5 x min(400, 25 x 2^1) = 25.
    expect(waits).toEqual([12, 25]);
  });

  it('names the item whose condition failed and does not retry it', async () => {
    mock.on(TransactWriteCommand).rejects(canceled(['None', 'None', 'ConditionalCheckFailed']));

    expect(await transactWithRetry(doc, items, { sleep: async () => undefined })).toEqual({
      kind: 'condition',
      index: 2,
    });
    expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('gives up as a conflict after the last attempt, and rethrows anything else', async () => {
    mock.on(TransactWriteCommand).rejects(canceled(['TransactionConflict']));
    expect(await transactWithRetry(doc, items, { attempts: 3, sleep: async () => undefined })).toEqual({
      kind: 'conflict',
    });
    expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(3);

    mock.reset();
    mock.on(TransactWriteCommand).rejects(Object.assign(new Error('down'), { name: 'InternalServerError' }));
    await expect(transactWithRetry(doc, items)).rejects.toThrow('down');
  });
});

describe('transactDroppingRefused', () => {
  const entries = [
    { item: { Put: { TableName: 't', Item: { pk: 'holding' } } } },
    { item: { Put: { TableName: 't', Item: { pk: 'point' }, ConditionExpression: 'attribute_not_exists(pk)' } } },
    { item: { Put: { TableName: 't', Item: { pk: 'rollup' } } }, dependsOn: 1 },
    {
      item: {
        Update: {
          TableName: 't',
          Key: { pk: 'wallet' },
          UpdateExpression: 'SET a = :a',
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
    },
  ];
  const sentKeys = (call: number) =>
    mock
      .commandCalls(TransactWriteCommand)
      [call]!.args[0].input.TransactItems!.map((item) => JSON.stringify(item.Put?.Item ?? item.Update?.Key));

  it('writes everything in one transaction when no condition refuses', async () => {
    mock.on(TransactWriteCommand).resolves({});

    expect(await transactDroppingRefused(doc, entries)).toEqual(new Set());
    expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('leaves out the refused items and those depending on them, and writes the rest in one more round trip', async () => {
    mock
      .on(TransactWriteCommand)
      .rejectsOnce(canceled(['None', 'ConditionalCheckFailed', 'None', 'ConditionalCheckFailed']))
      .resolves({});

    const dropped = await transactDroppingRefused(doc, entries, { sleep: async () => undefined });

    expect(dropped).toEqual(new Set([1, 2, 3]));
    expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(2);
    expect(sentKeys(1)).toEqual(['{"pk":"holding"}']);
  });

  it('throws a named error when every attempt met a conflict', async () => {
    mock.on(TransactWriteCommand).rejects(canceled(['TransactionConflict']));

    await expect(
      transactDroppingRefused(doc, entries, { attempts: 2, sleep: async () => undefined }),
    ).rejects.toMatchObject({ name: 'TransactionConflictError', attempts: 2 });
  });

  it('sends nothing when every item was left out', async () => {
    mock.on(TransactWriteCommand).rejects(canceled(['ConditionalCheckFailed']));

    expect(await transactDroppingRefused(doc, [entries[1]!], { sleep: async () => undefined })).toEqual(new Set([0]));
    expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });
});
