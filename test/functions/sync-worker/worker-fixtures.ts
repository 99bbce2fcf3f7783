import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { createLocalLambdaContext } from '../../../dev-tools/local/local-lambda-context';
import type { PortfolioServicePort } from '../../../shared/portfolio/portfolio-service-port';
import type { SyncResult } from '../../../shared/sync/sync-balances';

export function sqsRecord(messageId: string, body: string, receiveCount = 1): SQSRecord {
  return {
    messageId,
    receiptHandle: `AQEB${messageId}==`,
    body,
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: '1893492000000',
      SenderId: 'AROAEXAMPLE:EstherPortfolio-SyncFanout',
      ApproximateFirstReceiveTimestamp: '1893492001000',
    },
    messageAttributes: { jobKey: { dataType: 'String', stringValue: 'key' } },
    md5OfBody: 'd41d8cd98f00b204e9800998ecf8427e',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-central-1:123456789012:EstherPortfolio-SyncQueue',
    awsRegion: 'eu-central-1',
  };
}

export const job = (userId: string, cycleId: string) => JSON.stringify({ v: 1, userId, cycleId });

export const sqsEvent = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

/** A Lambda context whose remaining time counts down from `remainingMs` in real time. */
export function workerContext(remainingMs = 120_000, awsRequestId = 'req-1'): Context {
  return {
    ...createLocalLambdaContext({ functionName: 'EstherPortfolio-SyncWorker', timeoutMs: remainingMs, memoryMb: 512 }),
    awsRequestId,
  };
}

export function syncResult(userId: string, overrides: Partial<SyncResult> = {}): SyncResult {
  return {
    userId,
    syncedAt: '2030-01-01T10:01:00.000Z',
    walletsSynced: 1,
    failures: [],
    itemsWritten: 4,
    okxRequests: 1,
    ...overrides,
  };
}

/** A PortfolioServicePort fake for the worker: scripted per-user behaviour, recorded calls. */
export function createFakeSyncService(script: Record<string, (userId: string) => Promise<SyncResult>> = {}) {
  const service = {
    calls: [] as string[],
    async syncBalances(userId: string): Promise<SyncResult> {
      service.calls.push(userId);
      return (script[userId] ?? (async () => syncResult(userId)))(userId);
    },
  };
  return service as typeof service & Pick<PortfolioServicePort, 'syncBalances'>;
}
