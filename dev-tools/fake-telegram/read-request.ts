import type { IncomingMessage } from 'node:http';

/** Fields of a Bot API request: JSON, form-urlencoded, query string or multipart (uploads summarised). */
export async function readPayload(request: IncomingMessage, url: URL): Promise<Record<string, unknown>> {
  const body = await readBody(request);
  const type = request.headers['content-type'] ?? '';
  const payload: Record<string, unknown> = Object.fromEntries(url.searchParams);
  if (body.length === 0) return payload;
  if (type.includes('application/json'))
    return { ...payload, ...(JSON.parse(body.toString('utf8')) as Record<string, unknown>) };
  if (type.includes('multipart/form-data') || type.includes('application/x-www-form-urlencoded')) {
    const form = await new Request('http://fake.local/', {
      method: 'POST',
      headers: { 'content-type': type },
      body,
    }).formData();
    for (const [key, value] of form.entries())
      payload[key] =
        typeof value === 'string'
          ? parseJsonField(value)
          : { filename: value.name, size: value.size, type: value.type };
  }
  return payload;
}

/** Multipart sends nested fields (reply_markup, chat_id) as strings; record them as the JSON body would. */
function parseJsonField(value: string): unknown {
  if (!/^[[{]|^-?\d+$|^(true|false)$/.test(value)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
