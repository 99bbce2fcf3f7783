import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Template } from 'aws-cdk-lib/assertions';
import { createEstherStack, functionLogicalId } from './support/esther-template';

/** The one test that runs esbuild: the bundles, the ESM banner and the chart files shipped with the webhook. */
describe('bundling (esbuild, local, no Docker)', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'esther-bundle-'));
  let bundles: string[];
  let webhookBundle: string;
  beforeAll(() => {
    const { app, stack } = createEstherStack({ outdir, bundle: true });
    app.synth();
    const template = Template.fromStack(stack);
    const s3Key = template.toJSON().Resources[functionLogicalId(template, 'TelegramWebhook')].Properties.Code
      .S3Key as string;
    webhookBundle = join(outdir, `asset.${s3Key.replace(/\.zip$/, '')}`);
    // The functions' bundles (the Mini App's file deployment adds assets of its own: its handler, the CLI layer, the files).
    bundles = readdirSync(outdir)
      .filter((entry) => entry.startsWith('asset.') && existsSync(join(outdir, entry, 'index.mjs')))
      .map((entry) => join(outdir, entry));
  }, 60_000);
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('writes one ESM bundle with a source map per function', () => {
    expect(bundles).toHaveLength(5);
    for (const bundle of bundles) {
      expect(existsSync(join(bundle, 'index.mjs.map'))).toBe(true);
      const code = readFileSync(join(bundle, 'index.mjs'), 'utf8');
      expect(code.startsWith("import { createRequire as __estherCreateRequire } from 'node:module';")).toBe(true);
      expect(code).toContain('export{');
    }
  });

  it('bundles middy and Powertools into every function and leaves only the AWS SDK to the runtime (and the tracer, with tracing off)', () => {
    for (const bundle of bundles) {
      const code = readFileSync(join(bundle, 'index.mjs'), 'utf8');
      // Static `import … from"x"` / `import"x"` statements and dynamic `import("x")` calls of the minified ESM.
      const specifiers = [
        ...code.matchAll(/(?:^|[;}\n])import\s*(?:[\w${}*,\s]*?from\s*)?"([^"]+)"|\bimport\("([^"]+)"\)/g),
      ].map((match) => match[1] ?? match[2]!);
      const packages = specifiers.filter((name) => !name.startsWith('.'));
      expect(packages).toContain('@aws-sdk/client-dynamodb');
      const others = packages.filter(
        (name) => !name.startsWith('node:') && !builtinModules.includes(name) && !name.startsWith('@aws-sdk/'),
      );
      // Imported by shared/platform/tracing.ts only when POWERTOOLS_TRACE_ENABLED is true, which it is not here.
      expect([...new Set(others)].sort()).toEqual([
        '@aws-lambda-powertools/tracer',
        '@aws-lambda-powertools/tracer/middleware',
      ]);
      expect(code).not.toContain('AWS_XRAY_CONTEXT_MISSING');
      expect(code).toContain('POWERTOOLS_METRICS_NAMESPACE');
    }
  });

  it('ships resvg.wasm and DejaVuSans.ttf next to the webhook bundle only', () => {
    expect(bundles.filter((bundle) => existsSync(join(bundle, 'resvg.wasm')))).toEqual([webhookBundle]);
    // "\0asm": a WebAssembly module; "\0\1\0\0": a TrueType font.
    expect(readFileSync(join(webhookBundle, 'resvg.wasm')).subarray(0, 4)).toEqual(
      Buffer.from([0x00, 0x61, 0x73, 0x6d]),
    );
    expect(readFileSync(join(webhookBundle, 'DejaVuSans.ttf')).subarray(0, 4)).toEqual(
      Buffer.from([0x00, 0x01, 0x00, 0x00]),
    );
  });
});
