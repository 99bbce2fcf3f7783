import { existsSync, readFileSync } from 'node:fs';

/** Loads KEY=VALUE lines from .env into process.env without overriding variables already set. */
export function loadDotEnv(path = '.env', env: NodeJS.ProcessEnv = process.env): string[] {
  if (!existsSync(path)) return [];
  const loaded: string[] = [];
  for (const line of readFileSync(path, 'utf8').split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)\s*$/.exec(line);
    if (!match || line.trim().startsWith('#')) continue;
    const [, name, raw] = match as unknown as [string, string, string];
    if (env[name] !== undefined) continue;
    env[name] = raw.replace(/^(['"])(.*)\1$/, '$2');
    loaded.push(name);
  }
  return loaded;
}
