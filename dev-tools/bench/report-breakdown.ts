import type { PerformanceWindow } from '../../shared/kernel/types';
import { buildAllocationChartSvg } from '../../shared/platform/chart/allocation-chart-svg';
import { rasteriseSvg } from '../../shared/platform/chart/chart-rasteriser';
import { buildValueChartSvg } from '../../shared/platform/chart/value-chart-svg';
import type { PortfolioServicePort } from '../../shared/portfolio/portfolio-service-port';
import { allocationSlices, renderReport, valueChartInput } from '../../shared/portfolio/report-message';
import type { DynamoTracker } from './report-dynamo-tracker';

/** Milliseconds per step of one Report. */
export interface Breakdown {
  /** Time with a DynamoDB request in flight (the SDK's marshalling included). */
  read: number;
  /** The rest of loading: valuation, performance, diversification. */
  maths: number;
  text: number;
  chartSvg: number;
  pngEncoding: number;
}

/** The Report's steps run one after another, as report-feature.ts runs them, each timed on its own. */
export async function measureBreakdown(
  portfolio: Pick<PortfolioServicePort, 'getReport'>,
  userId: string,
  window: PerformanceWindow,
  charts: 'both' | 'value',
  tracker: DynamoTracker,
): Promise<Breakdown> {
  let mark = performance.now();
  const lap = () => {
    const at = performance.now();
    const elapsed = at - mark;
    mark = at;
    return elapsed;
  };
  tracker.reset();
  const { performance: performanceReport, diversification, view } = await portfolio.getReport(userId, window);
  const loading = lap();
  const read = tracker.busyMs();
  renderReport({ performance: performanceReport, diversification, view });
  const text = lap();
  const svgs = [buildValueChartSvg(valueChartInput(window, performanceReport))];
  if (charts === 'both')
    svgs.push(buildAllocationChartSvg({ title: 'Allocation by asset', slices: allocationSlices(view) }));
  const chartSvg = lap();
  for (const svg of svgs) await rasteriseSvg(svg);
  const pngEncoding = lap();
  return { read, maths: loading - read, text, chartSvg, pngEncoding };
}
