import { CustomResource, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Provider } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import {
  BOT_DESCRIPTION,
  BOT_SHORT_DESCRIPTION,
  HANDLED_UPDATE_TYPES,
  menuCommands,
} from '../../shared/bot/bot-profile';
import { ENV } from '../../shared/platform/config/env-names';
import { toRegistrationProperties } from '../../functions/bot-registration/registration-properties';
import { EstherFunction } from './esther-function';
import { WEBHOOK_PATH, type WebhookApi } from './webhook-api';

/** Telegram's ceiling for setWebhook `max_connections`. */
export const TELEGRAM_MAX_CONNECTIONS = 100;

export interface BotRegistrationProps {
  /** The API whose `POST /telegram/webhook` Telegram calls; the registration waits until all of it exists. */
  readonly api: WebhookApi;
  /** `{"botToken", "webhookSecret"}`: the only thing the function may read. */
  readonly secret: ISecret;
  /** Logger, service name and TELEGRAM_API_ROOT for the function. */
  readonly environment: Record<string, string>;
  readonly tracing?: boolean;
  /** Parallel webhook calls Telegram may make (1..100). */
  readonly maxConnections: number;
  /** A label of the secret's current version: changing it registers everything again (a rotated secret). */
  readonly secretVersion?: string;
  /** The Mini App behind the menu button (issue 12); without it the button opens the command list. */
  readonly miniApp?: { readonly url: string; readonly buttonText: string };
}

/**
 * Registers the bot with Telegram as part of the stack: a custom resource (CDK Provider framework around the
 * `bot-registration` function) whose properties are everything Telegram is told: the webhook URL and update
 * types, the command menu, the menu button and the descriptions (from shared/bot/bot-profile.ts). A change in
 * any of them is an Update that sends only what changed; deleting the stack removes the webhook.
 */
export class BotRegistration extends Construct {
  readonly function: EstherFunction;
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: BotRegistrationProps) {
    super(scope, id);
    this.function = new EstherFunction(this, 'Function', {
      functionDir: 'bot-registration',
      description: 'CloudFormation custom resource: registers the webhook, commands and profile with Telegram',
      timeout: Duration.seconds(60),
      memorySize: 256,
      tracing: props.tracing,
      environment: { ...props.environment, [ENV.telegramSecretArn]: props.secret.secretArn },
    });
    props.secret.grantRead(this.function);

    const provider = new Provider(this, 'Provider', {
      onEventHandler: this.function,
      logGroup: new LogGroup(this, 'ProviderLogs', {
        retention: RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
    });
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::TelegramBotRegistration',
      properties: toRegistrationProperties({
        webhookUrl: `${props.api.api.apiEndpoint}${WEBHOOK_PATH}`,
        allowedUpdates: HANDLED_UPDATE_TYPES,
        maxConnections: Math.min(TELEGRAM_MAX_CONNECTIONS, props.maxConnections),
        commands: menuCommands(),
        description: BOT_DESCRIPTION,
        shortDescription: BOT_SHORT_DESCRIPTION,
        ...(props.miniApp ? { miniApp: props.miniApp } : {}),
        ...(props.secretVersion ? { secretVersion: props.secretVersion } : {}),
      }),
    });
    // Stage, routes, integrations and invoke permissions first: Telegram may send an update right after setWebhook.
    this.resource.node.addDependency(props.api);
  }
}
