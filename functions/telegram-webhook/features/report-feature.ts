import { Composer } from 'telegraf';
import { renderAllocationChartPng, renderValueChartPng } from '../../../shared/adapters/chart/chart-renderer';
import type { PerformanceWindow } from '../../../shared/domain/types';
import type { BotContext, BotDeps } from '../bot-deps';
import { allocationSlices, renderReport, valueChartTitle, type ReportInput } from '../render/report-message';
import { toInlineKeyboard } from '../render/rebalance-keyboard';
import { replyHtml } from '../send-html';
import { withRetryAfter } from '../../../shared/adapters/telegram/retry-after';

export const DEFAULT_REPORT_WINDOW: PerformanceWindow = '7d';

/** 📈 Report: `/report`, the `v1:report` button, and `v1:window:<w>` to switch the window in place. */
export function createReportFeature(deps: BotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const load = async (userId: string, window: PerformanceWindow): Promise<ReportInput> => {
    const [performance, diversification, view] = await Promise.all([
      deps.portfolio.getPerformance(userId, window),
      deps.portfolio.getDiversification(userId),
      deps.portfolio.getSnapshot(userId),
    ]);
    return { performance, diversification, view };
  };

  const sendReport = async (ctx: BotContext, window: PerformanceWindow) => {
    const input = await load(String(ctx.from!.id), window);
    const [valueChart, allocationChart] = await Promise.all([
      renderValueChartPng({ title: valueChartTitle(window), series: input.performance.series }),
      renderAllocationChartPng({ title: 'Allocation by asset', slices: allocationSlices(input.view) }),
    ]);
    // Photos are the sends most likely to meet a 429 (two uploads back to back), so they honour retry_after.
    await withRetryAfter(() => ctx.replyWithPhoto({ source: valueChart, filename: 'value.png' }));
    await withRetryAfter(() => ctx.replyWithPhoto({ source: allocationChart, filename: 'allocation.png' }));
    await replyHtml(ctx, renderReport(input), 'report');
  };

  composer.command('report', (ctx) => sendReport(ctx, DEFAULT_REPORT_WINDOW));
  composer.action('v1:report', async (ctx) => {
    await ctx.answerCbQuery();
    await sendReport(ctx, DEFAULT_REPORT_WINDOW);
  });
  composer.action(/^v1:window:(24h|7d|30d|90d|1y|all)$/, async (ctx) => {
    await ctx.answerCbQuery();
    const window = ctx.match[1] as PerformanceWindow;
    const input = await load(String(ctx.from.id), window);
    const message = renderReport(input);
    // The text message carries the buttons, so it is edited in place; the new window's chart follows it.
    await ctx.editMessageText(message.text, { parse_mode: 'HTML', reply_markup: toInlineKeyboard(message.buttons) });
    const chart = await renderValueChartPng({ title: valueChartTitle(window), series: input.performance.series });
    await withRetryAfter(() => ctx.replyWithPhoto({ source: chart, filename: 'value.png' }));
  });
  return composer;
}
