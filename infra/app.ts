import { App, Tags } from 'aws-cdk-lib';
import { EstherStack } from './esther-stack';

const app = new App();
new EstherStack(app, 'EstherPortfolio', {
  description: 'Esther Portfolio: Telegram bot for multi-chain crypto portfolios on the OKX Web3 API',
  // Account and region of the current AWS profile; unset keeps the template environment-agnostic.
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
Tags.of(app).add('project', 'esther-portfolio');
