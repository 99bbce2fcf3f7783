import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { ENV } from '../../shared/platform/config/env-names';

/** Repository root: holds package-lock.json and the `functions/` entries. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * ESM output still has to load CommonJS dependencies (telegraf, big.js ...) whose bundled `require`
 * calls need a real `require`. The alias avoids clashing with a bundled `createRequire` import.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __estherCreateRequire } from 'node:module'; const require = __estherCreateRequire(import.meta.url);";

/** A file from the project copied next to the bundle (`/var/task/<bundledName>` in Lambda). */
export interface BundledFile {
  /** Path relative to the project root, e.g. `node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf`. */
  readonly source: string;
  /** File name next to `index.mjs`. */
  readonly bundledName: string;
}

export interface EstherFunctionProps {
  /** Folder under `functions/` holding `handler.ts`. */
  readonly functionDir: string;
  readonly description: string;
  /** @default 10 seconds */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  readonly environment?: Record<string, string>;
  /** X-Ray active tracing; the handler then loads Powertools Tracer (POWERTOOLS_TRACE_ENABLED). @default false */
  readonly tracing?: boolean;
  /** @default one month */
  readonly logRetention?: RetentionDays;
  readonly bundledFiles?: readonly BundledFile[];
  /** Reserved concurrency: a ceiling for this function and a floor the others cannot take. @default none */
  readonly reservedConcurrentExecutions?: number;
}

/** Imported by shared/platform/tracing.ts only when POWERTOOLS_TRACE_ENABLED is true. */
export const TRACER_PACKAGE = '@aws-lambda-powertools/tracer';

/** Lambda's code directory for zip-packaged functions. */
export const LAMBDA_TASK_ROOT = '/var/task';

/**
 * The house defaults for every function: Node.js 24 on arm64, esbuild ESM bundle (minified, with source
 * maps; middy and Powertools are bundled, the AWS SDK is left to the runtime), an explicit log group with
 * retention, source-mapped stack traces, and Powertools Tracer switched on exactly where X-Ray tracing is.
 */
export class EstherFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: EstherFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    super(scope, id, {
      entry: `${PROJECT_ROOT}functions/${props.functionDir}/handler.ts`,
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      tracing: props.tracing ? Tracing.ACTIVE : Tracing.DISABLED,
      logGroup,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        [ENV.traceEnabled]: String(props.tracing ?? false),
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        // The runtime's SDK; everything else (middy, Powertools, telegraf ...) goes into the bundle, except Powertools
        // Tracer (and the X-Ray SDK under it) where tracing is off: the handler imports it only when it is on.
        externalModules: ['@aws-sdk/*', ...(props.tracing ? [] : [TRACER_PACKAGE])],
        minify: true,
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: false,
        commandHooks: props.bundledFiles?.length ? copyFilesHook(props.bundledFiles) : undefined,
      },
    });
  }
}

function copyFilesHook(files: readonly BundledFile[]) {
  return {
    beforeBundling: (): string[] => [],
    beforeInstall: (): string[] => [],
    afterBundling: (inputDir: string, outputDir: string): string[] =>
      files.map((file) => `cp "${inputDir}/${file.source}" "${outputDir}/${file.bundledName}"`),
  };
}
