import type {
  DiversificationView,
  NotificationsView,
  PerformanceView,
  PortfolioView,
  TargetsView,
  WindowKey,
} from './api-types';
import type { IntentCheck, PreparedStep, SigningPlan } from './signing/signing-types';

/** What some refusals carry besides code and message: the wallet to connect, the intent checks that failed. */
export interface ApiErrorExtra {
  readonly expected?: string;
  readonly checks?: readonly IntentCheck[];
}

/** An answer other than 2xx, with the API's error code and its message for the person. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: ApiErrorExtra = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface MiniAppApi {
  portfolio(): Promise<PortfolioView>;
  performance(window: WindowKey): Promise<PerformanceView>;
  diversification(): Promise<DiversificationView>;
  notifications(): Promise<NotificationsView>;
  targets(): Promise<TargetsView>;
  saveTargets(target: readonly { asset: string; percent: string }[]): Promise<TargetsView>;
  plan(planId: string): Promise<SigningPlan>;
  prepare(planId: string, legIndex: number, address: string): Promise<PreparedStep>;
  broadcast(planId: string, legIndex: number, stepId: string, signedTx: string): Promise<SigningPlan>;
  submitted(planId: string, legIndex: number, stepId: string, txHash: string): Promise<SigningPlan>;
}

/** The API on the page's own origin (relative paths), every request signed by Telegram's raw initData. */
export function createApi(initData: string, base = '/miniapp/api'): MiniAppApi {
  const call = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const response = await fetch(`${base}${path}`, {
      ...init,
      headers: { 'x-telegram-init-data': initData, 'content-type': 'application/json', ...init.headers },
    });
    const body = (await response.json().catch(() => ({}))) as {
      error?: { code?: string; message?: string } & ApiErrorExtra;
    };
    if (!response.ok)
      throw new ApiError(
        response.status,
        body.error?.code ?? 'internal',
        body.error?.message ?? 'Something went wrong.',
        { expected: body.error?.expected, checks: body.error?.checks },
      );
    return body as T;
  };
  const post = <T>(path: string, body: unknown) => call<T>(path, { method: 'POST', body: JSON.stringify(body) });
  const leg = (planId: string, legIndex: number) =>
    `/plans/${encodeURIComponent(planId)}/legs/${encodeURIComponent(String(legIndex))}`;
  return {
    portfolio: () => call('/portfolio'),
    performance: (window) => call(`/performance?window=${window}`),
    diversification: () => call('/diversification'),
    notifications: () => call('/notifications'),
    targets: () => call('/targets'),
    saveTargets: (target) => call('/targets', { method: 'PUT', body: JSON.stringify({ target }) }),
    plan: (planId) => call(`/plans/${encodeURIComponent(planId)}`),
    prepare: (planId, legIndex, address) => post(`${leg(planId, legIndex)}/prepare`, { address }),
    broadcast: (planId, legIndex, stepId, signedTx) => post(`${leg(planId, legIndex)}/broadcast`, { stepId, signedTx }),
    submitted: (planId, legIndex, stepId, txHash) => post(`${leg(planId, legIndex)}/submitted`, { stepId, txHash }),
  };
}
