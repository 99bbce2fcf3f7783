import type { TargetAllocation, Wallet } from '../kernel/types';
import type { UserProfile } from '../wallets/portfolio-store';
import type { SyncCycleStore, SyncLeaseStore } from './sync-cycle-store';
import type { SyncResult, UserSyncPort } from './sync-balances';

// One sync job: its message (encoded by the fan-out, parsed by the worker), the other message on the sync queue
// (a signed plan's `track-plan` look, issue 13) and its run for one user (`syncOneUser`).
// The imports above are types only, so the fan-out, which only encodes, loads nothing more.

/**
 * The sync job message shared by the fan-out (producer) and the worker (consumer). Bodies carry a
 * schema version `v` so a deploy while messages are in flight can still read (or deliberately drop)
 * the old shape.
 */
export const SYNC_JOB_VERSION = 1;

export interface SyncJob {
  readonly v: typeof SYNC_JOB_VERSION;
  readonly userId: string;
  /** The cycle's scheduled time, normalised ISO (`2026-01-01T10:00:00.000Z`). */
  readonly cycleId: string;
}

export class InvalidSyncJobError extends Error {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`invalid sync job: ${reason}`, options);
    this.name = 'InvalidSyncJobError';
  }
}

export function isInvalidSyncJobError(error: unknown): error is InvalidSyncJobError {
  return error instanceof InvalidSyncJobError;
}

export function encodeSyncJob(userId: string, cycleId: string): string {
  return JSON.stringify({ v: SYNC_JOB_VERSION, userId, cycleId } satisfies SyncJob);
}

/** Parses a message body; body without `v` is the pre-versioned shape `{ userId, cycleId }`. */
export function parseSyncJob(body: string): SyncJob {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new InvalidSyncJobError('body is not JSON', { cause: error });
  }
  if (typeof value !== 'object' || value === null) throw new InvalidSyncJobError('body is not an object');
  const { v, userId, cycleId } = value as Record<string, unknown>;
  if (v !== undefined && v !== SYNC_JOB_VERSION) throw new InvalidSyncJobError(`unknown schema version ${String(v)}`);
  if (typeof userId !== 'string' || userId === '') throw new InvalidSyncJobError('userId missing');
  if (typeof cycleId !== 'string' || Number.isNaN(Date.parse(cycleId)))
    throw new InvalidSyncJobError('cycleId is not a timestamp');
  return { v: SYNC_JOB_VERSION, userId, cycleId: new Date(cycleId).toISOString() };
}

/**
 * The tracker's message on the sync queue (issue 13): a delayed look at a plan in flight, handled by the sync worker;
 * its scheduler is rebalance/track-plan-job.ts.
 * Told apart from a sync job by `kind`.
 */
export interface TrackPlanJob {
  readonly v: 1;
  readonly kind: 'track-plan';
  readonly planId: string;
  readonly userId: string;
  /** 0-based: the back-off grows with it (execution-rules.ts trackDelaySeconds). */
  readonly attempt: number;
}

export function encodeTrackPlanJob(job: Omit<TrackPlanJob, 'v' | 'kind'>): string {
  return JSON.stringify({ v: 1, kind: 'track-plan', ...job } satisfies TrackPlanJob);
}

/** The job when the body is one, else undefined (a sync job or junk, for the sync job parser to judge). */
export function parseTrackPlanJob(body: string): TrackPlanJob | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || (value as { kind?: unknown }).kind !== 'track-plan')
    return undefined;
  const { planId, userId, attempt } = value as Record<string, unknown>;
  if (typeof planId !== 'string' || planId === '' || typeof userId !== 'string' || userId === '') return undefined;
  const tries = typeof attempt === 'number' && Number.isSafeInteger(attempt) && attempt >= 0 ? attempt : 0;
  return { v: 1, kind: 'track-plan', planId, userId, attempt: tries };
}

export interface SyncOneDeps {
  readonly service: UserSyncPort;
  /**
   * The profile, and with it the wallets and the saved target when the read gives them (one read of the user's
   * partition): the sync does not read the wallets again, and the alert check after it not the target.
   */
  readonly profiles: {
    getUser(userId: string): Promise<
      | (Pick<UserProfile, 'lastSyncedAt' | 'walletCount'> & {
          readonly wallets?: readonly Wallet[];
          readonly target?: TargetAllocation | undefined;
        })
      | undefined
    >;
  };
  readonly leases: SyncLeaseStore;
  /** The cycle is completed by the worker's one cycle write per invocation (`addOkxRequests`), after its jobs were counted. */
  readonly cycles: Pick<SyncCycleStore, 'countDoneItem'>;
  readonly now: () => Date;
  /**
   * The lease's expiry, renewed every third of it while the sync runs: a worker that dies, or whose
   * release fails (DynamoDB down), leaves a lease that lapses within this, so the next delivery proceeds.
   * @default 60000
   */
  readonly leaseMs?: number;
}

