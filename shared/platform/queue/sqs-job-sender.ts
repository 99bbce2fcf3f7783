import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, type SQSClient } from '@aws-sdk/client-sqs';
import { chunk, sleep as realSleep, type Sleep } from '../helpers';

/** One message to send; `key` identifies it in results and travels as the `jobKey` attribute. */
export interface OutgoingMessage {
  readonly key: string;
  readonly body: string;
  /** Seconds before the message can be received (SQS allows 0..900). */
  readonly delaySeconds?: number;
}

export interface SendFailure {
  readonly key: string;
  readonly code: string;
  readonly senderFault: boolean;
}

export interface SendReport {
  readonly sent: number;
  readonly failed: readonly SendFailure[];
}

/** What a producer needs from a queue: the SQS sender in AWS, an in-process queue locally. */
export interface MessageSender {
  send(messages: readonly OutgoingMessage[]): Promise<SendReport>;
}

export interface SqsSenderOptions {
  readonly client: SQSClient;
  readonly queueUrl: string;
  /** Attempts per entry, including the first. @default 3 */
  readonly maxAttempts?: number;
  /** Batches in flight at once. @default 4 */
  readonly concurrency?: number;
  /** Back-off before retry n (1-based). @default full jitter on 100 ms x 2^n */
  readonly backoffMs?: (retry: number) => number;
  readonly sleep?: Sleep;
}

export const SQS_BATCH_LIMIT = 10;

/**
 * SendMessageBatch in batches of 10. Entries SQS refused for a server-side reason (and whole batches
 * that threw) are retried with jittered back-off; sender faults (bad input) are reported at once.
 * The batch entry Id is positional because SQS allows only [A-Za-z0-9_-] there; the job key
 * (`user#slot`) travels as a message attribute instead, since standard queues reject deduplication ids.
 */
export function createSqsSender(options: SqsSenderOptions): MessageSender {
  const maxAttempts = options.maxAttempts ?? 3;
  const backoff = options.backoffMs ?? ((retry: number) => Math.random() * 100 * 2 ** retry);
  const sleep = options.sleep ?? realSleep;

  const sendBatch = async (batch: readonly OutgoingMessage[]): Promise<SendReport> => {
    let pending = batch;
    let sent = 0;
    const failed: SendFailure[] = [];
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      const outcome = await sendOnce(options, pending);
      sent += outcome.sent;
      const retryable = outcome.failed.filter((failure) => !failure.senderFault);
      failed.push(...outcome.failed.filter((failure) => failure.senderFault));
      if (attempt >= maxAttempts) {
        failed.push(...retryable);
        break;
      }
      pending = pending.filter((message) => retryable.some((failure) => failure.key === message.key));
      if (pending.length > 0) await sleep(backoff(attempt));
    }
    return { sent, failed };
  };

  return {
    async send(messages) {
      const batches = chunk(messages, SQS_BATCH_LIMIT);
      const reports = await mapWithConcurrency(batches, options.concurrency ?? 4, sendBatch);
      return {
        sent: reports.reduce((sum, report) => sum + report.sent, 0),
        failed: reports.flatMap((report) => report.failed),
      };
    },
  };
}

async function sendOnce(options: SqsSenderOptions, batch: readonly OutgoingMessage[]): Promise<SendReport> {
  const entries: SendMessageBatchRequestEntry[] = batch.map((message, index) => ({
    Id: `m${index}`,
    MessageBody: message.body,
    ...(message.delaySeconds ? { DelaySeconds: message.delaySeconds } : {}),
    MessageAttributes: { jobKey: { DataType: 'String', StringValue: message.key } },
  }));
  try {
    const output = await options.client.send(
      new SendMessageBatchCommand({ QueueUrl: options.queueUrl, Entries: entries }),
    );
    const failed = (output.Failed ?? []).map((entry) => ({
      key: batch[Number(entry.Id?.slice(1))]?.key ?? String(entry.Id),
      code: entry.Code ?? 'Unknown',
      senderFault: entry.SenderFault === true,
    }));
    return { sent: batch.length - failed.length, failed };
  } catch (error) {
    // Transport failure or throttling of the whole call: every entry is retryable.
    const code = (error as Error).name;
    return { sent: 0, failed: batch.map((message) => ({ key: message.key, code, senderFault: false })) };
  }
}

async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  map: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index]!);
    }
  });
  await Promise.all(lanes);
  return results;
}
