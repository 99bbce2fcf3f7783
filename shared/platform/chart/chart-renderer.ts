import { buildAllocationChartSvg, type AllocationChartInput } from './allocation-chart-svg';
import { rasteriseSvg, resolveChartAssets, type ChartAssetPaths } from './chart-rasteriser';
import { buildValueChartSvg, type ValueChartInput } from './value-chart-svg';

export type { AllocationChartInput, AllocationSlice } from './allocation-chart-svg';
export type { ValueChartInput } from './value-chart-svg';

/** PNG of the portfolio value over a window. */
export function renderValueChartPng(input: ValueChartInput, assets?: Partial<ChartAssetPaths>): Promise<Buffer> {
  return rasteriseSvg(buildValueChartSvg(input), resolveChartAssets(process.env, assets));
}

/** PNG of the allocation by asset (or any other share breakdown). */
export function renderAllocationChartPng(
  input: AllocationChartInput,
  assets?: Partial<ChartAssetPaths>,
): Promise<Buffer> {
  return rasteriseSvg(buildAllocationChartSvg(input), resolveChartAssets(process.env, assets));
}
