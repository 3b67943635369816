/**
 * setup.cfg: `[options] install_requires` and `[options.extras_require]`, multi-line values
 * (continuation lines are indented), `#`/`;` comment lines, and ` #` trailing comments.
 * INI has no maintained parser that reports positions, so this is a small line scanner.
 */
import { parseRequirement, RequirementSyntaxError } from './pep508.ts';
import { IGNORE_COMMENT, makeDependency, pep508Parts, SourceText } from './source.ts';
import { emptyManifest, type Dependency, type Manifest } from './types.ts';

interface Line {
  start: number;
  content: string;
  number: number;
}

function lines(text: string): Line[] {
  const out: Line[] = [];
  const re = /\r\n|\n|\r/g;
  let start = 0;
  let n = 1;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ start, content: text.slice(start, m.index), number: n });
    start = m.index + m[0].length;
    n += 1;
  }
  if (start < text.length) out.push({ start, content: text.slice(start), number: n });
  const first = out[0];
  if (first && first.content.startsWith('\uFEFF')) {
    first.content = first.content.slice(1);
    first.start += 1;
  }
  return out;
}

export function readSetupCfg(file: string, text: string): Manifest {
  const src = new SourceText(file, text);
  const m = emptyManifest(file, 'setup.cfg');
  let section = '';
  // The option whose value lines we are inside, and the section name to record.
  let current: { section: string; group: string | null; optional: boolean } | null = null;

  const take = (ln: Line, from: number, target: { section: string; group: string | null; optional: boolean }): void => {
    let body = ln.content.slice(from);
    let comment = '';
    const c = /(^|\s)[#;]/.exec(body);
    // `;` starts a comment only at the start of a value line; inside a requirement it begins markers.
    const hash = /(^|\s)#/.exec(body);
    if (c && c.index === 0 && body.trim().startsWith(';')) {
      comment = body;
      body = '';
    } else if (hash) {
      comment = body.slice(hash.index);
      body = body.slice(0, hash.index);
    }
    const lead = body.length - body.trimStart().length;
    const req = body.trim();
    if (req === '') return;
    const at = ln.start + from + lead;
    try {
      const p = parseRequirement(req);
      const spec = p.specifierSpan;
      m.dependencies.push(
        makeDependency(src, {
          ...pep508Parts(p),
          kind: 'setup.cfg',
          section: target.section,
          span: { start: at, end: at + p.end },
          specifierSpan: spec ? { start: at + spec.start, end: at + spec.end } : null,
          group: target.group,
          optional: target.optional,
          ignored: IGNORE_COMMENT.test(comment),
        }),
      );
    } catch (err) {
      const why = err instanceof RequirementSyntaxError ? err.message : String(err);
      // The reason only: a line that is not a requirement may hold anything.
      m.warnings.push(`${file}:${ln.number}: not a requirement (${err instanceof RequirementSyntaxError ? err.reason : 'unreadable'})`);
      m.skipped.push({ line: ln.number, text: req, reason: why });
    }
  };

  for (const ln of lines(text)) {
    const trimmed = ln.content.trim();
    const header = /^\s*\[([^\]]+)\]\s*(?:[#;].*)?$/.exec(ln.content);
    if (header) {
      section = (header[1] as string).trim();
      current = null;
      continue;
    }
    if (trimmed === '') continue;
    const indented = /^\s/.test(ln.content);
    if (!indented && (trimmed.startsWith('#') || trimmed.startsWith(';'))) continue;
    if (indented && current) {
      if (trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
      take(ln, 0, current);
      continue;
    }
    const kv = /^([^=:\s][^=:]*?)\s*[=:]\s?/.exec(ln.content);
    if (!kv) {
      current = null;
      continue;
    }
    const key = (kv[1] as string).trim();
    current = null;
    if (section === 'options' && (key === 'install_requires' || key === 'tests_require' || key === 'setup_requires')) {
      current = { section: `options.${key}`, group: key === 'install_requires' ? null : key, optional: false };
    } else if (section === 'options.extras_require') {
      current = { section: `options.extras_require.${key}`, group: key, optional: true };
    }
    if (current) take(ln, kv[0].length, current);
  }
  return m;
}
