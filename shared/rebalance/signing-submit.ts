import { base58 } from '@scure/base';
import { isOkxApiError } from '../platform/okx/okx-errors';
import { legStateOf, planStateOf, type LegExecution, type LegStep } from './execution-rules';
import { explainOkxError } from './okx-error-words';
import { describeStep } from './plan-tracker';
import type { StoredPlan } from './plan-store';
import { decodeSignedEvmTx, decodeSolanaTx, sameBytes, SignedTxError, verifySolanaTx } from './signed-tx';
import { scheduleSafely, SigningRefusal, type SigningDeps } from './signing-types';

interface Located {
  readonly plan: StoredPlan;
  readonly legIndex: number;
  readonly execution: LegExecution;
  readonly step: LegStep;
}

/**
 * The signed transaction, checked against the prepared step (signer = the leg's wallet; EVM chain id, to, data,
 * value; Solana: the same message, signed by its fee payer), claimed `prepared -> submitted` in one conditional
 * write, then sent through OKX exactly once. The same signed transaction again answers as the first did.
 */
export async function broadcastStep(deps: SigningDeps, at: Located, signedTx: string): Promise<StoredPlan> {
  const { step, execution } = at;
  const wallet = execution.walletAddress ?? '';
  const txHash = await verifySigned(step, wallet, signedTx);
  if (step.state !== 'prepared') return sameOrRefuse(at.plan, step, txHash);
  const now = deps.now().toISOString();
  const claimed = await writeStep(
    deps,
    at,
    { ...step, state: 'submitted', txHash, via: 'broadcast', submittedAt: now },
    now,
    now,
  );
  if (!claimed.ok) return raced(claimed.current, at, txHash);
  let sent: { orderId: string; txHash: string };
  try {
    sent = await deps.market.broadcast({
      chainIndex: at.plan.legs[at.legIndex]!.leg.chainIndex,
      address: wallet,
      signedTx,
    });
  } catch (error) {
    return rejected(deps, { ...at, plan: claimed.plan, execution: legOf(claimed.plan, at.legIndex) }, error);
  }
  const current = { ...at, plan: claimed.plan, execution: legOf(claimed.plan, at.legIndex) };
  const recorded = await writeStep(
    deps,
    current,
    { ...stepOf(current.execution, step.stepId), orderId: sent.orderId },
    deps.now().toISOString(),
  );
  const plan = recorded.ok ? recorded.plan : (recorded.current ?? claimed.plan);
  await scheduleSafely(deps, plan, 5);
  return plan;
}

/** The wallet sent it itself (`eth_sendTransaction`): recorded by hash and tracked through the aggregator's history. */
export async function recordSubmitted(deps: SigningDeps, at: Located, txHash: string): Promise<StoredPlan> {
  const family = at.step.tx.family;
  if (family === 'evm' ? !/^0x[0-9a-fA-F]{64}$/.test(txHash) : !isSolanaSignature(txHash))
    throw new SigningRefusal(400, 'bad-request', 'txHash is not a transaction hash of this chain.');
  const hash = family === 'evm' ? txHash.toLowerCase() : txHash;
  if (at.step.state !== 'prepared') return sameOrRefuse(at.plan, at.step, hash);
  const now = deps.now().toISOString();
  const claimed = await writeStep(
    deps,
    at,
    { ...at.step, state: 'submitted', txHash: hash, via: 'wallet', submittedAt: now },
    now,
  );
  if (!claimed.ok) return raced(claimed.current, at, hash);
  await scheduleSafely(deps, claimed.plan, 5);
  return claimed.plan;
}

async function verifySigned(step: LegStep, wallet: string, signedTx: string): Promise<string> {
  const mismatch = (detail: string) =>
    new SigningRefusal(409, 'signed-mismatch', `The signed transaction is not the one prepared: ${detail}.`);
  try {
    if (step.tx.family === 'solana') {
      const signed = decodeSolanaTx(signedTx);
      const prepared = decodeSolanaTx(step.tx.data);
      if (signed.feePayer !== wallet) throw mismatch(`it is paid by ${signed.feePayer}, not ${wallet}`);
      if (!sameBytes(signed.message, prepared.message)) throw mismatch('its message differs');
      const { isValid, txHash } = verifySolanaTx(signed);
      if (!isValid) throw mismatch("the fee payer's signature does not verify");
      return txHash;
    }
    const tx = await decodeSignedEvmTx(signedTx);
    if (tx.signer !== wallet.toLowerCase()) throw mismatch(`it was signed by ${tx.signer}, not ${wallet}`);
    if (tx.chainId !== step.tx.chainId)
      throw mismatch(`chain id ${tx.chainId ?? 'none'} instead of ${step.tx.chainId}`);
    if (tx.to !== step.tx.to.toLowerCase()) throw mismatch(`it goes to ${tx.to}, not ${step.tx.to}`);
    if (tx.data !== step.tx.data.toLowerCase()) throw mismatch('its data differs');
    if (tx.value !== step.tx.value)
      throw mismatch(`it sends ${tx.value} instead of ${step.tx.value} of the native coin`);
    return tx.txHash;
  } catch (error) {
    if (error instanceof SignedTxError) throw new SigningRefusal(400, 'bad-request', `signedTx: ${error.message}.`);
    throw error;
  }
}

