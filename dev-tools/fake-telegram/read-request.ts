import type { IncomingMessage } from 'node:http';

/** An uploaded file (a photo) kept so the local chat page can show it. */
export interface Upload {
  readonly type: string;
  readonly bytes: Buffer;
}

/**
 * Fields of a Bot API request: JSON, form-urlencoded, query string or multipart (uploads summarised in the
 * payload; their bytes go to `uploads` under the field name when a map is given).
 */
export async function readPayload(
  request: IncomingMessage,
  url: URL,
  uploads?: Map<string, Upload>,
): Promise<Record<string, unknown>> {
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
    for (const [key, value] of form.entries()) {
      if (typeof value === 'string') {
        payload[key] = parseJsonField(value);
        continue;
      }
      payload[key] = { filename: value.name, size: value.size, type: value.type };
      uploads?.set(key, { type: value.type, bytes: Buffer.from(await value.arrayBuffer()) });
    }
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
