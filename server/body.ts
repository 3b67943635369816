/** Request bodies: bounded reads, and JSON parsed with zod, errors naming the field. */
import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { HttpError } from './errors.ts';
import type { RequestContext } from './router.ts';

export const MAX_JSON_BODY = 64 * 1024;

/**
 * A request's body, at most `limit` bytes: a declared Content-Length above it is refused before
 * anything is read, a body that grows past it is refused as soon as it does (413 either way).
 * This is what handlers get as `ctx.body(limit)`; uploads stream instead (upload.ts).
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) {
    return Promise.reject(new HttpError(413, 'too_large', `the request body exceeds ${limit} bytes`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.removeAllListeners('data');
        reject(new HttpError(413, 'too_large', `the request body exceeds ${limit} bytes`));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function zodMessage(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid input';
  return `${issue.path.length ? issue.path.join('.') : '(body)'}: ${issue.message}`;
}

/** The request body as JSON, at most `limit` bytes (400 when it is not JSON). */
export async function readJsonBody(ctx: RequestContext, limit = MAX_JSON_BODY): Promise<unknown> {
  const raw = await ctx.body(limit);
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new HttpError(400, 'invalid_json', 'the request body is not valid JSON');
  }
}

export async function parseJsonBody<T extends z.ZodType>(ctx: RequestContext, schema: T): Promise<z.infer<T>> {
  const value = await readJsonBody(ctx);
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new HttpError(400, 'invalid_body', zodMessage(parsed.error));
  return parsed.data;
}
