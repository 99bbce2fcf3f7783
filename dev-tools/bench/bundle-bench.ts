import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { ESM_REQUIRE_BANNER, TRACER_PACKAGE } from '../../infra/constructs/esther-function';

/**
 * `npm run bench:bundle`: each function bundled as `cdk deploy` bundles it (esbuild ESM, minified, the
 * AWS SDK left to the runtime, tracing off), its size, and its cold-start import time: the median over fresh Node
 * processes of `await import(bundle)`, the part of a cold start our code controls.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = join(ROOT, 'node_modules/.cache/bundle-bench');
const FUNCTIONS = ['telegram-webhook', 'sync-fanout', 'sync-worker', 'health'];
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

const ENV = {
  ...process.env,
  AWS_REGION: 'us-east-1',
  TELEGRAM_BOT_TOKEN: '100000:bench',
  TELEGRAM_WEBHOOK_SECRET: 'bench-secret-bench-secret-bench-secret',
  OKX_API_KEY: 'k',
  OKX_SECRET_KEY: 's',
  OKX_API_PASSPHRASE: 'p',
  OKX_PROJECT_ID: 'i',
};

function importMs(file: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(file)}); process.stdout.write(String(performance.now() - t));`;
  return Number(
    execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: ENV, cwd: ROOT }).toString(),
  );
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
process.stdout.write(`node ${process.version}, ${RUNS} cold imports each\n`);
process.stdout.write('function            bundle KiB  gzip KiB  import ms (median)\n');
for (const name of FUNCTIONS) {
  const outfile = join(OUT, name, 'index.mjs');
  await build({
    entryPoints: [join(ROOT, 'functions', name, 'handler.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_BANNER },
    minify: true,
    // As deployed with tracing off (the default): the tracer is left out.
    external: ['@aws-sdk/*', TRACER_PACKAGE],
    logLevel: 'error',
  });
  const bytes = readFileSync(outfile);
  const times = Array.from({ length: RUNS }, () => importMs(outfile));
  const kib = (n: number) => (n / 1024).toFixed(1).padStart(10);
  process.stdout.write(
    `${name.padEnd(18)}${kib(bytes.length)}${kib(gzipSync(bytes).length)}${median(times).toFixed(1).padStart(20)}\n`,
  );
}
