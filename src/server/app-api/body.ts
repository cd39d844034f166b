/**
 * Reading a JSON request body for the app API: the content type first (415), the size while it arrives (413, the
 * connection's remaining bytes are not read), then the JSON itself (400). Nothing of the body is ever logged: it
 * carries keys, tokens and codes.
 */
import type { IncomingMessage } from 'node:http';

/** Every app API request is a small JSON object; 16 KiB holds the largest (an audit event with its data) with room. */
export const MAX_BODY_BYTES = 16 * 1024;

export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

/** `application/json`, optionally with a UTF-8 charset; any other type or charset is refused. */
function isJson(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const [type, ...params] = contentType.split(';').map((p) => p.trim().toLowerCase());
  if (type !== 'application/json') return false;
  return params.every((p) => !p.startsWith('charset=') || p === 'charset=utf-8');
}

/** The parsed JSON body (any JSON value: the caller's schema decides), or a BodyError. */
export async function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  if (!isJson(req.headers['content-type'])) throw new BodyError(415, 'send the request as Content-Type: application/json');
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) throw new BodyError(413, `the request body is over ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyError(413, `the request body is over ${limit} bytes`);
    chunks.push(chunk);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new BodyError(400, 'the request body is not valid UTF-8');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BodyError(400, 'the request body is not valid JSON');
  }
}
