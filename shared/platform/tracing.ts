import type { MiddlewareObj } from '@middy/core';
import { DEFAULTS, ENV, readBooleanEnv } from './config/env-names';

type Env = Record<string, string | undefined>;

/**
 * The handler middleware of Powertools Tracer (`captureLambdaHandler`) where the function has X-Ray active
 * tracing (POWERTOOLS_TRACE_ENABLED=true, set by CDK from the `tracing` context), nothing elsewhere. The tracer
 * and the X-Ray SDK under it are imported only then, so a function without tracing never loads them.
 */
export async function tracingMiddleware(env: Env = process.env): Promise<MiddlewareObj[]> {
  if (!readBooleanEnv(ENV.traceEnabled, false, env)) return [];
  const [{ Tracer }, { captureLambdaHandler }] = await Promise.all([
    import('@aws-lambda-powertools/tracer'),
    import('@aws-lambda-powertools/tracer/middleware'),
  ]);
  const tracer = new Tracer({ serviceName: env[ENV.serviceName] || DEFAULTS.serviceName });
  return [captureLambdaHandler(tracer)];
}
