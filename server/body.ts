/**
 * Request bodies: JSON parsed with zod, errors naming the field, read through the request
 * context's bounded read (`ctx.body(limit)`: server/index.ts's readBody, a 413 past the limit).
 */
import type { z } from 'zod';
import { HttpError } from './errors.ts';
import type { RequestContext } from './router.ts';

export const MAX_JSON_BODY = 64 * 1024;

export function zodMessage(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid input';
  return `${issue.path.length ? issue.path.join('.') : '(body)'}: ${issue.message}`;
}

export async function parseJsonBody<T extends z.ZodType>(ctx: RequestContext, schema: T): Promise<z.infer<T>> {
  const raw = await ctx.body(MAX_JSON_BODY);
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new HttpError(400, 'invalid_json', 'the request body is not valid JSON');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new HttpError(400, 'invalid_body', zodMessage(parsed.error));
  return parsed.data;
}
