import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { ensureTables } from '../../../../shared/platform/dynamo/ensure-tables';
import { localTableNames, TABLE_DEFINITIONS } from '../../../../shared/platform/dynamo/table-definitions';

const client = new DynamoDBClient({
  endpoint: inject('dynamoEndpoint'),
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
afterAll(() => client.destroy());

describe('ensureTables (db:init) against DynamoDB Local', () => {
  it('creates every table with pk/sk keys, GSIs and TTL, and a second run changes nothing', async () => {
    const names = localTableNames('init-test');

    const first = await ensureTables(client, names);
    const second = await ensureTables(client, names);

    expect(first.created.sort()).toEqual(Object.values(names).sort());
    expect(second.created).toEqual([]);
    expect(second.existing.sort()).toEqual(Object.values(names).sort());
    expect(second.ttlEnabled).toEqual([]);
    for (const definition of TABLE_DEFINITIONS) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: names[definition.name] }));
      expect(Table?.KeySchema).toEqual([
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ]);
      expect((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName)).toEqual(
        definition.globalSecondaryIndexes.map((index) => index.indexName),
      );
      const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: names[definition.name] }));
      expect(ttl.TimeToLiveDescription?.AttributeName).toBe(definition.ttlAttribute);
    }
  });
});
