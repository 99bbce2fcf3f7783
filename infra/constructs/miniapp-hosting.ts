import { existsSync } from 'node:fs';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HttpVersion,
  OriginRequestPolicy,
  PriceClass,
  HeadersReferrerPolicy,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source, type ISource } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { MINIAPP_CONTENT_SECURITY_POLICY } from '../../shared/miniapp/web/content-security-policy';
import { MINIAPP_API_PATH } from './webhook-api';

/** Where the front end's build (esbuild) writes the Mini App: index.html plus content-hashed files. */
export const MINIAPP_DIST_DIR = 'dist/miniapp';
/** The folder of the page on the distribution, and the S3 key prefix of its files. */
export const MINIAPP_PATH = '/miniapp/';
/** The page itself (named in full: S3 has no index document behind origin access control). */
export const MINIAPP_PAGE = `${MINIAPP_PATH}index.html`;

/** Hashed file names change with their content, so a year's caching is safe; index.html names them, so never cached. */
export const HASHED_CACHE_CONTROL = 'public, max-age=31536000, immutable';
export const INDEX_CACHE_CONTROL = 'no-cache';

/** Shown until the front end is built (`npm run synth` in a fresh clone, the infra tests). */
const PLACEHOLDER_HTML =
  '<!doctype html><meta charset="utf-8"><title>Esther Portfolio</title><p>The dashboard has not been built: run the Mini App build, then deploy again.</p>';

export interface MiniAppHostingProps {
  readonly api: HttpApi;
  /** The built Mini App; a placeholder page when it is missing. @default MINIAPP_DIST_DIR under the project root */
  readonly distDir: string;
}

/**
 * The Mini App's static files in a private S3 bucket, read by CloudFront through origin access control, and its
 * API (`/miniapp/api/*`) forwarded by the same distribution to the HTTP API, uncached. The page's URL is a stack
 * output and what the bot's 📊 Dashboard buttons open.
 */
export class MiniAppHosting extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** https://<distribution>/miniapp/index.html */
  readonly url: string;

  constructor(scope: Construct, id: string, props: MiniAppHostingProps) {
    super(scope, id);
    // Built files only (a deploy puts them back), but emptying a bucket on delete takes one more Lambda: it is
    // kept when the stack is deleted, like the tables; delete it by hand.
    this.bucket = new Bucket(this, 'Assets', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Origin Cache-Control decides (min TTL 0): index.html's no-cache is honoured, hashed files stay a year.
    const staticCache = new CachePolicy(this, 'StaticCache', {
      comment: 'Esther Mini App static files: the origin Cache-Control decides',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.days(1),
      maxTtl: Duration.days(365),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    // The page's strict CSP (shared/miniapp/web/content-security-policy.ts, the same as `npm start` serves). No
    // X-Frame-Options: the managed SECURITY_HEADERS policy's SAMEORIGIN would keep Telegram's web clients from framing
    // the page; the CSP's frame-ancestors names them instead.
    const securityHeaders = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Esther Mini App: strict Content-Security-Policy, framed only by Telegram web clients',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: MINIAPP_CONTENT_SECURITY_POLICY, override: true },
        contentTypeOptions: { override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
      },
    });
    const apiDomain = `${props.api.apiId}.execute-api.${Stack.of(this).region}.${Stack.of(this).urlSuffix}`;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Esther Portfolio Mini App',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: staticCache,
        responseHeadersPolicy: securityHeaders,
        compress: true,
      },
      additionalBehaviors: {
        [`${MINIAPP_API_PATH}/*`]: {
          origin: new HttpOrigin(apiDomain),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          // Every viewer header (the initData header among them) and the query string; the Host is the API's own.
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        },
      },
    });
    this.url = `https://${this.distribution.distributionDomainName}${MINIAPP_PAGE}`;

    // A synth without bundling (tests, `cdk synth --exclusively` of another stack) makes no deployable template:
    // its functions are not built either. It skips the copy too, so it stays fast.
    if (!Stack.of(this).bundlingRequired) return;
    const source = (): ISource =>
      existsSync(props.distDir) ? Source.asset(props.distDir) : Source.data('index.html', PLACEHOLDER_HTML);
    const prefix = MINIAPP_PATH.slice(1);
    // Hashed files first, so index.html never names a file that is not there yet.
    const assets = new BucketDeployment(this, 'DeployAssets', {
      sources: [source()],
      destinationBucket: this.bucket,
      destinationKeyPrefix: prefix,
      exclude: ['index.html'],
      cacheControl: [CacheControl.fromString(HASHED_CACHE_CONTROL)],
      prune: true,
    });
    const index = new BucketDeployment(this, 'DeployIndex', {
      sources: [source()],
      destinationBucket: this.bucket,
      destinationKeyPrefix: prefix,
      exclude: ['*'],
      include: ['index.html'],
      cacheControl: [CacheControl.fromString(INDEX_CACHE_CONTROL)],
      prune: false,
      distribution: this.distribution,
      distributionPaths: [MINIAPP_PAGE],
    });
    index.node.addDependency(assets);
  }
}
