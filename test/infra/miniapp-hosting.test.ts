import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HASHED_CACHE_CONTROL, INDEX_CACHE_CONTROL, MiniAppHosting } from '../../infra/constructs/miniapp-hosting';
import { MINIAPP_API_PATH } from '../../infra/constructs/webhook-api';
import { API_PREFIX } from '../../shared/miniapp/miniapp-api';
import { MINIAPP_CONTENT_SECURITY_POLICY } from '../../shared/miniapp/web/content-security-policy';
import { functionLogicalId, synthEstherTemplate } from './support/esther-template';

// AWS managed CloudFront policies (docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-*-policies.html).
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

type Resource = { Type: string; Properties: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('Mini App hosting in the stack', () => {
  let template: Template;
  let resources: Record<string, Resource>;
  beforeAll(() => {
    template = synthEstherTemplate();
    resources = template.toJSON().Resources as Record<string, Resource>;
  });

  it('keeps the files in a private, encrypted, TLS-only bucket', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('lets only this distribution read the bucket, through origin access control', () => {
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: {
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Action: 's3:GetObject',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  it('serves the files with the origin’s Cache-Control (min TTL 0, so no-cache on index.html holds), over HTTPS', () => {
    const distribution = Object.values(resources).find(
      (resource) => resource.Type === 'AWS::CloudFront::Distribution',
    )!;
    const config = distribution.Properties.DistributionConfig;
    expect(config.DefaultCacheBehavior).toMatchObject({ ViewerProtocolPolicy: 'redirect-to-https', Compress: true });
    const policyId = config.DefaultCacheBehavior.CachePolicyId.Ref as string;
    expect(resources[policyId]!.Properties.CachePolicyConfig).toMatchObject({
      MinTTL: 0,
      MaxTTL: 31_536_000,
    });
    const s3Origin = config.Origins.find((origin: { S3OriginConfig?: unknown }) => origin.S3OriginConfig);
    expect(s3Origin.OriginAccessControlId).toBeDefined();
    expect(s3Origin.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
  });

  it('serves the page with its strict Content-Security-Policy and no X-Frame-Options (Telegram Web frames it)', () => {
    const distribution = Object.values(resources).find(
      (resource) => resource.Type === 'AWS::CloudFront::Distribution',
    )!;
    const policyRef = distribution.Properties.DistributionConfig.DefaultCacheBehavior.ResponseHeadersPolicyId.Ref;
    const config = resources[policyRef]!.Properties.ResponseHeadersPolicyConfig;
    const csp = config.SecurityHeadersConfig.ContentSecurityPolicy;
    expect(csp.Override).toBe(true);
    expect(csp.ContentSecurityPolicy).toBe(MINIAPP_CONTENT_SECURITY_POLICY);
    const directives = Object.fromEntries(
      (csp.ContentSecurityPolicy as string).split('; ').map((directive) => {
        const [name, ...values] = directive.split(' ');
        return [name, values];
      }),
    );
    // No inline script, no eval, no other origin's script; the API on the page's own origin.
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['connect-src']![0]).toBe("'self'");
    expect(
      directives['connect-src']!.every((source: string) => source === "'self'" || /okx|coinall/.test(source)),
    ).toBe(true);
    expect(directives['frame-ancestors']).toEqual(["'self'", 'https://web.telegram.org']);
    expect(config.SecurityHeadersConfig.FrameOptions).toBeUndefined();
    expect(config.SecurityHeadersConfig.ContentTypeOptions).toEqual({ Override: true });
    expect(config.SecurityHeadersConfig.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: 31_536_000 });
    // The API's answers are JSON: the page's policy is on the static files only.
    expect(distribution.Properties.DistributionConfig.CacheBehaviors[0].ResponseHeadersPolicyId).toBeUndefined();
  });

  it('forwards /miniapp/api/* to the HTTP API uncached, with every viewer header but Host', () => {
    const distribution = Object.values(resources).find(
      (resource) => resource.Type === 'AWS::CloudFront::Distribution',
    )!;
    const config = distribution.Properties.DistributionConfig;
    expect(config.CacheBehaviors).toHaveLength(1);
    const api = config.CacheBehaviors[0];
    expect(api).toMatchObject({
      PathPattern: '/miniapp/api/*',
      CachePolicyId: CACHING_DISABLED,
      OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
      ViewerProtocolPolicy: 'https-only',
    });
    expect(api.AllowedMethods).toEqual(expect.arrayContaining(['GET', 'PUT']));
    const origin = config.Origins.find((candidate: { Id: string }) => candidate.Id === api.TargetOriginId);
    expect(JSON.stringify(origin.DomainName)).toContain('execute-api');
    expect(origin.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only' });
  });

  it('routes GET, PUT and POST /miniapp/api/{proxy+} on the HTTP API to the Mini App function', () => {
    for (const method of ['GET', 'PUT', 'POST']) {
      const route = Object.values(
        template.findResources('AWS::ApiGatewayV2::Route', {
          Properties: { RouteKey: `${method} /miniapp/api/{proxy+}` },
        }),
      )[0]!;
      const integrationId = (route.Properties.Target['Fn::Join'][1][1] as { Ref: string }).Ref;
      expect(resources[integrationId]!.Properties).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
        IntegrationUri: { 'Fn::GetAtt': [functionLogicalId(template, 'MiniAppApi'), 'Arn'] },
      });
    }
    expect(MINIAPP_API_PATH).toBe(API_PREFIX);
  });

  it('gives the Mini App function the bot token’s secret, the initData age, and (for signing) the OKX key, the shared OKX budget and the sync queue', () => {
    const fn = resources[functionLogicalId(template, 'MiniAppApi')]!;
    const env = fn.Properties.Environment.Variables as Record<string, unknown>;
    expect(env.MINIAPP_INIT_DATA_MAX_AGE_SECONDS).toBe('86400');
    expect(env.TELEGRAM_SECRET_ARN).toBeDefined();
    expect(env.OKX_SECRET_ARN).toBeDefined();
    expect(env.OKX_SHARED_RATE_LIMIT).toBe('true');
    expect(env.SYNC_QUEUE_URL).toBeDefined();
    expect(env.OKX_ROUTER_ALLOWLIST).toBeUndefined();
    // Up to five OKX calls per prepare: the HTTP API's 30 s, less a margin.
    expect(fn.Properties.Timeout).toBe(25);
  });

  it('outputs the page’s URL and passes it to the bot as MINIAPP_URL', () => {
    const url = {
      'Fn::Join': [
        '',
        [
          'https://',
          { 'Fn::GetAtt': [Match.stringLikeRegexp('^MiniAppDistribution'), 'DomainName'] },
          '/miniapp/index.html',
        ],
      ],
    };
    template.hasOutput('MiniAppUrl', { Value: url });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ MINIAPP_URL: url }) },
    });
    const webhook = resources[functionLogicalId(template, 'TelegramWebhook')]!;
    expect(webhook.Properties.Environment.Variables.MINIAPP_URL).toBeDefined();
  });

  it('deploys no files in a synth without bundling (its functions are not built either)', () => {
    template.resourceCountIs('Custom::CDKBucketDeployment', 0);
  });
});

