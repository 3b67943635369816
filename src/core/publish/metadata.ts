/**
 * Core metadata (`METADATA` in a wheel, `PKG-INFO` in an sdist): RFC 822 style headers, then
 * the long description as the body (metadata 2.1+) or in a `Description` header whose
 * continuation lines start with 8 spaces and `|` (older writers).
 */
import { z } from 'zod';

export const ProjectUrl = z.object({ label: z.string(), url: z.string() });
export type ProjectUrl = z.infer<typeof ProjectUrl>;

export const CoreMetadata = z.object({
  metadataVersion: z.string().min(1, 'Metadata-Version is missing'),
  name: z.string().min(1, 'Name is missing'),
  version: z.string().min(1, 'Version is missing'),
  summary: z.string(),
  author: z.string().nullable(),
  authorEmail: z.string().nullable(),
  homePage: z.string().nullable(),
  license: z.string().nullable(),
  licenseExpression: z.string().nullable(),
  licenseFiles: z.array(z.string()),
  classifiers: z.array(z.string()),
  requiresPython: z.string().nullable(),
  requiresDist: z.array(z.string()),
  projectUrls: z.array(ProjectUrl),
  descriptionContentType: z.string().nullable(),
  /** Fields marked `Dynamic` (metadata 2.2+, in an sdist's PKG-INFO), lowercase header names. */
  dynamic: z.array(z.string()),
  /** The long description (body or Description header), '' when there is none. */
  description: z.string(),
});
export type CoreMetadata = z.infer<typeof CoreMetadata>;

/** Header name (lowercase) -> values in order. */
export function parseHeaders(text: string): { headers: Map<string, string[]>; body: string } {
  const headers = new Map<string, string[]>();
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let last: { key: string; index: number } | null = null;
  let i = 0;
  for (; i < lines.length; i += 1) {
    const line = lines[i] as string;
    if (line === '') {
      i += 1;
      break;
    }
    if (/^[ \t]/.test(line) && last) {
      const values = headers.get(last.key) as string[];
      values[last.index] = `${values[last.index] as string}\n${line}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue; // not a header: ignore rather than guess
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).replace(/^[ \t]/, '');
    const values = headers.get(key) ?? [];
    values.push(value);
    headers.set(key, values);
    last = { key, index: values.length - 1 };
  }
  return { headers, body: lines.slice(i).join('\n') };
}

/** The `Description` header form: continuation lines are indented with 8 spaces and `|`. */
function unfoldDescription(value: string): string {
  return value
    .split('\n')
    .map((line, idx) => (idx === 0 ? line : line.replace(/^ {7}\|/, '').replace(/^[ \t]+\|?/, '')))
    .join('\n');
}

function unfoldPlain(value: string): string {
  return value
    .split('\n')
    .map((l) => l.trim())
    .join('\n')
    .trim();
}

export function parseCoreMetadata(text: string): CoreMetadata {
  const { headers, body } = parseHeaders(text);
  const one = (key: string): string | null => {
    const v = headers.get(key)?.[0];
    return v === undefined ? null : unfoldPlain(v);
  };
  const all = (key: string): string[] => (headers.get(key) ?? []).map(unfoldPlain).filter((v) => v !== '');
  const projectUrls = all('project-url').map((v) => {
    const comma = v.indexOf(',');
    return comma < 0 ? { label: '', url: v.trim() } : { label: v.slice(0, comma).trim(), url: v.slice(comma + 1).trim() };
  });
  const headerDescription = headers.get('description')?.[0];
  const description = body.trim() !== '' ? body : headerDescription !== undefined ? unfoldDescription(headerDescription) : '';
  return CoreMetadata.parse({
    metadataVersion: one('metadata-version') ?? '',
    name: one('name') ?? '',
    version: one('version') ?? '',
    summary: one('summary') ?? '',
    author: one('author'),
    authorEmail: one('author-email'),
    homePage: one('home-page'),
    license: headers.get('license')?.[0] !== undefined ? unfoldDescription(headers.get('license')?.[0] as string).trim() : null,
    licenseExpression: one('license-expression'),
    licenseFiles: all('license-file'),
    classifiers: all('classifier'),
    requiresPython: one('requires-python'),
    requiresDist: all('requires-dist'),
    projectUrls,
    descriptionContentType: one('description-content-type'),
    dynamic: all('dynamic').map((d) => d.toLowerCase()),
    description: description.replace(/\s+$/, '') + (description.trim() === '' ? '' : '\n'),
  });
}

/** One PEP 508 requirement, as much of it as publishing needs. */
export interface Requirement {
  name: string;
  extras: string[];
  /** The specifier as written (`>=0.14,<0.20`), '' when none; null for a URL requirement. */
  specifier: string | null;
  marker: string | null;
}

const REQUIREMENT = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[([^\]]*)\])?\s*(.*)$/s;

/** null when the text is not a requirement at all (no name). */
export function parseRequirement(text: string): Requirement | null {
  const m = REQUIREMENT.exec(text);
  if (!m) return null;
  let rest = (m[3] ?? '').trim();
  let marker: string | null = null;
  const semi = rest.indexOf(';');
  if (semi >= 0) {
    marker = rest.slice(semi + 1).trim();
    rest = rest.slice(0, semi).trim();
  }
  let specifier: string | null;
  if (rest.startsWith('@')) specifier = null;
  else if (rest.startsWith('(') && rest.endsWith(')')) specifier = rest.slice(1, -1).trim();
  else specifier = rest;
  const extras = (m[2] ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  return { name: m[1] as string, extras, specifier, marker };
}

/** The marker's top-level `or` alternatives (parentheses and quoted strings are not split). */
function alternatives(marker: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < marker.length; i++) {
    const ch = marker[i] as string;
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (depth === 0 && /\s/.test(ch) && /^\s+or\s/.test(marker.slice(i))) {
      out.push(marker.slice(start, i));
      const skip = /^\s+or\s+/.exec(marker.slice(i))![0].length;
      start = i + skip;
      i = start - 1;
    }
  }
  out.push(marker.slice(start));
  return out;
}

/**
 * A requirement only pulled in by an extra (`; extra == "dev"`) is not a runtime requirement:
 * every `or` alternative of its marker needs an extra (`python_version < "3.10" or extra == "x"`
 * applies without one).
 */
export function isExtraOnly(req: Requirement): boolean {
  return req.marker !== null && alternatives(req.marker).every((a) => /\bextra\s*==/.test(a));
}
