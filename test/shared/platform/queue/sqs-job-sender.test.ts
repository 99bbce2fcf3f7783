import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSqsSender } from '../../../../shared/platform/queue/sqs-job-sender';

const QUEUE_URL = 'https://sqs.eu-central-1.amazonaws.com/123456789012/sync';
const sqs = mockClient(SQSClient);
const messages = (count: number) =>
  Array.from({ length: count }, (_, index) => ({
    key: `u${index}#2026-01-01T10:00:00.000Z`,
    body: `{"userId":"u${index}"}`,
  }));
const noWait = { sleep: async () => undefined, backoffMs: () => 0 };

describe('SQS job sender', () => {
  beforeEach(() => sqs.reset());

  it('sends 23 messages as batches of 10, 10 and 3 with the job key as a message attribute', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const sender = createSqsSender({ client: new SQSClient({}), queueUrl: QUEUE_URL, concurrency: 1, ...noWait });

    const report = await sender.send(messages(23));

    expect(report).toEqual({ sent: 23, failed: [] });
    const calls = sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input);
    expect(calls.map((input) => input.Entries!.length)).toEqual([10, 10, 3]);
    expect(calls[0]!.QueueUrl).toBe(QUEUE_URL);
    expect(calls[0]!.Entries![0]).toEqual({
      Id: 'm0',
      MessageBody: '{"userId":"u0"}',
      MessageAttributes: { jobKey: { DataType: 'String', StringValue: 'u0#2026-01-01T10:00:00.000Z' } },
    });
    expect(calls[2]!.Entries![2]!.MessageAttributes!.jobKey!.StringValue).toBe('u22#2026-01-01T10:00:00.000Z');
  });

  it('resends only the entries SQS failed on its side, and they succeed on the retry', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({
        Failed: [
          { Id: 'm1', Code: 'InternalError', SenderFault: false },
          { Id: 'm3', Code: 'ServiceUnavailable', SenderFault: false },
        ],
      })
      .resolves({ Failed: [] });
    const sender = createSqsSender({ client: new SQSClient({}), queueUrl: QUEUE_URL, ...noWait });

    const report = await sender.send(messages(4));

    expect(report).toEqual({ sent: 4, failed: [] });
    const retry = sqs.commandCalls(SendMessageBatchCommand)[1]!.args[0].input.Entries!;
    expect(retry.map((entry) => entry.MessageAttributes!.jobKey!.StringValue)).toEqual([
      'u1#2026-01-01T10:00:00.000Z',
      'u3#2026-01-01T10:00:00.000Z',
    ]);
  });

  it('reports sender faults at once without retrying them', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolves({ Failed: [{ Id: 'm0', Code: 'InvalidMessageContents', SenderFault: true }] });
    const sender = createSqsSender({ client: new SQSClient({}), queueUrl: QUEUE_URL, ...noWait });

    const report = await sender.send(messages(2));

    expect(report).toEqual({
      sent: 1,
      failed: [{ key: 'u0#2026-01-01T10:00:00.000Z', code: 'InvalidMessageContents', senderFault: true }],
    });
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(1);
  });

  it('retries a batch whose call threw and reports it failed after the last attempt, with back-off between attempts', async () => {
    sqs.on(SendMessageBatchCommand).rejects(Object.assign(new Error('slow down'), { name: 'RequestThrottled' }));
    const waits: number[] = [];
    const sender = createSqsSender({
      client: new SQSClient({}),
      queueUrl: QUEUE_URL,
      maxAttempts: 3,
      sleep: async (ms) => void waits.push(ms),
      backoffMs: (retry) => retry * 100,
    });

    const report = await sender.send(messages(2));

    expect(report.sent).toBe(0);
    expect(report.failed).toEqual([
      { key: 'u0#2026-01-01T10:00:00.000Z', code: 'RequestThrottled', senderFault: false },
      { key: 'u1#2026-01-01T10:00:00.000Z', code: 'RequestThrottled', senderFault: false },
    ]);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(3);
    expect(waits).toEqual([100, 200]);
  });

  it('uses jittered back-off by default and sends nothing for an empty list', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Failed: [{ Id: 'm0', Code: 'InternalError', SenderFault: false }] })
      .resolves({});
    const sender = createSqsSender({ client: new SQSClient({}), queueUrl: QUEUE_URL });

    expect(await sender.send([])).toEqual({ sent: 0, failed: [] });
    expect(await sender.send(messages(1))).toEqual({ sent: 1, failed: [] });
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(2);
  });
});
