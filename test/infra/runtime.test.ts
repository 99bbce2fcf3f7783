import { readFileSync } from 'node:fs';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthEstherTemplate, SYNTH_TIMEOUT } from './support/esther-template';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  devDependencies: Record<string, string>;
  engines: { node: string };
};

describe('the runtime we test is the runtime we deploy', SYNTH_TIMEOUT, () => {
  // The synth (with a cold aws-cdk-lib import) in the hook, under its longer timeout, as the other infra tests do.
  let template: Template;
  beforeAll(() => {
    template = synthEstherTemplate();
  });

  it('runs the tests on the Node major every Lambda function runs', () => {
    const runtimes = Object.values(template.findResources('AWS::Lambda::Function'))
      .map((resource) => (resource as { Properties: { Runtime?: string } }).Properties.Runtime)
      .filter((runtime): runtime is string => runtime !== undefined && runtime.startsWith('nodejs'));
    const majors = new Set(runtimes.map((runtime) => runtime.replace(/^nodejs(\d+)\.x$/, '$1')));
    expect([...majors]).toEqual([process.versions.node.split('.')[0]]);
  });

  it('pins that Node as a devDependency, so npm scripts find it before the system Node', () => {
    expect(pkg.devDependencies.node).toBe(process.versions.node);
    expect(pkg.engines.node).toBe(`>=${process.versions.node.split('.')[0]}`);
  });
});
