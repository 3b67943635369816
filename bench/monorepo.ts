/**
 * Generated, deterministic inputs for the product-level benches (check at scale, the Renovate
 * peer, the manifest engine): a marketplace catalog whose plugin releases each support a sliding
 * window of fapilog versions, and a monorepo of services whose manifests cover every supported
 * format. The generator also returns what it wrote (each service's fapilog and plugin pins), so a
 * bench can judge any tool's proposals without trusting that tool's own parser.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';

/** fapilog releases the catalog knows; services pin one of the first eight. */
export const FAPILOG_VERSIONS = ['0.10.0', '0.11.0', '0.12.0', '0.13.0', '0.14.0', '0.15.0', '0.16.0', '0.17.0', '0.18.0', '0.19.0'];

/**
 * Release k of every plugin is `1.k.0` and supports fapilog `>=0.(10+k),<0.(14+k)`: the newest
 * release never supports the oldest fapilog, so a tool that proposes "the newest" proposes
 * incompatible versions to every service pinned to an older fapilog.
 */
export function releaseVersion(k: number): string {
  return `1.${k}.0`;
}

export function releaseCompatibility(k: number): string {
  return `>=0.${10 + k},<0.${14 + k}`;
}

/** Minor of a `0.M.0` fapilog version (the only shape generated here). */
function fapilogMinor(v: string): number {
  const m = /^0\.(\d+)\.0$/.exec(v);
  if (!m) throw new Error(`unexpected fapilog version ${v}`);
  return Number(m[1]);
}

/** Does release `1.k.0` support fapilog `v`? The catalog's rule, for judging proposals. */
export function compatible(pluginVersion: string, fapilog: string): boolean {
  const m = /^1\.(\d+)\.0$/.exec(pluginVersion);
  if (!m) return false;
  const k = Number(m[1]);
  const f = fapilogMinor(fapilog);
  return f >= 10 + k && f < 14 + k;
}

/** Deterministic pseudo-random numbers, so every run generates the same bytes. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

/** Topics of generated plugin names and descriptions; a search for one matches 1/16 of them. */
export const TOPICS = [
  'kafka',
  'loki',
  'syslog',
  'splunk',
  'elastic',
  's3',
  'gcs',
  'azure',
  'http',
  'graylog',
  'sentry',
  'nats',
  'redis',
  'rabbitmq',
  'fluentd',
  'vector',
];
const TYPES = ['sink', 'processor', 'enricher', 'redactor', 'filter'] as const;

/** Short name of generated plugin i (`kafka-0007`); the package is `fapilog-<short>`. */
export function pluginShort(i: number): string {
  return `${TOPICS[i % TOPICS.length]}-${String(i).padStart(4, '0')}`;
}

export function pluginPackage(i: number): string {
  return `fapilog-${pluginShort(i)}`;
}

/** A catalog in the examples/catalog/catalog.json format (seeded with the server's seedStore). */
export function benchCatalog(opts: { plugins: number; releases: number }): unknown {
  const when = Date.parse('2025-01-01T00:00:00Z');
  const plugins = [];
  for (let i = 0; i < opts.plugins; i++) {
    const type = TYPES[i % TYPES.length]!;
    const topic = TOPICS[i % TOPICS.length]!;
    const releases = [];
    for (let k = 0; k < opts.releases; k++) {
      releases.push({
        version: releaseVersion(k),
        fapilog_compatibility: releaseCompatibility(k),
        requires_python: '>=3.10',
        dependencies: [],
        published_at: new Date(when + (k * opts.plugins + i) * 60_000).toISOString().replace(/\.\d{3}Z$/, '+00:00'),
        downloads: (i * 37 + k * 11) % 5000,
        readme: `# ${pluginPackage(i)}\n`,
      });
    }
    plugins.push({
      name: pluginShort(i),
      description: `${type} for ${topic}, generated for the benchmarks`,
      author: `Author ${i % 97}`,
      owner: `bench-owner-${i % 20}`,
      plugin_type: type,
      license: 'MIT',
      homepage: null,
      repository: null,
      ratings: [],
      releases,
    });
  }
  return { fapilog_versions: FAPILOG_VERSIONS, plugins };
}

export const FORMATS = [
  'requirements',
  'requirements-hashes',
  'requirements-includes',
  'pep621',
  'pep735',
  'poetry+lock',
  'pdm+lock',
  'uv+lock',
  'setup.cfg',
  'pipfile+lock',
] as const;
export type Format = (typeof FORMATS)[number];

export interface ServicePlugin {
  package: string;
  /** The version the service runs (its pin, or its lockfile's version). */
  current: string;
}

export interface GeneratedService {
  /** Relative to the monorepo root, `/`-separated (`services/svc-0001`). */
  dir: string;
  format: Format;
  fapilog: string;
  plugins: ServicePlugin[];
  /** Files written, relative to the service directory, and their text. */
  files: Record<string, string>;
}

