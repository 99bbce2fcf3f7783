import { App } from 'aws-cdk-lib';
import { addEstherStage } from './stage';

// Account and region of the current AWS profile; unset keeps the template environment-agnostic.
addEstherStage(new App(), { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION });
