import { Logger } from '@aws-lambda-powertools/logger';
import { DEFAULTS, ENV } from './config/env-names';

/**
 * The one logger (Powertools Logger): one JSON object per line with level, message, service, timestamp and,
 * inside a handler wrapped in `injectLambdaContext`, the Lambda request id (`function_request_id`), function
 * name and cold start. `LOG_LEVEL` (or `POWERTOOLS_LOG_LEVEL`) sets the level; `POWERTOOLS_SERVICE_NAME` the
 * service. Callers pass kinds, ids and counts only: never message text, tokens or secrets, and never an
 * Error object (the logger would print its message and stack); log `errorName` instead.
 */
export const logger = new Logger({ serviceName: process.env[ENV.serviceName] || DEFAULTS.serviceName });

/** What code that logs needs from the logger; tests pass a recording fake. */
export type Log = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
