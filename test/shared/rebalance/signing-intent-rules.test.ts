import { describe, expect, it } from 'vitest';
import {
  checkIntent,
  decodeApprove,
  isIntentOk,
  type IntentInput,
} from '../../../shared/rebalance/signing-intent-rules';

const USDC = '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48';
const ROUTER = '0x5e1f62dac767b0491e3ce72469c217365d5b48cc';
const SPENDER = '0x40aa958dd87fc8305b97f2ba922cddca374bcd7f';
const OTHER = '0x1111111111111111111111111111111111111111';

/** approve(spender, amount) calldata, written out by hand: selector, spender left-padded, amount as 32-byte hex. */
const approveData = (spender: string, amountHex: string) =>
  `0x095ea7b3${'0'.repeat(24)}${spender.slice(2)}${amountHex.padStart(64, '0')}`;

/** Sell 1,000 USDC (1000000000 raw, 6 decimals) for at least 0.3 ETH (3e17 wei) on Ethereum. */
const swap = (overrides: Partial<IntentInput> = {}): IntentInput => ({
  kind: 'swap',
  family: 'evm',
  chainIndex: '1',
  chainName: 'Ethereum',
  from: { address: USDC, symbol: 'USDC', decimals: 6 },
  to: { address: '', symbol: 'ETH', decimals: 18 },
  amountRaw: '1000000000',
  minReceivedRaw: '300000000000000000',
  spender: SPENDER,
  routers: [ROUTER],
  tx: { chainId: 1, to: '0x5E1f62Dac767b0491e3CE72469C217365D5B48cC', data: '0xf2c42696', value: '0' },
  simulation: {
    kind: 'ran',
    failReason: '',
    assetChanges: [
      { address: USDC, assetType: 'ERC20', rawValue: '-1000000000' },
      { address: '0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee', assetType: 'NATIVE', rawValue: '301000000000000000' },
    ],
  },
  ...overrides,
});

const failed = (input: IntentInput) => checkIntent(input).filter((check) => !check.ok);

