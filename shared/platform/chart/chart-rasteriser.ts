import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import { ENV } from '../config/env-names';
import { buildOnce } from '../helpers';
import { encodePng } from './png-encode';

/** Where the wasm module and the font live: node_modules locally, next to the bundle in Lambda. */
export interface ChartAssetPaths {
  readonly wasmPath: string;
  readonly fontPath: string;
}

/** Override order: explicit option, the two env paths set by the CDK stack, a CHART_ASSETS_DIR, node_modules. */
export function resolveChartAssets(
  env: Record<string, string | undefined> = process.env,
  override: Partial<ChartAssetPaths> = {},
): ChartAssetPaths {
  const dir = env.CHART_ASSETS_DIR;
  const require = createRequire(import.meta.url);
  return {
    wasmPath:
      override.wasmPath ??
      env[ENV.resvgWasmPath] ??
      (dir ? join(dir, 'resvg.wasm') : require.resolve('@resvg/resvg-wasm/index_bg.wasm')),
    fontPath:
      override.fontPath ??
      env[ENV.chartFontPath] ??
      (dir ? join(dir, 'DejaVuSans.ttf') : require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
  };
}

// initWasm may run only once per process; a failed load is forgotten so the next call retries. Each asset
// is loaded on its own, so a missing font never makes the wasm initialise twice.
const initWasmOnce = buildOnce(async (wasmPath: string) => initWasm(await readFile(wasmPath)));
const loadFont = buildOnce(async (fontPath: string) => new Uint8Array(await readFile(fontPath)));

async function prepare(paths: ChartAssetPaths): Promise<Uint8Array> {
  try {
    const [, font] = await Promise.all([initWasmOnce(paths.wasmPath), loadFont(paths.fontPath)]);
    return font;
  } catch (error) {
    throw new ChartRenderError('chart assets could not be loaded', { cause: error });
  }
}

export class ChartRenderError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ChartRenderError';
  }
}

/** Rasterises an SVG string to PNG bytes with the bundled font only (no system fonts in Lambda). */
export async function rasteriseSvg(svg: string, paths: ChartAssetPaths = resolveChartAssets()): Promise<Buffer> {
  const font = await prepare(paths);
  const resvg = new Resvg(svg, {
    font: {
      fontBuffers: [font],
      loadSystemFonts: false,
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
    fitTo: { mode: 'zoom', value: 1.5 },
  } as ConstructorParameters<typeof Resvg>[1]);
  try {
    const image = resvg.render();
    try {
      // resvg's own `asPng` takes about five times as long for the same pixels (see png-encode.ts).
      return encodePng(image.width, image.height, image.pixels);
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
}
