import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEstherStack, functionLogicalId, synthEstherTemplate, SYNTH_TIMEOUT } from './support/esther-template';

const FUNCTIONS = ['TelegramWebhook', 'Health', 'SyncFanout', 'SyncWorker'] as const;

describe('functions', SYNTH_TIMEOUT, () => {
  let template: Template;
  beforeAll(() => {
    template = synthEstherTemplate();
  });

  it.each(FUNCTIONS)('%s runs nodejs24.x on arm64 from an ESM bundle with source maps', (name) => {
    const fn = template.toJSON().Resources[functionLogicalId(template, name)].Properties;
    expect(fn).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], Handler: 'index.handler' });
    expect(fn.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
    expect(fn.FunctionName).toBeUndefined();
  });

  it.each(FUNCTIONS)('%s logs to its own log group kept for one month', (name) => {
    const fn = template.toJSON().Resources[functionLogicalId(template, name)].Properties;
    const logGroupId = fn.LoggingConfig.LogGroup.Ref as string;
    const logGroup = template.toJSON().Resources[logGroupId];
    expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
    expect(logGroup.Properties).toEqual({ RetentionInDays: 30 });
  });

  it('gives every function the deploy settings from context, dry run on by default', () => {
    for (const name of FUNCTIONS) {
      const variables = template.toJSON().Resources[functionLogicalId(template, name)].Properties.Environment.Variables;
      expect(variables).toMatchObject({
        DRY_RUN_MODE: 'true',
        OKX_BASE_URL: 'https://web3.okx.com',
        OKX_RATE_LIMIT_PER_SECOND: '1',
        TELEGRAM_API_ROOT: 'https://api.telegram.org',
        LOG_LEVEL: 'INFO',
        POWERTOOLS_SERVICE_NAME: 'esther-portfolio',
        POWERTOOLS_METRICS_NAMESPACE: 'EstherPortfolio/dev',
      });
    }
  });

  it("sets each stage's own metrics namespace in every function", () => {
    const prod = synthEstherTemplate({ context: { stage: 'prod' } });
    for (const name of FUNCTIONS) {
      const variables = prod.toJSON().Resources[functionLogicalId(prod, name)].Properties.Environment.Variables;
      expect(variables.POWERTOOLS_METRICS_NAMESPACE).toBe('EstherPortfolio/prod');
    }
  });

  it('keeps X-Ray tracing and Powertools Tracer off by default, and turns both on together with the tracing context', () => {
    const traced = synthEstherTemplate({ context: { tracing: 'true', logLevel: 'DEBUG' } });
    for (const name of FUNCTIONS) {
      const off = template.toJSON().Resources[functionLogicalId(template, name)].Properties;
      const on = traced.toJSON().Resources[functionLogicalId(traced, name)].Properties;
      expect([off.TracingConfig?.Mode, off.Environment.Variables.POWERTOOLS_TRACE_ENABLED]).toEqual([
        undefined,
        'false',
      ]);
      expect([
        on.TracingConfig.Mode,
        on.Environment.Variables.POWERTOOLS_TRACE_ENABLED,
        on.Environment.Variables.LOG_LEVEL,
      ]).toEqual(['Active', 'true', 'DEBUG']);
    }
  });

  it('turns on the shared OKX rate limit for every function that calls OKX, and only there', () => {
    const variables = (name: string) =>
      template.toJSON().Resources[functionLogicalId(template, name)].Properties.Environment.Variables;
    for (const name of ['TelegramWebhook', 'Health', 'SyncWorker'])
      expect(variables(name).OKX_SHARED_RATE_LIMIT).toBe('true');
    expect(variables('SyncFanout').OKX_SHARED_RATE_LIMIT).toBeUndefined();
  });

  it('keeps the webhook within API Gateway limits and tells it where the chart files are', () => {
    const webhook = template.toJSON().Resources[functionLogicalId(template, 'TelegramWebhook')].Properties;
    expect(webhook.Timeout).toBeLessThanOrEqual(25);
    expect(webhook.Environment.Variables).toMatchObject({
      RESVG_WASM_PATH: '/var/task/resvg.wasm',
      CHART_FONT_PATH: '/var/task/DejaVuSans.ttf',
    });
  });

  it('never puts a secret value into an environment variable', () => {
    for (const name of FUNCTIONS) {
      const variables = template.toJSON().Resources[functionLogicalId(template, name)].Properties.Environment.Variables;
      for (const forbidden of [
        'TELEGRAM_BOT_TOKEN',
        'TELEGRAM_WEBHOOK_SECRET',
        'OKX_API_KEY',
        'OKX_API_SECRET',
        'OKX_API_PASSPHRASE',
        'OKX_PROJECT_ID',
      ])
        expect(variables[forbidden]).toBeUndefined();
      expect(JSON.stringify(variables)).not.toContain('resolve:secretsmanager');
    }
  });

  it('names no resource physically (no literal names; references are fine)', () => {
    const nameProperties = ['TableName', 'FunctionName', 'QueueName', 'TopicName', 'RoleName', 'LogGroupName', 'Name'];
    const resources = template.toJSON().Resources as Record<
      string,
      { Type: string; Properties?: Record<string, unknown> }
    >;
    for (const [id, resource] of Object.entries(resources)) {
      // An HTTP API's Name is a display label, not an identifier other resources could collide with.
      if (resource.Type === 'AWS::ApiGatewayV2::Api') continue;
      for (const property of nameProperties)
        expect({ id, property, type: typeof resource.Properties?.[property] }).not.toEqual({
          id,
          property,
          type: 'string',
        });
    }
  });
});

describe('bundling switch', SYNTH_TIMEOUT, () => {
  const outdir = mkdtempSync(join(tmpdir(), 'esther-cdk-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('skips esbuild when aws:cdk:bundling-stacks is empty (no bundled asset directories)', () => {
    const { app } = createEstherStack({ outdir });
    app.synth();
    // The one asset left is the CDK custom resource Provider framework's prebuilt code, copied as it is.
    const assets = readdirSync(outdir).filter((entry) => entry.startsWith('asset.'));
    expect(assets).toHaveLength(1);
    expect(readdirSync(join(outdir, assets[0]!))).toContain('framework.js');
  });
});
