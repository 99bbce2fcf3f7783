import { vi } from 'vitest';

export interface CapturedOutput {
  /** Every line written to stdout or stderr while capturing. */
  readonly lines: string[];
  /** The lines that are JSON objects (the Powertools logger's lines and the EMF metric lines), parsed. */
  json(): Record<string, unknown>[];
  restore(): void;
}

/**
 * Captures what the Powertools logger and metrics write: they print through their own `Console` on
 * process.stdout/stderr (as in Lambda), so spying on `console` sees nothing. Keeps it off the test report.
 */
export function captureOutput(): CapturedOutput {
  const lines: string[] = [];
  const write = (chunk: string | Uint8Array) => {
    lines.push(
      ...String(chunk)
        .split('\n')
        .filter((line) => line.length > 0),
    );
    return true;
  };
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(write as never),
    vi.spyOn(process.stderr, 'write').mockImplementation(write as never),
  ];
  return {
    lines,
    json: () => lines.flatMap((line) => (line.startsWith('{') ? [JSON.parse(line) as Record<string, unknown>] : [])),
    restore: () => spies.forEach((spy) => spy.mockRestore()),
  };
}
