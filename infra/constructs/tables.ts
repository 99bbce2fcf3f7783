import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, type CfnTable, Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import {
  TABLE_DEFINITIONS,
  type TableDefinition,
  type TableName,
} from '../../shared/platform/dynamo/table-definitions';

export interface TablesProps {
  /** On-demand write ceiling per table and index: a cost fuse. */
  readonly maxWriteRequestUnits: number;
  /** DynamoDB deletion protection (deletes outside CloudFormation). */
  readonly deletionProtection: boolean;
}

/** DynamoDB data-plane actions a function may be granted (a transaction needs the actions of its items). */
export type TableAction =
  'GetItem' | 'BatchGetItem' | 'Query' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'BatchWriteItem';
export type TableAccess = readonly TableAction[];

/**
 * Every table from `TABLE_DEFINITIONS` (the module `npm run db:init` also uses): on-demand, PITR,
 * deletion protection (a setting), generated physical names, and the definition's logical id pinned so
 * that moving this construct can never replace a table. RETAIN_ON_UPDATE_OR_DELETE keeps a table in use
 * through a stack delete or a replacement, yet a table created by a failed create rolls back with it.
 */
export class Tables extends Construct {
  readonly byName: ReadonlyMap<TableName, Table>;

  constructor(scope: Construct, id: string, props: TablesProps) {
    super(scope, id);
    this.byName = new Map(
      TABLE_DEFINITIONS.map((definition) => [definition.name, this.createTable(definition, props)]),
    );
  }

  /** `PORTFOLIOS_TABLE=...` etc.: every function gets every name (`readTableNames` requires all). */
  environment(): Record<string, string> {
    return Object.fromEntries(
      TABLE_DEFINITIONS.map((definition) => [definition.envName, this.table(definition.name).tableName]),
    );
  }

  /** Exactly the listed actions on each table and its indexes (least privilege: no Scan unless listed, and none is offered). */
  grant(grantee: IGrantable, access: Partial<Record<TableName, TableAccess>>): void {
    for (const [name, actions] of Object.entries(access) as [TableName, TableAccess][]) {
      this.table(name).grant(grantee, ...actions.map((action) => `dynamodb:${action}`));
    }
  }

  table(name: TableName): Table {
    const table = this.byName.get(name);
    if (!table) throw new Error(`no table definition named ${name}`);
    return table;
  }

  private createTable(definition: TableDefinition, props: TablesProps): Table {
    const table = new Table(this, definition.logicalId, {
      partitionKey: { name: definition.partitionKey, type: AttributeType.STRING },
      sortKey: { name: definition.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      maxWriteRequestUnits: props.maxWriteRequestUnits,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.deletionProtection,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
      timeToLiveAttribute: definition.ttlAttribute,
    });
    for (const index of definition.globalSecondaryIndexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        maxWriteRequestUnits: props.maxWriteRequestUnits,
      });
    }
    (table.node.defaultChild as CfnTable).overrideLogicalId(definition.logicalId);
    return table;
  }
}
