import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { createApp } from '../../shared/app/create-app';
import { miniAppHttpHandlerOf } from '../../shared/app/miniapp-part';
import { logger as platformLogger } from '../../shared/platform/logger';
import { metrics as platformMetrics } from '../../shared/platform/metrics';
import { tracingMiddleware } from '../../shared/platform/tracing';

// The Lambda: the dashboard's routes over the chat's portfolio service (DynamoDB only) and the signing routes, the
// only ones that call OKX (as an interactive caller of the shared budget).
const app = createApp(process.env, { okxPriority: 'interactive' });

export const handler = middy(miniAppHttpHandlerOf(app))
  .use(injectLambdaContext(platformLogger, { resetKeys: true, logEvent: false }))
  .use(logMetrics(platformMetrics))
  .use(await tracingMiddleware(app.env));