function sameOrRefuse(plan: StoredPlan, step: LegStep, txHash: string): StoredPlan {
  if (step.txHash === txHash) return plan;
  throw new SigningRefusal(
    409,
    'already-submitted',
    `This step was already sent (transaction ${step.txHash}); it is never sent twice.`,
  );
}

/** Lost the claim: the winner's write is what stands (the same transaction is the same answer). */
function raced(current: StoredPlan | undefined, at: Located, txHash: string): StoredPlan {
  const step = current?.legs[at.legIndex]?.execution?.steps.find((item) => item.stepId === at.step.stepId);
  if (current && step && step.state !== 'prepared') return sameOrRefuse(current, step, txHash);
  throw new SigningRefusal(
    409,
    'expired',
    'This plan can no longer be signed (its signing window closed or it moved on).',
  );
}

/** OKX said no: the step and its leg fail with the reason (never re-broadcast); a transport failure stays tracked. */
async function rejected(deps: SigningDeps, at: Located, error: unknown): Promise<never> {
  const problem = explainOkxError(error);
  if (!problem) throw error;
  if (!isOkxApiError(error)) {
    // OKX may have taken it before the line dropped: the tracker finds it by hash; nothing is sent again.
    await scheduleSafely(deps, at.plan, 5);
    throw new SigningRefusal(
      502,
      'okx-error',
      `${problem.message} The transaction may still have been sent: it is tracked by its hash and never sent again.`,
    );
  }
  const step = stepOf(at.execution, at.step.stepId);
  const failed = await writeStep(
    deps,
    at,
    { ...step, state: 'failed', failReason: problem.message, settledAt: deps.now().toISOString() },
    deps.now().toISOString(),
  );
  if (failed.ok && ['failed', 'expired', 'confirmed'].includes(failed.plan.state))
    await scheduleSafely(deps, failed.plan, 0);
  if (problem.code === 'okx-billing') throw new SigningRefusal(402, 'okx-billing', problem.message);
  throw new SigningRefusal(
    502,
    'broadcast-rejected',
    `OKX did not send it: ${problem.message} ${describeStep(step)} of this trade failed; nothing is retried automatically.`,
    {
      ...(problem.okxCode ? { okxCode: problem.okxCode } : {}),
    },
  );
}

async function writeStep(deps: SigningDeps, at: Located, step: LegStep, now: string, beforeSignBy?: string) {
  const steps = at.execution.steps.map((item) => (item.stepId === step.stepId ? step : item));
  const next = { ...at.execution, rev: at.execution.rev + 1, steps };
  const execution: LegExecution = {
    ...next,
    state: legStateOf(next),
    ...(step.state === 'failed' ? { failReason: `${describeStep(step)} failed: ${step.failReason}` } : {}),
  };
  const legs = at.plan.legs.map((item, index) => (index === at.legIndex ? execution : item.execution!));
  return deps.plans.updateExecution(at.plan.planId, {
    userId: at.plan.userId,
    from: [at.plan.state],
    to: planStateOf(legs, deps.now(), at.plan.signBy!),
    at: now,
    ...(beforeSignBy ? { beforeSignBy } : {}),
    legs: [{ index: at.legIndex, expectedRev: at.execution.rev, execution }],
  });
}

const legOf = (plan: StoredPlan, index: number) => plan.legs[index]!.execution!;
const stepOf = (execution: LegExecution, stepId: string) => execution.steps.find((item) => item.stepId === stepId)!;

function isSolanaSignature(value: string): boolean {
  try {
    return base58.decode(value).length === 64;
  } catch {
    return false;
  }
}
