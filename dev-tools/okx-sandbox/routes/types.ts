import type { ParamOptions, Module } from '../params';
import type { SandboxWorld } from '../world';

export interface RouteContext {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** Parsed JSON body of a POST; undefined when the body was empty. */
  readonly body: unknown;
  readonly world: SandboxWorld;
  readonly nowMs: number;
  readonly options: ParamOptions;
}

export interface Route {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly module: Module;
  /** Returns the envelope's `data` or throws an OkxApiError. */
  readonly handle: (context: RouteContext) => unknown;
  /** Chains a request touches (balance routes), for the chainFailure fault. */
  readonly chainsOf?: (context: RouteContext) => string[];
}
