import BigConstructor from 'big.js';

/**
 * The sandbox's own big.js copy (independent of the product's decimal module), printing plain decimal
 * strings, never exponents, across every magnitude the sandbox can produce.
 */
export const Big = BigConstructor();
Big.NE = -60;
Big.PE = 80;
