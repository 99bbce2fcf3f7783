import type { CdkCustomResourceEvent } from 'aws-lambda';

export const SERVICE_TOKEN =
  'arn:aws:lambda:eu-central-1:123456789012:function:EstherPortfolio-dev-BotRegistrationProviderfram-AbC123';
export const STACK_ID =
  'arn:aws:cloudformation:eu-central-1:123456789012:stack/EstherPortfolio-dev/5f2e1a90-b1c2-11f0-9a3e-0a1b2c3d4e5f';
export const WEBHOOK_URL = 'https://abc123.execute-api.eu-central-1.amazonaws.com/telegram/webhook';

/**
 * The properties as the template holds them (infra/constructs/bot-registration.ts writes this shape), for a
 * bot with two commands.
 */
export const TEMPLATE_PROPERTIES = {
  WebhookUrl: WEBHOOK_URL,
  AllowedUpdates: ['message', 'callback_query'],
  MaxConnections: 10,
  Commands: [
    { Command: 'portfolio', Description: 'Total value' },
    { Command: 'help', Description: 'What I can do' },
  ],
  Description: 'I track your wallets.',
  ShortDescription: 'Portfolio tracker.',
};

/** CloudFormation hands a custom resource every scalar as a string, and adds the ServiceToken. */
export function asCloudFormationSends(properties: Record<string, unknown>): Record<string, unknown> {
  const stringify = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(stringify)
      : typeof value === 'object' && value !== null
        ? Object.fromEntries(Object.entries(value).map(([key, item]) => [key, stringify(item)]))
        : String(value);
  return { ServiceToken: SERVICE_TOKEN, ...(stringify(properties) as Record<string, unknown>) };
}

const common = {
  ServiceToken: SERVICE_TOKEN,
  // The Provider framework passes the event on with its own response URL (a pre-signed S3 URL).
  ResponseURL: 'https://cloudformation-custom-resource-response-eucentral1.s3.eu-central-1.amazonaws.com/...',
  StackId: STACK_ID,
  RequestId: '8a1d3c4e-61f7-4b2a-9c0d-2e3f4a5b6c7d',
  LogicalResourceId: 'BotRegistrationResource8F1C2D3E',
  ResourceType: 'Custom::TelegramBotRegistration',
};

export function createEvent(properties: Record<string, unknown> = TEMPLATE_PROPERTIES): CdkCustomResourceEvent {
  return {
    ...common,
    RequestType: 'Create',
    ResourceProperties: asCloudFormationSends(properties),
  } as CdkCustomResourceEvent;
}

export function updateEvent(
  properties: Record<string, unknown>,
  old: Record<string, unknown> = TEMPLATE_PROPERTIES,
): CdkCustomResourceEvent {
  return {
    ...common,
    RequestType: 'Update',
    PhysicalResourceId: 'telegram-bot-registration',
    ResourceProperties: asCloudFormationSends(properties),
    OldResourceProperties: asCloudFormationSends(old),
  } as CdkCustomResourceEvent;
}

export function deleteEvent(properties: Record<string, unknown> = TEMPLATE_PROPERTIES): CdkCustomResourceEvent {
  return {
    ...common,
    RequestType: 'Delete',
    PhysicalResourceId: 'telegram-bot-registration',
    ResourceProperties: asCloudFormationSends(properties),
  } as CdkCustomResourceEvent;
}
