/**
 * Security advisories in the OSV format (https://ossf.github.io/osv-schema/), the one GitHub's
 * advisory database and pip-audit use: the fields we read, as zod schemas (an unknown field is
 * dropped, a known one of the wrong shape is an error naming it). Versions are PEP 440: ranges
 * of type ECOSYSTEM (introduced / fixed / last_affected events) and explicit `versions` lists.
 * GIT and SEMVER ranges carry no PEP 440 meaning and are refused rather than silently ignored.
 */
import { z } from 'zod';
import { isValid } from '../pep440/index.ts';

/** Shown in terminals, summaries and web pages: no control characters in one-line fields. */
const OneLine = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[^\u0000-\u001f\u007f]*$/, 'no control characters');

const Pep440 = z.string().refine(isValid, 'a PEP 440 version');

/** An OSV id as GHSA, PYSEC, CVE or a marketplace's own prefix use them: `GHSA-xxxx-xxxx-xxxx`, `PYSEC-2024-12`. */
export const AdvisoryId = z
  .string()
  .min(3)
  .max(100)
  .regex(/^[A-Za-z][A-Za-z0-9]*-[A-Za-z0-9._:-]+$/, 'an OSV id (PREFIX-ID, such as GHSA-xxxx-xxxx-xxxx)');

/** One event of a range: exactly one of the three keys. `introduced: "0"` means from the first release. */
export const OsvEvent = z.union([
  z.strictObject({ introduced: z.union([z.literal('0'), Pep440]) }),
  z.strictObject({ fixed: Pep440 }),
  z.strictObject({ last_affected: Pep440 }),
]);
export type OsvEvent = z.infer<typeof OsvEvent>;

export const OsvRange = z.object({
  type: z.literal('ECOSYSTEM', { error: 'only ECOSYSTEM ranges (PEP 440 versions) are read' }),
  events: z.array(OsvEvent).min(1).max(200),
});
export type OsvRange = z.infer<typeof OsvRange>;

export const OsvAffected = z
  .object({
    package: z.object({
      /** `PyPI` in the public databases; a marketplace's plugins are Python distributions. */
      ecosystem: z.literal('PyPI', { error: 'the ecosystem of a fapilog plugin is PyPI' }).default('PyPI'),
      name: z.string().min(1).max(200),
    }),
    ranges: z.array(OsvRange).max(50).default([]),
    versions: z.array(Pep440).max(1000).default([]),
  })
  .refine((a) => a.ranges.length > 0 || a.versions.length > 0, { message: 'names no affected versions (ranges or versions)' });
export type OsvAffected = z.infer<typeof OsvAffected>;

export const OsvSeverity = z.object({ type: z.string().max(50), score: z.string().max(200) });

export const OsvReference = z.object({ type: z.string().max(50), url: z.string().max(2000) });

export const Osv = z.object({
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
});
export type Osv = z.infer<typeof Osv>;
export type OsvInput = z.input<typeof Osv>;
