import { PassThrough, Readable, Writable } from 'node:stream';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { runSecretsSet, type SecretsSetIo } from '../../dev-tools/secrets/secrets-set-cli';
import type { InputStream } from '../../dev-tools/secrets/secret-input';
import { readCdkJsonContext } from '../infra/support/esther-template';

const TELEGRAM_ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:TelegramSecret-AbCdEf';
const OKX_ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:OkxSecret-AbCdEf';
const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
/** What the stack generated: 48 letters and digits. */
const WEBHOOK_SECRET = 'q7Rk2mXv9LpA3sWd8FhJ4nBt6YcZ1uEoQ5gTi0VaNbMy2rKx';
const OKX = {
  apiKey: 'okx-api-key-1',
  secretKey: 'okx-secret-key-2',
  passphrase: 'okx pass 3',
  projectId: 'okx-project-4',
};
const TYPED = [TOKEN, OKX.apiKey, OKX.secretKey, OKX.passphrase, OKX.projectId];

const secrets = mockClient(SecretsManagerClient);
const cloudformation = mockClient(CloudFormationClient);

function collect(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

/** Runs the command with the given stdin; returns the exit code and both outputs. */
async function run(argv: string[], stdin: InputStream, context = readCdkJsonContext()) {
  const stdout = collect();
  const stderr = collect();
  const io: SecretsSetIo = {
    stdin,
    stdout: stdout.stream,
    stderr: stderr.stream,
    secrets: new SecretsManagerClient({ region: 'eu-central-1' }),
    cloudformation: new CloudFormationClient({ region: 'eu-central-1' }),
    context,
    random: (size) => Buffer.alloc(size, 0xfb),
  };
  const code = await runSecretsSet(argv, io);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

const piped = (lines: string[]) => Readable.from([lines.map((line) => `${line}\n`).join('')]);

const puts = () =>
  secrets.commandCalls(PutSecretValueCommand).map((call) => {
    const input = call.args[0].input;
    return { SecretId: input.SecretId, SecretString: JSON.parse(input.SecretString!) as unknown };
  });

function expectNoValueIn(output: string) {
  for (const value of [...TYPED, WEBHOOK_SECRET]) expect(output).not.toContain(value);
}

describe('npm run secrets:set', () => {
  beforeEach(() => {
    secrets.reset();
    cloudformation.reset();
    cloudformation.on(DescribeStacksCommand, { StackName: 'EstherPortfolio-dev' }).resolves({
      Stacks: [
        {
          StackName: 'EstherPortfolio-dev',
          CreationTime: new Date('2026-12-01T00:00:00Z'),
          StackStatus: 'CREATE_COMPLETE',
          Outputs: [
            { OutputKey: 'TelegramSecretArn', OutputValue: TELEGRAM_ARN },
            { OutputKey: 'OkxSecretArn', OutputValue: OKX_ARN },
          ],
        },
      ],
    });
    secrets
      .on(GetSecretValueCommand, { SecretId: TELEGRAM_ARN })
      .resolves({ SecretString: JSON.stringify({ botToken: 'REPLACE_ME', webhookSecret: WEBHOOK_SECRET }) });
    secrets.on(DescribeSecretCommand).resolves({});
    secrets.on(PutSecretValueCommand).resolves({});
  });

  it("writes the token and the OKX keys to the secrets named by the stage's stack outputs, keeping the webhook secret", async () => {
    secrets
      .on(PutSecretValueCommand, { SecretId: TELEGRAM_ARN })
      .resolves({ VersionId: '3f1c2a9e-5b7d-4e21-9c0a-1d2e3f405162' });
    const result = await run([], piped(TYPED));

    expect(result.code).toBe(0);
    expect(puts()).toEqual([
      { SecretId: TELEGRAM_ARN, SecretString: { botToken: TOKEN, webhookSecret: WEBHOOK_SECRET } },
      {
        SecretId: OKX_ARN,
        SecretString: {
          apiKey: 'okx-api-key-1',
          secretKey: 'okx-secret-key-2',
          passphrase: 'okx pass 3',
          projectId: 'okx-project-4',
        },
      },
    ]);
    expect(result.stdout).toBe(
      `Updated the Telegram secret ${TELEGRAM_ARN} (bot token; webhook secret kept).\n` +
        'Register the bot with these values: npx cdk deploy -c stage=dev -c telegramSecretVersion=3f1c2a9e-5b7d-4e21-9c0a-1d2e3f405162\n' +
        `Updated the OKX secret ${OKX_ARN} (API key, secret key, passphrase, project id).\n` +
        'Running functions read the new values within 5 minutes.\n',
    );
    expect(result.stderr).toBe('Stage dev (stack EstherPortfolio-dev).\n');
    expectNoValueIn(result.stdout + result.stderr);
  });

  it('uses the secret names of cdk.json for the stage given with --stage, without asking CloudFormation', async () => {
    const context = {
      ...readCdkJsonContext(),
      stages: { prod: { telegramSecretName: 'esther/prod/telegram', okxSecretName: 'esther/prod/okx' } },
    };
    secrets
      .on(GetSecretValueCommand, { SecretId: 'esther/prod/telegram' })
      .resolves({ SecretString: JSON.stringify({ botToken: 'old', webhookSecret: WEBHOOK_SECRET }) });

    const result = await run(['--stage', 'prod'], piped(TYPED), context);

    expect(result.code).toBe(0);
    expect(cloudformation.commandCalls(DescribeStacksCommand)).toHaveLength(0);
    expect(puts().map((put) => put.SecretId)).toEqual(['esther/prod/telegram', 'esther/prod/okx']);
    expect(puts()[0]!.SecretString).toEqual({ botToken: TOKEN, webhookSecret: WEBHOOK_SECRET });
    expect(result.stderr).toContain('Stage prod (stack EstherPortfolio-prod).');
  });

  it.each([
    ['no colon', 'AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw'],
    ['letters in the bot id', 'bot123:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw'],
    ['a secret part under 30 characters', '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5P'],
    ['a character Telegram never uses', '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDs+w'],
  ])('refuses a token with %s, says why, and writes nothing', async (_case, token) => {
    const result = await run([], piped([token, OKX.apiKey, OKX.secretKey, OKX.passphrase, OKX.projectId]));

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'secrets:set failed: That is not a bot token: @BotFather gives "<digits>:<30 or more letters, digits, _ or ->". Nothing was written.',
    );
    expect(secrets.commandCalls(PutSecretValueCommand)).toHaveLength(0);
    expect(result.stdout + result.stderr).not.toContain(token);
    expectNoValueIn(result.stdout + result.stderr);
  });

  it('refuses an empty OKX value and writes nothing, not even the valid token', async () => {
    const result = await run([], piped([TOKEN, OKX.apiKey, '   ', OKX.passphrase, OKX.projectId]));

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('The OKX secret key is empty. Nothing was written.');
    expect(secrets.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });

  it('refuses input that ends before the last value, and writes nothing', async () => {
    const result = await run([], piped([TOKEN, OKX.apiKey]));

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Input ended before OKX secret key.');
    expect(secrets.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });

  it.each([
    ['has no webhook secret', { botToken: 'REPLACE_ME' }],
    ['has one Telegram would refuse', { botToken: 'REPLACE_ME', webhookSecret: 'has spaces and !' }],
  ])('generates a webhook secret in base64url when the secret %s', async (_case, current) => {
    secrets.on(GetSecretValueCommand, { SecretId: TELEGRAM_ARN }).resolves({ SecretString: JSON.stringify(current) });

    const result = await run([], piped(TYPED));

    // 32 bytes of 0xfb: each 3 bytes 111110 111111 101111 111011 = "-_v7"; the last 2 bytes give "-_s".
    const generated = `${'-_v7'.repeat(10)}-_s`;
    expect(puts()[0]).toEqual({ SecretId: TELEGRAM_ARN, SecretString: { botToken: TOKEN, webhookSecret: generated } });
    expect(result.stdout).toContain('(bot token; a new webhook secret generated).');
    expect(result.stdout + result.stderr).not.toContain(generated);
  });

  it('writes only the OKX secret with --only okx, reading four values', async () => {
    const result = await run(['--only', 'okx'], piped([OKX.apiKey, OKX.secretKey, OKX.passphrase, OKX.projectId]));

    expect(result.code).toBe(0);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(0);
    expect(puts()).toEqual([{ SecretId: OKX_ARN, SecretString: OKX }]);
  });

  it('says to deploy first when the stack does not exist, before asking for anything', async () => {
    cloudformation
      .on(DescribeStacksCommand)
      .rejects(
        Object.assign(new Error('Stack with id EstherPortfolio-test does not exist'), { name: 'ValidationError' }),
      );
    const stdin = piped(TYPED);

    const result = await run(['--stage', 'test'], stdin);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'Stack EstherPortfolio-test does not exist in this account and region: deploy the stage first (npx cdk deploy -c stage=test)',
    );
    expect(secrets.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });

  it('refuses a value passed as an argument without repeating it', async () => {
    const result = await run([TOKEN], piped([]));

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Unknown or malformed arguments (secret values are never passed as arguments).');
    expect(result.stderr).not.toContain(TOKEN);
    expect(secrets.calls()).toHaveLength(0);
  });

  it('refuses an unknown --only', async () => {
    const result = await run(['--only', 'aws'], piped([]));
    expect([result.code, result.stderr.split('\n')[0]]).toEqual([1, '--only takes telegram or okx.']);
  });

  it('prints its usage with -h', async () => {
    const result = await run(['-h'], piped([]));
    expect([result.code, result.stdout.split('\n')[0]]).toEqual([
      0,
      'Usage: npm run secrets:set -- [--stage <name>] [--only telegram|okx] [-h]',
    ]);
  });

  describe('on a terminal', () => {
    /** A TTY stdin: keys arrive after each prompt, as typed. */
    function terminal(keys: string[]) {
      const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: vi.fn() });
      const queue = [...keys];
      const prompts = collect();
      const write = prompts.stream.write.bind(prompts.stream);
      // Type the next value once a prompt was shown.
      prompts.stream.write = ((chunk: string, ...rest: never[]) => {
        if (chunk.endsWith('(hidden): ') && queue.length > 0) setImmediate(() => stdin.write(queue.shift()!));
        return write(chunk, ...rest);
      }) as Writable['write'];
      return { stdin, prompts };
    }

    it('prompts without echo in raw mode, lets backspace edit, and prints no value', async () => {
      const { stdin, prompts } = terminal([
        `${TOKEN}x\u007f\r`,
        `${OKX.apiKey}\r`,
        `${OKX.secretKey}\r`,
        `${OKX.passphrase}\r`,
        `${OKX.projectId}\r`,
      ]);
      const stdout = collect();

      const code = await runSecretsSet([], {
        stdin,
        stdout: stdout.stream,
        stderr: prompts.stream,
        secrets: new SecretsManagerClient({ region: 'eu-central-1' }),
        cloudformation: new CloudFormationClient({ region: 'eu-central-1' }),
        context: readCdkJsonContext(),
      });

      expect(code).toBe(0);
      expect(puts().map((put) => put.SecretString)).toEqual([{ botToken: TOKEN, webhookSecret: WEBHOOK_SECRET }, OKX]);
      expect(prompts.text()).toBe(
        'Stage dev (stack EstherPortfolio-dev).\n' +
          'Telegram bot token (hidden): \nOKX API key (hidden): \nOKX secret key (hidden): \n' +
          'OKX passphrase (hidden): \nOKX project id (hidden): \n',
      );
      expect(stdin.setRawMode.mock.calls).toEqual(Array.from({ length: 5 }, () => [[true], [false]]).flat());
      expectNoValueIn(stdout.text() + prompts.text());
    });

    it('stops on Ctrl-C, leaves raw mode and writes nothing', async () => {
      const { stdin, prompts } = terminal([`${TOKEN}\r`, 'okx-ap\u0003']);

      const code = await runSecretsSet([], {
        stdin,
        stdout: collect().stream,
        stderr: prompts.stream,
        secrets: new SecretsManagerClient({ region: 'eu-central-1' }),
        cloudformation: new CloudFormationClient({ region: 'eu-central-1' }),
        context: readCdkJsonContext(),
      });

      expect(code).toBe(1);
      expect(prompts.text()).toContain('secrets:set failed: Cancelled.');
      expect(stdin.setRawMode.mock.calls.at(-1)).toEqual([false]);
      expect(secrets.commandCalls(PutSecretValueCommand)).toHaveLength(0);
    });
  });
});
