/**
 * Receives of one sync job before SQS moves it to the dead-letter queue. Shared by the queue's redrive
 * policy (infra), the worker (which counts a job's last failed delivery as dead-lettered so its cycle
 * still completes) and the local sync loop.
 */
export const SYNC_MAX_RECEIVE_COUNT = 5;
