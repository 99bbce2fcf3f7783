/**
 * Refused before sending: a documented required parameter is missing or empty. The real API answers 50014
 * ("parameter can not be empty"); we never spend a request (or a rate-limit slot) to learn that.
 */
export class OkxEmptyParameterError extends Error {
  constructor(
    readonly endpoint: string,
    readonly parameter: string,
  ) {
    super(`refused to call OKX ${endpoint}: required parameter ${parameter} is empty`);
    this.name = 'OkxEmptyParameterError';
  }
}

export function isOkxEmptyParameterError(error: unknown): error is OkxEmptyParameterError {
  return error instanceof OkxEmptyParameterError;
}

/**
 * Throws when a required parameter is absent or '' in the query, in a JSON-object body, or in any item of a
 * JSON-array body (the market family's `[{chainIndex, tokenContractAddress}]` batches).
 */
export function assertRequiredParameters(
  endpoint: string,
  required: readonly string[],
  query: Readonly<Record<string, string | undefined>> | undefined,
  body: unknown,
): void {
  const isEmpty = (value: unknown): boolean => value === undefined || value === null || value === '';
  const records: Record<string, unknown>[] = Array.isArray(body)
    ? (body as Record<string, unknown>[])
    : typeof body === 'object' && body !== null
      ? [body as Record<string, unknown>]
      : [];
  for (const name of required) {
    if (query !== undefined && name in query) {
      if (isEmpty(query[name])) throw new OkxEmptyParameterError(endpoint, name);
      continue;
    }
    if (records.length === 0 || records.some((record) => isEmpty(record?.[name]))) {
      const at = Array.isArray(body)
        ? `${name} (item ${records.findIndex((record) => isEmpty(record?.[name]))})`
        : name;
      throw new OkxEmptyParameterError(endpoint, at);
    }
  }
}
