import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DecimalString, IsoTime, RebalanceLeg, RebalanceMode, RebalancePlan } from '../kernel/types';
import { isConditionFailure } from '../platform/dynamo/condition-failure';
import { keys, ttlAfter } from '../platform/dynamo/keys';

/**
 * pending --confirm--> executing --> simulated | awaiting-signature
 * pending --confirm, quote moved--> executing --> superseded (a new pending plan replaces it)
 * pending --cancel--> cancelled
 */
export type PlanState = 'pending' | 'executing' | 'simulated' | 'awaiting-signature' | 'cancelled' | 'superseded';

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
}

export interface PlanStore {
  create(plan: StoredPlan): Promise<void>;
  get(planId: string): Promise<StoredPlan | undefined>;
  /** Conditional state change: exactly one caller wins `from -> to`; losers get the current plan back. */
  transition(planId: string, request: TransitionRequest): Promise<TransitionResult>;
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
      try {
        const result = await doc.send(new UpdateCommand(buildTransition(tableName, planId, request)));
        return { ok: true, plan: toPlan(result.Attributes!) };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        return { ok: false, current: await get(planId) };
      }
    },
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
  return {
    TableName: tableName,
    Key: keys.rebalancePlan(planId),
    UpdateExpression: `SET ${sets.join(', ')}`,
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: { '#state': 'state' },
    ExpressionAttributeValues: values,
    ReturnValues: 'ALL_NEW' as const,
  };
}

function toPlan(item: Record<string, unknown>): StoredPlan {
  const { pk: _pk, sk: _sk, entity: _entity, updatedAt: _updatedAt, ttl: _ttl, ...plan } = item;
  return plan as unknown as StoredPlan;
}
