/**
 * Security advisories in the OSV format (https://ossf.github.io/osv-schema/), the one GitHub's
 * advisory database and pip-audit use: the fields we read, as zod schemas (an unknown field is
 * dropped, a known one of the wrong shape is an error naming it). Versions are PEP 440: ranges
 * of type ECOSYSTEM (introduced / fixed / last_affected events) and explicit `versions` lists.
 * GIT and SEMVER ranges carry no PEP 440 meaning and are refused rather than silently ignored.
 */
import { z } from 'zod';
import { lazySchema } from '../lazy-schema.ts';
import { isValid } from '../pep440/index.ts';

/** Shown in terminals, summaries and web pages: no control characters in one-line fields. */
const OneLine = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[^\u0000-\u001f\u007f]*$/, 'no control characters');

const Pep440 = lazySchema(() => z.string().refine(isValid, 'a PEP 440 version'));

/** An OSV id as GHSA, PYSEC, CVE or a marketplace's own prefix use them: `GHSA-xxxx-xxxx-xxxx`, `PYSEC-2024-12`. */
export const AdvisoryId = lazySchema(() =>
  z
    .string()
    .min(3)
    .max(100)
    .regex(/^[A-Za-z][A-Za-z0-9]*-[A-Za-z0-9._:-]+$/, 'an OSV id (PREFIX-ID, such as GHSA-xxxx-xxxx-xxxx)'),
);

/** One event of a range: exactly one of the three keys. `introduced: "0"` means from the first release. */
export const OsvEvent = lazySchema(() =>
  z.union([
    z.strictObject({ introduced: z.union([z.literal('0'), Pep440]) }),
    z.strictObject({ fixed: Pep440 }),
    z.strictObject({ last_affected: Pep440 }),
  ]),
);
export type OsvEvent = z.infer<typeof OsvEvent>;

export const OsvRange = lazySchema(() =>
  z.object({
    type: z.literal('ECOSYSTEM', { error: 'only ECOSYSTEM ranges (PEP 440 versions) are read' }),
    events: z.array(OsvEvent).min(1).max(200),
  }),
);
export type OsvRange = z.infer<typeof OsvRange>;

export const OsvAffected = lazySchema(() =>
  z
    .object({
      package: z.object({
        /** `PyPI` in the public databases; a marketplace's plugins are Python distributions. */
        ecosystem: z.literal('PyPI', { error: 'the ecosystem of a fapilog plugin is PyPI' }).default('PyPI'),
        name: z
          .string()
          .max(200)
          .regex(/^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/, 'a Python package name'),
      }),
      ranges: z.array(OsvRange).max(50).default([]),
      versions: z.array(Pep440).max(1000).default([]),
    })
    .refine((a) => a.ranges.length > 0 || a.versions.length > 0, { message: 'names no affected versions (ranges or versions)' }),
);
export type OsvAffected = z.infer<typeof OsvAffected>;

export const OsvSeverity = lazySchema(() => z.object({ type: z.string().max(50), score: z.string().max(200) }));

export const OsvReference = lazySchema(() => z.object({ type: z.string().max(50), url: z.string().max(2000) }));

export const Osv = lazySchema(() =>
  z.object({
    schema_version: z.string().max(20).optional(),
    id: AdvisoryId,
    modified: z.iso.datetime({ offset: true }),
    published: z.iso.datetime({ offset: true }).optional(),
    withdrawn: z.iso.datetime({ offset: true }).optional(),
    aliases: z.array(AdvisoryId).max(50).default([]),
    summary: OneLine(500).default(''),
    details: z.string().max(65_536).default(''),
    severity: z.array(OsvSeverity).max(10).default([]),
    affected: z.array(OsvAffected).min(1).max(50),
    references: z.array(OsvReference).max(100).default([]),
  }),
);
export type Osv = z.infer<typeof Osv>;
export type OsvInput = z.input<typeof Osv>;

/** `affected[0].ranges[1].type` */
function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? String(part) : `.${String(part)}`;
  return out;
}

/** One line naming the first bad field of an OSV record: `affected[0].ranges[0].type: only ECOSYSTEM ranges ...`. */
export function osvProblem(error: z.ZodError, prefix = ''): string {
  const issue = error.issues[0];
  if (!issue) return `${prefix || 'the record'}: not an OSV record`;
  const where = fieldPath([...(prefix ? [prefix] : []), ...issue.path]) || '(the record)';
  return `${where}: ${issue.message.replace(/^Invalid input: /, '')}`;
}

/** At most this many records in one file or request. */
export const MAX_OSV_RECORDS = 1000;

/**
 * The records in a parsed JSON document: one OSV record, a list of them, or `{"advisories": [...]}`
 * (what `GET /advisories` answers, so an export imports again). Throws an Error naming the first
 * bad field (`[2].affected[0].package.name: ...`); nothing is returned unless every record is good.
 */
export function osvRecords(doc: unknown): Osv[] {
  const list = Array.isArray(doc)
    ? doc
    : doc && typeof doc === 'object' && Array.isArray((doc as { advisories?: unknown }).advisories)
      ? (doc as { advisories: unknown[] }).advisories
      : null;
  const items = list ?? [doc];
  if (items.length === 0) throw new Error('no OSV record in it (an empty list)');
  if (items.length > MAX_OSV_RECORDS) throw new Error(`${items.length} records; at most ${MAX_OSV_RECORDS} at once`);
  const prefixOf = (i: number) => (list === null ? '' : Array.isArray(doc) ? `[${i}]` : `advisories[${i}]`);
  return items.map((item, i) => {
    const parsed = Osv.safeParse(item);
    if (!parsed.success) throw new Error(osvProblem(parsed.error, prefixOf(i)));
    return parsed.data;
  });
}
