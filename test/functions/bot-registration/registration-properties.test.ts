import { describe, expect, it } from 'vitest';
import { redactToken } from '../../../functions/bot-registration/bot-api';
import {
  changedParts,
  readRegistration,
  toRegistrationProperties,
  type BotRegistration,
} from '../../../functions/bot-registration/registration-properties';
import { asCloudFormationSends } from './registration-events';

const REGISTRATION: BotRegistration = {
  webhookUrl: 'https://abc123.execute-api.eu-central-1.amazonaws.com/telegram/webhook',
  allowedUpdates: ['message', 'callback_query'],
  maxConnections: 10,
  commands: [{ command: 'help', description: 'What I can do' }],
  description: 'Long',
  shortDescription: 'Short',
  miniApp: { url: 'https://app.example.com', buttonText: 'Open app' },
  secretVersion: 'v7',
};

describe('registration properties (the template <-> function contract)', () => {
  it('reads back what the stack wrote, after CloudFormation turned every scalar into a string', () => {
    const written = toRegistrationProperties(REGISTRATION);

    expect(written).toEqual({
      WebhookUrl: REGISTRATION.webhookUrl,
      AllowedUpdates: ['message', 'callback_query'],
      MaxConnections: 10,
      Commands: [{ Command: 'help', Description: 'What I can do' }],
      Description: 'Long',
      ShortDescription: 'Short',
      MiniAppUrl: 'https://app.example.com',
      MenuButtonText: 'Open app',
      SecretVersion: 'v7',
    });
    expect(readRegistration(asCloudFormationSends(written))).toEqual(REGISTRATION);
  });

  it.each([
    [{ MaxConnections: '0' }, 'MaxConnections: expected an integer from 1 to 100, got "0"'],
    [{ MaxConnections: '101' }, 'MaxConnections: expected an integer from 1 to 100, got "101"'],
    [{ AllowedUpdates: 'message' }, 'AllowedUpdates: expected a list of strings'],
    [{ Commands: [{ Command: 'help' }] }, 'Commands[0]: expected Command and Description strings'],
    [{ Commands: 'help' }, 'Commands: expected a list'],
    [{ Description: undefined }, 'Description: expected a string'],
    [{ MiniAppUrl: 'http://app.example.com' }, 'MiniAppUrl: expected an https URL, got "http://app.example.com"'],
    [{ SecretVersion: 7 }, 'SecretVersion: expected a string'],
  ])('refuses %j', (change, reason) => {
    const properties = { ...asCloudFormationSends(toRegistrationProperties(REGISTRATION)), ...change };

    expect(() => readRegistration(properties)).toThrow(`Invalid bot registration property ${reason}`);
  });

  it('finds no change between equal registrations and every part after a secret rotation', () => {
    expect(changedParts(REGISTRATION, { ...REGISTRATION })).toEqual([]);
    expect(changedParts(REGISTRATION, { ...REGISTRATION, secretVersion: undefined })).toEqual([
      'commands',
      'menuButton',
      'description',
      'shortDescription',
      'webhook',
    ]);
    expect(changedParts(REGISTRATION, { ...REGISTRATION, allowedUpdates: ['message'] })).toEqual(['webhook']);
    expect(changedParts(REGISTRATION, { ...REGISTRATION, miniApp: undefined })).toEqual(['menuButton']);
  });
});

describe('redactToken', () => {
  it('replaces the token, and anything shaped like a bot token, wherever it appears', () => {
    const token = '123456:ABCdefGHIjklMNOpqrSTUvwxYZ0123456789';

    expect(redactToken(`POST https://api.telegram.org/bot${token}/setWebhook`, token)).toBe(
      'POST https://api.telegram.org/bot<token>/setWebhook',
    );
    expect(redactToken('other 987654321:ZYXwvuTSRqpoNMLkjiHGFedcBA9876543210_- bot', '')).toBe('other <token> bot');
    expect(redactToken('Bad Request: chat not found', token)).toBe('Bad Request: chat not found');
  });
});
