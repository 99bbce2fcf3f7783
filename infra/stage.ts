import { type App, type Environment, Tags } from 'aws-cdk-lib';
import { EstherStack } from './esther-stack';
import { readEstherSettings } from './settings';

/**
 * The stack of one stage, named from context (`stage`, `stackName`): `cdk deploy -c stage=prod` sits next
 * to `dev` in the same account and region, since every resource name is generated from the stack name.
 */
export function addEstherStage(app: App, env?: Environment): EstherStack {
  const settings = readEstherSettings((key) => app.node.tryGetContext(key));
  const stack = new EstherStack(app, settings.stackName, {
    settings,
    env,
    description: `Esther Portfolio (${settings.stage}): Telegram bot for multi-chain crypto portfolios on the OKX Web3 API`,
  });
  Tags.of(app).add('project', 'esther-portfolio');
  Tags.of(app).add('stage', settings.stage);
  return stack;
}
