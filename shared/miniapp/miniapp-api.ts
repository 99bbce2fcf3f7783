import { InvalidTargetError, UnknownAssetError } from '../kernel/errors';
import type { TargetAllocation } from '../kernel/types';
import type { PortfolioServicePort } from '../portfolio/portfolio-service-port';
import type { SettingsStore } from '../rebalance/settings-store';
import type { UserBudget, UserCooldownStore } from '../platform/dynamo/user-cooldown-store';
import { DEFAULT_WINDOW, isPerformanceWindow, performanceBody } from './performance-body';
import { diversificationBody, portfolioBody } from './portfolio-body';
import { readTargetInput, targetsBody } from './targets-body';
import { notificationsBody } from './notifications-body';
import type { AlertSettingsStore } from '../notify/alert-store';
import type { DigestStore } from '../notify/digest-store';
import type { SigningService } from '../rebalance/signing-service';
import type { SigningErrorCode } from '../rebalance/signing-types';
import { signingRoutes } from './signing-routes';

export const API_PREFIX = '/miniapp/api';

/**
 * Per-user budgets, one conditional write each, shared by every container. No route calls OKX (every answer is
 * read from DynamoDB), so these bound what one user's open dashboard can cost in reads, not the OKX budget.
 */
export const MINIAPP_BUDGETS = {
  read: { limit: 120, windowSeconds: 60 },
  write: { limit: 10, windowSeconds: 60 },
  // prepare (up to 5 OKX calls: approve-transaction, check-approvals, swap, simulate) and broadcast (1 call).
  sign: { limit: 12, windowSeconds: 60 },
} as const satisfies Record<string, UserBudget>;

export type ErrorCode =
  | 'bad-request'
  | 'invalid-target'
  | 'unknown-asset'
  | 'unauthorized'
  | 'not-found'
  | 'method-not-allowed'
  | 'rate-limited'
  | 'internal'
  | SigningErrorCode;

export interface ApiAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export function errorAnswer(
  status: number,
  code: ErrorCode,
  message: string,
  extra: Record<string, unknown> = {},
): ApiAnswer {
  return { status, body: { error: { code, message, ...extra } } };
}

/** A request that passed the initData check: the user is the one Telegram signed for, nobody else. */
export interface ApiRequest {
  readonly userId: string;
  readonly query: Readonly<Record<string, string | undefined>>;
  /** The parsed JSON body (PUT and POST). */
  readonly body?: unknown;
  /** Path parameters of a pattern route (e.g. `planId`). */
  readonly params?: Readonly<Record<string, string>>;
}

export interface MiniAppApiDeps {
  readonly portfolio: Pick<
    PortfolioServicePort,
    | 'getLiveView'
    | 'getPerformance'
    | 'getDiversification'
    | 'listWallets'
    | 'getTargetAllocation'
    | 'setTargetAllocation'
  >;
  /** The unlisted policy shown with the targets; without it, 'keep'. */
  readonly settings?: Pick<SettingsStore, 'get'>;
  /** The /alerts and /digest choices the dashboard shows; without them the route answers 404. */
  readonly notifications?: {
    readonly alerts: Pick<AlertSettingsStore, 'getSettings'>;
    readonly digests: Pick<DigestStore, 'get'>;
  };
  /** The signing flow (issue 13); without it the /plans routes answer 404. */
  readonly signing?: SigningService;
  /** Without it (unit tests of other parts) nothing is rate limited. */
  readonly cooldowns?: Pick<UserCooldownStore, 'tryConsume'>;
  readonly now: () => Date;
}

export type Route = (request: ApiRequest) => Promise<ApiAnswer>;

export type Method = 'GET' | 'PUT' | 'POST';

/** A route whose path has parameters: `pattern` matches the whole path, its named groups are the params. */
export interface PatternRoute {
  readonly pattern: RegExp;
  readonly methods: Readonly<Partial<Record<Method, Route>>>;
}

export interface MiniAppApi {
  /**
   * Path -> method -> route. Known without building anything, so the HTTP adapter answers 404/405 and checks
   * initData before the services are built (`load` runs on the first signed request).
   */
  readonly routes: Readonly<Record<string, Readonly<Partial<Record<Method, Route>>>>>;
  /** Tried in order when no exact route matches (the /plans routes). */
  readonly patterns?: readonly PatternRoute[];
}

