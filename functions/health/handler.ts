import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { createDueIndexStore } from '../../shared/sync/due-index-store';
import { createSyncCycleStore } from '../../shared/sync/sync-cycle-store';
import { createPortfolioRuntime } from '../../shared/app/portfolio-runtime';
import { lazily } from '../../shared/platform/lazily';
import { createHealthHandler } from './create-health-handler';
import { createOkxProbe } from './okx-probe';

async function composeHealthHandler() {
  const runtime = await createPortfolioRuntime();
  return createHealthHandler({
    cycles: createSyncCycleStore(runtime.doc, runtime.tables.sessions),
    due: createDueIndexStore(runtime.doc, runtime.tables.portfolios),
    checkOkx: createOkxProbe({ market: runtime.market, now: () => new Date() }),
  });
}

// Built once per container on first use, so the OKX cache lives as long as the container.
const getHealth = lazily(composeHealthHandler);

/** GET /portfolio/health. A failed start-up (config, secret) is a 503 naming only the error class, and is retried next call. */
export async function handler(): Promise<APIGatewayProxyResultV2> {
  try {
    return (await getHealth())();
  } catch (error) {
    const body = { status: 'degraded', checkedAt: new Date().toISOString(), problems: [`start-up failed: ${(error as Error).name}`] };
    return { statusCode: 503, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: JSON.stringify(body) };
  }
}