export interface GenerateOptions {
  services: number;
  /** Distinct plugins the services mention (the first `distinct` catalog plugins). */
  distinct: number;
  /** Plugin dependencies per service. */
  perService?: number;
  /** Releases per plugin in the catalog the services run against (their pins stay below it). */
  releases: number;
}

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The services' definitions, without touching the disk. */
export function generateServices(opts: GenerateOptions): GeneratedService[] {
  const rand = rng(14);
  const per = opts.perService ?? 4;
  const out: GeneratedService[] = [];
  for (let s = 0; s < opts.services; s++) {
    const format = FORMATS[s % FORMATS.length]!;
    // Varies with the service and the format, so any slice of services holds several fapilogs.
    const fapilog = FAPILOG_VERSIONS[(s + Math.floor(s / FORMATS.length)) % 8]!;
    const f = fapilogMinor(fapilog);
    const picked = new Set<number>();
    // Consecutive services walk the plugin list, so every one of the `distinct` is mentioned.
    for (let j = 0; picked.size < Math.min(per, opts.distinct); j++) picked.add((s * per + j * 7) % opts.distinct);
    const plugins = [...picked].map((i) => {
      // Run a release the service's fapilog supports (the window puts k in [f-13, f-10]), and not
      // always the newest one, so some are outdated.
      const lo = Math.max(0, f - 13);
      const hi = Math.min(opts.releases - 1, f - 10);
      const k = lo + Math.floor(rand() * (hi - lo + 1));
      return { package: pluginPackage(i), current: releaseVersion(k) };
    });
    out.push({
      dir: `services/svc-${String(s).padStart(4, '0')}`,
      format,
      fapilog,
      plugins,
      files: serviceFiles(s, format, fapilog, plugins),
    });
  }
  return out;
}

