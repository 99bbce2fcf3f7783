import { Composer } from 'telegraf';
import { renderAllocationChartPng, renderValueChartPng } from '../platform/chart/chart-renderer';
import {
  dashboardRows,
  withRetryAfter,
  editHtml,
  replyHtml,
  type BotContext,
  userIdOf,
} from '../platform/telegram/messages';
import type { PerformanceReport, PerformanceWindow } from '../kernel/types';
import type { PortfolioServicePort } from './portfolio-service-port';
import { allocationSlices, renderReport, valueChartInput, type ReportInput } from './report-message';

export const DEFAULT_REPORT_WINDOW: PerformanceWindow = '7d';

const renderValueChart = (window: PerformanceWindow, performance: PerformanceReport) =>
  renderValueChartPng(valueChartInput(window, performance));

/** Photos are the sends most likely to meet a 429 (two uploads back to back), so they honour retry_after. */
const replyWithChart = (ctx: BotContext, source: Buffer, filename: string) =>
  withRetryAfter(() => ctx.replyWithPhoto({ source, filename }));

/** What the Report uses. */
export interface ReportFeatureDeps {
  readonly portfolio: Pick<PortfolioServicePort, 'getReport'>;
  /** MINIAPP_URL: adds the 📊 Dashboard button in private chats. */
  readonly miniAppUrl?: string;
}

/** 📈 Report: `/report`, the `v1:report` button, and `v1:window:<w>` to switch the window in place. */
export function createReportFeature(deps: ReportFeatureDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const load = (ctx: BotContext, window: PerformanceWindow): Promise<ReportInput> =>
    deps.portfolio.getReport(userIdOf(ctx), window);

  const sendReport = async (ctx: BotContext, window: PerformanceWindow) => {
    const input = await load(ctx, window);
    const [valueChart, allocationChart] = await Promise.all([
      renderValueChart(window, input.performance),
      renderAllocationChartPng({ title: 'Allocation by asset', slices: allocationSlices(input.view) }),
    ]);
    await replyWithChart(ctx, valueChart, 'value.png');
    await replyWithChart(ctx, allocationChart, 'allocation.png');
    await replyHtml(ctx, renderReport(input, dashboardRows(ctx, deps.miniAppUrl)), 'report');
  };

  composer.command('report', (ctx) => sendReport(ctx, DEFAULT_REPORT_WINDOW));
  composer.action('v1:report', async (ctx) => {
    await ctx.answerCbQuery();
    await sendReport(ctx, DEFAULT_REPORT_WINDOW);
  });
  composer.action(/^v1:window:(24h|7d|30d|90d|1y|all)$/, async (ctx) => {
    await ctx.answerCbQuery();
    const window = ctx.match[1] as PerformanceWindow;
    const input = await load(ctx, window);
    // The text message carries the buttons, so it is edited in place; the new window's chart follows it.
    await editHtml(ctx, renderReport(input, dashboardRows(ctx, deps.miniAppUrl)));
    await replyWithChart(ctx, await renderValueChart(window, input.performance), 'value.png');
  });
  return composer;
}
