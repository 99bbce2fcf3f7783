// Placeholder so the CDK stack can reference the entry; replaced by the issue that builds this function.
export async function handler(): Promise<never> {
  throw new Error('functions/health is not wired yet');
}
