import type { Log } from '../../shared/platform/logger';

export interface LoggedLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields?: Record<string, unknown>;
}

export type MemoryLogger = Log & {
  readonly lines: LoggedLine[];
  /** The lines as the logger prints them, flattened: `{ level: 'INFO', message, ...fields }`. */
  entries(): Record<string, unknown>[];
};

/** A recording stand-in for the platform logger: what was logged, at which level, with which fields. */
export function createMemoryLogger(): MemoryLogger {
  const lines: LoggedLine[] = [];
  const record =
    (level: LoggedLine['level']) =>
    (message: unknown, ...extra: unknown[]): void =>
      void lines.push({
        level,
        message: String(message),
        ...(extra[0] === undefined ? {} : { fields: extra[0] as Record<string, unknown> }),
      });
  return {
    lines,
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
    entries: () => lines.map((line) => ({ level: line.level.toUpperCase(), message: line.message, ...line.fields })),
  };
}
