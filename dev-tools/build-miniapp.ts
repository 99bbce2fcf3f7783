import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const MINIAPP_SOURCE = join(root, 'shared/miniapp/web');
export const MINIAPP_DIST = join(root, 'dist/miniapp');

export interface MiniAppBuild {
  readonly dir: string;
  readonly files: readonly string[];
  /** The JavaScript the first load fetches (the entry and the chunks it imports statically), gzipped (level 9). */
  readonly gzipJsBytes: number;
  readonly jsBytes: number;
  /** Chunks loaded only when asked for (dynamic import: OKX Connect, the QR code), gzipped, by file. */
  readonly lazyGzipBytes: Readonly<Record<string, number>>;
}

/**
 * Builds the Mini App into dist/miniapp/: hashed JS (the entry, and chunks split off at dynamic imports) and CSS
 * files (long-cacheable) and an index.html that names the entry (never cached), all paths relative so the page
 * works under /miniapp/ on any host.
 */
export async function buildMiniApp(outDir = MINIAPP_DIST): Promise<MiniAppBuild> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const result = await build({
    entryPoints: { app: join(MINIAPP_SOURCE, 'main.ts') },
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['chrome100', 'safari15', 'firefox100'],
    outdir: outDir,
    entryNames: '[name].[hash]',
    chunkNames: 'chunk.[hash]',
    // OKX Connect (≈ 200 KB gzipped) and the QR code load only when the person asks for them.
    splitting: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((file) => basename(file));
  const entry = Object.entries(result.metafile.outputs).find(([, output]) => output.entryPoint)![0];
  const js = basename(entry);
  const css = outputs.find((file) => file.endsWith('.css'));
  writeFileSync(join(outDir, 'index.html'), renderIndex(js, css));
  const firstLoad = staticallyLoaded(result.metafile, entry);
  const code = Buffer.concat([...firstLoad].map((file) => readFileSync(join(outDir, basename(file)))));
  const lazyGzipBytes = Object.fromEntries(
    outputs
      .filter((file) => file.endsWith('.js') && ![...firstLoad].some((loaded) => basename(loaded) === file))
      .map((file) => [file, gzipSync(readFileSync(join(outDir, file)), { level: 9 }).length]),
  );
  return {
    dir: outDir,
    files: ['index.html', ...outputs],
    jsBytes: code.length,
    gzipJsBytes: gzipSync(code, { level: 9 }).length,
    lazyGzipBytes,
  };
}

/** The entry and every chunk it (and they) import statically: what the browser fetches before the page runs. */
function staticallyLoaded(metafile: Metafile, entry: string): Set<string> {
  const loaded = new Set<string>();
  const visit = (file: string) => {
    if (loaded.has(file)) return;
    loaded.add(file);
    for (const imported of metafile.outputs[file]?.imports ?? [])
      if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
  };
  visit(entry);
  return loaded;
}

/** Builds when dist/miniapp is missing or older than a source file (npm start, the browser tests). */
export async function ensureMiniAppBuilt(outDir = MINIAPP_DIST): Promise<MiniAppBuild | undefined> {
  const index = join(outDir, 'index.html');
  if (existsSync(index) && newestSource(MINIAPP_SOURCE) <= statSync(index).mtimeMs) return undefined;
  return buildMiniApp(outDir);
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  // The dashboard formats money with the chat's own formatter: a change there rebuilds it too.
  for (const shared of ['shared/platform/telegram/money-format.ts', 'shared/kernel/decimal.ts'])
    newest = Math.max(newest, statSync(join(root, shared)).mtimeMs);
  return newest;
}

function renderIndex(js: string, css: string | undefined): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="color-scheme" content="light dark">
<title>Esther — portfolio</title>
${css ? `<link rel="stylesheet" href="./${css}">\n` : ''}<script type="module" src="./${js}"></script>
</head>
<body>
<main id="app"></main>
</body>
</html>
`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const built = await buildMiniApp();
  console.log(
    `[build:miniapp] ${relative(root, built.dir)}: ${built.files.length} files; first-load JS ${(built.jsBytes / 1024).toFixed(1)} KiB, ${(built.gzipJsBytes / 1024).toFixed(1)} KiB gzipped; loaded on demand: ${
      Object.entries(built.lazyGzipBytes)
        .map(([file, bytes]) => `${file} ${(bytes / 1024).toFixed(1)} KiB gzipped`)
        .join(', ') || 'none'
    }`,
  );
}
