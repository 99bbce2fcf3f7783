import { describe, expect, it } from 'vitest';
import { createDynamoDocumentClient } from '../../../../shared/platform/dynamo/dynamo-client';

describe('createDynamoDocumentClient', () => {
  it('sends without the SDK logger middleware, which only filters each response for a no-op logger', () => {
    const doc = createDynamoDocumentClient({ endpoint: 'http://localhost:1', region: 'us-east-1' });
    const steps = doc.middlewareStack.identify();
    expect(steps.some((step) => step.startsWith('loggerMiddleware'))).toBe(false);
    // Marshalling and signing are still there (the stack is the client's, not an empty one).
    expect(steps.some((step) => step.startsWith('retryMiddleware'))).toBe(true);
  });
});
