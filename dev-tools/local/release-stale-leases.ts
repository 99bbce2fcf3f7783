import { paginateScan, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../shared/platform/dynamo/keys';

/**
 * A run stopped in the middle of a sync leaves that user's sync lease in `.data/` until it lapses (the
 * worker's whole budget), and until then every cycle of the next run retries the user and waits for it.
 * No worker of an earlier run is alive when `npm start` begins, so it ends those leases first. The
 * `syncedCycle` marker stays, as a normal release would leave it.
 */
export async function releaseStaleLeases(doc: DynamoDBDocumentClient, sessionsTable: string): Promise<number> {
  const prefix = keys.syncLease('').pk;
  let released = 0;
  const pages = paginateScan(
    { client: doc },
    {
      TableName: sessionsTable,
      FilterExpression: 'begins_with(pk, :prefix) AND attribute_exists(#owner)',
      ProjectionExpression: 'pk, sk',
      ExpressionAttributeNames: { '#owner': 'owner' },
      ExpressionAttributeValues: { ':prefix': prefix },
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      await doc.send(
        new UpdateCommand({
          TableName: sessionsTable,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: 'REMOVE #owner, leaseExpiresAt',
          ExpressionAttributeNames: { '#owner': 'owner' },
        }),
      );
      released += 1;
    }
  }
  return released;
}
