/**
 * Every problem publishing can report: a stable code, a severity and a one-line fix. This table
 * is the single source of the codes; docs/publishing.md's findings table is checked against it
 * by test/core/publish/docs.test.ts, so adding a code here means documenting it there.
 */
import { z } from 'zod';

export const SEVERITIES = ['error', 'warning'] as const;
export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;

const Definition = z.object({
  severity: Severity,
  /** What the finding means, for the docs table. */
  meaning: z.string().min(1),
  /** One line telling the author what to do. */
  fix: z.string().min(1),
});
type Definition = z.infer<typeof Definition>;

const table = {
  // -- errors: publishing stops -----------------------------------------------------------------
  'name-not-plugin': {
    severity: 'error',
    meaning: 'The distribution name does not start with `fapilog-` after PEP 503 normalisation.',
    fix: 'Rename the project in pyproject.toml `[project] name` to `fapilog-<name>`.',
  },
  'name-mismatch': {
    severity: 'error',
    meaning: 'The wheel, the sdist and pyproject.toml name different projects.',
    fix: 'Rebuild every file from the same project (remove stale files from the dist directory).',
  },
  'version-invalid': {
    severity: 'error',
    meaning: 'The version is not a valid PEP 440 version.',
    fix: 'Set a PEP 440 version, e.g. `fapilog-plugins version 1.0.0`.',
  },
  'version-mismatch': {
    severity: 'error',
    meaning: 'The wheel, the sdist and pyproject.toml carry different versions.',
    fix: 'Remove stale files from the dist directory and rebuild with `python -m build`.',
  },
  'tag-mismatch': {
    severity: 'error',
    meaning: 'The git tag being published names a different version than the project.',
    fix: 'Run `fapilog-plugins version <tag version>`, commit, rebuild and re-tag, or push a tag `v<project version>`.',
  },
  'version-taken': {
    severity: 'error',
    meaning: 'This version is already on the marketplace with different files; published files never change.',
    fix: 'Bump the version (`fapilog-plugins version patch`), rebuild and publish the new version.',
  },
  'fapilog-requirement-missing': {
    severity: 'error',
    meaning: 'The package does not depend on `fapilog`, so nobody can tell which fapilog versions it works with.',
    fix: 'Add e.g. `"fapilog>=0.14,<0.20"` to `[project] dependencies`.',
  },
  'fapilog-specifier-invalid': {
    severity: 'error',
    meaning: 'The `fapilog` requirement is not a valid PEP 508 requirement with a PEP 440 specifier.',
    fix: 'Write the requirement as `fapilog>=MIN,<MAX`, e.g. `fapilog>=0.14,<0.20`.',
  },
  'fapilog-specifier-unsatisfiable': {
    severity: 'error',
    meaning: 'No released fapilog version satisfies the `fapilog` requirement.',
    fix: 'Widen the requirement so that it admits a released fapilog version (the message names the newest one).',
  },
  'entry-point-missing': {
    severity: 'error',
    meaning:
      'The wheel registers no entry point in fapilog.sinks, fapilog.processors, fapilog.enrichers, ' +
      'fapilog.redactors or fapilog.filters, so fapilog cannot load the plugin.',
    fix: 'Add e.g. `[project.entry-points."fapilog.sinks"] my_sink = "my_pkg:MySink"` to pyproject.toml.',
  },
  'readme-missing': {
    severity: 'error',
    meaning: 'There is no long description: the README is missing or empty.',
    fix: 'Write a README.md and set `readme = "README.md"` in `[project]`.',
  },
  'license-missing': {
    severity: 'error',
    meaning: 'The package declares no license (no License-Expression, License or License-File).',
    fix: 'Set `license = "MIT"` (an SPDX expression) in `[project]` and add a LICENSE file.',
  },
  'wheel-missing': {
    severity: 'error',
    meaning: 'The dist directory holds no wheel (`.whl`); the marketplace installs wheels.',
    fix: 'Build with `python -m build` (or point --dist / packages-dir at the build output).',
  },
  'file-too-large': {
    severity: 'error',
    meaning: 'A file is larger than the marketplace accepts.',
    fix: 'Exclude data, tests and build leftovers from the package (`[tool.hatch.build] exclude`).',
  },
  'artifact-unreadable': {
    severity: 'error',
    meaning: 'A wheel or sdist cannot be read (not a zip/tar.gz, or no METADATA/PKG-INFO inside).',
    fix: 'Delete the file and rebuild with `python -m build`.',
  },
  'metadata-mismatch': {
    severity: 'error',
    meaning:
      "The built files declare different requirements: the sdist's PKG-INFO and the wheel's METADATA (or two " +
      'wheels) disagree on the fapilog range, Requires-Python or dependencies, or the runtime `fapilog` ' +
      'requirements give several ranges. The marketplace reads these from the files and refuses such a ' +
      'release.',
    fix:
      'Remove stale files from the dist directory and rebuild wheel and sdist together with `python -m ' +
      'build`; declare one fapilog range.',
  },
  'record-mismatch': {
    severity: 'error',
    meaning:
      "A wheel's RECORD does not match its contents (a file changed, added or removed after the build, or " +
      'hashed with less than sha256); pip and the marketplace refuse it.',
    fix: 'Rebuild the wheel with `python -m build` instead of editing it.',
  },
  'pyproject-invalid': {
    severity: 'error',
    meaning: 'pyproject.toml is not valid TOML or its `[project]` table has a field of the wrong type.',
    fix: 'Fix the field named in the message; `python -m build` reports the same problem.',
  },
  // -- warnings: published unless --strict --------------------------------------------------------
  'version-backport': {
    severity: 'warning',
    meaning:
      'The version is lower than the newest published one (a backport). Allowed, but users of the newest ' +
      'version will not see it as an update.',
    fix: 'Nothing if this is a deliberate backport; otherwise bump above the newest version.',
  },
  'entry-point-legacy-group': {
    severity: 'warning',
    meaning: 'An entry point is registered in the legacy `fapilog.plugins` group, which fapilog no longer reads.',
    fix: 'Move it to fapilog.sinks, fapilog.processors, fapilog.enrichers, fapilog.redactors or fapilog.filters.',
  },
  'fapilog-specifier-unbounded': {
    severity: 'warning',
    meaning: 'The `fapilog` requirement has no upper bound, so it claims compatibility with fapilog versions nobody has tested.',
    fix: 'Add an upper bound, e.g. `fapilog>=0.14,<0.20`.',
  },
  'sdist-missing': {
    severity: 'warning',
    meaning: 'Only a wheel is published; without an sdist nobody can rebuild the plugin from source.',
    fix: 'Build both with `python -m build` (without `--wheel`).',
  },
  'readme-template': {
    severity: 'warning',
    meaning: 'The README still contains text from the plugin template ("TODO: describe your plugin" or "fapilog-plugin-template").',
    fix: 'Describe what the plugin does, how to install and configure it.',
  },
  'repository-url-missing': {
    severity: 'warning',
    meaning: 'No repository URL: the marketplace cannot link to the source, and relative README links cannot be made absolute.',
    fix: 'Add `Repository = "https://github.com/<owner>/<repo>"` under `[project.urls]`.',
  },
  'readme-insecure-image': {
    severity: 'warning',
    meaning: 'The README loads an image over plain http, which browsers block on the marketplace page.',
    fix: 'Use https:// URLs for images (or a relative path into the repository).',
  },
  'marketplace-unreachable': {
    severity: 'warning',
    meaning: 'The marketplace could not be asked, so published versions and known fapilog versions were not checked.',
    fix: 'Check --marketplace-url / FAPILOG_MARKETPLACE_URL and the network, then run again.',
  },
} as const satisfies Record<string, Definition>;

