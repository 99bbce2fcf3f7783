import {
  AreaSeries,
  createChart,
  createSeriesMarkers,
  LineSeries,
  LineStyle,
  type IChartApi,
  type ISeriesApi,
  type SeriesMarker,
  type UTCTimestamp,
} from 'lightweight-charts';
import type { PerformanceView } from '../api-types';

export interface ValueChart {
  show(view: PerformanceView): void;
  setTheme(isDark: boolean): void;
}

const AXIS = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 2 });

const toTime = (iso: string) => Math.floor(Date.parse(iso) / 1000) as UTCTimestamp;

/**
 * The value history with TradingView's lightweight-charts: recorded points as a solid area, points estimated from
 * past prices (back-fill) as a dashed line, wallets added or removed as markers. Values become JS numbers here
 * only to place pixels; every figure shown as text comes from the API's decimal strings.
 */
export function createValueChart(container: HTMLElement, isDark: boolean): ValueChart {
  const chart: IChartApi = createChart(container, {
    autoSize: true,
    height: 220,
    handleScroll: false,
    handleScale: false,
    rightPriceScale: { borderVisible: false },
    timeScale: { borderVisible: false, timeVisible: true },
    grid: { vertLines: { visible: false } },
    // From the start: the logo brings an inline <style>, which the page's CSP refuses.
    layout: { attributionLogo: false },
    // Axis ticks only (chart coordinates, not figures): "$685K".
    localization: { priceFormatter: (price: number) => `$${AXIS.format(price)}` },
  });
  const recorded: ISeriesApi<'Area'> = chart.addSeries(AreaSeries, { lineWidth: 2, priceLineVisible: false });
  const estimated: ISeriesApi<'Line'> = chart.addSeries(LineSeries, {
    lineWidth: 2,
    lineStyle: LineStyle.Dashed,
    priceLineVisible: false,
    lastValueVisible: false,
  });
  const markers = createSeriesMarkers(recorded, []);

  const setTheme = (dark: boolean) => {
    const text = dark ? '#d0d0d0' : '#333333';
    const line = dark ? '#8774e1' : '#3390ec';
    chart.applyOptions({
      layout: { background: { color: 'transparent' }, textColor: text, attributionLogo: false },
      grid: { horzLines: { color: dark ? '#2c2c2c' : '#eeeeee' } },
    });
    recorded.applyOptions({ lineColor: line, topColor: `${line}55`, bottomColor: `${line}05` });
    estimated.applyOptions({ color: dark ? '#888888' : '#9aa0a6' });
  };
  setTheme(isDark);

  return {
    setTheme,
    show(view) {
      const points = new Map<number, { value: number; estimated: boolean }>();
      for (const point of view.series)
        points.set(toTime(point.time), { value: Number(point.valueUsd), estimated: point.estimated });
      const ordered = [...points.entries()].sort(([a], [b]) => a - b);
      const firstRecorded = ordered.findIndex(([, point]) => !point.estimated);
      const recordedData = ordered
        .filter(([, point]) => !point.estimated)
        .map(([time, point]) => ({ time: time as UTCTimestamp, value: point.value }));
      // The dashed line runs up to the first recorded point so the two parts join.
      const estimatedData = ordered
        .slice(0, firstRecorded === -1 ? ordered.length : firstRecorded + 1)
        .filter(([, point], at) => point.estimated || at === firstRecorded)
        .map(([time, point]) => ({ time: time as UTCTimestamp, value: point.value }));
      recorded.setData(recordedData);
      estimated.setData(estimatedData.length > 1 ? estimatedData : []);
      const times = ordered.map(([time]) => time);
      markers.setMarkers(
        view.markers
          .map((marker): SeriesMarker<UTCTimestamp> | undefined => {
            // A marker sits on the first point at or after its time (markers attach to a point of the series).
            const at = times.find((time) => time >= toTime(marker.time)) ?? times.at(-1);
            if (at === undefined) return undefined;
            const added = marker.change === 'added';
            return {
              time: at as UTCTimestamp,
              position: added ? 'belowBar' : 'aboveBar',
              shape: added ? 'arrowUp' : 'arrowDown',
              color: added ? '#2e7d32' : '#c62828',
              text: marker.label,
            };
          })
          .filter((marker): marker is SeriesMarker<UTCTimestamp> => marker !== undefined)
          .sort((a, b) => a.time - b.time),
      );
      chart.timeScale().fitContent();
    },
  };
}