describe('the intent check', () => {
  it('passes a swap that matches the leg, with one sentence per check', () => {
    const checks = checkIntent(swap());
    expect(isIntentOk(checks)).toBe(true);
    expect(checks.map((check) => check.name)).toEqual(['chain', 'recipient', 'value', 'simulation']);
    expect(checks.find((check) => check.name === 'simulation')!.detail).toBe(
      'Simulated by OKX: gives 1000 USDC and receives 0.301 ETH (at least 0.3 ETH).',
    );
  });

  it('refuses the wrong chain id', () => {
    expect(failed(swap({ tx: { ...swap().tx, chainId: 56 } }))).toEqual([
      {
        name: 'chain',
        ok: false,
        detail: 'The transaction is for chain id 56, but this trade is on Ethereum (chain id 1).',
      },
    ]);
  });

  it('refuses a swap sent anywhere but an OKX router (the approve spender counts as OKX too)', () => {
    expect(failed(swap({ tx: { ...swap().tx, to: OTHER } })).map((check) => check.name)).toEqual(['recipient']);
    expect(isIntentOk(checkIntent(swap({ routers: [], tx: { ...swap().tx, to: SPENDER } })))).toBe(true);
  });

  it('refuses a value on a token sale, and wants exactly the amount when selling the native coin', () => {
    expect(failed(swap({ tx: { ...swap().tx, value: '1' } })).map((check) => check.name)).toEqual(['value']);
    const native = swap({
      from: { address: '', symbol: 'ETH', decimals: 18 },
      to: { address: USDC, symbol: 'USDC', decimals: 6 },
      amountRaw: '500000000000000000',
      minReceivedRaw: '1500000000',
      tx: { ...swap().tx, value: '500000000000000000' },
      simulation: {
        kind: 'ran',
        failReason: '',
        assetChanges: [
          { address: '', assetType: 'NATIVE', rawValue: '-500000000000000000' },
          { address: USDC, assetType: 'ERC20', rawValue: '1510000000' },
        ],
      },
    });
    expect(isIntentOk(checkIntent(native))).toBe(true);
    expect(checkIntent(native).find((check) => check.name === 'value')!.detail).toBe(
      'Sends 0.5 ETH of the native coin with it.',
    );
    expect(failed({ ...native, tx: { ...native.tx, value: '600000000000000000' } }).map((c) => c.name)).toEqual([
      'value',
    ]);
  });

  it('refuses a swap whose own on-chain floor is below the confirmed minimum', () => {
    expect(isIntentOk(checkIntent(swap({ txMinReceivedRaw: '300000000000000000' })))).toBe(true);
    expect(failed(swap({ txMinReceivedRaw: '299000000000000000' }))).toEqual([
      {
        name: 'minimum',
        ok: false,
        detail: 'The swap only guarantees 0.299 ETH, below the 0.3 ETH you confirmed: prices moved, rebalance again.',
      },
    ]);
  });

  it('refuses a simulation that takes more than the leg amount', () => {
    const input = swap({
      simulation: {
        kind: 'ran',
        failReason: '',
        assetChanges: [
          { address: USDC, assetType: 'ERC20', rawValue: '-1000000001' },
          { address: '', assetType: 'NATIVE', rawValue: '301000000000000000' },
        ],
      },
    });
    expect(failed(input)).toEqual([
      {
        name: 'simulation',
        ok: false,
        detail: 'The simulation takes 1000.000001 USDC, more than the planned 1000 USDC.',
      },
    ]);
  });

  it('refuses a simulation that receives less than the minimum', () => {
    const input = swap({
      simulation: {
        kind: 'ran',
        failReason: '',
        assetChanges: [
          { address: USDC, assetType: 'ERC20', rawValue: '-1000000000' },
          { address: '', assetType: 'NATIVE', rawValue: '299999999999999999' },
        ],
      },
    });
    expect(failed(input)[0]!.detail).toBe(
      'The simulation gives 0.299999999999999999 ETH, less than the minimum 0.3 ETH.',
    );
  });

  it('refuses when another token would leave the wallet, when the simulation fails, and when it is unavailable', () => {
    const drain = swap({
      simulation: {
        kind: 'ran',
        failReason: '',
        assetChanges: [
          ...(swap().simulation as Extract<IntentInput['simulation'], { kind: 'ran' }>).assetChanges,
          {
            address: OTHER,
            assetType: 'ERC20',
            rawValue: '-5',
          },
        ],
      },
    });
    expect(failed(drain)[0]!.detail).toContain(`${OTHER} leaving your wallet`);
    expect(
      failed(swap({ simulation: { kind: 'ran', failReason: 'execution reverted', assetChanges: [] } }))[0]!.detail,
    ).toBe('The simulation says it would fail: execution reverted.');
    expect(failed(swap({ simulation: { kind: 'unavailable', reason: 'OKX said 50030' } }))[0]!.detail).toContain(
      'nothing is signed unchecked',
    );
  });

  describe('approvals', () => {
    const approval = (overrides: Partial<IntentInput> = {}): IntentInput =>
      swap({
        kind: 'approve',
        // 1000000000 = 0x3b9aca00
        tx: { chainId: 1, to: USDC, data: approveData(SPENDER, '3b9aca00'), value: '0' },
        simulation: { kind: 'ran', failReason: '', assetChanges: [] },
        ...overrides,
      });

    it('passes an approval of exactly the leg amount to the named spender', () => {
      const checks = checkIntent(approval());
      expect(isIntentOk(checks)).toBe(true);
      expect(checks.find((check) => check.name === 'approval')!.detail).toBe(
        `Lets ${SPENDER} (OKX's spender) use exactly 1000 USDC.`,
      );
    });

    it('refuses another amount (2,000 USDC = 0x77359400) and another spender', () => {
      expect(failed(approval({ tx: { ...approval().tx, data: approveData(SPENDER, '77359400') } }))[0]!.detail).toBe(
        'The approval is for 2000 USDC, not exactly 1000 USDC.',
      );
      expect(failed(approval({ tx: { ...approval().tx, data: approveData(OTHER, '3b9aca00') } }))[0]!.detail).toBe(
        `The approval names ${OTHER}, not OKX's spender ${SPENDER}.`,
      );
    });

    it('refuses an approval not sent to the token contract, or carrying a value', () => {
      expect(failed(approval({ tx: { ...approval().tx, to: ROUTER } })).map((check) => check.name)).toEqual([
        'recipient',
      ]);
      expect(failed(approval({ tx: { ...approval().tx, value: '1' } })).map((check) => check.name)).toEqual(['value']);
    });

    it('wants a reset to be exactly 0', () => {
      const reset = approval({ kind: 'reset-approval', tx: { ...approval().tx, data: approveData(SPENDER, '0') } });
      expect(isIntentOk(checkIntent(reset))).toBe(true);
      expect(failed({ ...reset, tx: { ...reset.tx, data: approveData(SPENDER, '3b9aca00') } })[0]!.name).toBe(
        'approval',
      );
    });

    it('refuses calldata that is not an approval', () => {
      expect(failed(approval({ tx: { ...approval().tx, data: '0xa9059cbb' } }))[0]!.detail).toBe(
        'This is not an ERC-20 approval.',
      );
    });
  });

  it('checks a Solana swap by router and simulation only', () => {
    const solana = swap({
      family: 'solana',
      chainIndex: '501',
      chainName: 'Solana',
      from: { address: '', symbol: 'SOL', decimals: 9 },
      to: { address: 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v', symbol: 'USDC', decimals: 6 },
      amountRaw: '2000000000',
      minReceivedRaw: '290000000',
      routers: ['proVF4pMXVaYqmy4NjniPh4pqKNfMmsihgd4wdkCX3u'],
      tx: { to: 'proVF4pMXVaYqmy4NjniPh4pqKNfMmsihgd4wdkCX3u', data: '3mJr7', value: '0' },
      simulation: {
        kind: 'ran',
        failReason: '',
        assetChanges: [
          { address: '11111111111111111111111111111111', assetType: 'NATIVE', rawValue: '-2000000000' },
          { address: 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v', assetType: 'SPLTOKEN', rawValue: '295000000' },
        ],
      },
    });
    const checks = checkIntent(solana);
    expect(checks.map((check) => check.name)).toEqual(['recipient', 'simulation']);
    expect(isIntentOk(checks)).toBe(true);
  });

  it('decodes approve calldata and nothing else', () => {
    expect(decodeApprove(approveData(SPENDER, 'f4240'))).toEqual({ spender: SPENDER, amountRaw: '1000000' });
    expect(decodeApprove('0x095ea7b3')).toBeUndefined();
    expect(decodeApprove(`0x095ea7b3${'f'.repeat(64)}${'0'.repeat(64)}`)).toBeUndefined();
  });
});
