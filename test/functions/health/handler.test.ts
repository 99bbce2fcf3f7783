import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import type { PortfolioRuntime } from '../../../shared/app/portfolio-runtime';
import { createTestDynamo } from '../../support/dynamo';

const createPortfolioRuntime = vi.hoisted(() => vi.fn<() => Promise<Pick<PortfolioRuntime, 'market' | 'doc' | 'tables'>>>());
vi.mock('../../../shared/app/portfolio-runtime', () => ({ createPortfolioRuntime }));

describe('health Lambda handler', () => {
  it('answers 503 naming only the error class when start-up fails, then builds again and reuses the OKX cache', async () => {
    const db = await createTestDynamo();
    const getSupportedChains = vi.fn(async () => []);
    createPortfolioRuntime.mockRejectedValueOnce(Object.assign(new Error('arn:aws:secretsmanager:... AccessDenied'), { name: 'SecretUnavailableError' }));
    createPortfolioRuntime.mockResolvedValue({ market: { getSupportedChains } as unknown as PortfolioRuntime['market'], doc: db.doc, tables: db.tables });
    const { handler } = await import('../../../functions/health/handler');

    const failed = (await handler()) as APIGatewayProxyStructuredResultV2;
    expect(failed.statusCode).toBe(503);
    expect(JSON.parse(failed.body!)).toMatchObject({ status: 'degraded', problems: ['start-up failed: SecretUnavailableError'] });
    expect(failed.body).not.toContain('arn:');

    const first = JSON.parse(((await handler()) as APIGatewayProxyStructuredResultV2).body!);
    const second = JSON.parse(((await handler()) as APIGatewayProxyStructuredResultV2).body!);
    expect(first.okx).toMatchObject({ reachable: true, cached: false });
    expect(second.okx).toMatchObject({ reachable: true, cached: true });
    expect(getSupportedChains).toHaveBeenCalledTimes(1);
    expect(createPortfolioRuntime).toHaveBeenCalledTimes(2);
  });
});
