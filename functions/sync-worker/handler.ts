import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createPortfolioRuntime } from '../../shared/app/portfolio-runtime';
import { composeWorkerHandler } from './compose-worker';

// Built once per container on first use; a failed build (e.g. secret unreadable) is not cached, so the
// next invocation tries again, and this one fails the whole batch (SQS redelivers it).
let worker: Promise<ReturnType<typeof composeWorkerHandler>> | undefined;

export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  worker ??= createPortfolioRuntime().then((runtime) => composeWorkerHandler(runtime));
  const ready = await worker.catch((error: unknown) => {
    worker = undefined;
    throw error;
  });
  return ready(event, context);
}
