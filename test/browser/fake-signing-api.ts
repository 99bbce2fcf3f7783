import { createPublicKey, verify } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { base58 } from '@scure/base';
import { keccak256, parseTransaction, recoverTransactionAddress, type Hex } from 'viem';
import { createMiniAppStaticRoute } from '../../dev-tools/local/miniapp-static';
import type {
  PreparedStep,
  SigningLeg,
  SigningPlan,
  SigningStep,
  StepKind,
} from '../../shared/miniapp/web/signing/signing-types';

/**
 * A small stand-in for the Mini App's signing API (the issue-13 contract) beside the built page, for page-level
 * browser tests: it keeps plans in memory, prepares the steps each leg is scripted with, checks a signed
 * transaction as the server does (viem recovers the EVM signer; ed25519 over a Solana message), and confirms a
 * submitted step after a number of reads. A refusal can be scripted per endpoint.
 */
export const ROUTER = '0x9b9efa5efa731ea9bbb0369e91fa17abf249cfd4';
export const APPROVE_SPENDER = '0x40aa958dd87fc8305b97f2ba922cddca374bcd7f';
export const USDT = '0xdac17f958d2ee523a2206206994597c13d831ec7';

export interface ErrorAnswer {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly extra?: Record<string, unknown>;
}

export interface FakePlan {
  plan: SigningPlan;
  /** The kinds of step each leg prepares, in order (by leg index). */
  readonly steps: Record<number, readonly StepKind[]>;
  /** Refusals in place of the normal answer. */
  readonly refuse?: { prepare?: ErrorAnswer; broadcast?: ErrorAnswer; submitted?: ErrorAnswer };
  /** The swap's outcome once "mined": success (default) or reverted. */
  readonly outcome?: 'success' | 'reverted';
  /** Plan reads before a submitted step confirms (default 1). */
  readonly confirmAfterReads?: number;
}

export interface FakeCall {
  readonly method: string;
  readonly path: string;
  readonly body: Record<string, unknown>;
}

export interface FakeSigningApi {
  readonly url: string;
  readonly calls: FakeCall[];
  add(plan: FakePlan): void;
  get(planId: string): SigningPlan;
  count(kind: 'prepare' | 'broadcast' | 'submitted', planId?: string): number;
  stop(): Promise<void>;
}

export function evmLeg(walletAddress: string, index = 0): SigningLeg {
  return {
    index,
    chainIndex: '1',
    chainName: 'Ethereum',
    family: 'evm',
    walletAddress,
    from: { symbol: 'USDT', tokenAddress: USDT, amount: '1000' },
    to: {
      symbol: 'ETH',
      tokenAddress: '0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee',
      expected: '0.31',
      minReceived: '0.3',
    },
    state: 'awaiting-signature',
    steps: [],
  };
}

export function solanaLeg(walletAddress: string, index = 0): SigningLeg {
  return {
    index,
    chainIndex: '501',
    chainName: 'Solana',
    family: 'solana',
    walletAddress,
    from: { symbol: 'SOL', tokenAddress: '11111111111111111111111111111111', amount: '2.5' },
    to: {
      symbol: 'USDC',
      tokenAddress: 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v',
      expected: '351.2',
      minReceived: '347.7',
    },
    state: 'awaiting-signature',
    steps: [],
  };
}

export function plan(planId: string, legs: SigningLeg[], extra: Partial<SigningPlan> = {}): SigningPlan {
  return {
    planId,
    state: 'awaiting-signature',
    signBy: new Date(Date.now() + 15 * 60_000).toISOString(),
    dryRun: false,
    legs,
    ...extra,
  };
}

const CHECKS = [
  { name: 'Chain', ok: true, detail: 'chain id 1 is the leg’s chain (Ethereum)' },
  { name: 'Contract', ok: true, detail: 'the transaction goes to OKX’s router for this chain' },
  { name: 'Simulation', ok: true, detail: 'gives at most 1000 USDT and receives at least 0.3 ETH' },
];

