import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/** Where `secrets:set` reads values from: never argv or the environment, so nothing lands in shell history. */
export interface SecretInput {
  /** One value: typed without echo on a terminal, else the next line of stdin. */
  read(label: string): Promise<string>;
  close(): void;
}

/** The operator cancelled (Ctrl-C) or the input ended before every value was read. */
export class InputEndedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputEndedError';
  }
}

/** `process.stdin`: a terminal has `isTTY` and `setRawMode`, a pipe has neither. */
export type InputStream = Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };

/** A hidden prompt on a terminal (prompts go to `prompts`, usually stderr); one value per line from a pipe. */
export function createSecretInput(stdin: InputStream, prompts: Writable): SecretInput {
  return stdin.isTTY && typeof stdin.setRawMode === 'function'
    ? createHiddenPrompt(stdin, stdin.setRawMode.bind(stdin), prompts)
    : createLineReader(stdin);
}

const ENTER = new Set(['\r', '\n']);
const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const BACKSPACE = new Set(['\u007f', '\b']);

/**
 * Raw mode: the terminal does not echo, and we print nothing per key (not even `*`, which would tell the
 * length). Backspace edits; other control keys are ignored. Keys typed after Enter (a pasted block) wait
 * for the next prompt.
 */
function createHiddenPrompt(stdin: InputStream, setRawMode: (mode: boolean) => unknown, out: Writable): SecretInput {
  let pending: string[] = [];
  stdin.setEncoding('utf8');
  return {
    read: (label) =>
      new Promise<string>((resolve, reject) => {
        let value: string[] = [];
        const finish = (error?: Error) => {
          stdin.off('data', onData);
          setRawMode(false);
          stdin.pause();
          out.write('\n');
          if (error) reject(error);
          else resolve(value.join(''));
        };
        const take = (): boolean => {
          while (pending.length > 0) {
            const char = pending.shift()!;
            if (ENTER.has(char)) return true;
            if (char === CTRL_C) throw new InputEndedError('Cancelled.');
            if (char === CTRL_D && value.length === 0) throw new InputEndedError(`Input ended before ${label}.`);
            if (BACKSPACE.has(char)) value = value.slice(0, -1);
            else if (char >= ' ') value.push(char);
          }
          return false;
        };
        const onData = (chunk: string) => {
          pending.push(...chunk);
          try {
            if (take()) finish();
          } catch (error) {
            pending = [];
            finish(error as Error);
          }
        };
        out.write(`${label} (hidden): `);
        setRawMode(true);
        stdin.on('data', onData);
        stdin.resume();
        onData('');
      }),
    close: () => undefined,
  };
}

function createLineReader(stdin: Readable): SecretInput {
  const lines = createInterface({ input: stdin, terminal: false, crlfDelay: Infinity });
  const iterator = lines[Symbol.asyncIterator]();
  return {
    async read(label) {
      const next = await iterator.next();
      if (next.done) throw new InputEndedError(`Input ended before ${label}.`);
      return next.value;
    },
    close: () => lines.close(),
  };
}
