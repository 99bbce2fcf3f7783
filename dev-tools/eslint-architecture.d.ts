import type { ESLint } from 'eslint';

/** The `esther` plugin: its one rule, `layer-boundaries` (see eslint-architecture.js). */
export declare const architecture: ESLint.Plugin;
export declare const CAPABILITIES: readonly string[];
