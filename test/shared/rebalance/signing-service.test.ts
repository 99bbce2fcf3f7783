import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { keccak256 } from 'viem';
import { describe, expect, it } from 'vitest';
import {
  approveData,
  awaitingPlan,
  createSigningFixture,
  okxError,
  OTHER,
  ROUTER,
  SPENDER,
  SWAP_DATA,
  USDC,
  USDT,
} from './signing-fixtures';

const leg0 = { planId: 'plan1', legIndex: 0 };

describe('signing service', () => {
  describe('prepare', () => {
    it('offers an approval of exactly the leg amount when the allowance is 0, intent-checked', async () => {
      const f = await createSigningFixture();

      const step = await f.service.prepare({ userId: '42', ...leg0, address: f.account.address });

      expect(step).toMatchObject({
        stepId: 'step1',
        kind: 'approve',
        legIndex: 0,
        family: 'evm',
        chainIndex: '1',
        // 1000000000 = 0x3b9aca00
        evm: { chainId: 1, from: f.wallet, to: USDC, data: approveData(SPENDER, '3b9aca00'), value: '0', gas: '50000' },
        summary: {
          approval: { symbol: 'USDC', amount: '1000', spender: SPENDER },
          // 50,000 gas x 2 gwei = 0.0001 ETH
          networkFee: { amount: '0.0001', symbol: 'ETH' },
        },
        expiresAt: '2036-03-18T10:15:00.000Z',
      });
      expect(step.checks.every((check) => check.ok)).toBe(true);
      expect(step.checks.map((check) => check.name)).toEqual(['chain', 'recipient', 'value', 'approval', 'simulation']);
      const stored = (await f.plans.get('plan1'))!.legs[0]!.execution!;
      expect(stored).toMatchObject({ rev: 2, steps: [{ stepId: 'step1', kind: 'approve', state: 'prepared' }] });
    });

    it('offers the swap when the allowance covers the amount, with the summary the page shows', async () => {
      const f = await createSigningFixture();
      f.market.spendable = '1000000000';

      const step = await f.service.prepare({ userId: '42', ...leg0, address: f.account.address });

      expect(step).toMatchObject({
        kind: 'swap',
        evm: { chainId: 1, to: ROUTER, data: SWAP_DATA, value: '0', gas: '273000', gasPrice: '1000000000' },
        summary: {
          spend: { symbol: 'USDC', amount: '1000' },
          minReceive: { symbol: 'ETH', amount: '0.3' },
          // 273,000 gas x 1 gwei = 0.000273 ETH
          networkFee: { amount: '0.000273', symbol: 'ETH' },
        },
      });
      expect(f.market.calls).toMatchObject({ getApproveTransaction: 1, checkApprovals: 1, getSwap: 1, simulate: 1 });
    });

    it('resets a USDT-style allowance to 0 first when it is above 0 but short', async () => {
      const f = await createSigningFixture({ plan: (wallet) => awaitingPlan(wallet, {}, USDT) });
      f.market.spendable = '5';

      const step = await f.service.prepare({ userId: '42', ...leg0, address: f.wallet });

      expect(step).toMatchObject({
        kind: 'reset-approval',
        evm: { to: USDT, data: approveData(SPENDER, '0') },
        summary: { approval: { symbol: 'USDT', amount: '0', spender: SPENDER } },
      });
    });

    it('refuses another wallet (403, naming the right one), another user (404), a dry run and live mode off (409)', async () => {
      const f = await createSigningFixture();
      await expect(f.service.prepare({ userId: '42', ...leg0, address: OTHER })).rejects.toMatchObject({
        status: 403,
        code: 'wrong-wallet',
        extra: { expected: f.wallet },
      });
      await expect(f.service.prepare({ userId: '43', ...leg0, address: f.wallet })).rejects.toMatchObject({
        status: 404,
        code: 'not-found',
      });
      await expect(
        f.service.prepare({ userId: '42', planId: 'plan1', legIndex: 3, address: f.wallet }),
      ).rejects.toMatchObject({
        status: 404,
      });
      const dry = await createSigningFixture({ dryRun: true });
      await expect(dry.service.prepare({ userId: '42', ...leg0, address: dry.wallet })).rejects.toMatchObject({
        status: 409,
        code: 'not-live',
      });
      const off = await createSigningFixture({ liveMode: false });
      await expect(off.service.prepare({ userId: '42', ...leg0, address: off.wallet })).rejects.toMatchObject({
        code: 'not-live',
      });
      expect(f.market.calls).toEqual({});
    });

    it('refuses after the 15-minute signing window (expired) and asks nothing of OKX', async () => {
      const f = await createSigningFixture();
      f.clock.now = new Date('2036-03-18T10:15:00.000Z');
      await expect(f.service.prepare({ userId: '42', ...leg0, address: f.wallet })).rejects.toMatchObject({
        status: 409,
        code: 'expired',
      });
      expect(f.market.calls).toEqual({});
    });

    it('refuses a swap to an unknown contract, with the failed check in words', async () => {
      const f = await createSigningFixture();
      f.market.spendable = '1000000000';
      f.market.swapTo = OTHER;
      const refusal = await f.service
        .prepare({ userId: '42', ...leg0, address: f.wallet })
        .catch((error: unknown) => error);
      expect(refusal).toMatchObject({ status: 409, code: 'intent-mismatch' });
      const checks = (refusal as { extra: { checks: { name: string; ok: boolean; detail: string }[] } }).extra.checks;
      expect(checks.filter((check) => !check.ok)).toEqual([
        { name: 'recipient', ok: false, detail: `${OTHER} is not an OKX DEX router for Ethereum: refused.` },
      ]);
      expect((await f.plans.get('plan1'))!.legs[0]!.execution!.steps).toEqual([]);
    });

    it('refuses when OKX cannot simulate (nothing is signed unchecked)', async () => {
      const f = await createSigningFixture();
      f.market.simulateError = okxError('50030', 403);
      const refusal = await f.service
        .prepare({ userId: '42', ...leg0, address: f.wallet })
        .catch((error: unknown) => error);
      expect(refusal).toMatchObject({ code: 'intent-mismatch' });
      expect(JSON.stringify(refusal)).toContain('cannot be checked');
    });

    it('answers HTTP 402 as okx-billing and documented errors in words (502 okx-error)', async () => {
      const f = await createSigningFixture();
      f.market.prepareError = okxError('80001', 402);
      await expect(f.service.prepare({ userId: '42', ...leg0, address: f.wallet })).rejects.toMatchObject({
        status: 402,
        code: 'okx-billing',
      });
      f.market.prepareError = okxError('82000');
      await expect(f.service.prepare({ userId: '42', ...leg0, address: f.wallet })).rejects.toMatchObject({
        status: 502,
        code: 'okx-error',
        message: 'there is not enough liquidity for this trade (OKX 82000).',
      });
    });
  });

  describe('broadcast', () => {
    const prepareSwap = async (f: Awaited<ReturnType<typeof createSigningFixture>>) => {
      f.market.spendable = '1000000000';
      return f.service.prepare({ userId: '42', ...leg0, address: f.wallet });
    };

    it('checks the signature, claims the step once, broadcasts once; the same tx again is the same answer', async () => {
      const f = await createSigningFixture();
      const step = await prepareSwap(f);
      const signedTx = await f.sign(step.evm!);

      const [first, second] = await Promise.all([
        f.service.broadcast({ userId: '42', ...leg0, stepId: step.stepId, signedTx }),
        f.service.broadcast({ userId: '42', ...leg0, stepId: step.stepId, signedTx }),
      ]);
      const again = await f.service.broadcast({ userId: '42', ...leg0, stepId: step.stepId, signedTx });

      expect(f.market.calls.broadcast).toBe(1);
      const stored = (await f.plans.get('plan1'))!;
      expect(stored.state).toBe('submitted');
      expect(stored.legs[0]!.execution).toMatchObject({
        state: 'submitted',
        steps: [{ stepId: step.stepId, state: 'submitted', txHash: keccak256(signedTx), via: 'broadcast' }],
      });
      expect([first.state, second.state, again.state]).toEqual(['submitted', 'submitted', 'submitted']);
      expect(f.scheduled).toContainEqual({ planId: 'plan1', delaySeconds: 5, attempt: 0 });
    });

    it('refuses a different transaction for a step already sent (409 already-submitted)', async () => {
      const f = await createSigningFixture();
      const step = await prepareSwap(f);
      await f.service.broadcast({ userId: '42', ...leg0, stepId: step.stepId, signedTx: await f.sign(step.evm!) });
      const other = await f.sign(step.evm!, { nonce: 1 });
      await expect(
        f.service.broadcast({ userId: '42', ...leg0, stepId: step.stepId, signedTx: other }),
      ).rejects.toMatchObject({
        status: 409,
        code: 'already-submitted',
      });
      expect(f.market.calls.broadcast).toBe(1);
    });

    it('refuses a transaction signed by another key, for another chain, or with other data (409 signed-mismatch)', async () => {
      const f = await createSigningFixture();
      const step = await prepareSwap(f);
      const stranger = privateKeyToAccount(generatePrivateKey());
      const foreign = await stranger.signTransaction({
        type: 'eip1559',
        chainId: 1,
        nonce: 0,
        to: ROUTER,
        data: SWAP_DATA,
        value: 0n,
        gas: 300000n,
        maxFeePerGas: 2n,
        maxPriorityFeePerGas: 1n,
      });
      const cases = [
        foreign,
        await f.sign(step.evm!, { chainId: 56 }),
        await f.sign({ ...step.evm!, data: '0xdeadbeef' }),
      ];
      for (const signedTx of cases)
        await expect(
          f.service.broadcast({ userId: '42', ...leg0, stepId: step.stepId, signedTx }),
        ).rejects.toMatchObject({
          status: 409,
          code: 'signed-mismatch',
        });
      await expect(
        f.service.broadcast({ userId: '42', ...leg0, stepId: step.stepId, signedTx: 'nonsense' }),
      ).rejects.toMatchObject({
        status: 400,
      });
      expect(f.market.calls.broadcast).toBeUndefined();
    });

    it('fails the step and leg when OKX rejects the broadcast, and never sends it again', async () => {
      const f = await createSigningFixture();
      const step = await prepareSwap(f);
      f.market.broadcastError = okxError('81451');
      const signedTx = await f.sign(step.evm!);

      await expect(f.service.broadcast({ userId: '42', ...leg0, stepId: step.stepId, signedTx })).rejects.toMatchObject(
        {
          status: 502,
          code: 'broadcast-rejected',
        },
      );
      const stored = (await f.plans.get('plan1'))!;
      expect(stored.state).toBe('failed');
      expect(stored.legs[0]!.execution).toMatchObject({
        state: 'failed',
        failReason: "the swap failed: the chain's node refused the transaction (OKX 81451).",
        steps: [{ state: 'failed', txHash: keccak256(signedTx) }],
      });
      await f.service.broadcast({ userId: '42', ...leg0, stepId: step.stepId, signedTx }).catch(() => undefined);
      expect(f.market.calls.broadcast).toBe(1);
      expect(f.scheduled).toContainEqual({ planId: 'plan1', delaySeconds: 0, attempt: 0 });
    });

    it('keeps a step whose broadcast answer was lost as submitted, tracked by hash', async () => {
      const f = await createSigningFixture();
      const step = await prepareSwap(f);
      const { OkxTransportError } = await import('../../../shared/platform/okx/okx-errors');
      f.market.broadcastError = new OkxTransportError('/broadcast', true);
      await expect(
        f.service.broadcast({ userId: '42', ...leg0, stepId: step.stepId, signedTx: await f.sign(step.evm!) }),
      ).rejects.toMatchObject({ status: 502, code: 'okx-error' });
      expect((await f.plans.get('plan1'))!.legs[0]!.execution!.steps[0]!.state).toBe('submitted');
    });
  });

  describe('tracking', () => {
    it('confirms the swap from the order status with the realised amounts of the history, at most once per 3 s', async () => {
      const f = await createSigningFixture();
      f.market.spendable = '1000000000';
      const step = await f.service.prepare({ userId: '42', ...leg0, address: f.wallet });
      await f.service.broadcast({ userId: '42', ...leg0, stepId: step.stepId, signedTx: await f.sign(step.evm!) });
      f.market.order = { txStatus: 'success', failReason: '' };
      f.market.history = {
        status: 'success',
        errorMsg: '',
        fromAmountRaw: '1000000000',
        toAmountRaw: '302000000000000000',
      };

      const viewed = await f.service.view('42', 'plan1');
      const soon = await f.service.view('42', 'plan1');

      expect(viewed.plan.state).toBe('confirmed');
      expect(viewed.plan.legs[0]!.execution!.steps[0]).toMatchObject({
        state: 'confirmed',
        realised: { fromAmountRaw: '1000000000', toAmountRaw: '302000000000000000' },
      });
      expect(soon.plan.state).toBe('confirmed');
      expect(f.market.calls.getOrderStatus).toBe(1);
      expect(f.scheduled).toContainEqual({ planId: 'plan1', delaySeconds: 0, attempt: 0 });
    });

    it('fails the leg when the order fails; keeps it pending while OKX cannot answer; confirms without history', async () => {
      const f = await createSigningFixture();
      f.market.spendable = '1000000000';
      const step = await f.service.prepare({ userId: '42', ...leg0, address: f.wallet });
      await f.service.broadcast({ userId: '42', ...leg0, stepId: step.stepId, signedTx: await f.sign(step.evm!) });
      const real = f.market.getOrderStatus;
      f.market.getOrderStatus = async () => {
        throw okxError('50001', 503);
      };
      expect((await f.service.track('plan1'))!.state).toBe('submitted');
      f.market.getOrderStatus = real;
      f.market.getSwapHistory = async () => {
        throw okxError('50001', 503);
      };
      f.market.order = { txStatus: 'success', failReason: '' };
      const confirmed = await f.service.track('plan1');
      expect(confirmed!.state).toBe('confirmed');
      expect(confirmed!.legs[0]!.execution!.steps[0]!.realised).toBeUndefined();

      const g = await createSigningFixture();
      g.market.spendable = '1000000000';
      const other = await g.service.prepare({ userId: '42', ...leg0, address: g.wallet });
      await g.service.broadcast({ userId: '42', ...leg0, stepId: other.stepId, signedTx: await g.sign(other.evm!) });
      g.market.order = { txStatus: 'failed', failReason: 'execution reverted' };
      const failed = await g.service.track('plan1');
      expect(failed!.state).toBe('failed');
      expect(failed!.legs[0]!.execution!.failReason).toBe('the swap failed: execution reverted');
    });

    it('answers a 402 on broadcast as okx-billing and fails the step', async () => {
      const f = await createSigningFixture();
      f.market.spendable = '1000000000';
      const step = await f.service.prepare({ userId: '42', ...leg0, address: f.wallet });
      f.market.broadcastError = okxError('0', 402);
      await expect(
        f.service.broadcast({ userId: '42', ...leg0, stepId: step.stepId, signedTx: await f.sign(step.evm!) }),
      ).rejects.toMatchObject({ status: 402, code: 'okx-billing' });
      expect((await f.plans.get('plan1'))!.legs[0]!.execution!.state).toBe('failed');
    });

    it('refuses to prepare while a step is in flight, and a settled leg', async () => {
      const f = await createSigningFixture();
      const step = await f.service.prepare({ userId: '42', ...leg0, address: f.wallet });
      await f.service.submitted({ userId: '42', ...leg0, stepId: step.stepId, txHash: `0x${'12'.repeat(32)}` });
      await expect(f.service.prepare({ userId: '42', ...leg0, address: f.wallet })).rejects.toMatchObject({
        code: 'wait',
      });
      f.market.history = { status: 'fail', errorMsg: 'reverted' };
      await f.service.track('plan1');
      await expect(f.service.prepare({ userId: '42', ...leg0, address: f.wallet })).rejects.toMatchObject({
        status: 409,
        code: 'leg-done',
      });
      await expect(
        f.service.broadcast({ userId: '42', ...leg0, stepId: 'nope', signedTx: '0x00' }),
      ).rejects.toMatchObject({ status: 404 });
    });

    it('tracks a wallet-sent transaction by hash and names the failure', async () => {
      const f = await createSigningFixture();
      const step = await f.service.prepare({ userId: '42', ...leg0, address: f.wallet });
      const hash = `0x${'ab'.repeat(32)}`;
      await expect(
        f.service.submitted({ userId: '42', ...leg0, stepId: step.stepId, txHash: 'not-a-hash' }),
      ).rejects.toMatchObject({ status: 400 });
      await f.service.submitted({ userId: '42', ...leg0, stepId: step.stepId, txHash: hash });
      await f.service.submitted({ userId: '42', ...leg0, stepId: step.stepId, txHash: hash });
      f.market.history = { status: 'fail', errorMsg: 'execution reverted' };

      const tracked = await f.service.track('plan1');

      expect(tracked!.state).toBe('failed');
      expect(tracked!.legs[0]!.execution).toMatchObject({
        state: 'failed',
        failReason: 'the approval failed: execution reverted',
        steps: [{ via: 'wallet', txHash: hash, state: 'failed' }],
      });
    });

    it('keeps a two-leg plan submitted until the second leg confirms too', async () => {
      const f = await createSigningFixture({
        plan: (wallet) => {
          const plan = awaitingPlan(wallet);
          return { ...plan, legs: [plan.legs[0]!, plan.legs[0]!] };
        },
      });
      f.market.spendable = '1000000000';
      f.market.order = { txStatus: 'success', failReason: '' };
      const first = await f.service.prepare({ userId: '42', ...leg0, address: f.wallet });
      await f.service.broadcast({ userId: '42', ...leg0, stepId: first.stepId, signedTx: await f.sign(first.evm!) });
      const afterFirst = await f.service.track('plan1');
      expect(afterFirst!.state).toBe('submitted');
      expect(afterFirst!.legs.map((item) => item.execution!.state)).toEqual(['confirmed', 'awaiting-signature']);

      const second = await f.service.prepare({ userId: '42', planId: 'plan1', legIndex: 1, address: f.wallet });
      await f.service.broadcast({
        userId: '42',
        planId: 'plan1',
        legIndex: 1,
        stepId: second.stepId,
        signedTx: await f.sign(second.evm!, { nonce: 1 }),
      });
      expect((await f.service.track('plan1'))!.state).toBe('confirmed');
    });

    it('gives up 30 minutes after sending: the leg and the plan expire', async () => {
      const f = await createSigningFixture();
      const step = await f.service.prepare({ userId: '42', ...leg0, address: f.wallet });
      await f.service.submitted({ userId: '42', ...leg0, stepId: step.stepId, txHash: `0x${'cd'.repeat(32)}` });
      f.clock.now = new Date(f.clock.now.getTime() + 29 * 60_000);
      expect((await f.service.track('plan1'))!.state).toBe('submitted');
      f.clock.now = new Date(f.clock.now.getTime() + 60_000);
      const expired = await f.service.track('plan1');
      expect(expired!.state).toBe('expired');
      expect(expired!.legs[0]!.execution!.state).toBe('expired');
    });

    it('expires an untouched plan once its window closes, when the page looks', async () => {
      const f = await createSigningFixture();
      f.clock.now = new Date('2036-03-18T10:15:00.000Z');
      const { plan } = await f.service.view('42', 'plan1');
      expect(plan.state).toBe('expired');
      await expect(f.service.view('43', 'plan1')).rejects.toMatchObject({ status: 404 });
    });
  });
});
