/**
 * The bot keeps no state of its own: what it must remember about a pull request or issue lives in
 * a hidden HTML comment in its body, so any instance can pick up any repository. The JSON is
 * parsed with zod; a body a person edited into something else simply has no marker.
 */
import { z } from 'zod';

const PR_TAG = 'fapilog-plugins:state';
const ISSUE_TAG = 'fapilog-plugins:issue';

export const PrState = z.object({
  v: z.literal(1),
  branch: z.string().startsWith('fapilog-plugins/'),
  /** package -> the version this pull request moves it to. */
  plugins: z.record(z.string(), z.string()),
  /** The default-branch commit the change was made on. */
  base: z.string().regex(/^[0-9a-f]{40}$/),
  /** The commit the bot made: a branch head other than this one means a person pushed. */
  head: z.string().regex(/^[0-9a-f]{40}$/),
  /** The head a person pushed, once the bot has said it leaves the branch alone (said once). */
  handsOff: z.string().nullable().default(null),
  /** Set when the bot closed it itself: then closing it does not mean "ignore this version". */
  closedByBot: z.boolean().default(false),
  /** A security fix (it moves off a release an advisory affects): outside the open-PR limit. Absent: false. */
  security: z.boolean().optional(),
});
export type PrState = z.infer<typeof PrState>;

export const ISSUE_KINDS = ['invalid-config', 'fapilog-upgrade', 'deprecated'] as const;
export type IssueKind = (typeof ISSUE_KINDS)[number];

function encode(tag: string, value: unknown): string {
  // `<` and `>` escaped so that no value can close the comment.
  const json = JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e');
  return `<!-- ${tag} ${json} -->`;
}

function decode(tag: string, body: string | null | undefined): unknown {
  if (!body) return undefined;
  const at = body.lastIndexOf(`<!-- ${tag} `);
  if (at < 0) return undefined;
  const end = body.indexOf(' -->', at);
  if (end < 0) return undefined;
  try {
    return JSON.parse(body.slice(at + tag.length + 6, end));
  } catch {
    return undefined;
  }
}

export function prMarker(state: PrState): string {
  return encode(PR_TAG, state);
}

export function readPrState(body: string | null | undefined): PrState | null {
  const parsed = PrState.safeParse(decode(PR_TAG, body));
  return parsed.success ? parsed.data : null;
}

/** Replaces the marker of a body the bot wrote (or appends one). */
export function withPrState(body: string, state: PrState): string {
  const at = body.lastIndexOf(`<!-- ${PR_TAG} `);
  const base = at < 0 ? body : body.slice(0, at).trimEnd();
  return `${base}\n\n${prMarker(state)}`;
}

export function issueMarker(kind: IssueKind): string {
  return encode(ISSUE_TAG, { v: 1, kind });
}

export function readIssueKind(body: string | null | undefined): IssueKind | null {
  const parsed = z.object({ v: z.literal(1), kind: z.enum(ISSUE_KINDS) }).safeParse(decode(ISSUE_TAG, body));
  return parsed.success ? parsed.data.kind : null;
}
