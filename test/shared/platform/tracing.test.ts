import { describe, expect, it } from 'vitest';
import { tracingMiddleware } from '../../../shared/platform/tracing';

describe('tracing middleware (Powertools Tracer where X-Ray tracing is on)', () => {
  it('is nothing when POWERTOOLS_TRACE_ENABLED is unset or false', async () => {
    expect(await tracingMiddleware({})).toEqual([]);
    expect(await tracingMiddleware({ POWERTOOLS_TRACE_ENABLED: 'false' })).toEqual([]);
  });

  it("is Tracer's captureLambdaHandler when it is true", async () => {
    const middlewares = await tracingMiddleware({ POWERTOOLS_TRACE_ENABLED: 'true' });

    expect(middlewares).toHaveLength(1);
    expect(middlewares[0]).toEqual({
      before: expect.any(Function),
      after: expect.any(Function),
      onError: expect.any(Function),
    });
  });

  it('refuses a value that is neither true nor false', async () => {
    await expect(tracingMiddleware({ POWERTOOLS_TRACE_ENABLED: 'maybe' })).rejects.toThrow(
      'invalid environment variable POWERTOOLS_TRACE_ENABLED',
    );
  });
});
