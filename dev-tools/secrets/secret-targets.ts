import { type CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import type { EstherSettings } from '../../infra/settings';

/** Secret ids (a name or an ARN) that `secrets:set` writes. */
export interface SecretTargets {
  readonly telegram: string;
  readonly okx: string;
}

/** The stack outputs that name the secrets the functions read (infra/esther-stack.ts). */
export const SECRET_OUTPUTS = { telegram: 'TelegramSecretArn', okx: 'OkxSecretArn' } as const;

export class SecretTargetsError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SecretTargetsError';
  }
}

/**
 * The stage's secrets: the names from `telegramSecretName` / `okxSecretName` when set (imported secrets),
 * else the secrets the stack created, from its outputs. Deployed first, so the stack's own secrets exist.
 */
export async function findSecretTargets(
  settings: Pick<EstherSettings, 'stage' | 'stackName' | 'telegramSecretName' | 'okxSecretName'>,
  cloudformation: CloudFormationClient,
): Promise<SecretTargets> {
  const named = { telegram: settings.telegramSecretName, okx: settings.okxSecretName };
  if (named.telegram && named.okx) return { telegram: named.telegram, okx: named.okx };
  const outputs = await readStackOutputs(settings, cloudformation);
  const fromStack = (kind: keyof SecretTargets) => {
    const value = named[kind] ?? outputs.get(SECRET_OUTPUTS[kind]);
    if (!value)
      throw new SecretTargetsError(
        `Stack ${settings.stackName} has no output ${SECRET_OUTPUTS[kind]}: deploy the stage first (npx cdk deploy -c stage=${settings.stage}).`,
      );
    return value;
  };
  return { telegram: fromStack('telegram'), okx: fromStack('okx') };
}

async function readStackOutputs(
  settings: Pick<EstherSettings, 'stage' | 'stackName'>,
  cloudformation: CloudFormationClient,
): Promise<Map<string, string>> {
  try {
    const answer = await cloudformation.send(new DescribeStacksCommand({ StackName: settings.stackName }));
    const outputs = answer.Stacks?.[0]?.Outputs ?? [];
    return new Map(
      outputs.flatMap((output) =>
        output.OutputKey && output.OutputValue ? [[output.OutputKey, output.OutputValue]] : [],
      ),
    );
  } catch (error) {
    if ((error as Error).name === 'ValidationError' && /does not exist/.test((error as Error).message))
      throw new SecretTargetsError(
        `Stack ${settings.stackName} does not exist in this account and region: deploy the stage first (npx cdk deploy -c stage=${settings.stage}), or check AWS_PROFILE / AWS_REGION.`,
        { cause: error },
      );
    throw error;
  }
}