/** A minimal legacy Solana transaction, unsigned, with `payer` as its fee payer (one empty instruction). */
export function unsignedSolanaTransaction(payer: string): string {
  const program = new Uint8Array(32).fill(7);
  const blockhash = new Uint8Array(32).fill(9);
  const message = Uint8Array.from([1, 0, 1, 2, ...base58.decode(payer), ...program, ...blockhash, 1, 1, 0, 0]);
  return base58.encode(Uint8Array.from([1, ...new Uint8Array(64), ...message]));
}

export async function startFakeSigningApi(distDir: string): Promise<FakeSigningApi> {
  type Entry = FakePlan & { prepared: Map<string, PreparedStep>; reads: number };
  const plans = new Map<string, Entry>();
  const calls: FakeCall[] = [];
  const nonces = new Map<string, number>();
  const staticRoute = createMiniAppStaticRoute(distDir);

  const setLeg = (entry: FakePlan, index: number, change: (leg: SigningLeg) => SigningLeg) => {
    entry.plan = { ...entry.plan, legs: entry.plan.legs.map((leg) => (leg.index === index ? change(leg) : leg)) };
  };
  const setStep = (leg: SigningLeg, stepId: string, change: Partial<SigningStep>): SigningLeg => ({
    ...leg,
    steps: leg.steps.map((step) => (step.stepId === stepId ? { ...step, ...change } : step)),
  });
  const settlePlan = (entry: FakePlan) => {
    const legs = entry.plan.legs;
    if (legs.every((leg) => leg.state === 'confirmed')) entry.plan = { ...entry.plan, state: 'confirmed' };
    else if (legs.some((leg) => leg.state === 'failed')) entry.plan = { ...entry.plan, state: 'failed' };
  };

  /** A read confirms (or reverts) the submitted steps once they have waited their reads. */
  const advance = (entry: Entry) => {
    entry.reads += 1;
    if (entry.reads < (entry.confirmAfterReads ?? 1)) return;
    for (const leg of entry.plan.legs) {
      const pending = leg.steps.find((step) => step.state === 'submitted');
      if (!pending) continue;
      const reverted = pending.kind === 'swap' && entry.outcome === 'reverted';
      setLeg(entry, leg.index, (current) => {
        const next = setStep(
          current,
          pending.stepId,
          reverted ? { state: 'failed', failReason: 'reverted' } : { state: 'confirmed' },
        );
        if (reverted)
          return {
            ...next,
            state: 'failed',
            failReason: 'The swap transaction reverted on chain; nothing was swapped.',
          };
        if (pending.kind !== 'swap') return { ...next, state: 'approving' };
        return {
          ...next,
          state: 'confirmed',
          realised: { fromAmount: current.from.amount, toAmount: current.to.expected },
        };
      });
    }
    settlePlan(entry);
  };

  const prepare = (entry: Entry, index: number, address: string) => {
    const leg = entry.plan.legs.find((candidate) => candidate.index === index);
    if (!leg) return error({ status: 404, code: 'not-found', message: 'No such leg.' });
    if (entry.plan.dryRun) return error({ status: 409, code: 'not-live', message: 'This plan is a dry run.' });
    const same =
      leg.family === 'evm' ? address.toLowerCase() === leg.walletAddress.toLowerCase() : address === leg.walletAddress;
    if (!same)
      return error({
        status: 403,
        code: 'wrong-wallet',
        message: `Connect ${leg.walletAddress}: only that wallet may sign this leg.`,
        extra: { expected: leg.walletAddress },
      });
    if (leg.steps.some((step) => step.state === 'submitted'))
      return error({ status: 409, code: 'wait', message: 'The previous transaction has not confirmed yet.' });
    const kinds = entry.steps[index] ?? ['swap'];
    const kind = kinds[leg.steps.filter((step) => step.state !== 'prepared').length];
    if (!kind) return error({ status: 409, code: 'leg-done', message: 'This leg is done.' });
    const stepId = `${entry.plan.planId}-${index}-${kind}`;
    const step = preparedStep(leg, kind, stepId, entry.plan.signBy!);
    entry.prepared.set(stepId, step);
    setLeg(entry, index, (current) => ({
      ...current,
      steps: [...current.steps.filter((existing) => existing.stepId !== stepId), { stepId, kind, state: 'prepared' }],
    }));
    return { status: 200, body: step };
  };

  const accept = (entry: Entry, index: number, stepId: string, txHash: string) => {
    const kind = entry.prepared.get(stepId)!.kind;
    setLeg(entry, index, (leg) => ({
      ...setStep(leg, stepId, { state: 'submitted', txHash }),
      state: kind === 'swap' ? 'submitted' : 'approving',
    }));
    entry.plan = { ...entry.plan, state: 'submitted' };
    entry.reads = 0;
    return { status: 200, body: entry.plan };
  };

  const broadcast = async (entry: Entry, index: number, body: { stepId?: string; signedTx?: string }) => {
    const step = entry.prepared.get(body.stepId ?? '');
    const leg = entry.plan.legs.find((candidate) => candidate.index === index)!;
    if (!step || !body.signedTx) return error({ status: 400, code: 'bad-request', message: 'stepId and signedTx.' });
    const current = leg.steps.find((existing) => existing.stepId === step.stepId)!;
    if (current.state !== 'prepared')
      return error({ status: 409, code: 'already-submitted', message: 'This step was already sent.' });
    if (entry.refuse?.broadcast) {
      const refusal = entry.refuse.broadcast;
      setLeg(entry, index, (existing) => ({
        ...setStep(existing, step.stepId, { state: 'failed', failReason: refusal.message }),
        state: 'failed',
        failReason: refusal.message,
      }));
      settlePlan(entry);
      return error(refusal);
    }
    let txHash: string;
    if (step.family === 'evm') {
      const signed = body.signedTx as Hex;
      const tx = parseTransaction(signed);
      const signer = await recoverTransactionAddress({ serializedTransaction: signed as never });
      const evm = step.evm!;
      if (
        signer.toLowerCase() !== leg.walletAddress.toLowerCase() ||
        tx.chainId !== evm.chainId ||
        tx.to?.toLowerCase() !== evm.to.toLowerCase() ||
        tx.data !== evm.data ||
        (tx.value ?? 0n) !== BigInt(evm.value)
      )
        return error({
          status: 409,
          code: 'signed-mismatch',
          message: 'The signed transaction is not the one prepared.',
        });
      const key = `${evm.chainId}:${signer.toLowerCase()}`;
      if (tx.nonce !== (nonces.get(key) ?? 0))
        return error({ status: 502, code: 'broadcast-rejected', message: 'Nonce too low.' });
      nonces.set(key, (nonces.get(key) ?? 0) + 1);
      txHash = keccak256(signed);
    } else {
      const wire = base58.decode(body.signedTx);
      const message = wire.subarray(1 + 64);
      if (base58.encode(message) !== base58.encode(base58.decode(step.solana!.transaction).subarray(1 + 64)))
        return error({ status: 409, code: 'signed-mismatch', message: 'The signed message is not the one prepared.' });
      const publicKey = createPublicKey({
        key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(base58.decode(leg.walletAddress)).toString('base64url') },
        format: 'jwk',
      });
      if (!verify(null, message, publicKey, wire.subarray(1, 65)))
        return error({ status: 409, code: 'signed-mismatch', message: 'The fee payer’s signature does not verify.' });
      txHash = base58.encode(wire.subarray(1, 65));
    }
    return accept(entry, index, step.stepId, txHash);
  };

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    void (async () => {
      if (url.pathname === '/__sandbox/nonce') {
        const key = `${url.searchParams.get('chainIndex')}:${url.searchParams.get('address')?.toLowerCase()}`;
        return send(response, 200, { nonce: nonces.get(key) ?? 0 });
      }
      const match = /^\/miniapp\/api\/plans\/([^/]+)(?:\/legs\/(\d+)\/(prepare|broadcast|submitted))?$/.exec(
        url.pathname,
      );
      if (!match) {
        if (await staticRoute(request, response, url)) return;
        return send(response, 404, { error: { code: 'not-found', message: 'Not found.' } });
      }
      if (!request.headers['x-telegram-init-data'])
        return send(response, 401, { error: { code: 'unauthorized', message: 'Open from Telegram.' } });
      const body = request.method === 'POST' ? await readJson(request) : {};
      calls.push({ method: request.method ?? 'GET', path: url.pathname, body });
      const entry = plans.get(match[1]!);
      if (!entry) return send(response, 404, { error: { code: 'not-found', message: 'Plan not found.' } });
      const [, , legText, action] = match;
      const index = Number(legText);
      if (!action) {
        advance(entry);
        return send(response, 200, entry.plan);
      }
      const expired = entry.plan.state === 'expired' || Date.parse(entry.plan.signBy ?? '') <= Date.now();
      const refusal = entry.refuse?.[action as 'prepare' | 'broadcast' | 'submitted'];
      if (refusal && action !== 'broadcast') return answer(response, error(refusal));
      if (expired)
        return answer(response, error({ status: 409, code: 'expired', message: 'The signing window closed.' }));
      if (action === 'prepare') return answer(response, prepare(entry, index, String(body.address ?? '')));
      if (action === 'broadcast') return answer(response, await broadcast(entry, index, body));
      const step = entry.prepared.get(String(body.stepId));
      if (!step) return answer(response, error({ status: 400, code: 'bad-request', message: 'stepId.' }));
      return answer(response, accept(entry, index, step.stepId, String(body.txHash)));
    })().catch((failure: unknown) => send(response, 500, { error: { code: 'internal', message: String(failure) } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    add(fake) {
      plans.set(fake.plan.planId, { ...fake, prepared: new Map(), reads: 0 });
    },
    get: (planId) => plans.get(planId)!.plan,
    count: (kind, planId) =>
      calls.filter(
        (call) => call.path.endsWith(`/${kind}`) && (!planId || call.path.startsWith(`/miniapp/api/plans/${planId}/`)),
      ).length,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function preparedStep(leg: SigningLeg, kind: StepKind, stepId: string, expiresAt: string): PreparedStep {
  const fee = { amount: '0.00042', symbol: leg.family === 'evm' ? 'ETH' : 'SOL', usd: '1.26' };
  const base = {
    stepId,
    kind,
    legIndex: leg.index,
    family: leg.family,
    chainIndex: leg.chainIndex,
    checks: CHECKS,
    expiresAt,
  };
  if (leg.family === 'solana')
    return {
      ...base,
      solana: { transaction: unsignedSolanaTransaction(leg.walletAddress), signatureData: [] },
      summary: {
        spend: { symbol: leg.from.symbol, amount: leg.from.amount },
        minReceive: { symbol: leg.to.symbol, amount: leg.to.minReceived },
        networkFee: { amount: '0.000005', symbol: 'SOL' },
      },
    };
  if (kind === 'swap')
    return {
      ...base,
      evm: {
        chainId: 1,
        from: leg.walletAddress,
        to: ROUTER,
        data: '0x0d5f0e3b00000000000000000000000000000000000000000000000000000000000003e8',
        value: '0',
        gas: '210000',
        gasPrice: '12000000000',
      },
      summary: {
        spend: { symbol: leg.from.symbol, amount: leg.from.amount },
        minReceive: { symbol: leg.to.symbol, amount: leg.to.minReceived },
        networkFee: fee,
      },
    };
  const amount = kind === 'reset-approval' ? 0n : 1000_000000n;
  const data = `0x095ea7b3${APPROVE_SPENDER.slice(2).padStart(64, '0')}${amount.toString(16).padStart(64, '0')}`;
  return {
    ...base,
    evm: {
      chainId: 1,
      from: leg.walletAddress,
      to: USDT,
      data,
      value: '0',
      gas: '60000',
      gasPrice: '12000000000',
      maxPriorityFeePerGas: '1000000000',
    },
    summary: {
      approval: {
        symbol: leg.from.symbol,
        amount: kind === 'reset-approval' ? '0' : leg.from.amount,
        spender: APPROVE_SPENDER,
      },
      networkFee: fee,
    },
  };
}

const error = (refusal: ErrorAnswer) => ({
  status: refusal.status,
  body: { error: { code: refusal.code, message: refusal.message, ...refusal.extra } },
});

function answer(response: ServerResponse, result: { status: number; body: unknown }): void {
  send(response, result.status, result.body);
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of request) text += String(chunk);
  try {
    return JSON.parse(text || '{}') as Record<string, unknown>;
  } catch {
    return {};
  }
}
