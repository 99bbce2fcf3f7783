import { keccak256, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { routerAllowlist, startOkxSandbox, type OkxSandbox } from '../../../dev-tools/okx-sandbox/index';
import { call, control, qs, USDC_ETH, USDT_ETH } from './sandbox-client';

const SPENDER = '0x40aA958dd87FC8305b97f2BA922CDdCa374bcD7f';
const ROUTER = '0x5E1f62Dac767b0491e3CE72469C217365D5B48cC';
const PRE = '/api/v6/dex/pre-transaction';
// 250 USDC → USDT on chain 1 (okx-api §12.7, worked by hand): size 250 × 0.9998 = $249.95 against $80M depth,
// loss floor4(249.95 / 80,000,249.95 × 100) = 0.0003 %; out = floor(250 × 0.9998 / 1.0003 × 10^6 × 0.999997)
// = floor(249,874,287.86) = 249874287; at 1 % slippage the minimum is floor(249874287 × 0.99) = 247375544.
const AMOUNT = '250000000';
const OUT = '249874287';

describe('OKX sandbox: EVM signing, broadcast and settlement (issue 13)', () => {
  let sandbox: OkxSandbox;
  let account: PrivateKeyAccount;
  beforeAll(async () => {
    sandbox = await startOkxSandbox({ seed: 5, rateLimitPerSecond: 1000, confirmAfterMs: 60_000 });
  });
  afterAll(() => sandbox.stop());
  beforeEach(async () => {
    account = privateKeyToAccount(generatePrivateKey());
    await control(sandbox, 'POST', 'faults/clear');
    await control(sandbox, 'POST', 'settings', { confirmAfterMs: 60_000 });
    await setBalance(USDC_ETH, '1000');
    await setBalance(USDT_ETH, '0');
  });

  const get = async (target: string) => (await call(sandbox, 'GET', target)).json;
  const post = async (path: string, body: unknown) => (await call(sandbox, 'POST', path, { body })).json;
  const setBalance = (tokenAddress: string, balance: string) =>
    control(sandbox, 'POST', 'set-balance', { address: account.address, chainIndex: '1', tokenAddress, balance });
  const confirmAll = async () => {
    await control(sandbox, 'POST', 'settings', { confirmAfterMs: 0 });
    await control(sandbox, 'POST', 'settings', { confirmAfterMs: 60_000 });
  };
  const approveTx = async (amount = AMOUNT, token = USDC_ETH) => {
    const query = qs({ chainIndex: '1', tokenContractAddress: token, approveAmount: amount });
    const data = (await get(`/api/v6/dex/aggregator/approve-transaction?${query}`)).data[0];
    return { to: token, data: data.data as string, value: '0' };
  };
  const swapTx = async (amount = AMOUNT) => {
    const query = qs({
      chainIndex: '1',
      amount,
      fromTokenAddress: USDC_ETH,
      toTokenAddress: USDT_ETH,
      slippagePercent: '1',
      userWalletAddress: account.address,
    });
    return (await get(`/api/v6/dex/aggregator/swap?${query}`)).data[0].tx;
  };
  const sign = (tx: { to: string; data: string; value: string }, nonce: number, chainId = 1, signer = account) =>
    signer.signTransaction({
      type: 'eip1559',
      chainId,
      nonce,
      to: tx.to as Hex,
      data: tx.data as Hex,
      value: BigInt(tx.value),
      gas: 300_000n,
      maxFeePerGas: 30_000_000_000n,
      maxPriorityFeePerGas: 1_000_000_000n,
    });
  const broadcast = (signedTx: string, address: string = account.address, chainIndex = '1') =>
    post(`${PRE}/broadcast-transaction`, { signedTx, chainIndex, address });
  const spendable = async (token = USDC_ETH) =>
    (
      await post(`${PRE}/check-approvals`, {
        chainIndex: '1',
        address: account.address,
        tokens: [{ tokenContractAddress: token }],
        spender: SPENDER,
      })
    ).data[0].tokens[0].spendable;
  const orders = async () =>
    (await get(`/api/v6/dex/post-transaction/orders?${qs({ address: account.address, chainIndex: '1' })}`)).data[0]
      .orders;
  const nonce = async () =>
    (await fetch(`${sandbox.url}/__sandbox/nonce?${qs({ chainIndex: '1', address: account.address })}`)).json();
  const balances = async () =>
    (
      await post('/api/v6/dex/balance/token-balances-by-address', {
        address: account.address,
        tokenContractAddresses: [
          { chainIndex: '1', tokenContractAddress: USDC_ETH },
          { chainIndex: '1', tokenContractAddress: USDT_ETH },
        ],
      })
    ).data[0].tokenAssets.map((row: { symbol: string; balance: string }) => `${row.symbol} ${row.balance}`);
  const approveAndConfirm = async (nonceToUse = 0) => {
    expect((await broadcast(await sign(await approveTx(), nonceToUse))).code).toBe('0');
    await confirmAll();
  };

  it('tracks an allowance from 0: an approval counts only once it is confirmed', async () => {
    expect(await spendable()).toBe('0');
    const signed = await sign(await approveTx(), 0);
    const sent = await broadcast(signed);
    expect(sent.data[0].txHash).toBe(keccak256(signed));
    expect((await orders()).map((order: { txStatus: string }) => order.txStatus)).toEqual(['1']);
    expect(await spendable()).toBe('0');
    await confirmAll();
    expect(await orders()).toEqual([
      {
        chainIndex: '1',
        address: account.address.toLowerCase(),
        orderId: sent.data[0].orderId,
        txStatus: '2',
        failReason: '',
        txHash: keccak256(signed),
      },
    ]);
    expect(await spendable()).toBe(AMOUNT);
    // A native coin needs no approval: the maximum uint256 ("very long = unlimited" for OKX's CLI).
    const native = await post(`${PRE}/check-approvals`, {
      chainIndex: '1',
      address: account.address,
      tokens: [{ tokenContractAddress: '0xEeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE' }],
    });
    expect(native.data[0].tokens[0].spendable).toBe((2n ** 256n - 1n).toString());
  });

  it("models USDT's approve rule: non-zero to non-zero reverts, so the allowance is reset to 0 first", async () => {
    const steps = [
      ['100000000', '100000000'],
      ['200000000', '100000000'],
      ['0', '0'],
      ['200000000', '200000000'],
    ];
    for (const [index, [amount, expected]] of steps.entries()) {
      expect((await broadcast(await sign(await approveTx(amount, USDT_ETH), index))).code).toBe('0');
      await confirmAll();
      expect(await spendable(USDT_ETH)).toBe(expected);
    }
    expect((await orders()).map((order: { failReason: string }) => order.failReason)).toEqual([
      '',
      '',
      'execution reverted: approve from non-zero to non-zero allowance',
      '',
    ]);
    // USDC has no such rule: 250 then 1 both land.
    await approveAndConfirm(4);
    expect((await broadcast(await sign(await approveTx('1'), 5))).code).toBe('0');
    await confirmAll();
    expect(await spendable()).toBe('1');
  });

  it('settles a swap once: pending, then success, and the next balance call shows the issued amounts', async () => {
    await approveAndConfirm();
    const tx = await swapTx();
    expect(tx).toMatchObject({ to: ROUTER, value: '0', minReceiveAmount: '247375544' });
    expect(await nonce()).toEqual({ ok: true, result: { nonce: 1 }, nonce: 1 });
    const signed = await sign(tx, 1);
    const first = await broadcast(signed);
    expect(first.code).toBe('0');
    expect(await nonce()).toMatchObject({ nonce: 2 });
    expect(await balances()).toEqual(['USDC 1000', 'USDT 0']);
    expect((await orders())[0].txStatus).toBe('1');
    // The same signed transaction again: the same order, nothing new.
    expect(await broadcast(signed)).toEqual(first);
    await confirmAll();
    expect((await orders()).map((order: { txStatus: string }) => order.txStatus)).toEqual(['2', '2']);
    // 1000 − 250 = 750 USDC; + 249.874287 USDT (the toTokenAmount issued), applied exactly once.
    expect(await balances()).toEqual(['USDC 750', 'USDT 249.874287']);
    expect(await broadcast(signed)).toEqual(first);
    await confirmAll();
    expect(await balances()).toEqual(['USDC 750', 'USDT 249.874287']);
    expect(await spendable()).toBe('0');
  });

  it('sells the native coin with value = amount and no approval, and moves ETH', async () => {
    await setBalance('', '1');
    const query = qs({
      chainIndex: '1',
      amount: '10000000000000000',
      fromTokenAddress: '0xEeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE',
      toTokenAddress: USDC_ETH,
      slippagePercent: '1',
      userWalletAddress: account.address,
    });
    const tx = (await get(`/api/v6/dex/aggregator/swap?${query}`)).data[0].tx;
    expect(tx.value).toBe('10000000000000000');
    expect((await broadcast(await sign(tx, 0))).code).toBe('0');
    await confirmAll();
    expect((await orders())[0].txStatus).toBe('2');
    // 0.01 ETH × 3120.55 = $31.2055 against $80M: loss floor4(0.000039 %) = 0, so out = floor(0.01 × 3120.55 /
    // 0.9998 × 10^6) = floor(31,211,742.35) = 31211742 → 1000 + 31.211742 USDC; 1 − 0.01 ETH.
    const rows = (
      await post('/api/v6/dex/balance/token-balances-by-address', {
        address: account.address,
        tokenContractAddresses: [
          { chainIndex: '1', tokenContractAddress: '' },
          { chainIndex: '1', tokenContractAddress: USDC_ETH },
        ],
      })
    ).data[0].tokenAssets.map((row: { symbol: string; balance: string }) => `${row.symbol} ${row.balance}`);
    expect(rows).toEqual(['ETH 0.99', 'USDC 1031.211742']);
  });

  it('settles after confirmAfterMs of real time', async () => {
    await control(sandbox, 'POST', 'settings', { confirmAfterMs: 150 });
    const sent = await broadcast(await sign(await approveTx(), 0));
    expect((await orders())[0].txStatus).toBe('1');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await orders())[0]).toMatchObject({ orderId: sent.data[0].orderId, txStatus: '2' });
  });

  it('simulates issued transactions with their asset changes and fails what it did not issue', async () => {
    const simulate = (tx: { to: string; data: string; value: string }) =>
      post(`${PRE}/simulate`, {
        chainIndex: '1',
        fromAddress: account.address,
        toAddress: tx.to,
        txAmount: tx.value,
        extJson: { inputData: tx.data },
      });
    const approval = await approveTx();
    expect((await simulate(approval)).data[0]).toEqual({
      intention: 'Token Approval',
      assetChange: [],
      gasUsed: expect.any(String),
      failReason: '',
      risks: [],
    });
    const swap = await swapTx();
    expect((await simulate(swap)).data[0]).toMatchObject({
      intention: 'Swap',
      assetChange: [],
      failReason: 'execution reverted: ERC20: transfer amount exceeds allowance',
    });
    await approveAndConfirm();
    expect((await simulate(swap)).data[0]).toMatchObject({
      intention: 'Swap',
      failReason: '',
      assetChange: [
        { assetType: 'ERC20', symbol: 'USDC', decimals: 6, address: USDC_ETH, rawValue: `-${AMOUNT}` },
        { assetType: 'ERC20', symbol: 'USDT', decimals: 6, address: USDT_ETH, rawValue: OUT },
      ],
    });
    const tampered = { ...swap, data: `${swap.data.slice(0, -2)}00` };
    expect((await simulate(tampered)).data[0]).toMatchObject({
      intention: 'Swap',
      failReason: 'execution reverted: the sandbox did not issue this transaction',
    });
  });

  it('reports a broadcast swap in aggregator/history by its hash', async () => {
    await approveAndConfirm();
    const signed = await sign(await swapTx(), 1);
    const { txHash } = (await broadcast(signed)).data[0];
    const history = async () => (await get(`/api/v6/dex/aggregator/history?${qs({ chainIndex: '1', txHash })}`)).data;
    expect(await history()).toMatchObject({ txHash, status: 'pending', txType: 'Swap', height: '' });
    await confirmAll();
    expect(await history()).toMatchObject({
      chainIndex: '1',
      txHash,
      status: 'success',
      txType: 'Swap',
      fromAddress: account.address.toLowerCase(),
      dexRouter: ROUTER,
      toAddress: account.address.toLowerCase(),
      fromTokenDetails: { symbol: 'USDC', amount: AMOUNT, tokenAddress: USDC_ETH },
      toTokenDetails: { symbol: 'USDT', amount: OUT, tokenAddress: USDT_ETH },
      errorMsg: '',
      // 273000 gas × 21.2895 gwei = 5,812,033,500,000,000 wei = 0.0058120335 ETH
      txFee: '0.0058120335',
    });
    expect(
      await get(`/api/v6/dex/aggregator/history?${qs({ chainIndex: '1', txHash: `0x${'0'.repeat(64)}` })}`),
    ).toEqual({
      code: '0',
      msg: '',
      data: {},
    });
    expect((await call(sandbox, 'GET', `/api/v6/dex/aggregator/history?${qs({ chainIndex: '1' })}`)).status).toBe(400);
  });

  it('refuses a wrong signer, chain id, data, value or nonce with documented codes and records nothing', async () => {
    const approval = await approveTx();
    const stranger = privateKeyToAccount(generatePrivateKey());
    const wrongSigner = await broadcast(await sign(approval, 0, 1, stranger));
    expect(wrongSigner).toEqual({
      code: '81001',
      msg: `Incorrect parameter address: signedTx is signed by ${stranger.address.toLowerCase()}`,
      data: [],
    });
    expect(await broadcast(await sign(approval, 0, 10))).toEqual({
      code: '81451',
      msg: 'Node return failed: invalid chain id for signer: have 10 want 1',
      data: [],
    });
    const notIssued = {
      code: '81451',
      msg: 'Node return failed: execution reverted: the sandbox did not issue this transaction (to, data or value differ)',
      data: [],
    };
    expect(await broadcast(await sign({ ...approval, data: `${approval.data.slice(0, -1)}1` }, 0))).toEqual(notIssued);
    expect(await broadcast(await sign({ ...approval, value: '1' }, 0))).toEqual(notIssued);
    expect(await broadcast(await sign({ ...approval, to: SPENDER }, 0))).toEqual(notIssued);
    expect(await broadcast(await sign(approval, 1))).toEqual({
      code: '81451',
      msg: 'Node return failed: nonce too high: next nonce 0, tx nonce 1',
      data: [],
    });
    expect(await broadcast('0x02f8')).toMatchObject({ code: '81001', msg: 'Incorrect parameter signedTx' });
    expect(await broadcast(await sign(approval, 0), 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v')).toMatchObject({
      code: '81108',
    });
    expect(await orders()).toEqual([]);
    expect(await nonce()).toMatchObject({ nonce: 0 });
    // The honest one goes through; its nonce cannot be used again.
    expect((await broadcast(await sign(approval, 0))).code).toBe('0');
    const again = await broadcast(await sign(await approveTx('1'), 0));
    expect(again).toEqual({
      code: '81451',
      msg: 'Node return failed: nonce too low: next nonce 1, tx nonce 0',
      data: [],
    });
  });

  it('broadcastRejected answers 81451 and records nothing; the next broadcast of the same tx goes through', async () => {
    expect((await control(sandbox, 'POST', 'faults', { kind: 'broadcastRejected', times: 1 })).status).toBe(200);
    const signed = await sign(await approveTx(), 0);
    expect(await broadcast(signed)).toEqual({
      code: '81451',
      msg: 'Node return failed: the node rejected the transaction (sandbox fault broadcastRejected)',
      data: [],
    });
    expect(await orders()).toEqual([]);
    expect(await nonce()).toMatchObject({ nonce: 0 });
    expect((await broadcast(signed)).code).toBe('0');
  });

  it('txReverted ends the order failed with no balance effect; neverConfirmed stays pending', async () => {
    await approveAndConfirm();
    await control(sandbox, 'POST', 'faults', { kind: 'txReverted', times: 1 });
    const reverted = await broadcast(await sign(await swapTx(), 1));
    await control(sandbox, 'POST', 'faults', { kind: 'neverConfirmed', chains: ['1'] });
    const stuck = await broadcast(await sign(await swapTx('100000000'), 2));
    await confirmAll();
    const [newest, older] = await orders();
    expect(older).toMatchObject({ orderId: reverted.data[0].orderId, txStatus: '3', failReason: 'execution reverted' });
    expect(newest).toMatchObject({ orderId: stuck.data[0].orderId, txStatus: '1', failReason: '' });
    expect(await balances()).toEqual(['USDC 1000', 'USDT 0']);
    const { txHash } = reverted.data[0];
    expect((await get(`/api/v6/dex/aggregator/history?${qs({ chainIndex: '1', txHash })}`)).data).toMatchObject({
      status: 'fail',
      errorMsg: 'execution reverted',
    });
    // The reverted swap still used its nonce, as on chain.
    expect(await nonce()).toMatchObject({ nonce: 3 });
  });

  it('reverts a swap sent without an allowance, or without the balance, and moves nothing', async () => {
    expect((await broadcast(await sign(await swapTx(), 0))).code).toBe('0');
    await confirmAll();
    expect((await orders())[0]).toMatchObject({
      txStatus: '3',
      failReason: 'execution reverted: ERC20: transfer amount exceeds allowance',
    });
    await approveAndConfirm(1);
    await setBalance(USDC_ETH, '100');
    expect((await broadcast(await sign(await swapTx(), 2))).code).toBe('0');
    await confirmAll();
    expect((await orders())[0]).toMatchObject({
      txStatus: '3',
      failReason: 'execution reverted: insufficient balance',
    });
    expect(await balances()).toEqual(['USDC 100', 'USDT 0']);
    expect(await spendable()).toBe(AMOUNT);
  });

  it('exports the routers for OKX_ROUTER_ALLOWLIST and validates its settings control', async () => {
    const allowlist = routerAllowlist();
    expect(allowlist['1']).toEqual([ROUTER]);
    expect(allowlist['501']).toEqual(['6m2CDdhRgxpH4WjvdzxAYbGxwdGUz5MziiL5jek2kBma']);
    expect(allowlist['195']).toBeUndefined();
    expect(JSON.parse(JSON.stringify(allowlist))).toEqual(allowlist);
    expect((await control(sandbox, 'POST', 'settings', { confirmAfterMs: -1 })).status).toBe(400);
    expect((await control(sandbox, 'POST', 'settings', { confirmAfterMs: '5' })).status).toBe(400);
    expect((await control(sandbox, 'GET', 'settings')).json.result).toEqual({ confirmAfterMs: 60_000 });
    expect((await control(sandbox, 'GET', 'nonce')).status).toBe(400);
  });
});
