import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLE_DEFINITIONS } from '../../shared/platform/dynamo/table-definitions';
import {
  actionsOf,
  functionLogicalId,
  functionRoleId,
  mentions,
  roleStatements,
  synthEstherTemplate,
  SYNTH_TIMEOUT,
} from './support/esther-template';

const TABLE_IDS = TABLE_DEFINITIONS.map((definition) => definition.logicalId);

describe('grants', SYNTH_TIMEOUT, () => {
  let template: Template;
  let secretIds: { telegram: string; okx: string };
  beforeAll(() => {
    template = synthEstherTemplate();
    const secrets = Object.keys(template.findResources('AWS::SecretsManager::Secret'));
    secretIds = {
      telegram: secrets.find((id) => id.includes('Telegram'))!,
      okx: secrets.find((id) => id.includes('Okx'))!,
    };
  });

  const statementsOf = (functionId: string) => roleStatements(template, functionRoleId(template, functionId));

  const secretsReadBy = (functionId: string) =>
    Object.entries(secretIds)
      .filter(([, secretId]) =>
        statementsOf(functionId).some(
          (statement) =>
            mentions(statement, secretId) && actionsOf(statement).includes('secretsmanager:GetSecretValue'),
        ),
      )
      .map(([name]) => name);

  /** The DynamoDB actions per table (sorted) for the function's role; tables it cannot touch are left out. */
  const tableActions = (functionId: string) =>
    Object.fromEntries(
      TABLE_IDS.flatMap((tableId) => {
        const actions = statementsOf(functionId)
          .filter((statement) => mentions(statement, tableId))
          .flatMap(actionsOf)
          .filter((action) => action.startsWith('dynamodb:'));
        return actions.length
          ? [[tableId, [...new Set(actions)].map((action) => action.slice('dynamodb:'.length)).sort()]]
          : [];
      }),
    );

  it.each([
    ['TelegramWebhook', ['telegram', 'okx']],
    ['SyncWorker', ['okx']],
    ['Health', ['okx']],
    ['SyncFanout', []],
    ['NotifySender', ['telegram']],
    ['NotifyDigest', []],
    ['MiniAppApi', ['telegram', 'okx']],
  ])('lets %s read exactly the secrets %j', (functionId, expected) => {
    expect(secretsReadBy(functionId)).toEqual(expected);
  });

  it('never grants more than read on a secret', () => {
    for (const functionId of [
      'TelegramWebhook',
      'SyncWorker',
      'Health',
      'SyncFanout',
      'NotifySender',
      'NotifyDigest',
      'MiniAppApi',
    ]) {
      const secretActions = statementsOf(functionId)
        .flatMap(actionsOf)
        .filter((action) => action.startsWith('secretsmanager:'));
      expect(new Set(secretActions)).toEqual(
        new Set(secretActions.length ? ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'] : []),
      );
    }
  });

  it('passes secret ARNs (references, never values) only to the functions that read them', () => {
    const variables = (functionId: string) =>
      template.toJSON().Resources[functionLogicalId(template, functionId)].Properties.Environment.Variables;
    expect(variables('TelegramWebhook')).toMatchObject({
      TELEGRAM_SECRET_ARN: { Ref: secretIds.telegram },
      OKX_SECRET_ARN: { Ref: secretIds.okx },
    });
    expect(variables('SyncWorker')).toMatchObject({ OKX_SECRET_ARN: { Ref: secretIds.okx } });
    expect(variables('SyncWorker').TELEGRAM_SECRET_ARN).toBeUndefined();
    expect(variables('Health')).toMatchObject({ OKX_SECRET_ARN: { Ref: secretIds.okx } });
    expect(variables('SyncFanout').OKX_SECRET_ARN).toBeUndefined();
    expect(variables('SyncFanout').TELEGRAM_SECRET_ARN).toBeUndefined();
    // The signing routes (issue 13) prepare, broadcast and track through OKX.
    expect(variables('MiniAppApi')).toMatchObject({
      TELEGRAM_SECRET_ARN: { Ref: secretIds.telegram },
      OKX_SECRET_ARN: { Ref: secretIds.okx },
    });
  });

  it('creates the two JSON secrets with placeholders for the operator and retains them', () => {
    const secrets = template.toJSON().Resources;
    expect(secrets[secretIds.telegram].Properties.GenerateSecretString).toMatchObject({
      SecretStringTemplate: JSON.stringify({ botToken: 'REPLACE_ME' }),
      GenerateStringKey: 'webhookSecret',
      ExcludePunctuation: true,
    });
    expect(secrets[secretIds.okx].Properties.GenerateSecretString).toMatchObject({
      SecretStringTemplate: JSON.stringify({ apiKey: 'REPLACE_ME', passphrase: 'REPLACE_ME', projectId: 'REPLACE_ME' }),
      GenerateStringKey: 'secretKey',
    });
    expect(secrets[secretIds.telegram].DeletionPolicy).toBe('Retain');
    expect(secrets[secretIds.okx].DeletionPolicy).toBe('Retain');
    expect(secrets[secretIds.okx].Properties.Name).toBeUndefined();
  });

  // Worked from the stores each function composes (see TABLE_ACCESS in infra/esther-stack.ts for the reasons).
  const SYNC = {
    HoldingsTable: ['DeleteItem', 'PutItem', 'Query'],
    PricesTable: ['BatchGetItem', 'BatchWriteItem', 'GetItem', 'PutItem', 'Query'],
    SnapshotsTable: ['PutItem', 'Query'],
  };
  it.each([
    [
      'TelegramWebhook',
      {
        PortfoliosTable: ['DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'],
        ...SYNC,
        SessionsTable: ['DeleteItem', 'GetItem', 'PutItem', 'UpdateItem'],
      },
    ],
    [
      'SyncWorker',
      {
        PortfoliosTable: ['GetItem', 'Query', 'UpdateItem'],
        ...SYNC,
        SessionsTable: ['DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'],
      },
    ],
    ['SyncFanout', { PortfoliosTable: ['Query'], SessionsTable: ['UpdateItem'] }],
    // Health reads only what it reports on; sessions UpdateItem is the shared OKX limiter's rate-window count.
    ['Health', { PortfoliosTable: ['Query'], SessionsTable: ['GetItem', 'UpdateItem'] }],
    // The chart's history; a 403 marks the user item; delivery records and the Telegram pacers.
    [
      'NotifySender',
      {
        PortfoliosTable: ['Query', 'UpdateItem'],
        HoldingsTable: ['Query'],
        PricesTable: ['BatchGetItem'],
        SnapshotsTable: ['Query'],
        SessionsTable: ['GetItem', 'UpdateItem'],
      },
    ],
    // The Mini App reads what the chat reads; it writes the target (UpdateItem) and its per-user request windows.
    [
      'MiniAppApi',
      {
        PortfoliosTable: ['GetItem', 'Query', 'UpdateItem'],
        HoldingsTable: ['Query'],
        PricesTable: ['BatchGetItem', 'Query'],
        SnapshotsTable: ['Query'],
        SessionsTable: ['GetItem', 'UpdateItem'],
      },
    ],
    // The digest index and entries, the inactive mark, the points and holdings shown, the time zone setting and the
    // open alert episodes.
    [
      'NotifyDigest',
      {
        PortfoliosTable: ['GetItem', 'Query', 'UpdateItem'],
        HoldingsTable: ['Query'],
        SnapshotsTable: ['Query'],
        SessionsTable: ['GetItem', 'Query'],
      },
    ],
  ])('gives %s exactly the table actions %j', (functionId, expected) => {
    expect(tableActions(functionId)).toEqual(expected);
  });

  it('grants no Scan, table management or stream action to any function', () => {
    for (const functionId of [
      'TelegramWebhook',
      'SyncWorker',
      'Health',
      'SyncFanout',
      'NotifySender',
      'NotifyDigest',
      'MiniAppApi',
    ]) {
      const actions = statementsOf(functionId)
        .flatMap(actionsOf)
        .filter((action) => action.startsWith('dynamodb:'));
      expect(actions.filter((action) => /Scan|Table|Stream|\*/.test(action))).toEqual([]);
    }
  });

  it('covers the portfolios GSI wherever the portfolios table is granted', () => {
    for (const functionId of ['TelegramWebhook', 'SyncWorker', 'SyncFanout', 'Health', 'MiniAppApi']) {
      const portfolioStatements = statementsOf(functionId).filter((statement) =>
        mentions(statement, 'PortfoliosTable'),
      );
      expect(JSON.stringify(portfolioStatements)).toContain('/index/*');
    }
  });
});

describe('imported secrets', SYNTH_TIMEOUT, () => {
  it('uses existing secrets by name from context instead of creating them', () => {
    const template = synthEstherTemplate({
      context: { telegramSecretName: 'esther/telegram', okxSecretName: 'esther/okx' },
    });
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    const webhook = template.toJSON().Resources[functionLogicalId(template, 'TelegramWebhook')].Properties;
    expect(JSON.stringify(webhook.Environment.Variables.TELEGRAM_SECRET_ARN)).toContain(':secret:esther/telegram');
    const statements = roleStatements(template, functionRoleId(template, 'TelegramWebhook'));
    const secretResources = JSON.stringify(
      statements.filter((statement) => actionsOf(statement).includes('secretsmanager:GetSecretValue')),
    );
    expect(secretResources).toContain(':secret:esther/telegram-??????');
    expect(secretResources).toContain(':secret:esther/okx-??????');
  });
});
