/**
 * Size of a (document-client, unmarshalled) item by DynamoDB's item-size rules: attribute names plus
 * values; strings as UTF-8 bytes, numbers about 1 byte per 2 significant digits + 1, lists and maps 3
 * bytes + 1 per element, sets as the sum of their members. Close enough to compare against 400 KB.
 */
export function itemBytes(item: Record<string, unknown>): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueBytes(value), 0);
}

function valueBytes(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number') return Math.ceil(String(Math.abs(value)).replace(/[.-]/g, '').length / 2) + 1;
  if (typeof value === 'boolean' || value === null) return 1;
  if (value instanceof Set)
    return [...(value as Set<unknown>)].reduce<number>((sum, member) => sum + valueBytes(member), 0);
  if (Array.isArray(value)) return 3 + value.reduce<number>((sum, member) => sum + 1 + valueBytes(member), 0);
  if (typeof value === 'object')
    return (
      3 +
      Object.entries(value as Record<string, unknown>).reduce(
        (sum, [name, member]) => sum + 1 + Buffer.byteLength(name) + valueBytes(member),
        0,
      )
    );
  return 0;
}
