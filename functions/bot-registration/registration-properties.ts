/**
 * The contract between the stack (infra/constructs/bot-registration.ts writes the custom resource's properties)
 * and the registration function (reads them): everything registered with Telegram is a property, so a change in
 * the commands, the description or the URL is a template change and CloudFormation sends an Update. No property
 * ever holds the bot token or the webhook secret; `SecretVersion` is an operator-chosen label of the secret's version.
 */
export interface BotRegistration {
  readonly webhookUrl: string;
  readonly allowedUpdates: readonly string[];
  /** setWebhook `max_connections`, 1 to 100. */
  readonly maxConnections: number;
  readonly commands: readonly { readonly command: string; readonly description: string }[];
  readonly description: string;
  readonly shortDescription: string;
  /** The Mini App behind the menu button; without it the button opens the command list. */
  readonly miniApp?: { readonly url: string; readonly buttonText: string };
  /** Changes when the Telegram secret was rotated, so the webhook secret and the token are registered again. */
  readonly secretVersion?: string;
}

/**
 * What a registration consists of, in the order it is sent; an Update repeats only the parts whose properties
 * changed. The webhook goes last: when an earlier call fails, Telegram still sends updates where it did before.
 */
export type RegistrationPart = 'commands' | 'menuButton' | 'description' | 'shortDescription' | 'webhook';
export const REGISTRATION_PARTS: readonly RegistrationPart[] = [
  'commands',
  'menuButton',
  'description',
  'shortDescription',
  'webhook',
];

/** The custom resource's properties as CloudFormation sends them: every scalar arrives as a string. */
export type RegistrationProperties = Record<string, unknown>;

export class InvalidRegistrationPropertyError extends Error {
  constructor(property: string, reason: string) {
    super(`Invalid bot registration property ${property}: ${reason}`);
    this.name = 'InvalidRegistrationPropertyError';
  }
}

/** The properties for the template (numbers stay numbers there; CloudFormation hands them over as strings). */
export function toRegistrationProperties(registration: BotRegistration): RegistrationProperties {
  return {
    WebhookUrl: registration.webhookUrl,
    AllowedUpdates: [...registration.allowedUpdates],
    MaxConnections: registration.maxConnections,
    Commands: registration.commands.map(({ command, description }) => ({ Command: command, Description: description })),
    Description: registration.description,
    ShortDescription: registration.shortDescription,
    ...(registration.miniApp
      ? { MiniAppUrl: registration.miniApp.url, MenuButtonText: registration.miniApp.buttonText }
      : {}),
    ...(registration.secretVersion ? { SecretVersion: registration.secretVersion } : {}),
  };
}

/** Reads and checks the properties of a custom resource event (`ResourceProperties` or `OldResourceProperties`). */
export function readRegistration(properties: RegistrationProperties): BotRegistration {
  const miniAppUrl = optionalString(properties, 'MiniAppUrl');
  const secretVersion = optionalString(properties, 'SecretVersion');
  return {
    webhookUrl: readHttpsUrl(properties, 'WebhookUrl'),
    allowedUpdates: readStringList(properties, 'AllowedUpdates'),
    maxConnections: readMaxConnections(properties),
    commands: readCommands(properties),
    description: readString(properties, 'Description'),
    shortDescription: readString(properties, 'ShortDescription'),
    ...(miniAppUrl
      ? {
          miniApp: {
            url: readHttpsUrl(properties, 'MiniAppUrl'),
            buttonText: optionalString(properties, 'MenuButtonText') ?? 'Open',
          },
        }
      : {}),
    ...(secretVersion ? { secretVersion } : {}),
  };
}

/** The parts to register again: all of them after a rotated secret (a new token may even be another bot). */
export function changedParts(before: BotRegistration, after: BotRegistration): RegistrationPart[] {
  if (before.secretVersion !== after.secretVersion) return [...REGISTRATION_PARTS];
  const same = (pick: (registration: BotRegistration) => unknown) =>
    JSON.stringify(pick(before)) === JSON.stringify(pick(after));
  const inputs: Record<RegistrationPart, (registration: BotRegistration) => unknown> = {
    webhook: (r) => [r.webhookUrl, r.allowedUpdates, r.maxConnections],
    commands: (r) => r.commands,
    menuButton: (r) => r.miniApp ?? null,
    description: (r) => r.description,
    shortDescription: (r) => r.shortDescription,
  };
  return REGISTRATION_PARTS.filter((part) => !same(inputs[part]));
}

function optionalString(properties: RegistrationProperties, key: string): string | undefined {
  const value = properties[key];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new InvalidRegistrationPropertyError(key, 'expected a string');
  return value;
}

function readString(properties: RegistrationProperties, key: string): string {
  const value = properties[key];
  if (typeof value !== 'string') throw new InvalidRegistrationPropertyError(key, 'expected a string');
  return value;
}

function readHttpsUrl(properties: RegistrationProperties, key: string): string {
  const value = readString(properties, key);
  if (!URL.canParse(value) || new URL(value).protocol !== 'https:')
    throw new InvalidRegistrationPropertyError(key, `expected an https URL, got "${value}"`);
  return value;
}

function readStringList(properties: RegistrationProperties, key: string): string[] {
  const value = properties[key];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string'))
    throw new InvalidRegistrationPropertyError(key, 'expected a list of strings');
  return value;
}

function readMaxConnections(properties: RegistrationProperties): number {
  const raw = String(properties.MaxConnections ?? '');
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= 1 && value <= 100))
    throw new InvalidRegistrationPropertyError('MaxConnections', `expected an integer from 1 to 100, got "${raw}"`);
  return value;
}

function readCommands(properties: RegistrationProperties): BotRegistration['commands'] {
  const value = properties.Commands;
  if (!Array.isArray(value)) throw new InvalidRegistrationPropertyError('Commands', 'expected a list');
  return value.map((entry: unknown, index) => {
    const { Command: command, Description: description } = (entry ?? {}) as Record<string, unknown>;
    if (typeof command !== 'string' || typeof description !== 'string')
      throw new InvalidRegistrationPropertyError(`Commands[${index}]`, 'expected Command and Description strings');
    return { command, description };
  });
}