/** What the job's read of the user's partition already knows, for the alert check after it (absent: not read). */
export interface KnownUserItems {
  readonly target: TargetAllocation | undefined;
}

export type JobOutcome =
  | { readonly status: 'synced'; readonly result: SyncResult; readonly known?: KnownUserItems }
  /** Nothing to do: already synced this cycle (redelivery, or the bot refreshed meanwhile) or no wallets left. */
  | { readonly status: 'skipped'; readonly reason: 'already-synced' | 'synced-since-cycle-start' | 'no-wallets' }
  /** Report the record failed so SQS redelivers it later. */
  | { readonly status: 'retry'; readonly reason: 'leased' | 'all-wallets-failed' | 'value-chains-failed' | 'deadline' };

const DEFAULT_LEASE_MS = 60_000;

export class SyncDeadlineError extends Error {
  constructor(
    readonly userId: string,
    budgetMs: number,
  ) {
    super(`sync of user ${userId} did not finish within ${budgetMs} ms`);
    this.name = 'SyncDeadlineError';
  }
}

/**
 * One job: lease the user, skip if this cycle's work is already done, sync within `budgetMs`, end the
 * lease (recording the cycle on success) and count the user towards the cycle's completion (the worker
 * then completes the cycle if this was its last user).
 * A user leased by another worker is retried later rather than dropped: if that worker succeeds, the
 * redelivery finds `syncedCycle` and becomes a no-op; if it fails, the redelivery does the work.
 */
export async function syncOneUser(
  deps: SyncOneDeps,
  job: SyncJob,
  owner: string,
  budgetMs: number,
): Promise<JobOutcome> {
  // The profile and wallets are read alongside the lease, in one query. Reading them a moment before the
  // lease is taken changes nothing: wallet edits never take the lease (a sync reading its wallets after the
  // lease could miss an edit just the same), and a sync that finished in between only makes this one
  // redundant (the snapshot slot is written once either way).
  const leaseMs = Math.min(budgetMs, deps.leaseMs ?? DEFAULT_LEASE_MS);
  const [lease, profile] = await Promise.all([
    deps.leases.acquire({
      userId: job.userId,
      owner,
      cycleId: job.cycleId,
      nowMs: deps.now().getTime(),
      holdMs: leaseMs,
    }),
    deps.profiles.getUser(job.userId),
  ]);
  if (lease.outcome === 'done') return { status: 'skipped', reason: 'already-synced' };
  if (lease.outcome === 'busy') return { status: 'retry', reason: 'leased' };

  const finish = async <T extends JobOutcome>(outcome: T): Promise<T> => {
    const at = deps.now().toISOString();
    // The lease records the cycle and the cycle counts the user in one transaction: never one without the other.
    await deps.leases.complete(job.userId, owner, job.cycleId, at, deps.cycles.countDoneItem(job.cycleId, at));
    return outcome;
  };
  // Best effort: if the release fails too, the lease lapses within `leaseMs` by itself.
  const release = () => deps.leases.release(job.userId, owner, deps.now().toISOString()).catch(() => undefined);

  // A deleted user (or one who removed every wallet) is acknowledged and dropped.
  if (!profile || profile.walletCount === 0) return finish({ status: 'skipped', reason: 'no-wallets' });
  if (profile.lastSyncedAt !== undefined && profile.lastSyncedAt >= job.cycleId)
    return finish({ status: 'skipped', reason: 'synced-since-cycle-start' });

  const heartbeat = setInterval(
    () => void deps.leases.renew(job.userId, owner, deps.now().getTime(), leaseMs).catch(() => false),
    leaseMs / 3,
  );
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SyncDeadlineError(job.userId, budgetMs)), budgetMs);
  });
  let result: SyncResult;
  try {
    result = await Promise.race([
      deps.service.syncBalances(job.userId, profile.wallets ? { wallets: profile.wallets } : undefined),
      deadline,
    ]);
  } catch (error) {
    // The lease is kept on a deadline (no more heartbeats): the sync may still be writing, and the lease lapses by itself.
    if (error instanceof SyncDeadlineError) return { status: 'retry', reason: 'deadline' };
    await release();
    throw error;
  } finally {
    clearTimeout(timer);
    clearInterval(heartbeat);
  }
  // Done only when the chains holding value answered: a chain that held value and failed (or was refused
  // as malformed) keeps its data stale and the job is retried. An empty answer awaiting confirmation in a
  // later cycle is not a failure to retry: the next cycle's fetch confirms or refutes it.
  const isValueMissing = (result.unansweredValueChains ?? 0) > 0;
  const isNothingAnswered =
    result.walletsSynced === 0 && result.failures.length > 0 && (result.pendingEmptyWallets ?? 0) === 0;
  if (isValueMissing || isNothingAnswered) {
    await release();
    return { status: 'retry', reason: isValueMissing ? 'value-chains-failed' : 'all-wallets-failed' };
  }
  const known = 'target' in profile ? { known: { target: profile.target } } : {};
  return finish({ status: 'synced', result, ...known });
}
