import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { queryAll } from '../../../../shared/platform/dynamo/dynamo-ops';

describe('queryAll', () => {
  it('follows LastEvaluatedKey until the last page and keeps the query input on every page', async () => {
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
    const mock = mockClient(doc);
    mock
      .on(QueryCommand)
      .resolvesOnce({ Items: [{ sk: 'a' }], LastEvaluatedKey: { pk: 'p', sk: 'a' } })
      .resolvesOnce({ Items: [{ sk: 'b' }], LastEvaluatedKey: { pk: 'p', sk: 'b' } })
      .resolvesOnce({});

    const items = await queryAll(doc, {
      TableName: 't',
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'p' },
    });

    expect(items).toEqual([{ sk: 'a' }, { sk: 'b' }]);
    const inputs = mock.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(inputs.map((input) => input.ExclusiveStartKey)).toEqual([
      undefined,
      { pk: 'p', sk: 'a' },
      { pk: 'p', sk: 'b' },
    ]);
    expect(inputs.every((input) => input.TableName === 't')).toBe(true);
  });
});
