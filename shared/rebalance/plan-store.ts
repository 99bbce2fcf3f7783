import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DecimalString, IsoTime, RebalanceLeg, RebalanceMode, RebalancePlan } from '../kernel/types';
import { isConditionFailure } from '../platform/dynamo/dynamo-ops';
import { keys, ttlAfter } from '../platform/dynamo/keys';
import type { LegExecution } from './execution-rules';

/**
 * pending --confirm--> executing --> simulated | awaiting-signature
 * pending --confirm, quote moved--> executing --> superseded (a new pending plan replaces it)
 * pending --cancel--> cancelled
 * awaiting-signature --> submitted --> confirmed | failed | expired (issue 13, execution-rules.ts)
 */
export type PlanState =
  | 'pending'
  | 'executing'
  | 'simulated'
  | 'awaiting-signature'
  | 'submitted'
  | 'confirmed'
  | 'failed'
  | 'expired'
  | 'cancelled'
  | 'superseded';

export interface LegQuote {
  /** Expected output and the floor at the user's slippage cap, raw units of `leg.to`. */
  readonly toAmountRaw: DecimalString;
  readonly minReceivedRaw: DecimalString;
  readonly priceImpactPercent?: DecimalString;
  readonly gasUsd?: DecimalString;
  /** Gas units from the quote (not wei). */
  readonly estimateGasFee?: DecimalString;
  /** Value paid − value received at the quote's own unit prices, plus the network fee, in USD. */
  readonly costUsd: DecimalString;
  /** The quote's USD price of the bought token (`toToken.tokenUnitPrice`), to revalue a re-quoted plan. */
  readonly toTokenUnitPrice?: DecimalString;
}

export interface QuotedLeg {
  readonly leg: RebalanceLeg;
  readonly quote: LegQuote;
  /** Set when the plan enters awaiting-signature: the leg's signing steps (issue 13). */
  readonly execution?: LegExecution;
}

export interface StoredPlan {
  readonly planId: string;
  readonly userId: string;
  readonly chatId: number;
  readonly state: PlanState;
  readonly createdAt: IsoTime;
  readonly expiresAt: IsoTime;
  readonly slippagePercent: DecimalString;
  readonly mode: RebalanceMode;
  readonly totalValueUsd: DecimalString;
  readonly legs: readonly QuotedLeg[];
  readonly dropped: readonly { leg: RebalanceLeg; reason: string }[];
  readonly allocation: RebalancePlan['allocation'];
  /** Unlisted holdings the plan leaves as they are (absent on plans stored before this field). */
  readonly unlisted?: RebalancePlan['unlisted'];
  readonly kept?: RebalancePlan['kept'];
  readonly supersededBy?: string;
  /** The signing window's end (entering awaiting-signature + 15 min): prepare and broadcast are refused after it. */
  readonly signBy?: IsoTime;
  /** The last refresh from OKX (the page's polls refresh at most once per 3 s). */
  readonly trackedAt?: IsoTime;
  /** When the outcome was posted to the chat (once). */
  readonly reportedAt?: IsoTime;
}

/** One conditional write of some legs' executions (each at the revision it read), and maybe the plan's state. */
export interface ExecutionUpdate {
  readonly userId: string;
  /** The plan must be in one of these states. */
  readonly from: readonly PlanState[];
  readonly to?: PlanState;
  readonly at: IsoTime;
  /** Refused at or after this instant's `signBy` (prepare, broadcast). */
  readonly beforeSignBy?: IsoTime;
  readonly legs: readonly { readonly index: number; readonly expectedRev: number; readonly execution: LegExecution }[];
}

export type TransitionResult =
  { readonly ok: true; readonly plan: StoredPlan } | { readonly ok: false; readonly current?: StoredPlan };

export interface TransitionRequest {
  readonly from: PlanState;
  readonly to: PlanState;
  readonly userId: string;
  readonly at: IsoTime;
  /** When set, the plan must not have expired at this instant (confirm only). */
  readonly notExpiredAt?: IsoTime;
  readonly supersededBy?: string;
  /** Entering awaiting-signature: the signing window and the legs (fresh quotes, each with its execution). */
  readonly signBy?: IsoTime;
  readonly legs?: readonly QuotedLeg[];
}

export interface PlanStore {
  create(plan: StoredPlan): Promise<void>;
  get(planId: string): Promise<StoredPlan | undefined>;
  /** Conditional state change: exactly one caller wins `from -> to`; losers get the current plan back. */
  transition(planId: string, request: TransitionRequest): Promise<TransitionResult>;
  /** Conditional write of leg executions (see ExecutionUpdate); losers get the current plan back. */
  updateExecution(planId: string, update: ExecutionUpdate): Promise<TransitionResult>;
  /** Claims a refresh from OKX: true for one caller per `minGapMs` (the page's polls and the tracker share it). */
  claimTracking(planId: string, at: Date, minGapMs: number): Promise<boolean>;
  /** Claims the chat report of a settled plan: true exactly once. */
  claimReport(planId: string, at: IsoTime): Promise<boolean>;
}

/** Plans outlive their quote by a day so a late tap can still be told "Already done" rather than "expired". */
const RETENTION_SECONDS = 86_400;

