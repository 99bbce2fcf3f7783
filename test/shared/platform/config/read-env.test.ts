import { afterEach, describe, expect, it } from 'vitest';
import {
  InvalidConfigError,
  MissingConfigError,
  optionalEnv,
  readBooleanEnv,
  readPositiveIntEnv,
  readUrlEnv,
  requireEnv,
} from '../../../../shared/platform/config/env-names';

describe('read-env', () => {
  describe('requireEnv', () => {
    it('returns the value as is', () => {
      expect(requireEnv('A', { A: ' value ' })).toBe(' value ');
    });

    it.each([[{}], [{ A: '' }], [{ A: '   ' }]])('throws MissingConfigError naming the variable for %j', (env) => {
      expect(() => requireEnv('A', env)).toThrow(new MissingConfigError('A'));
      expect(() => requireEnv('A', env)).toThrow('missing required environment variable A');
    });

    it('reads process.env by default', () => {
      process.env.ESTHER_TEST_REQUIRED = 'x';
      expect(requireEnv('ESTHER_TEST_REQUIRED')).toBe('x');
    });
  });

  describe('optionalEnv', () => {
    it('returns undefined for unset and blank values', () => {
      expect(optionalEnv('A', {})).toBeUndefined();
      expect(optionalEnv('A', { A: ' ' })).toBeUndefined();
      expect(optionalEnv('A', { A: 'v' })).toBe('v');
    });

    it('reads process.env by default', () => {
      delete process.env.ESTHER_TEST_OPTIONAL;
      expect(optionalEnv('ESTHER_TEST_OPTIONAL')).toBeUndefined();
    });
  });

  describe('readBooleanEnv', () => {
    it.each(['1', 'true', 'YES', 'On'])('reads %s as true', (value) => {
      expect(readBooleanEnv('B', false, { B: value })).toBe(true);
    });

    it.each(['0', 'false', 'No', 'OFF'])('reads %s as false', (value) => {
      expect(readBooleanEnv('B', true, { B: value })).toBe(false);
    });

    it('falls back when unset', () => {
      expect(readBooleanEnv('B', true, {})).toBe(true);
      delete process.env.ESTHER_TEST_BOOL;
      expect(readBooleanEnv('ESTHER_TEST_BOOL', false)).toBe(false);
    });

    it('rejects anything else with InvalidConfigError', () => {
      expect(() => readBooleanEnv('B', true, { B: 'maybe' })).toThrow(
        new InvalidConfigError('B', 'expected true/false, got "maybe"'),
      );
      expect(() => readBooleanEnv('B', true, { B: 'maybe' })).toThrow(
        'invalid environment variable B: expected true/false, got "maybe"',
      );
    });
  });

  describe('readPositiveIntEnv', () => {
    it('parses a positive integer and falls back when unset', () => {
      expect(readPositiveIntEnv('N', 7, { N: '42' })).toBe(42);
      expect(readPositiveIntEnv('N', 7, {})).toBe(7);
      delete process.env.ESTHER_TEST_INT;
      expect(readPositiveIntEnv('ESTHER_TEST_INT', 3)).toBe(3);
    });

    it.each(['0', '-1', '1.5', 'ten', '00'])('rejects %s', (value) => {
      expect(() => readPositiveIntEnv('N', 1, { N: value })).toThrow(InvalidConfigError);
      expect(() => readPositiveIntEnv('N', 1, { N: value })).toThrow(`expected a positive integer, got "${value}"`);
    });
  });

  describe('readUrlEnv', () => {
    afterEach(() => {
      delete process.env.ESTHER_TEST_URL;
    });

    it('normalises the URL without a trailing slash', () => {
      expect(readUrlEnv('U', 'https://fallback.example', { U: 'https://web3.okx.com/' })).toBe('https://web3.okx.com');
      expect(readUrlEnv('U', 'https://fallback.example', { U: 'http://127.0.0.1:4010/api/' })).toBe(
        'http://127.0.0.1:4010/api',
      );
    });

    it('falls back when unset', () => {
      expect(readUrlEnv('U', 'https://fallback.example/', {})).toBe('https://fallback.example');
      expect(readUrlEnv('ESTHER_TEST_URL', 'https://default.example')).toBe('https://default.example');
    });

    it('rejects something that is not a URL', () => {
      expect(() => readUrlEnv('U', 'https://fallback.example', { U: 'web3.okx.com' })).toThrow(
        new InvalidConfigError('U', 'expected a URL, got "web3.okx.com"'),
      );
    });
  });
});