function serviceFiles(s: number, format: Format, fapilog: string, plugins: ServicePlugin[]): Record<string, string> {
  const name = `svc-${String(s).padStart(4, '0')}`;
  const [first, ...rest] = plugins;
  const lockHash = (p: string, v: string) => sha(`${p}-${v}`);
  switch (format) {
    case 'requirements':
      return {
        'requirements.txt': [
          `# ${name}: runtime requirements`,
          `fapilog==${fapilog}`,
          ...plugins.map((p) => `${p.package}==${p.current}  # logging`),
          'httpx>=0.27',
          '',
        ].join('\n'),
      };
    case 'requirements-hashes':
      return {
        'requirements.txt': [
          '#',
          '# This file is autogenerated by pip-compile with Python 3.12',
          '#',
          `fapilog==${fapilog} \\`,
          `    --hash=sha256:${lockHash('fapilog', fapilog)}`,
          ...plugins.flatMap((p) => [
            `${p.package}==${p.current} \\`,
            `    --hash=sha256:${lockHash(p.package, p.current)} \\`,
            `    --hash=sha256:${lockHash(p.package, `${p.current}-sdist`)}`,
            '    # via -r requirements.in',
          ]),
          '',
        ].join('\n'),
      };
    case 'requirements-includes':
      return {
        'requirements.txt': ['-r requirements/base.txt', '-c constraints.txt', `${first!.package}==${first!.current}`, ''].join('\n'),
        'requirements/base.txt': [`fapilog==${fapilog}`, ...rest.map((p) => `${p.package}==${p.current}`), 'pydantic>=2.6', ''].join('\n'),
        'constraints.txt': [`fapilog==${fapilog}`, ''].join('\n'),
      };
    case 'pep621':
      return {
        'pyproject.toml': [
          '[build-system]',
          'requires = ["hatchling>=1.21"]',
          'build-backend = "hatchling.build"',
          '',
          '[project]',
          `name = "${name}"`,
          'version = "1.0.0"',
          'requires-python = ">=3.10"',
          'dependencies = [',
          `    "fapilog==${fapilog}",`,
          ...plugins.slice(0, -1).map((p) => `    "${p.package}==${p.current}",`),
          '    "pydantic>=2.6",',
          ']',
          '',
          '[project.optional-dependencies]',
          `cloud = ["${plugins.at(-1)!.package}==${plugins.at(-1)!.current}"]`,
          '',
        ].join('\n'),
      };
    case 'pep735':
      return {
        'pyproject.toml': [
          '[project]',
          `name = "${name}"`,
          'version = "1.0.0"',
          `dependencies = ["fapilog==${fapilog}", "${first!.package}==${first!.current}"]`,
          '',
          '[dependency-groups]',
          'test = [',
          '    "pytest>=8",',
          ...rest.map((p) => `    "${p.package}==${p.current}",`),
          '    {include-group = "typing"},',
          ']',
          'typing = ["mypy==1.9.0"]',
          '',
        ].join('\n'),
      };
    case 'poetry+lock':
      return {
        'pyproject.toml': [
          '[tool.poetry]',
          `name = "${name}"`,
          'version = "1.0.0"',
          'description = "generated service"',
          'authors = ["Ops <ops@example.com>"]',
          '',
          '[tool.poetry.dependencies]',
          'python = "^3.10"',
          `fapilog = "${fapilog}"`,
          ...plugins.map((p) => `${p.package} = "${p.current}"`),
          '',
        ].join('\n'),
        'poetry.lock': [
          '# This file is automatically @generated by Poetry 1.8.2 and should not be changed by hand.',
          '',
          ...[{ package: 'fapilog', current: fapilog }, ...plugins].flatMap((p) => [
            '[[package]]',
            `name = "${p.package}"`,
            `version = "${p.current}"`,
            'description = ""',
            'optional = false',
            'python-versions = ">=3.10"',
            'files = [',
            `    {file = "${p.package.replaceAll('-', '_')}-${p.current}-py3-none-any.whl", hash = "sha256:${lockHash(p.package, p.current)}"},`,
            ']',
            '',
          ]),
          '[metadata]',
          'lock-version = "2.0"',
          'python-versions = "^3.10"',
          'content-hash = "abc"',
          '',
        ].join('\n'),
      };
    case 'pdm+lock':
      return {
        'pyproject.toml': [
          '[project]',
          `name = "${name}"`,
          'version = "1.0.0"',
          'dependencies = [',
          `    "fapilog==${fapilog}",`,
          ...plugins.slice(0, -1).map((p) => `    "${p.package}==${p.current}",`),
          ']',
          '',
          '[tool.pdm.dev-dependencies]',
          `test = ["pytest>=8", "${plugins.at(-1)!.package}==${plugins.at(-1)!.current}"]`,
          '',
        ].join('\n'),
        'pdm.lock': [
          '# This file is @generated by PDM.',
          '',
          '[metadata]',
          'groups = ["default", "test"]',
          'strategy = ["cross_platform"]',
          'lock_version = "4.4.1"',
          'content_hash = "sha256:abc"',
          '',
          ...[{ package: 'fapilog', current: fapilog }, ...plugins].flatMap((p) => [
            '[[package]]',
            `name = "${p.package}"`,
            `version = "${p.current}"`,
            'requires_python = ">=3.10"',
            'summary = ""',
            '',
          ]),
        ].join('\n'),
      };
    case 'uv+lock':
      return {
        'pyproject.toml': [
          '[project]',
          `name = "${name}"`,
          'version = "1.0.0"',
          `dependencies = ["fapilog==${fapilog}", ${plugins
            .slice(0, -1)
            .map((p) => `"${p.package}==${p.current}"`)
            .join(', ')}]`,
          '',
          '[tool.uv]',
          `dev-dependencies = ["pytest>=8.1", "${plugins.at(-1)!.package}==${plugins.at(-1)!.current}"]`,
          '',
        ].join('\n'),
        'uv.lock': [
          'version = 1',
          'requires-python = ">=3.10"',
          '',
          ...[{ package: 'fapilog', current: fapilog }, ...plugins].flatMap((p) => [
            '[[package]]',
            `name = "${p.package}"`,
            `version = "${p.current}"`,
            'source = { registry = "https://pypi.org/simple" }',
            '',
          ]),
          '[[package]]',
          `name = "${name}"`,
          'version = "1.0.0"',
          'source = { editable = "." }',
          '',
        ].join('\n'),
      };
    case 'setup.cfg':
      return {
        'setup.cfg': [
          '[metadata]',
          `name = ${name}`,
          'version = 1.0.0',
          '',
          '[options]',
          'packages = find:',
          'install_requires =',
          `    fapilog==${fapilog}`,
          '    # plugins',
          ...plugins.slice(0, -1).map((p) => `    ${p.package}==${p.current}`),
          '    requests',
          '',
          '[options.extras_require]',
          `cloud = ${plugins.at(-1)!.package}==${plugins.at(-1)!.current}`,
          '',
        ].join('\n'),
      };
    case 'pipfile+lock': {
      const entry = (p: ServicePlugin) => [p.package, { hashes: [`sha256:${lockHash(p.package, p.current)}`], version: `==${p.current}` }];
      return {
        Pipfile: [
          '[packages]',
          `fapilog = "==${fapilog}"`,
          ...plugins.slice(0, -1).map((p) => `${p.package} = "==${p.current}"`),
          '',
          '[dev-packages]',
          `${plugins.at(-1)!.package} = "==${plugins.at(-1)!.current}"`,
          '',
        ].join('\n'),
        'Pipfile.lock': `${JSON.stringify(
          {
            _meta: {
              hash: { sha256: 'aaaa' },
              'pipfile-spec': 6,
              requires: { python_version: '3.11' },
              sources: [{ name: 'pypi', url: 'https://pypi.org/simple', verify_ssl: true }],
            },
            default: Object.fromEntries([{ package: 'fapilog', current: fapilog }, ...plugins.slice(0, -1)].map(entry)),
            develop: Object.fromEntries([plugins.at(-1)!].map(entry)),
          },
          null,
          4,
        )}\n`,
      };
    }
  }
}

/** Writes the services under `root` (and, when asked, any extra files per service). */
export async function writeServices(
  root: string,
  services: readonly GeneratedService[],
  extra: Record<string, string> = {},
): Promise<void> {
  for (const svc of services) {
    for (const [rel, text] of Object.entries({ ...svc.files, ...extra })) {
      const file = path.join(root, svc.dir, rel);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, text, 'utf8');
    }
  }
}
