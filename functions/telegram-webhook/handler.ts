// Placeholder so the CDK stack can reference the entry; replaced by the issue that builds this function.
export async function handler(): Promise<never> {
  throw new Error('functions/telegram-webhook is not wired yet');
}
