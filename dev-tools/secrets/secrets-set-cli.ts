import { readFileSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { readEstherSettings } from '../../infra/settings';
import { createSecretInput, type InputStream } from './secret-input';
import { findSecretTargets } from './secret-targets';
import { type SecretKind, setSecrets } from './set-secrets';

export const USAGE = `Usage: npm run secrets:set -- [--stage <name>] [--only telegram|okx] [-h]

Prompts for the Telegram bot token and the OKX API key, secret key, passphrase and project id (hidden;
from a pipe: one value per line, in that order) and writes them to the stage's secrets. Values are never
taken from arguments or the environment.`;

export interface SecretsSetIo {
  readonly stdin: InputStream;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly secrets: SecretsManagerClient;
  readonly cloudformation: CloudFormationClient;
  /** cdk.json `context` @default read from ./cdk.json */
  readonly context?: Record<string, unknown>;
  readonly random?: (size: number) => Buffer;
}

/** `npm run secrets:set`: 0 when the secrets were written, 1 (with the reason on stderr) when not. */
export async function runSecretsSet(argv: readonly string[], io: SecretsSetIo): Promise<number> {
  const args = parseCliArgs(argv);
  if (args === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (typeof args === 'string') {
    io.stderr.write(`${args}\n\n${USAGE}\n`);
    return 1;
  }
  const context = io.context ?? readCdkJsonContext();
  const input = createSecretInput(io.stdin, io.stderr);
  try {
    // Stage from --stage, else cdk.json; its stages.<stage> overrides apply, as in `cdk deploy -c stage=...`.
    const settings = readEstherSettings((key) => (key === 'stage' && args.stage ? args.stage : context[key]));
    const targets = await findSecretTargets(settings, io.cloudformation);
    io.stderr.write(`Stage ${settings.stage} (stack ${settings.stackName}).\n`);
    const updated = await setSecrets({
      secrets: io.secrets,
      input,
      targets,
      only: args.only,
      random: io.random,
      stage: settings.stage,
    });
    io.stdout.write(`${updated.join('\n')}\nRunning functions read the new values within 5 minutes.\n`);
    return 0;
  } catch (error) {
    io.stderr.write(`secrets:set failed: ${(error as Error).message}\n`);
    return 1;
  } finally {
    input.close();
  }
}

/** The options, `help`, or what is wrong. Bad arguments are not echoed: a pasted value could be one. */
function parseCliArgs(argv: readonly string[]): { stage?: string; only?: SecretKind } | string {
  let values: { stage?: string; only?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { stage: { type: 'string' }, only: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch {
    return 'Unknown or malformed arguments (secret values are never passed as arguments).';
  }
  if (values.help) return 'help';
  if (values.only !== undefined && values.only !== 'telegram' && values.only !== 'okx')
    return '--only takes telegram or okx.';
  return { stage: values.stage, only: values.only };
}

function readCdkJsonContext(): Record<string, unknown> {
  return (JSON.parse(readFileSync('cdk.json', 'utf8')) as { context: Record<string, unknown> }).context;
}
