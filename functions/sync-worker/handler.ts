import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createPortfolioRuntime } from '../../shared/app/portfolio-runtime';
import { lazily } from '../../shared/platform/lazily';
import { composeWorkerHandler } from './compose-worker';

// Built once per container on first use; a failed build (e.g. secret unreadable) is not cached, so the
// next invocation tries again, and this one fails the whole batch (SQS redelivers it).
const getWorker = lazily(async () => composeWorkerHandler(await createPortfolioRuntime()));

export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  const worker = await getWorker();
  return worker(event, context);
}
