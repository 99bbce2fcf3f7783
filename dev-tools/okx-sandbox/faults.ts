/** Faults that answer instead of the route. */
export const ERROR_FAULT_KINDS = ['http500', 'code50026', 'timeout', 'malformed', 'rateLimit', 'chainFailure'] as const;
/**
 * Faults that run the route and then distort its well-formed answer (see answer-faults.ts): an implausible
 * amount or price in the first matching row, or `data: []`.
 */
export const ANSWER_FAULT_KINDS = ['negativeBalance', 'hugeBalance', 'negativePrice', 'emptyData'] as const;
/**
 * Faults of a broadcast transaction, taken by the gateway itself (see ledger.ts): `broadcastRejected` answers
 * 81451 and records nothing; `txReverted` and `neverConfirmed` mark the next accepted transaction.
 */
export const TX_FAULT_KINDS = ['broadcastRejected', 'txReverted', 'neverConfirmed'] as const;
export const FAULT_KINDS = [...ERROR_FAULT_KINDS, ...ANSWER_FAULT_KINDS, ...TX_FAULT_KINDS] as const;
export type AnswerFaultKind = (typeof ANSWER_FAULT_KINDS)[number];
export type TxFaultKind = (typeof TX_FAULT_KINDS)[number];
export type FaultKind = (typeof FAULT_KINDS)[number];

export function isAnswerFault(kind: FaultKind): kind is AnswerFaultKind {
  return (ANSWER_FAULT_KINDS as readonly string[]).includes(kind);
}

export function isTxFault(kind: FaultKind): kind is TxFaultKind {
  return (TX_FAULT_KINDS as readonly string[]).includes(kind);
}

export interface FaultSpec {
  /** A string matches any path containing it; a RegExp is tested against the path (no query). Default: every path. */
  readonly path?: string | RegExp;
  readonly kind: FaultKind;
  /**
   * chainFailure: fail balance calls that include any of these chains (default: any balance call).
   * Answer faults: only requests that include one of these chains, and only rows on them (default: any).
   * Transaction faults: only transactions broadcast on one of these chains (default: any).
   */
  readonly chains?: readonly string[];
  /** How many matching requests fail before the fault disarms itself (default: until clear()). */
  readonly times?: number;
}

export interface SandboxFaults {
  inject(fault: FaultSpec): void;
  clear(): void;
  /** Faults still armed, with their remaining count (undefined = unlimited). */
  active(): { kind: FaultKind; path?: string | RegExp; remaining?: number }[];
}

interface Armed {
  readonly spec: FaultSpec;
  remaining?: number;
}

export interface FaultBoard {
  readonly faults: SandboxFaults;
  /** The first armed fault matching the request; consumes one of its `times`. */
  take(path: string, requestChains: readonly string[]): FaultSpec | undefined;
  /** The first armed transaction fault of one of `kinds` for a broadcast on `chainIndex`; consumes one of its `times`. */
  takeTxFault(chainIndex: string, kinds: readonly TxFaultKind[]): TxFaultKind | undefined;
}

const BALANCE_PATH = '/api/v6/dex/balance/';

function matches(armed: Armed, path: string, requestChains: readonly string[]): boolean {
  const { spec } = armed;
  if (isTxFault(spec.kind)) return false;
  if (spec.path !== undefined && !(typeof spec.path === 'string' ? path.includes(spec.path) : spec.path.test(path)))
    return false;
  if (spec.kind === 'chainFailure' && !path.startsWith(BALANCE_PATH)) return false;
  if (spec.kind !== 'chainFailure' && !isAnswerFault(spec.kind)) return true;
  return spec.chains === undefined ? true : requestChains.some((chain) => spec.chains!.includes(chain));
}

export function createFaultBoard(): FaultBoard {
  let armed: Armed[] = [];
  const consume = (hit: Armed) => {
    if (hit.remaining === undefined) return;
    hit.remaining -= 1;
    if (hit.remaining === 0) armed = armed.filter((entry) => entry !== hit);
  };
  return {
    faults: {
      inject(spec) {
        if (spec.times !== undefined && !(Number.isInteger(spec.times) && spec.times > 0))
          throw new Error(`times must be a positive integer, got ${spec.times}`);
        armed.push({ spec, remaining: spec.times });
      },
      clear() {
        armed = [];
      },
      active: () => armed.map(({ spec, remaining }) => ({ kind: spec.kind, path: spec.path, remaining })),
    },
    take(path, requestChains) {
      const hit = armed.find((entry) => matches(entry, path, requestChains));
      if (!hit) return undefined;
      consume(hit);
      return hit.spec;
    },
    takeTxFault(chainIndex, kinds) {
      const hit = armed.find(
        ({ spec }) =>
          (kinds as readonly string[]).includes(spec.kind) && (!spec.chains || spec.chains.includes(chainIndex)),
      );
      if (!hit) return undefined;
      consume(hit);
      return hit.spec.kind as TxFaultKind;
    },
  };
}
