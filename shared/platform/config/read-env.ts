export class MissingConfigError extends Error {
  constructor(readonly variable: string) {
    super(`missing required environment variable ${variable}`);
    this.name = 'MissingConfigError';
  }
}

export class InvalidConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`invalid environment variable ${variable}: ${reason}`);
    this.name = 'InvalidConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Reads a required variable; throws at cold start instead of limping on with an empty string. */
export function requireEnv(name: string, env: Env = process.env): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') throw new MissingConfigError(name);
  return value;
}

export function optionalEnv(name: string, env: Env = process.env): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}

export function readBooleanEnv(name: string, fallback: boolean, env: Env = process.env): boolean {
  const value = optionalEnv(name, env)?.toLowerCase();
  if (value === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw new InvalidConfigError(name, `expected true/false, got "${value}"`);
}

export function readPositiveIntEnv(name: string, fallback: number, env: Env = process.env): number {
  const value = optionalEnv(name, env);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) <= 0)
    throw new InvalidConfigError(name, `expected a positive integer, got "${value}"`);
  return Number(value);
}

export function readUrlEnv(name: string, fallback: string, env: Env = process.env): string {
  const value = optionalEnv(name, env) ?? fallback;
  try {
    return new URL(value).toString().replace(/\/$/, '');
  } catch {
    throw new InvalidConfigError(name, `expected a URL, got "${value}"`);
  }
}
