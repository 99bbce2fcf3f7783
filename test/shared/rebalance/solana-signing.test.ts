import { ed25519 } from '@noble/curves/ed25519.js';
import { base58 } from '@scure/base';
import { describe, expect, it } from 'vitest';
import type { StoredPlan } from '../../../shared/rebalance/plan-store';
import { decodeSolanaTx, verifySolanaTx } from '../../../shared/rebalance/signed-tx';
import { awaitingPlan, createSigningFixture } from './signing-fixtures';

const ROUTER = 'proVF4pMXVaYqmy4NjniPh4pqKNfMmsihgd4wdkCX3u';
const USDC_SOL = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v';

/**
 * A legacy Solana message written out by hand: header (1 required signature, 0 read-only signed, 1 read-only
 * unsigned), 2 account keys (the fee payer, the router program), a recent blockhash, no instructions.
 */
function message(feePayer: Uint8Array, blockhashByte = 7): Uint8Array {
  return Uint8Array.from([
    1,
    0,
    1,
    2,
    ...feePayer,
    ...base58.decode(ROUTER),
    ...new Uint8Array(32).fill(blockhashByte),
    0,
  ]);
}
/** The wire format: compact-u16 signature count (1), the 64-byte signature, the message. */
const wire = (signature: Uint8Array, body: Uint8Array) => base58.encode(Uint8Array.from([1, ...signature, ...body]));

function solanaKey() {
  const secret = ed25519.utils.randomSecretKey();
  const publicKey = ed25519.getPublicKey(secret);
  return { secret, publicKey, address: base58.encode(publicKey) };
}

function solanaPlan(wallet: string) {
  return (plan: StoredPlan): StoredPlan => ({
    ...plan,
    legs: [
      {
        leg: {
          chainIndex: '501',
          walletAddress: wallet,
          from: { chainIndex: '501', tokenAddress: '', assetId: 'sol', symbol: 'SOL', decimals: 9 },
          to: { chainIndex: '501', tokenAddress: USDC_SOL, assetId: 'usdc', symbol: 'USDC', decimals: 6 },
          amount: '2',
          amountRaw: '2000000000',
          valueUsd: '300',
        },
        quote: { toAmountRaw: '299000000', minReceivedRaw: '296010000', costUsd: '1' },
        execution: { rev: 1, state: 'awaiting-signature', walletAddress: wallet, steps: [] },
      },
    ],
  });
}

describe('Solana signing (ed25519 test key, wire format)', () => {
  it('decodes the wire format, finds the fee payer and verifies its signature', () => {
    const key = solanaKey();
    const body = message(key.publicKey);
    const signature = ed25519.sign(body, key.secret);
    const decoded = decodeSolanaTx(wire(signature, body));
    expect(decoded.feePayer).toBe(key.address);
    expect(verifySolanaTx(decoded)).toEqual({ isValid: true, txHash: base58.encode(signature) });
    expect(verifySolanaTx(decodeSolanaTx(wire(new Uint8Array(64), body))).isValid).toBe(false);
    // A v0 message: the version byte 0x80 comes before the header.
    expect(decodeSolanaTx(base58.encode(Uint8Array.from([1, ...signature, 0x80, ...body]))).feePayer).toBe(key.address);
    expect(() => decodeSolanaTx('0OIl')).toThrow(/base58/);
    expect(() => decodeSolanaTx(base58.encode(Uint8Array.from([0, 1, 2])))).toThrow(/no signatures/);
  });

  it('prepares the serialized transaction OKX returned, checks it, and broadcasts the signed one once', async () => {
    const key = solanaKey();
    const unsigned = wire(new Uint8Array(64), message(key.publicKey));
    const f = await createSigningFixture({ plan: (wallet) => solanaPlan(key.address)(createPlanFor(wallet)) });
    Object.assign(f.deps, { routers: { '501': [ROUTER] } });
    f.market.getSwap = async () => ({
      tx: { to: ROUTER, data: unsigned, value: '0', signatureData: ['extra'] },
      minReceivedRaw: '296010000',
    });
    f.market.simulate = async () => ({
      intention: 'Swap',
      assetChanges: [
        {
          assetType: 'NATIVE',
          symbol: 'SOL',
          decimals: 9,
          address: '11111111111111111111111111111111',
          rawValue: '-2000000000',
          amount: '-2',
        },
        { assetType: 'SPLTOKEN', symbol: 'USDC', decimals: 6, address: USDC_SOL, rawValue: '298000000', amount: '298' },
      ],
      failReason: '',
      risks: [],
    });

    const step = await f.service.prepare({ userId: '42', planId: 'plan1', legIndex: 0, address: key.address });

    expect(step).toMatchObject({
      kind: 'swap',
      family: 'solana',
      solana: { transaction: unsigned, signatureData: ['extra'] },
      summary: { spend: { symbol: 'SOL', amount: '2' }, minReceive: { symbol: 'USDC', amount: '296.01' } },
    });
    expect(step.checks.map((check) => check.name)).toEqual(['recipient', 'minimum', 'simulation']);

    const body = message(key.publicKey);
    const signature = ed25519.sign(body, key.secret);
    const other = solanaKey();
    const mismatches = [
      wire(ed25519.sign(message(key.publicKey, 9), key.secret), message(key.publicKey, 9)),
      wire(ed25519.sign(message(other.publicKey), other.secret), message(other.publicKey)),
      wire(new Uint8Array(64).fill(1), body),
    ];
    for (const signedTx of mismatches)
      await expect(
        f.service.broadcast({ userId: '42', planId: 'plan1', legIndex: 0, stepId: step.stepId, signedTx }),
      ).rejects.toMatchObject({ code: 'signed-mismatch' });

    const plan = await f.service.broadcast({
      userId: '42',
      planId: 'plan1',
      legIndex: 0,
      stepId: step.stepId,
      signedTx: wire(signature, body),
    });
    expect(plan.legs[0]!.execution!.steps[0]).toMatchObject({ state: 'submitted', txHash: base58.encode(signature) });
    expect(f.market.calls.broadcast).toBe(1);
    await expect(
      f.service.submitted({ userId: '42', planId: 'plan1', legIndex: 0, stepId: step.stepId, txHash: 'short' }),
    ).rejects.toMatchObject({ status: 400 });
  });

  it('refuses a connected Solana wallet that differs by case (base58 is case-sensitive)', async () => {
    const key = solanaKey();
    const f = await createSigningFixture({ plan: (wallet) => solanaPlan(key.address)(createPlanFor(wallet)) });
    await expect(
      f.service.prepare({ userId: '42', planId: 'plan1', legIndex: 0, address: key.address.toLowerCase() }),
    ).rejects.toMatchObject({ status: 403, code: 'wrong-wallet' });
  });
});

/** The fixture's EVM plan, re-shaped into a Solana leg by solanaPlan. */
const createPlanFor = (wallet: string) => awaitingPlan(wallet);