export type Handler = (deps: MiniAppApiDeps, request: ApiRequest) => Promise<ApiAnswer>;

const ok = (body: unknown): ApiAnswer => ({ status: 200, body });

/** The routes over the chat's own services, so every figure equals the chat's. */
export function createMiniAppApi(load: () => Promise<MiniAppApiDeps>): MiniAppApi {
  const limited =
    (kind: keyof typeof MINIAPP_BUDGETS, route: Handler): Route =>
    async (request) => {
      const deps = await load();
      const spent = await deps.cooldowns?.tryConsume(request.userId, `miniapp-${kind}`, MINIAPP_BUDGETS[kind]);
      if (spent && !spent.allowed)
        return {
          ...errorAnswer(429, 'rate-limited', `Too many requests: try again in ${spent.retryAfterSeconds} s.`, {
            retryAfterSeconds: spent.retryAfterSeconds,
          }),
          headers: { 'retry-after': String(spent.retryAfterSeconds) },
        };
      return route(deps, request);
    };

  const targets = async (deps: MiniAppApiDeps, userId: string, saved?: TargetAllocation) => {
    const [target, view, settings] = await Promise.all([
      saved ?? deps.portfolio.getTargetAllocation(userId),
      deps.portfolio.getLiveView(userId),
      deps.settings?.get(userId),
    ]);
    return ok(targetsBody(target, view, settings?.unlisted ?? 'keep', deps.now()));
  };

  return {
    patterns: signingRoutes(limited),
    routes: {
      [`${API_PREFIX}/portfolio`]: {
        // Started together, the three share the service's one read of the wallets and holdings.
        GET: limited('read', async ({ portfolio, now }, { userId }) => {
          const [view, diversification, wallets] = await Promise.all([
            portfolio.getLiveView(userId),
            portfolio.getDiversification(userId),
            portfolio.listWallets(userId),
          ]);
          return ok(portfolioBody(view, diversification, wallets, now()));
        }),
      },
      [`${API_PREFIX}/performance`]: {
        GET: limited('read', async ({ portfolio, now }, { userId, query }) => {
          const window = query.window ?? DEFAULT_WINDOW;
          if (!isPerformanceWindow(window))
            return errorAnswer(400, 'bad-request', 'window must be one of 24h, 7d, 30d, 90d, 1y, all');
          return ok(performanceBody(await portfolio.getPerformance(userId, window), now()));
        }),
      },
      [`${API_PREFIX}/notifications`]: {
        GET: limited('read', async ({ notifications, settings }, { userId }) => {
          if (!notifications) return errorAnswer(404, 'not-found', 'Notifications are not set up here.');
          const [alerts, digest, user] = await Promise.all([
            notifications.alerts.getSettings(userId),
            notifications.digests.get(userId),
            settings?.get(userId),
          ]);
          return ok(notificationsBody(alerts, digest, user?.timeZone));
        }),
      },
      [`${API_PREFIX}/diversification`]: {
        GET: limited('read', async ({ portfolio, now }, { userId }) => {
          const [report, view, wallets] = await Promise.all([
            portfolio.getDiversification(userId),
            portfolio.getLiveView(userId),
            portfolio.listWallets(userId),
          ]);
          return ok(diversificationBody(report, view, wallets, now()));
        }),
      },
      [`${API_PREFIX}/targets`]: {
        GET: limited('read', (deps, { userId }) => targets(deps, userId)),
        PUT: limited('write', async (deps, { userId, body }) => {
          const input = readTargetInput(body);
          if (!input.ok)
            return 'shape' in input
              ? errorAnswer(400, 'bad-request', input.shape)
              : errorAnswer(400, 'invalid-target', input.problem);
          try {
            return await targets(deps, userId, await deps.portfolio.setTargetAllocation(userId, input.target));
          } catch (error) {
            // The same rules, and the same words, as /target in the chat.
            if (error instanceof InvalidTargetError) return errorAnswer(400, 'invalid-target', error.reason);
            if (error instanceof UnknownAssetError) return errorAnswer(400, 'unknown-asset', error.reason);
            throw error;
          }
        }),
      },
    },
  };
}
