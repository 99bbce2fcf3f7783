import type { Ledger } from '../ledger';
import type { ParamOptions, Module } from '../params';
import type { SandboxWorld } from '../world';

export interface RouteContext {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** Parsed JSON body of a POST; undefined when the body was empty. */
  readonly body: unknown;
  readonly world: SandboxWorld;
  /** Issued transactions, allowances, nonces and broadcast orders. */
  readonly ledger: Ledger;
  readonly nowMs: number;
  readonly options: ParamOptions;
}

export interface Route {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly module: Module;
  /** Returns (or resolves to) the envelope's `data`, or throws an OkxApiError. */
  readonly handle: (context: RouteContext) => unknown;
  /** Chains a request touches (balance routes), for the chainFailure fault. */
  readonly chainsOf?: (context: RouteContext) => string[];
}
