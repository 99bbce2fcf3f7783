import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { runSecretsSet } from './secrets/secrets-set-cli';

/**
 * `npm run secrets:set -- [--stage <name>] [--only telegram|okx]`: writes the bot token and the OKX keys,
 * typed at a hidden prompt (or piped, one per line), into the stage's secrets. Credentials and region come
 * from the usual AWS profile / environment, as for `cdk deploy`.
 */
const secrets = new SecretsManagerClient({});
const cloudformation = new CloudFormationClient({});
try {
  process.exitCode = await runSecretsSet(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    secrets,
    cloudformation,
  });
} finally {
  secrets.destroy();
  cloudformation.destroy();
}
