import { renderValueChartPng } from '../platform/chart/chart-renderer';
import type { PortfolioServicePort } from '../portfolio/portfolio-service-port';
import { valueChartInput } from '../portfolio/report-message';
import type { ChartWindow } from './notification-sender';

/** The Report's value chart for a window, drawn from the stored history when the notification is delivered. */
export function createValueChartDrawer(portfolio: Pick<PortfolioServicePort, 'getPerformance'>) {
  return async (userId: string, window: ChartWindow): Promise<Buffer> =>
    renderValueChartPng(valueChartInput(window, await portfolio.getPerformance(userId, window)));
}
