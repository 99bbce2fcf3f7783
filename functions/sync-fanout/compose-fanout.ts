import { SQSClient } from '@aws-sdk/client-sqs';
import { createDueIndexStore } from '../../shared/sync/due-index-store';
import { createDynamoDocumentClient, readDynamoClientOptions } from '../../shared/platform/dynamo/dynamo-client';
import { createSyncCycleStore } from '../../shared/sync/sync-cycle-store';
import { readTableNames } from '../../shared/platform/dynamo/table-definitions';
import { createSqsSender, type MessageSender } from '../../shared/platform/queue/sqs-job-sender';
import { DEFAULTS, ENV } from '../../shared/platform/config/env-names';
import { readPositiveIntEnv, requireEnv } from '../../shared/platform/config/read-env';
import { createFanoutHandler, type FanoutDeps } from './create-fanout-handler';

type Env = Record<string, string | undefined>;

/** The Scheduler runs a cycle every 10 minutes (infra SYNC_RATE). */
export const CYCLE_SECONDS = 600;
export const SYNC_SAFETY_SHARE = 0.8;

export interface FanoutOverrides {
  /** Replaces the SQS sender (the local sync loop passes its in-process queue). */
  readonly queue?: MessageSender;
  readonly cycleSeconds?: number;
  readonly log?: FanoutDeps['log'];
}

/** Builds the fan-out from the environment; the Lambda handler and the local sync loop share it. */
export function composeFanoutHandler(env: Env = process.env, overrides: FanoutOverrides = {}) {
  const tables = readTableNames(env);
  const doc = createDynamoDocumentClient(readDynamoClientOptions(env));
  // AWS_ENDPOINT_URL_SQS (SDK standard) points the client at a local endpoint when set.
  const queue = overrides.queue ?? createSqsSender({ client: new SQSClient({}), queueUrl: requireEnv(ENV.syncQueueUrl, env) });
  return createFanoutHandler({
    due: createDueIndexStore(doc, tables.portfolios),
    cycles: createSyncCycleStore(doc, tables.sessions),
    queue,
    budget: {
      requestsPerSecond: readPositiveIntEnv(ENV.okxRateLimitPerSecond, Number(DEFAULTS.okxRateLimitPerSecond), env),
      cycleSeconds: overrides.cycleSeconds ?? CYCLE_SECONDS,
      safetyShare: SYNC_SAFETY_SHARE,
    },
    log: overrides.log,
  });
}
