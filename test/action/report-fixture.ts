/**
 * A Report built by hand, covering every status, for the renderer tests. Parsed with the real
 * schema so that it stays a valid Report when the schema changes.
 */
import { Report, type PluginEntry, type Status } from '../../src/core/analysis/report.ts';

function entry(
  pkg: string,
  status: Status,
  fields: Partial<PluginEntry> & { file: string; line: number; text: string; column?: number; endLine?: number },
): PluginEntry {
  const column = fields.column ?? 1;
  const endLine = fields.endLine ?? fields.line;
  return {
    package: pkg,
    name: pkg.replace(/^fapilog-/, ''),
    location: {
      file: fields.file,
      line: fields.line,
      column,
      endLine,
      endColumn: endLine === fields.line ? column + fields.text.length : 3,
      text: fields.text,
      section: fields.file.endsWith('.toml') ? 'project.dependencies' : 'requirements',
    },
    specifier: fields.specifier ?? '',
    current: fields.current ?? null,
    currentSource: fields.currentSource ?? 'pinned',
    latest: fields.latest ?? null,
    latestCompatible: fields.latestCompatible ?? null,
    currentCompatibility: fields.currentCompatibility ?? null,
    status,
    requiresFapilog: fields.requiresFapilog ?? null,
    note: fields.note ?? '',
    publisherChange: fields.publisherChange ?? null,
  };
}

export function sampleReport(root: string, overrides: Partial<Report> = {}): Report {
  const plugins: PluginEntry[] = [
    entry('fapilog-loki', 'outdated', {
      file: 'requirements.txt',
      line: 2,
      text: 'fapilog-loki==0.2.0',
      specifier: '==0.2.0',
      current: '0.2.0',
      latest: '0.3.1',
      latestCompatible: '0.3.1',
      note: '0.3.1 is compatible with fapilog 0.5.2',
    }),
    entry('fapilog-splunk', 'incompatible', {
      file: 'requirements.txt',
      line: 3,
      text: 'fapilog-splunk==1.0.0',
      specifier: '==1.0.0',
      current: '1.0.0',
      latest: '1.2.0',
      latestCompatible: '1.2.0',
      note: '1.0.0 needs fapilog <0.5 | >=0.3',
    }),
    entry('fapilog-audit', 'up-to-date', {
      file: 'pyproject.toml',
      line: 8,
      column: 6,
      text: 'fapilog-audit>=1.0',
      specifier: '>=1.0',
      current: '1.1.0',
      currentSource: 'locked',
      latest: '1.1.0',
      latestCompatible: '1.1.0',
      note: 'up to date',
    }),
    entry('fapilog-kafka', 'held-back', {
      file: 'pyproject.toml',
      line: 9,
      column: 6,
      text: 'fapilog-kafka==2.0.0',
      specifier: '==2.0.0',
      current: '2.0.0',
      latest: '3.0.0',
      latestCompatible: '2.0.0',
      requiresFapilog: '0.6.0',
      note: '3.0.0 needs fapilog >=0.6',
    }),
    entry('fapilog-old', 'yanked', {
      file: 'pyproject.toml',
      line: 10,
      column: 6,
      endLine: 11,
      text: 'fapilog-old==0.1.0\n ',
      specifier: '==0.1.0',
      current: '0.1.0',
      latest: '0.1.0',
      latestCompatible: null,
      note: '0.1.0 was yanked: broken wheel',
    }),
    entry('fapilog-private', 'unknown', {
      file: 'requirements.txt',
      line: 4,
      text: 'fapilog-private',
      current: null,
      currentSource: 'none',
      note: 'not found in the marketplace',
    }),
  ];
  const counts = { 'up-to-date': 1, outdated: 1, incompatible: 1, 'held-back': 1, yanked: 1, vulnerable: 0, unknown: 1 };
  return Report.parse({
    root,
    fapilog: { version: '0.5.2', source: 'locked', specifier: '>=0.5', from: 'uv.lock' },
    marketplace: { url: 'http://127.0.0.1:9/api/v1', stale: false },
    manifests: ['requirements.txt', 'pyproject.toml'],
    lockfiles: ['uv.lock'],
    plugins,
    counts,
    warnings: [],
    ...overrides,
  });
}
