import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { createApp } from '../../shared/app/create-app';
import { miniAppDepsOf } from '../../shared/app/miniapp-part';
import { DEFAULTS, ENV } from '../../shared/platform/config/env-names';
import { readPositiveIntEnv } from '../../shared/platform/config/read-env';
import { logger as platformLogger } from '../../shared/platform/logger';
import { metrics as platformMetrics } from '../../shared/platform/metrics';
import { tracingMiddleware } from '../../shared/platform/tracing';
import { createMiniAppApi } from '../../shared/miniapp/miniapp-api';
import { createMiniAppHandler } from '../../shared/miniapp/miniapp-http';

// The Lambda: the chat's portfolio service over DynamoDB (no OKX client), the bot token from the Telegram secret
// to check initData with, the maximum age of initData from the stack (cdk.json miniAppInitDataMaxAgeSeconds).
const app = createApp(process.env, { okxPriority: 'interactive' });

export const handler = middy(
  createMiniAppHandler({
    api: createMiniAppApi(() => miniAppDepsOf(app)),
    getBotToken: async () => (await app.telegramCredentials()).botToken,
    maxAgeSeconds: readPositiveIntEnv(
      ENV.miniAppInitDataMaxAgeSeconds,
      Number(DEFAULTS.miniAppInitDataMaxAgeSeconds),
      app.env,
    ),
  }),
)
  .use(injectLambdaContext(platformLogger, { resetKeys: true, logEvent: false }))
  .use(logMetrics(platformMetrics))
  .use(await tracingMiddleware(app.env));
