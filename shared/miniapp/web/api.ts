import type {
  DiversificationView,
  NotificationsView,
  PerformanceView,
  PortfolioView,
  TargetsView,
  WindowKey,
} from './api-types';

/** An answer other than 2xx, with the API's error code and its message for the person. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
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
}

/** The API on the page's own origin (relative paths), every request signed by Telegram's raw initData. */
export function createApi(initData: string, base = '/miniapp/api'): MiniAppApi {
  const call = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const response = await fetch(`${base}${path}`, {
      ...init,
      headers: { 'x-telegram-init-data': initData, 'content-type': 'application/json', ...init.headers },
    });
    const body = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
    if (!response.ok)
      throw new ApiError(
        response.status,
        body.error?.code ?? 'internal',
        body.error?.message ?? 'Something went wrong.',
      );
    return body as T;
  };
  return {
    portfolio: () => call('/portfolio'),
    performance: (window) => call(`/performance?window=${window}`),
    diversification: () => call('/diversification'),
    notifications: () => call('/notifications'),
    targets: () => call('/targets'),
    saveTargets: (target) => call('/targets', { method: 'PUT', body: JSON.stringify({ target }) }),
  };
}
