import { describe, expect, it } from 'vitest';
import { base58 } from '@scure/base';
import { parseWalletAddress, toChecksumAddress } from '../../../shared/kernel/address';
import { InvalidAddressError } from '../../../shared/kernel/errors';

const EIP55_VECTORS = [
  '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
  '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
  '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
  '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
  '0x52908400098527886E0F7030069857D2E4169EE7',
  '0x8617E340B3D01FA5F11F306F4090FD50E238070D',
  '0xde709f2102306220921060314715629080e2fb77',
  '0x27b1fdb04752bbc536007a920d24acb045561c26',
];

function reasonOf(input: string): string {
  try {
    parseWalletAddress(input);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidAddressError);
    return (error as InvalidAddressError).reason;
  }
  throw new Error(`accepted ${input}`);
}

describe('parseWalletAddress', () => {
  it.each(EIP55_VECTORS)('accepts the EIP-55 vector %s and normalises it to lower case', (address) => {
    expect(parseWalletAddress(`  ${address}\n`)).toEqual({ address: address.toLowerCase(), family: 'evm' });
  });

  it('computes the EIP-55 checksum of the spec vectors', () => {
    for (const address of EIP55_VECTORS.slice(0, 4)) expect(toChecksumAddress(address.toLowerCase())).toBe(address);
    expect(toChecksumAddress('52908400098527886e0f7030069857d2e4169ee7')).toBe(
      '0x52908400098527886E0F7030069857D2E4169EE7',
    );
  });

  it('accepts all-lower and all-upper hex without a checksum', () => {
    expect(parseWalletAddress('0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed').address).toBe(
      '0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed',
    );
    expect(parseWalletAddress('0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED').address).toBe(
      '0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed',
    );
    expect(parseWalletAddress('0X5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED').family).toBe('evm');
  });

  it('rejects mixed case that fails the checksum', () => {
    expect(reasonOf('0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD')).toBe('checksum mismatch — check for a typo');
    expect(reasonOf('0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d358')).toBe('checksum mismatch — check for a typo');
  });

  it.each([
    'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v',
    'So11111111111111111111111111111111111111112',
    '11111111111111111111111111111111',
    'vines1vzrYbzLMRdu58ou5XTby4qAqVRLmqo36NKPTg',
    'J1toso1uCk3RLmjorhTtrVwY9HJ7X8V9yYac6Y7kGCPn',
  ])('accepts the Solana address %s as given', (address) => {
    expect(parseWalletAddress(` ${address} `)).toEqual({ address, family: 'solana' });
  });

  it.each([
    ['', 'the address is empty: paste a wallet address (0x… for EVM chains, base58 for Solana, T… for Tron)'],
    ['   ', 'the address is empty: paste a wallet address (0x… for EVM chains, base58 for Solana, T… for Tron)'],
    [
      '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA',
      'wrong length: an EVM address has 40 hex characters after 0x, this one has 38',
    ],
    [
      '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAedaa',
      'wrong length: an EVM address has 40 hex characters after 0x, this one has 42',
    ],
    [
      '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg',
      'invalid character "g" at position 42: an EVM address has only 0-9 and a-f after 0x',
    ],
    [
      '0x5aAeb6053F3E94C9 9A09f33669435E7Ef1BeAed',
      'invalid character " " at position 19: an EVM address has only 0-9 and a-f after 0x',
    ],
    ['5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', 'the 0x prefix is missing: EVM addresses start with 0x'],
    ['vitalik.eth', 'this looks like an ENS name: names are not supported yet, paste the 0x… address it points to'],
    ['Vitalik.ETH', 'this looks like an ENS name: names are not supported yet, paste the 0x… address it points to'],
    [
      'bonfida.sol',
      'this looks like a .sol domain: names are not supported yet, paste the Solana address it points to',
    ],
    ['wallet.example.com', 'this looks like a domain name, not a wallet address: paste the address itself'],
    [
      'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt0v',
      'invalid base58 character "0": Solana addresses use letters and digits except 0, O, I and l',
    ],
    [
      'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDtlv',
      'invalid base58 character "l": Solana addresses use letters and digits except 0, O, I and l',
    ],
    [
      'EPjFWdd5AufqSSqeM2qN1 xzybapC8G4wEGGkZwyTDt1v',
      'invalid base58 character a space: Solana addresses use letters and digits except 0, O, I and l',
    ],
    ['EPjFWdd5AufqSSqeM2qN1xzybapC8G4', 'wrong length: a Solana address decodes to 32 bytes, this one to 23'],
    [
      'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1vEPjF',
      'wrong length: a Solana address decodes to 32 bytes, this one to 35',
    ],
  ])('rejects %j: %s', (input, reason) => {
    expect(reasonOf(input)).toBe(reason);
  });

  it('recognises transaction hashes and signatures', () => {
    const hash = `0x${'ab'.repeat(32)}`;
    expect(reasonOf(hash)).toBe(
      'this looks like a transaction hash (66 characters), not a wallet address — and if it is a private key, never share it',
    );
    expect(reasonOf('ab'.repeat(32))).toBe(
      'this looks like a transaction hash (64 hex characters), not a wallet address — and if it is a private key, never share it',
    );
    const signature = '5VERv8NMvzbJMEkV8xnrLkEaWRtSz9CosKDYjCJjBRnbJLgp8uirBgmQpjKhoR4tjF3ZpRzrFmBV6UjKdiSZkQUW';
    expect(reasonOf(signature)).toBe('this looks like a Solana transaction signature, not a wallet address');
  });

  it.each([
    'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
    'TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7',
    'TAcWbsKJryUGAGqHSJWa8bhgZQJtkvCaGd',
  ])('accepts the Tron address %s as given (base58check, 21 bytes from 0x41)', (address) => {
    expect(parseWalletAddress(` ${address} `)).toEqual({ address, family: 'tron' });
  });

  it('answers a Tron typo with a checksum message, not a Solana one', () => {
    // Last character changed: the double-sha256 checksum no longer matches.
    expect(reasonOf('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u')).toBe(
      'checksum mismatch — check for a typo (a Tron address is 34 characters starting with T)',
    );
  });

  const BITCOIN =
    "Bitcoin addresses aren't supported: OKX's DEX API has no Bitcoin balances, so I can't read this wallet. Paste an EVM (0x…), Solana or Tron (T…) address";
  it.each([
    'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
    'bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297',
    'tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx',
    '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
    '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy',
  ])('answers the Bitcoin address %s with its own message', (address) => {
    expect(reasonOf(address)).toBe(BITCOIN);
  });

  it('keeps the trimmed input on the error', () => {
    try {
      parseWalletAddress(' nope.eth ');
    } catch (error) {
      expect((error as InvalidAddressError).input).toBe('nope.eth');
      expect((error as InvalidAddressError).message).toContain('invalid wallet address: this looks like an ENS name');
    }
    expect.assertions(2);
  });
});

// Addresses, secrets and the OKX sandbox rely on @scure/base's base58 (Bitcoin alphabet) behaving like this.
describe('base58 (@scure/base)', () => {
  it.each([
    ['1', [0]],
    ['11', [0, 0]],
    ['2', [1]],
    ['5Q', [255]],
    ['5R', [1, 0]],
  ])('maps %s to bytes %j and back (each leading 1 is a zero byte, values big-endian)', (text, bytes) => {
    expect([...base58.decode(text)]).toEqual(bytes);
    expect(base58.encode(Uint8Array.from(bytes))).toBe(text);
  });

  it('decodes the classic vectors', () => {
    expect(Buffer.from(base58.decode('StV1DL6CwTryKyV')).toString('utf8')).toBe('hello world');
    expect(base58.decode('11111111111111111111111111111111')).toEqual(new Uint8Array(32));
    expect(base58.encode(new Uint8Array(32))).toBe('11111111111111111111111111111111');
  });
});
