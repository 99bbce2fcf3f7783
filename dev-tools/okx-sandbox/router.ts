import { aggregatorRoutes } from './routes/aggregator-routes';
import { balanceRoutes } from './routes/balance-routes';
import { createGatewayRoutes } from './routes/gateway-routes';
import { marketRoutes } from './routes/market-routes';
import { tokenRoutes } from './routes/token-routes';
import { txReportRoutes } from './routes/tx-reports';
import { txRoutes } from './routes/tx-routes';
import type { Route } from './routes/types';

export interface Router {
  find(method: string, path: string): Route | undefined;
  /** "METHOD path" of every served route, for the README and the runner. */
  list(): string[];
}

export function createRouter(): Router {
  const routes = [
    ...balanceRoutes,
    ...marketRoutes,
    ...tokenRoutes,
    ...aggregatorRoutes,
    ...createGatewayRoutes(),
    ...txRoutes,
    ...txReportRoutes,
  ];
  const table = new Map(routes.map((route) => [`${route.method} ${route.path}`, route]));
  return {
    find: (method, path) => table.get(`${method} ${path}`),
    list: () => [...table.keys()],
  };
}
