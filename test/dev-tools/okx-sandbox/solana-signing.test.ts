import { ed25519 } from '@noble/curves/ed25519.js';
import { base58 } from '@scure/base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startOkxSandbox, type OkxSandbox } from '../../../dev-tools/okx-sandbox/index';
import { call, control, qs } from './sandbox-client';

const USDC = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v';
const USDT = 'Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB';
const DEX_PROGRAM = '6m2CDdhRgxpH4WjvdzxAYbGxwdGUz5MziiL5jek2kBma';
const PRE = '/api/v6/dex/pre-transaction';
// 100 USDC → USDT on 501 (okx-api §12.7, by hand): $99.98 against min($60M, $30M) of depth → loss
// floor4(99.98 / 30,000,099.98 × 100) = 0.0003 %; out = floor(100 × 0.9998 / 1.0003 × 10^6 × 0.999997)
// = floor(99,949,715.15) = 99949715; 1 % slippage → floor(99949715 × 0.99) = 98950217.
const AMOUNT = 100_000_000n;
const OUT = 99_949_715n;
const MIN_OUT = 98_950_217n;

const u64le = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);

describe('OKX sandbox: Solana wire transactions signed with an ed25519 key (issue 13)', () => {
  let sandbox: OkxSandbox;
  let secret: Uint8Array;
  let wallet: string;
  beforeAll(async () => {
    sandbox = await startOkxSandbox({ seed: 9, rateLimitPerSecond: 1000, confirmAfterMs: 60_000 });
  });
  afterAll(() => sandbox.stop());
  beforeEach(async () => {
    secret = ed25519.utils.randomSecretKey();
    wallet = base58.encode(ed25519.getPublicKey(secret));
    for (const [tokenAddress, balance] of [
      [USDC, '500'],
      [USDT, '0'],
    ])
      await control(sandbox, 'POST', 'set-balance', { address: wallet, chainIndex: '501', tokenAddress, balance });
  });

  const get = async (target: string) => (await call(sandbox, 'GET', target)).json;
  const post = async (path: string, body: unknown) => (await call(sandbox, 'POST', path, { body })).json;
  const swapTx = async () =>
    (
      await get(
        `/api/v6/dex/aggregator/swap?${qs({ chainIndex: '501', amount: AMOUNT.toString(), fromTokenAddress: USDC, toTokenAddress: USDT, slippagePercent: '1', userWalletAddress: wallet })}`,
      )
    ).data[0].tx;
  /** One signature slot: [0x01][64-byte signature][message]. */
  const signWire = (unsigned: string, key = secret) => {
    const bytes = base58.decode(unsigned);
    const message = bytes.subarray(65);
    const signature = ed25519.sign(message, key);
    return { signed: base58.encode(Uint8Array.from([1, ...signature, ...message])), signature, message };
  };
  const broadcast = (signedTx: string, address = wallet) =>
    post(`${PRE}/broadcast-transaction`, { signedTx, chainIndex: '501', address });
  const balances = async () =>
    (
      await post('/api/v6/dex/balance/token-balances-by-address', {
        address: wallet,
        tokenContractAddresses: [
          { chainIndex: '501', tokenContractAddress: USDC },
          { chainIndex: '501', tokenContractAddress: USDT },
        ],
      })
    ).data[0].tokenAssets.map((row: { symbol: string; balance: string }) => `${row.symbol} ${row.balance}`);
  const orders = async () =>
    (await get(`/api/v6/dex/post-transaction/orders?${qs({ address: wallet, chainIndex: '501' })}`)).data[0].orders;

  it('issues a real unsigned wire transaction: one zeroed slot, the wallet as fee payer, one DEX instruction', async () => {
    const tx = await swapTx();
    expect(tx).toMatchObject({ from: wallet, to: DEX_PROGRAM, value: '0', minReceiveAmount: MIN_OUT.toString() });
    const bytes = base58.decode(tx.data);
    expect(bytes[0]).toBe(1);
    expect(bytes.subarray(1, 65).every((byte) => byte === 0)).toBe(true);
    const message = bytes.subarray(65);
    expect([...message.subarray(0, 4)]).toEqual([1, 0, 3, 4]); // header, then 4 account keys
    const key = (index: number) => base58.encode(message.subarray(4 + 32 * index, 36 + 32 * index));
    expect([key(0), key(1), key(2), key(3)]).toEqual([wallet, USDC, USDT, DEX_PROGRAM]);
    const rest = message.subarray(4 + 32 * 4 + 32); // after the recent blockhash
    expect([...rest.subarray(0, 6)]).toEqual([1, 3, 3, 0, 1, 2]); // 1 instruction: program 3, accounts [0, 1, 2]
    expect(rest[6]).toBe(24); // data: 8-byte tag, amount u64 LE, minimum out u64 LE
    expect(u64le(rest.subarray(15, 23))).toBe(AMOUNT);
    expect(u64le(rest.subarray(23, 31))).toBe(MIN_OUT);
    expect(rest.length).toBe(31);
  });

  it('simulates, broadcasts, settles and moves the balances of a signed Solana swap once', async () => {
    const tx = await swapTx();
    const simulated = await post(`${PRE}/simulate`, {
      chainIndex: '501',
      fromAddress: wallet,
      toAddress: DEX_PROGRAM,
      txAmount: '0',
      extJson: { inputData: tx.data },
    });
    expect(simulated.data[0]).toMatchObject({
      intention: 'Swap',
      failReason: '',
      assetChange: [
        { assetType: 'SPLTOKEN', symbol: 'USDC', address: USDC, decimals: 6, rawValue: `-${AMOUNT}` },
        { assetType: 'SPLTOKEN', symbol: 'USDT', address: USDT, decimals: 6, rawValue: OUT.toString() },
      ],
    });
    const { signed, signature } = signWire(tx.data);
    const sent = await broadcast(signed);
    expect(sent.data[0].txHash).toBe(base58.encode(signature));
    expect(await broadcast(signed)).toEqual(sent);
    expect((await orders())[0]).toMatchObject({ orderId: sent.data[0].orderId, txStatus: '1' });
    await control(sandbox, 'POST', 'settings', { confirmAfterMs: 0 });
    expect((await orders()).map((order: { txStatus: string }) => order.txStatus)).toEqual(['2']);
    // 500 − 100 USDC; + 99.949715 USDT.
    expect(await balances()).toEqual(['USDC 400', 'USDT 99.949715']);
    const history = await get(
      `/api/v6/dex/aggregator/history?${qs({ chainIndex: '501', txHash: sent.data[0].txHash })}`,
    );
    expect(history.data).toMatchObject({
      status: 'success',
      txType: 'Swap',
      fromAddress: wallet,
      fromTokenDetails: { symbol: 'USDC', amount: AMOUNT.toString(), tokenAddress: USDC },
      toTokenDetails: { symbol: 'USDT', amount: OUT.toString(), tokenAddress: USDT },
      txFee: '0.000005',
    });
    expect(await broadcast(signed)).toEqual(sent);
    expect(await balances()).toEqual(['USDC 400', 'USDT 99.949715']);
    await control(sandbox, 'POST', 'settings', { confirmAfterMs: 60_000 });
  });

  it('refuses a bad signature, another fee payer, a changed message and junk', async () => {
    const tx = await swapTx();
    const { signed, signature, message } = signWire(tx.data);
    const forged = Uint8Array.from([1, ...signature.map((byte, index) => (index === 0 ? byte ^ 1 : byte)), ...message]);
    const failure = { code: '81451', msg: 'Node return failed: Transaction signature verification failure', data: [] };
    expect(await broadcast(base58.encode(forged))).toEqual(failure);
    expect(await broadcast(signWire(tx.data, ed25519.utils.randomSecretKey()).signed)).toEqual(failure);
    const other = base58.encode(ed25519.getPublicKey(ed25519.utils.randomSecretKey()));
    expect(await broadcast(signed, other)).toEqual({
      code: '81001',
      msg: `Incorrect parameter address: the fee payer is ${wallet}`,
      data: [],
    });
    // The wallet signs a message whose minimum out it lowered to 0: valid signature, not what was issued.
    const bytes = base58.decode(tx.data);
    bytes.fill(0, bytes.length - 8);
    expect(await broadcast(signWire(base58.encode(bytes)).signed)).toEqual({
      code: '81451',
      msg: 'Node return failed: execution reverted: the sandbox did not issue this transaction (message bytes differ)',
      data: [],
    });
    expect(await broadcast('3xyz')).toMatchObject({ code: '81001', msg: 'Incorrect parameter signedTx' });
    expect(await broadcast(signed, '0x1111111111111111111111111111111111111111')).toMatchObject({ code: '81108' });
    expect(await orders()).toEqual([]);
    const simulatedJunk = await post(`${PRE}/simulate`, {
      chainIndex: '501',
      fromAddress: wallet,
      toAddress: DEX_PROGRAM,
      extJson: { inputData: base58.encode(bytes) },
    });
    expect(simulatedJunk.data[0].failReason).toBe('execution reverted: the sandbox did not issue this transaction');
  });

  it('answers check-approvals on Solana with 81104: SPL swaps need no approval', async () => {
    const answer = await post(`${PRE}/check-approvals`, {
      chainIndex: '501',
      address: wallet,
      tokens: [{ tokenContractAddress: USDC }],
    });
    expect(answer).toEqual({ code: '81104', msg: 'Chain 501 not support', data: [] });
  });
});