export type FindingCode = keyof typeof table;
export const FINDING_CODES = Object.keys(table) as FindingCode[];
export const FINDINGS: Readonly<Record<FindingCode, Definition>> = z.record(z.string(), Definition).parse(table) as Record<
  FindingCode,
  Definition
>;

export interface Finding {
  code: FindingCode;
  severity: Severity;
  /** One line naming the concrete values (both versions, the file, ...). */
  message: string;
  /** One line; specialised where the concrete values make a better fix than the table's. */
  fix: string;
}

export function finding(code: FindingCode, message: string, fix?: string): Finding {
  const def = FINDINGS[code];
  return { code, severity: def.severity, message, fix: fix ?? def.fix };
}

/** Errors always fail; warnings fail under --strict. */
export function isFailing(f: Finding, strict: boolean): boolean {
  return f.severity === 'error' || (strict && f.severity === 'warning');
}

export function failingFindings(findings: readonly Finding[], strict: boolean): Finding[] {
  return findings.filter((f) => isFailing(f, strict));
}

/** The docs table: one row per code, in table order. */
export function findingsMarkdownTable(): string {
  const rows = FINDING_CODES.map((code) => {
    const d = FINDINGS[code];
    return `| \`${code}\` | ${d.severity} | ${d.meaning.replace(/\|/g, '\\|')} | ${d.fix.replace(/\|/g, '\\|')} |`;
  });
  return ['| Code | Severity | Meaning | Fix |', '|---|---|---|---|', ...rows].join('\n');
}
