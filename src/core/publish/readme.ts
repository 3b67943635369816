/**
 * The long description shown on the marketplace page: taken from the wheel's METADATA body
 * (what PyPI shows too), else from the project's README; its first paragraph is the summary;
 * relative links and images are made absolute at the repository and tag, because the marketplace
 * page is not the repository and a relative `docs/x.md` would point nowhere.
 */
import path from 'node:path';

export interface RepositoryRef {
  /** `https://github.com/o/r` as given in the project URLs. */
  repository: string;
  /** The git ref the files are read at: the tag being published (`v1.2.0`). */
  ref: string;
  /** Where the project (and its README) sits inside the repository, '' for the root. */
  subdirectory?: string;
}

interface UrlBases {
  blob: string;
  tree: string;
  raw: string;
}

/** Link and raw-file bases for GitHub and GitLab repositories; null for hosts we cannot map. */
export function repositoryBases(repo: RepositoryRef): UrlBases | null {
  let url: URL;
  try {
    url = new URL(repo.repository.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const parts = url.pathname
    .replace(/\.git$/, '')
    .split('/')
    .filter((p) => p !== '');
  const ref = encodeURI(repo.ref);
  if (url.hostname === 'github.com' || url.hostname === 'www.github.com') {
    if (parts.length < 2) return null;
    const [owner, name] = parts as [string, string];
    return {
      blob: `https://github.com/${owner}/${name}/blob/${ref}/`,
      tree: `https://github.com/${owner}/${name}/tree/${ref}/`,
      raw: `https://raw.githubusercontent.com/${owner}/${name}/${ref}/`,
    };
  }
  if (url.hostname === 'gitlab.com' || url.hostname.startsWith('gitlab.')) {
    const cut = parts.indexOf('-');
    const project = (cut >= 0 ? parts.slice(0, cut) : parts).join('/');
    if (!project.includes('/')) return null;
    const base = `${url.protocol}//${url.host}/${project}`;
    return { blob: `${base}/-/blob/${ref}/`, tree: `${base}/-/tree/${ref}/`, raw: `${base}/-/raw/${ref}/` };
  }
  return null;
}

const ABSOLUTE = /^(?:[a-z][a-z0-9+.-]*:|\/\/|#)/i;
const IMAGE_EXT = /\.(?:png|jpe?g|gif|svg|webp|avif|bmp|ico)(?:[?#].*)?$/i;

/** The absolute URL for a relative reference, or null to leave it as written. */
function absolutize(target: string, kind: 'link' | 'image', bases: UrlBases, subdirectory: string): string | null {
  const t = target.trim();
  if (t === '' || ABSOLUTE.test(t)) return null;
  const cut = t.search(/[?#]/);
  const pathPart = cut >= 0 ? t.slice(0, cut) : t;
  const suffix = cut >= 0 ? t.slice(cut) : '';
  const joined = pathPart.startsWith('/') ? pathPart.slice(1) : path.posix.join(subdirectory, pathPart);
  const normal = path.posix.normalize(joined === '' ? '.' : joined);
  if (normal === '..' || normal.startsWith('../')) return null;
  const clean = normal === '.' ? '' : normal.replace(/^\.\//, '');
  const isDir = pathPart.endsWith('/') || clean === '';
  const base = kind === 'image' ? bases.raw : isDir ? bases.tree : bases.blob;
  return base + clean.replace(/\/$/, '') + (isDir && clean !== '' ? '/' : '') + suffix;
}

/** Applies `fn` to the parts of a Markdown text outside fenced code blocks and inline code. */
function outsideCode(text: string, fn: (chunk: string) => string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let fence: string | null = null;
  let buffer: string[] = [];
  const flush = () => {
    if (buffer.length > 0) out.push(mapInline(buffer.join('\n'), fn));
    buffer = [];
  };
  for (const line of lines) {
    const m = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fence === null && m) {
      flush();
      fence = (m[1] as string)[0] as string;
      out.push(line);
    } else if (fence !== null) {
      out.push(line);
      if (m && (m[1] as string)[0] === fence) fence = null;
    } else if (/^(?: {4}|\t)/.test(line) && (buffer.length === 0 || buffer[buffer.length - 1] === '')) {
      // indented code block (after a blank line): leave as written
      flush();
      out.push(line);
    } else {
      buffer.push(line);
    }
  }
  flush();
  return out.join('\n');
}

function mapInline(text: string, fn: (chunk: string) => string): string {
  return text
    .split(/(`+[^`]*?`+)/)
    .map((part, i) => (i % 2 === 1 ? part : fn(part)))
    .join('');
}

const MD_IMAGE = /!\[([^\]]*)\]\(\s*(<[^>]*>|[^\s)]+)(\s+(?:"[^"]*"|'[^']*'))?\s*\)/g;
const MD_LINK = /(?<!!)\[((?:[^[\]]|!?\[[^\]]*\]\([^)]*\))*)\]\(\s*(<[^>]*>|[^\s)]+)(\s+(?:"[^"]*"|'[^']*'))?\s*\)/g;
const MD_REFDEF = /^( {0,3}\[[^\]]+\]:[ \t]*)(<[^>]*>|\S+)/gm;
const HTML_ATTR = /(<(img|a|source)\b[^>]*?\s(src|href|srcset)\s*=\s*)(["'])(.*?)\4/gi;
const RST_IMAGE = /^(\s*\.\. (?:image|figure)::[ \t]*)(\S+)/gm;
const RST_TARGET = /^(\s*:target:[ \t]*)(\S+)/gm;
const RST_LINK = /(`[^`<]*<)([^>`]+)(>`__?)/g;

/** Rewrites relative links and images in Markdown (with inline HTML) or reStructuredText. */
export function absolutizeReadme(text: string, contentType: string, repo: RepositoryRef): string {
  const bases = repositoryBases(repo);
  if (!bases) return text;
  const sub = (repo.subdirectory ?? '').replace(/^\/+|\/+$/g, '');
  const rewrite = (target: string, kind: 'link' | 'image'): string => {
    const bracketed = target.startsWith('<') && target.endsWith('>');
    const inner = bracketed ? target.slice(1, -1) : target;
    const abs = absolutize(inner, kind, bases, sub);
    return abs === null ? target : bracketed ? `<${abs}>` : abs;
  };
  if (/rst/i.test(contentType)) {
    return text
      .replace(RST_IMAGE, (_m, head: string, t: string) => head + rewrite(t, 'image'))
      .replace(RST_TARGET, (_m, head: string, t: string) => head + rewrite(t, 'link'))
      .replace(RST_LINK, (_m, head: string, t: string, tail: string) => head + rewrite(t, 'link') + tail);
  }
  return outsideCode(text, (chunk) =>
    chunk
      .replace(MD_IMAGE, (_m, alt: string, t: string, title: string | undefined) => `![${alt}](${rewrite(t, 'image')}${title ?? ''})`)
      .replace(MD_LINK, (_m, label: string, t: string, title: string | undefined) => `[${label}](${rewrite(t, 'link')}${title ?? ''})`)
      .replace(MD_REFDEF, (_m, head: string, t: string) => head + rewrite(t, IMAGE_EXT.test(t) ? 'image' : 'link'))
      .replace(HTML_ATTR, (_m, head: string, tag: string, attr: string, q: string, t: string) => {
        if (attr.toLowerCase() === 'srcset') return `${head}${q}${t}${q}`;
        const kind = tag.toLowerCase() === 'a' ? 'link' : 'image';
        return `${head}${q}${rewrite(t, kind)}${q}`;
      }),
  );
}

/** Image URLs fetched over plain http (Markdown images, `<img src>`, RST image directives). */
export function insecureImages(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(MD_IMAGE)) {
    const t = (m[2] as string).replace(/^<|>$/g, '');
    if (/^http:\/\//i.test(t)) found.add(t);
  }
  for (const m of text.matchAll(HTML_ATTR)) {
    if ((m[2] as string).toLowerCase() !== 'a' && /^http:\/\//i.test(m[5] as string)) found.add(m[5] as string);
  }
  for (const m of text.matchAll(RST_IMAGE)) {
    if (/^http:\/\//i.test(m[2] as string)) found.add(m[2] as string);
  }
  for (const m of text.matchAll(MD_REFDEF)) {
    const t = m[2] as string;
    if (/^http:\/\//i.test(t) && IMAGE_EXT.test(t)) found.add(t);
  }
  return [...found];
}

/** What marks a README copied from the plugin template and never edited. */
export const README_TEMPLATE_MARKERS = ['TODO: describe your plugin', 'fapilog-plugin-template'] as const;

export function templateMarkers(text: string): string[] {
  const lower = text.toLowerCase();
  return README_TEMPLATE_MARKERS.filter((m) => lower.includes(m.toLowerCase()));
}

function plainText(markdown: string): string {
  return markdown
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\[[^\]]*\]/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/(\*\*|__)(.*?)\1/g, '$2')
    .replace(/(^|[\s(])[*_]([^*_\s][^*_]*?)[*_](?=[\s).,;:!?]|$)/g, '$1$2')
    .replace(/\s+/g, ' ')
    .trim();
}

const MAX_SUMMARY = 500;

/**
 * The first paragraph of prose: headings, badges, HTML-only lines, code, tables, lists' absence of
 * prose, RST directives and title underlines are skipped.
 */
export function firstParagraph(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let fence: string | null = null;
  let paragraph: string[] = [];
  let inComment = false;
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] as string;
    const trimmed = line.trim();
    const next = (lines[i + 1] ?? '').trim();
    if (inComment) {
      if (trimmed.includes('-->')) inComment = false;
      continue;
    }
    const f = /^(`{3,}|~{3,})/.exec(trimmed);
    if (fence !== null) {
      if (f && (f[1] as string)[0] === fence) fence = null;
      continue;
    }
    if (f) {
      if (paragraph.length > 0) break;
      fence = (f[1] as string)[0] as string;
      continue;
    }
    if (trimmed.startsWith('<!--')) {
      if (!trimmed.includes('-->')) inComment = true;
      continue;
    }
    const setextOrRstTitle = next !== '' && /^([=\-~^"'`#*+:.])\1{2,}$/.test(next);
    const isSkippable =
      trimmed === '' ||
      /^#{1,6}(\s|$)/.test(trimmed) ||
      /^([=\-~^"'`#*+:.])\1{2,}$/.test(trimmed) ||
      (setextOrRstTitle && paragraph.length === 0) ||
      /^\.\. /.test(trimmed) ||
      /^\|/.test(trimmed) ||
      /^<\/?[a-z][^>]*>\s*$/i.test(trimmed) ||
      plainText(trimmed) === '';
    if (isSkippable) {
      if (paragraph.length > 0) break;
      if (setextOrRstTitle) i += 1;
      continue;
    }
    paragraph.push(trimmed);
  }
  const summary = plainText(paragraph.join(' '));
  return summary.length > MAX_SUMMARY ? `${summary.slice(0, MAX_SUMMARY - 1).trimEnd()}…` : summary;
}

export interface ReadmeSource {
  /** The wheel's long description (METADATA body), '' when it has none. */
  metadataDescription: string;
  metadataContentType: string | null;
  /** The project's README file, when there is one. */
  file: { text: string; contentType: string; name: string | null } | null;
}

export interface ExtractedReadme {
  from: 'metadata' | 'file' | 'none';
  contentType: string;
  /** As written in the package. */
  original: string;
  /** With relative links and images made absolute (same as original without a usable repository). */
  text: string;
  summary: string;
}

export function extractReadme(source: ReadmeSource, repo: RepositoryRef | null): ExtractedReadme {
  let from: ExtractedReadme['from'] = 'none';
  let original = '';
  let contentType = 'text/plain';
  if (source.metadataDescription.trim() !== '') {
    from = 'metadata';
    original = source.metadataDescription;
    contentType = source.metadataContentType ?? 'text/x-rst'; // the core metadata default
  } else if (source.file && source.file.text.trim() !== '') {
    from = 'file';
    original = source.file.text;
    contentType = source.file.contentType;
  }
  const text = repo && original !== '' ? absolutizeReadme(original, contentType, repo) : original;
  return { from, contentType, original, text, summary: firstParagraph(original) };
}
