import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { transactWithRetry } from '../../../../shared/platform/dynamo/transact-retry';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const mock = mockClient(doc);
const canceled = (codes: string[]) =>
  new TransactionCanceledException({ message: 'canceled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });
const items = () => [{ Put: { TableName: 't', Item: { pk: 'a', sk: 'b' } } }];

beforeEach(() => mock.reset());

describe('transactWithRetry', () => {
  it('retries a TransactionConflict with a full-jitter wait and writes on a later attempt', async () => {
    mock.on(TransactWriteCommand).rejectsOnce(canceled(['TransactionConflict'])).rejectsOnce(canceled(['None', 'TransactionConflict'])).resolves({});
    const waits: number[] = [];

    const refusal = await transactWithRetry(doc, items, { random: () => 0.5, sleep: async (ms) => void waits.push(ms) });

    expect(refusal).toBeUndefined();
    expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(3);
    // random 0.5 x min(400, 25 x 2^0) = 12.5 -> 12; then 0.5 x min(400, 25 x 2^1) = 25.
    expect(waits).toEqual([12, 25]);
  });

  it('names the item whose condition failed and does not retry it', async () => {
    mock.on(TransactWriteCommand).rejects(canceled(['None', 'None', 'ConditionalCheckFailed']));

    expect(await transactWithRetry(doc, items, { sleep: async () => undefined })).toEqual({ kind: 'condition', index: 2 });
    expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('gives up as a conflict after the last attempt, and rethrows anything else', async () => {
    mock.on(TransactWriteCommand).rejects(canceled(['TransactionConflict']));
    expect(await transactWithRetry(doc, items, { attempts: 3, sleep: async () => undefined })).toEqual({ kind: 'conflict' });
    expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(3);

    mock.reset();
    mock.on(TransactWriteCommand).rejects(Object.assign(new Error('down'), { name: 'InternalServerError' }));
    await expect(transactWithRetry(doc, items)).rejects.toThrow('down');
  });
});
