import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLE_DEFINITIONS } from '../../shared/platform/dynamo/table-definitions';
import { synthEstherTemplate } from './support/esther-template';

describe('tables', () => {
  let template: Template;
  beforeAll(() => {
    template = synthEstherTemplate();
  });

  it('creates exactly the five tables from TABLE_DEFINITIONS under their stable logical ids', () => {
    const tables = template.findResources('AWS::DynamoDB::Table');
    expect(Object.keys(tables).sort()).toEqual(TABLE_DEFINITIONS.map((definition) => definition.logicalId).sort());
    expect(Object.keys(tables)).toEqual([
      'PortfoliosTable',
      'HoldingsTable',
      'PricesTable',
      'SnapshotsTable',
      'SessionsTable',
    ]);
  });

  it.each(TABLE_DEFINITIONS.map((definition) => [definition.logicalId, definition] as const))(
    '%s is on-demand with PITR, deletion protection, string pk/sk, retained when in use and without a physical name',
    (logicalId, definition) => {
      const resource = template.toJSON().Resources[logicalId];
      // RETAIN_ON_UPDATE_OR_DELETE: kept on stack delete and replacement, dropped only by a failed create.
      expect(resource.DeletionPolicy).toBe('RetainExceptOnCreate');
      expect(resource.UpdateReplacePolicy).toBe('Retain');
      expect(resource.Properties.TableName).toBeUndefined();
      expect(resource.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        OnDemandThroughput: { MaxWriteRequestUnits: 1000 },
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      });
      expect(resource.Properties.TimeToLiveSpecification).toEqual(
        definition.ttlAttribute ? { AttributeName: definition.ttlAttribute, Enabled: true } : undefined,
      );
    },
  );

  it('turns deletion protection off on every table when tableDeletionProtection is false', () => {
    const tables = Object.values(
      synthEstherTemplate({ context: { tableDeletionProtection: false } }).findResources('AWS::DynamoDB::Table'),
    );
    expect(tables.map((table) => table.Properties.DeletionProtectionEnabled)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(tables.map((table) => table.DeletionPolicy)).toEqual(Array(5).fill('RetainExceptOnCreate'));
  });

  it('builds the portfolios gsi1 from the definition', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      GlobalSecondaryIndexes: [
        {
          IndexName: 'gsi1',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
          OnDemandThroughput: { MaxWriteRequestUnits: 1000 },
        },
      ],
    });
    const withIndexes = template.findResources('AWS::DynamoDB::Table', {
      Properties: { GlobalSecondaryIndexes: Match.anyValue() },
    });
    expect(Object.keys(withIndexes)).toEqual(['PortfoliosTable']);
  });

  it('passes every physical table name to every function under the definition env name', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(functions).toHaveLength(5);
    for (const fn of functions) {
      for (const definition of TABLE_DEFINITIONS) {
        expect(fn.Properties.Environment.Variables[definition.envName]).toEqual({ Ref: definition.logicalId });
      }
    }
  });
});