export function createPlanStore(doc: DynamoDBDocumentClient, tableName: string): PlanStore {
  const get = async (planId: string) => {
    const result = await doc.send(
      new GetCommand({ TableName: tableName, Key: keys.rebalancePlan(planId), ConsistentRead: true }),
    );
    return result.Item ? toPlan(result.Item) : undefined;
  };
  return {
    async create(plan) {
      const item = {
        ...keys.rebalancePlan(plan.planId),
        entity: 'rebalance-plan',
        ...plan,
        updatedAt: plan.createdAt,
        ttl: ttlAfter(Date.parse(plan.expiresAt), RETENTION_SECONDS),
      };
      await doc.send(
        new PutCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
    },
    get,
    async transition(planId, request) {
      return conditional(planId, buildTransition(tableName, planId, request));
    },
    async updateExecution(planId, update) {
      return conditional(planId, buildExecutionUpdate(tableName, planId, update));
    },
    async claimTracking(planId, at, minGapMs) {
      return claim({
        TableName: tableName,
        Key: keys.rebalancePlan(planId),
        UpdateExpression: 'SET trackedAt = :at',
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(trackedAt) OR trackedAt <= :before)',
        ExpressionAttributeValues: {
          ':at': at.toISOString(),
          ':before': new Date(at.getTime() - minGapMs).toISOString(),
        },
      });
    },
    async claimReport(planId, at) {
      return claim({
        TableName: tableName,
        Key: keys.rebalancePlan(planId),
        UpdateExpression: 'SET reportedAt = :at',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(reportedAt) AND #state IN (:c, :f, :e)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':at': at, ':c': 'confirmed', ':f': 'failed', ':e': 'expired' },
      });
    },
  };

  async function conditional(
    planId: string,
    input: ConstructorParameters<typeof UpdateCommand>[0],
  ): Promise<TransitionResult> {
    try {
      const result = await doc.send(new UpdateCommand({ ...input, ReturnValues: 'ALL_NEW' }));
      return { ok: true, plan: toPlan(result.Attributes!) };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return { ok: false, current: await get(planId) };
    }
  }

  async function claim(input: ConstructorParameters<typeof UpdateCommand>[0]): Promise<boolean> {
    try {
      await doc.send(new UpdateCommand(input));
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return false;
    }
  }
}

function buildExecutionUpdate(tableName: string, planId: string, update: ExecutionUpdate) {
  const names: Record<string, string> = {
    '#state': 'state',
    ...(update.legs.length > 0 ? { '#legs': 'legs', '#exec': 'execution', '#rev': 'rev' } : {}),
  };
  const values: Record<string, unknown> = { ':userId': update.userId, ':at': update.at };
  const states = update.from.map((state, index) => {
    values[`:from${index}`] = state;
    return `:from${index}`;
  });
  const conditions = ['userId = :userId', `#state IN (${states.join(', ')})`];
  const sets = ['updatedAt = :at'];
  for (const { index, expectedRev, execution } of update.legs) {
    const path = `#legs[${index}].#exec`;
    values[`:rev${index}`] = expectedRev;
    values[`:exec${index}`] = execution;
    conditions.push(expectedRev === 0 ? `attribute_not_exists(${path}.#rev)` : `${path}.#rev = :rev${index}`);
    sets.push(`${path} = :exec${index}`);
    if (expectedRev === 0) delete values[`:rev${index}`];
  }
  if (update.to) {
    values[':to'] = update.to;
    sets.push('#state = :to');
  }
  if (update.beforeSignBy) {
    values[':now'] = update.beforeSignBy;
    conditions.push('signBy > :now');
  }
  return {
    TableName: tableName,
    Key: keys.rebalancePlan(planId),
    UpdateExpression: `SET ${sets.join(', ')}`,
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

function buildTransition(tableName: string, planId: string, request: TransitionRequest) {
  const conditions = ['#state = :from', 'userId = :userId'];
  const values: Record<string, unknown> = {
    ':from': request.from,
    ':to': request.to,
    ':userId': request.userId,
    ':at': request.at,
  };
  const sets = ['#state = :to', 'updatedAt = :at'];
  if (request.notExpiredAt) {
    conditions.push('expiresAt > :now');
    values[':now'] = request.notExpiredAt;
  }
  if (request.supersededBy) {
    sets.push('supersededBy = :next');
    values[':next'] = request.supersededBy;
  }
  if (request.signBy) {
    sets.push('signBy = :signBy');
    values[':signBy'] = request.signBy;
  }
  if (request.legs) {
    sets.push('legs = :legs');
    values[':legs'] = request.legs;
  }
  return {
    TableName: tableName,
    Key: keys.rebalancePlan(planId),
    UpdateExpression: `SET ${sets.join(', ')}`,
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: { '#state': 'state' },
    ExpressionAttributeValues: values,
  };
}

function toPlan(item: Record<string, unknown>): StoredPlan {
  const { pk: _pk, sk: _sk, entity: _entity, updatedAt: _updatedAt, ttl: _ttl, ...plan } = item;
  return plan as unknown as StoredPlan;
}
