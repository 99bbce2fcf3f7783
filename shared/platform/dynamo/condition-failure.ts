/** DynamoDB refused a write because its condition did not hold: an expected outcome, not a fault. */
export function isConditionFailure(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'ConditionalCheckFailedException';
}

/** For `.catch(ignoreConditionFailure)`: a failed condition means "nothing to do"; anything else is rethrown. */
export function ignoreConditionFailure(error: unknown): undefined {
  if (isConditionFailure(error)) return undefined;
  throw error;
}
