import { readFileSync } from 'node:fs';
import { Annotations, App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { EstherStack } from '../../../infra/esther-stack';

/**
 * Per-test timeout of the infra suites: a synth of the whole stack takes 1–5 s alone, but over 20 s (the
 * default) when a full run shares two cores with other work.
 */
export const SYNTH_TIMEOUT = { timeout: 60_000 } as const;

/** The context from cdk.json, so tests see the same feature flags and settings as `npm run synth`. */
export function readCdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(new URL('../../../cdk.json', import.meta.url), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return cdkJson.context;
}

export interface SynthOptions {
  readonly context?: Record<string, unknown>;
  /** @default false: `aws:cdk:bundling-stacks = []` keeps esbuild out of the tests */
  readonly bundle?: boolean;
  readonly outdir?: string;
  /** @default false: the placeholder-secret and no-subscriber warnings are acknowledged (asserted where they matter) */
  readonly keepWarnings?: boolean;
}

export function createEstherStack(options: SynthOptions = {}): { app: App; stack: EstherStack } {
  const app = new App({
    outdir: options.outdir,
    context: {
      ...readCdkJsonContext(),
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...options.context,
    },
  });
  const stack = new EstherStack(app, 'EstherTest', { env: { account: '123456789012', region: 'eu-central-1' } });
  // Asserted in stages.test.ts and alarms.test.ts; elsewhere they would only fill the test output.
  if (!options.keepWarnings)
    for (const id of ['placeholderSecret:TelegramSecret', 'placeholderSecret:OkxSecret', 'alarms.noSubscriber'])
      Annotations.of(stack).acknowledgeWarning(`esther:${id}`);
  return { app, stack };
}

export function synthEstherTemplate(options: SynthOptions = {}): Template {
  return Template.fromStack(createEstherStack(options).stack);
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/** Logical id of the single Lambda function whose CDK path contains `constructId`. */
export function functionLogicalId(template: Template, constructId: string): string {
  const functions = template.findResources('AWS::Lambda::Function') as Resources;
  const ids = Object.keys(functions).filter((id) => id.startsWith(constructId));
  if (ids.length !== 1) throw new Error(`expected one function ${constructId}, found ${ids.join(', ') || 'none'}`);
  return ids[0]!;
}

/** Logical id of the IAM role a function runs with. */
export function functionRoleId(template: Template, constructId: string): string {
  const fn = template.toJSON().Resources[functionLogicalId(template, constructId)] as {
    Properties: { Role: { 'Fn::GetAtt': [string, string] } };
  };
  return fn.Properties.Role['Fn::GetAtt'][0];
}

export interface PolicyStatement {
  readonly Action: string | string[];
  readonly Effect: string;
  readonly Resource: unknown;
}

/** Every statement of every inline policy attached to the role. */
export function roleStatements(template: Template, roleId: string): PolicyStatement[] {
  const policies = template.findResources('AWS::IAM::Policy') as Record<
    string,
    { Properties: { Roles: { Ref: string }[]; PolicyDocument: { Statement: PolicyStatement[] } } }
  >;
  return Object.values(policies)
    .filter((policy) => policy.Properties.Roles.some((role) => role.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

export function actionsOf(statement: PolicyStatement): string[] {
  return typeof statement.Action === 'string' ? [statement.Action] : statement.Action;
}

/** True when the statement's resources mention the logical id (Ref or GetAtt, possibly inside a Join). */
export function mentions(statement: PolicyStatement, logicalId: string): boolean {
  return JSON.stringify(statement.Resource).includes(`"${logicalId}"`);
}
