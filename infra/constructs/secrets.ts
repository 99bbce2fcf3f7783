import { Annotations, RemovalPolicy } from 'aws-cdk-lib';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

import { SECRET_PLACEHOLDER } from '../../shared/platform/config/credentials';

/** Placeholder the operator overwrites after the first deploy (the bot registration recognises it). */
export { SECRET_PLACEHOLDER };

export interface IntegrationSecretsProps {
  /** Use this existing secret instead of creating one. */
  readonly telegramSecretName?: string;
  readonly okxSecretName?: string;
}

/**
 * One JSON secret per integration. Created with placeholder values (the Telegram webhook secret is
 * generated for real) unless an existing secret name is given. Functions get the ARN, never the value.
 */
export class IntegrationSecrets extends Construct {
  /** `{"botToken": "...", "webhookSecret": "..."}` */
  readonly telegram: ISecret;
  /** `{"apiKey": "...", "secretKey": "...", "passphrase": "...", "projectId": "..."}` */
  readonly okx: ISecret;

  constructor(scope: Construct, id: string, props: IntegrationSecretsProps) {
    super(scope, id);
    this.telegram = props.telegramSecretName
      ? Secret.fromSecretNameV2(this, 'TelegramSecret', props.telegramSecretName)
      : this.createSecret(
          'TelegramSecret',
          'telegramSecretName',
          'Esther Portfolio: Telegram bot token and webhook secret',
          {
            placeholders: ['botToken'],
            // Telegram allows A-Z, a-z, 0-9, _ and - in secret_token: alphanumerics only is safe.
            generatedKey: 'webhookSecret',
          },
        );
    this.okx = props.okxSecretName
      ? Secret.fromSecretNameV2(this, 'OkxSecret', props.okxSecretName)
      : this.createSecret(
          'OkxSecret',
          'okxSecretName',
          'Esther Portfolio: OKX Web3 API key, secret key, passphrase and project id',
          {
            placeholders: ['apiKey', 'passphrase', 'projectId'],
            generatedKey: 'secretKey',
          },
        );
  }

  private createSecret(
    id: string,
    nameSetting: string,
    description: string,
    shape: { placeholders: string[]; generatedKey: string },
  ): Secret {
    const template = Object.fromEntries(shape.placeholders.map((key) => [key, SECRET_PLACEHOLDER]));
    const secret = new Secret(this, id, {
      description,
      generateSecretString: {
        secretStringTemplate: JSON.stringify(template),
        generateStringKey: shape.generatedKey,
        excludePunctuation: true,
        passwordLength: 48,
      },
    });
    // Values typed in by the operator: keep them if the stack is deleted.
    secret.applyRemovalPolicy(RemovalPolicy.RETAIN);
    // Loud at synth: a forgotten name would point the functions at placeholders (webhook calls then get 401).
    Annotations.of(this).addWarningV2(
      `esther:placeholderSecret:${id}`,
      `${id} is created with placeholder values (${SECRET_PLACEHOLDER}) because "${nameSetting}" is not set: ` +
        `put the real values in it after the deploy, or set "${nameSetting}" to import an existing secret.`,
    );
    return secret;
  }
}
