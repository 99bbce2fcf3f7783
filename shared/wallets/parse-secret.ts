import { base58 } from '@scure/base';

export type SecretKind = 'private key' | 'seed phrase';

const HEX_KEY = /^(0x)?[0-9a-fA-F]{64}$/;
const BASE58 = /^[1-9A-HJ-NP-Za-km-z]{80,90}$/;
/** BIP-39 phrases have 12 to 24 words (multiples of 3); every English list word is 3 to 8 lower-case letters. */
const SEED_LENGTHS = new Set([12, 15, 18, 21, 24]);
const SEED_WORD = /^[a-z]{3,8}$/;

/** 32 bytes as hex (an EVM or Tron key) or 64 bytes in base58 (a Solana keypair as wallets export it). */
function isKeyWord(word: string): boolean {
  if (HEX_KEY.test(word)) return true;
  return BASE58.test(word) && base58.decode(word).length === 64;
}

/**
 * Whether a message looks like a wallet secret the user should never have sent. A 64-hex string may also be
 * a transaction hash; it is treated as a key because deleting a hash costs nothing and leaving a key costs
 * everything. A leading /command is ignored, so "/addwallet <key>" is caught too.
 */
export function detectSecret(text: string): SecretKind | undefined {
  const words = text.trim().split(/\s+/).filter((word) => word !== '');
  const body = words[0]?.startsWith('/') ? words.slice(1) : words;
  if (body.some(isKeyWord)) return 'private key';
  if (SEED_LENGTHS.has(body.length) && body.every((word) => SEED_WORD.test(word))) return 'seed phrase';
  return undefined;
}
