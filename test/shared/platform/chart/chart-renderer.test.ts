import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Resvg } from '@resvg/resvg-wasm';
import { PNG } from 'pngjs';
import { buildAllocationChartSvg } from '../../../../shared/platform/chart/allocation-chart-svg';
import { rasteriseSvg, resolveChartAssets } from '../../../../shared/platform/chart/chart-rasteriser';
import { renderAllocationChartPng, renderValueChartPng } from '../../../../shared/platform/chart/chart-renderer';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('chart renderer (resvg-wasm)', () => {
  it('reports a missing asset as a ChartRenderError and recovers on the next call', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'chart-'));

    await expect(
      renderValueChartPng({ title: 'x', series: [] }, { wasmPath: join(empty, 'resvg.wasm') }),
    ).rejects.toMatchObject({ name: 'ChartRenderError' });

    const png = await renderValueChartPng({ title: 'x', series: [] });
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  });

  it('renders the value chart as a 1200 px wide PNG', async () => {
    const series = [
      { time: '2026-03-01T00:00:00.000Z', valueUsd: '10000' },
      { time: '2026-03-02T00:00:00.000Z', valueUsd: '10500' },
    ];

    const png = await renderValueChartPng({ title: 'Portfolio value · 24h', series });

    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(pngSize(png)).toEqual({ width: 1200, height: 630 });
  });

  it('renders the allocation chart with a height that follows the number of rows', async () => {
    const png = await renderAllocationChartPng({
      title: 'Allocation',
      slices: [
        { label: 'ETH', share: '0.6' },
        { label: 'USDC', share: '0.4' },
      ],
    });

    expect(pngSize(png)).toEqual({ width: 1200, height: Math.round((80 + 2 * 40 + 30) * 1.5) });
  });

  it('encodes exactly the pixels resvg renders (its own encoder gives the same image)', async () => {
    const svg = buildAllocationChartSvg({
      title: 'Allocation',
      slices: [
        { label: 'ETH', share: '0.6' },
        { label: 'USDC', share: '0.4' },
      ],
    });
    const png = await rasteriseSvg(svg);
    const font = new Uint8Array(readFileSync(resolveChartAssets({}).fontPath));
    const resvg = new Resvg(svg, {
      font: {
        fontBuffers: [font],
        loadSystemFonts: false,
        defaultFontFamily: 'DejaVu Sans',
        sansSerifFamily: 'DejaVu Sans',
      },
      fitTo: { mode: 'zoom', value: 1.5 },
    });
    const reference = PNG.sync.read(Buffer.from(resvg.render().asPng()));

    const ours = PNG.sync.read(png);

    expect([ours.width, ours.height]).toEqual([reference.width, reference.height]);
    expect(ours.data.equals(reference.data)).toBe(true);
  });
});

describe('chart asset location', () => {
  it('prefers explicit paths, then the CDK env paths, then CHART_ASSETS_DIR, then node_modules', () => {
    expect(resolveChartAssets({}, { wasmPath: '/a.wasm', fontPath: '/a.ttf' })).toEqual({
      wasmPath: '/a.wasm',
      fontPath: '/a.ttf',
    });
    expect(
      resolveChartAssets({ RESVG_WASM_PATH: '/var/task/resvg.wasm', CHART_FONT_PATH: '/var/task/DejaVuSans.ttf' }),
    ).toEqual({
      wasmPath: '/var/task/resvg.wasm',
      fontPath: '/var/task/DejaVuSans.ttf',
    });
    expect(resolveChartAssets({ CHART_ASSETS_DIR: '/opt/assets' })).toEqual({
      wasmPath: '/opt/assets/resvg.wasm',
      fontPath: '/opt/assets/DejaVuSans.ttf',
    });
    const local = resolveChartAssets({});
    expect(local.wasmPath).toMatch(/@resvg\/resvg-wasm\/index_bg\.wasm$/);
    expect(local.fontPath).toMatch(/dejavu-fonts-ttf\/ttf\/DejaVuSans\.ttf$/);
  });
});