describe('Mini App file deployment (a synth with bundling)', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  const synthHosting = (distDir: string) => {
    const outdir = mkdtempSync(join(tmpdir(), 'esther-miniapp-cdk-'));
    dirs.push(outdir);
    const app = new App({ outdir });
    const stack = new Stack(app, 'Hosting', { env: { account: '123456789012', region: 'eu-central-1' } });
    new MiniAppHosting(stack, 'MiniApp', { api: new HttpApi(stack, 'Api'), distDir });
    return { template: Template.fromStack(stack), outdir };
  };

  it('copies the hashed files with a year of caching, then index.html with no-cache and an invalidation', () => {
    const dist = mkdtempSync(join(tmpdir(), 'esther-miniapp-dist-'));
    dirs.push(dist);
    writeFileSync(join(dist, 'index.html'), '<!doctype html><script src="app.3f9c1a.js"></script>');
    writeFileSync(join(dist, 'app.3f9c1a.js'), 'console.log(1)');
    const { template } = synthHosting(dist);
    const deployments = template.findResources('Custom::CDKBucketDeployment');
    const byId = (prefix: string) =>
      Object.entries(deployments).find(([id]) => id.startsWith(prefix))![1] as Resource & { DependsOn?: string[] };
    const assets = byId('MiniAppDeployAssets');
    const index = byId('MiniAppDeployIndex');
    expect(assets.Properties).toMatchObject({
      DestinationBucketKeyPrefix: 'miniapp/',
      Exclude: ['index.html'],
      SystemMetadata: { 'cache-control': HASHED_CACHE_CONTROL },
      Prune: true,
    });
    expect(index.Properties).toMatchObject({
      DestinationBucketKeyPrefix: 'miniapp/',
      Exclude: ['*'],
      Include: ['index.html'],
      SystemMetadata: { 'cache-control': INDEX_CACHE_CONTROL },
      Prune: false,
      DistributionPaths: ['/miniapp/index.html'],
    });
    expect(JSON.stringify(index.DependsOn)).toContain('MiniAppDeployAssets');
  });

  it('deploys a placeholder page when the front end is not built', () => {
    const { template, outdir } = synthHosting(join(tmpdir(), 'esther-no-such-dist'));
    template.resourceCountIs('Custom::CDKBucketDeployment', 2);
    const pages = readdirSync(outdir, { recursive: true, encoding: 'utf8' }).filter((file) =>
      file.endsWith('index.html'),
    );
    expect(pages).toHaveLength(1);
    expect(readFileSync(join(outdir, pages[0]!), 'utf8')).toContain('The dashboard has not been built');
  });
});
