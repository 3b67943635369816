/**
 * Small, valid, deterministic wheels for seeded releases, so that download, sha256 and the
 * simple index behave for demo data exactly as for published files (pip can install them).
 * Entries are stored (not deflated) with a fixed timestamp: the bytes, and so the sha256,
 * depend only on the inputs.
 */
import { createHash } from 'node:crypto';
import { strToU8, zipSync, type Zippable } from 'fflate';
import type { PluginType } from '../src/core/marketplace/schemas.ts';
import { wheelDistName } from './validation.ts';

export interface WheelSpec {
  package: string; // fapilog-loki
  shortName: string; // loki
  version: string;
  summary: string;
  author: string;
  license: string;
  homepage: string | null;
  pluginType: PluginType;
  fapilogCompatibility: string;
  requiresPython: string | null;
  dependencies: string[];
}

const GROUP: Record<PluginType, string> = {
  sink: 'fapilog.sinks',
  processor: 'fapilog.processors',
  enricher: 'fapilog.enrichers',
  redactor: 'fapilog.redactors',
  filter: 'fapilog.filters',
};

// fflate writes DOS time from the Date's *local* fields; a Date built from local fields
// yields the same fields in every time zone, which keeps the archive bytes zone-independent.
const FIXED_MTIME = new Date(2024, 0, 1, 0, 0, 0);

function recordHash(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('base64url');
}

function pyString(s: string): string {
  return JSON.stringify(s); // a JSON string literal is a valid Python string literal
}

export function wheelFilename(pkg: string, version: string): string {
  return `${wheelDistName(pkg)}-${version}-py3-none-any.whl`;
}

/** The core metadata of a seeded release: the wheel's METADATA, and an sdist's PKG-INFO. */
export function coreMetadataText(spec: WheelSpec): string {
  return [
    'Metadata-Version: 2.1',
    `Name: ${spec.package}`,
    `Version: ${spec.version}`,
    `Summary: ${spec.summary}`,
    `Author: ${spec.author}`,
    `License: ${spec.license}`,
    ...(spec.homepage ? [`Project-URL: Homepage, ${spec.homepage}`] : []),
    ...(spec.requiresPython ? [`Requires-Python: ${spec.requiresPython}`] : []),
    `Requires-Dist: fapilog${spec.fapilogCompatibility}`,
    ...spec.dependencies.map((d) => `Requires-Dist: ${d}`),
    '',
  ].join('\n');
}

export function buildWheel(spec: WheelSpec): { filename: string; data: Uint8Array } {
  const dist = wheelDistName(spec.package);
  const info = `${dist}-${spec.version}.dist-info`;
  const className =
    spec.shortName
      .split(/[-_.]+/)
      .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
      .join('') +
    spec.pluginType.charAt(0).toUpperCase() +
    spec.pluginType.slice(1);
  const module = [
    `"""${spec.summary.replace(/"""/g, "'''")}"""`,
    '',
    'PLUGIN_METADATA = {',
    `    "name": ${pyString(spec.shortName.replace(/-/g, '_'))},`,
    `    "version": ${pyString(spec.version)},`,
    `    "description": ${pyString(spec.summary)},`,
    `    "author": ${pyString(spec.author)},`,
    `    "plugin_type": ${pyString(spec.pluginType)},`,
    `    "entry_point": ${pyString(`${dist}:${className}`)},`,
    `    "compatibility": {"fapilog": ${pyString(spec.fapilogCompatibility)}},`,
    '    "api_version": "1.0",',
    `    "license": ${pyString(spec.license)},`,
    '}',
    '',
    '',
    `class ${className}:`,
    `    name = ${pyString(spec.shortName)}`,
    '',
    '    async def start(self) -> None:',
    '        return None',
    '',
    '    async def stop(self) -> None:',
    '        return None',
    '',
  ].join('\n');
  const metadata = coreMetadataText(spec);
  const wheel = ['Wheel-Version: 1.0', 'Generator: fapilog-plugins-seed', 'Root-Is-Purelib: true', 'Tag: py3-none-any', ''].join('\n');
  const entryPoints = [`[${GROUP[spec.pluginType]}]`, `${spec.shortName.replace(/-/g, '_')} = ${dist}:${className}`, ''].join('\n');

  const files: Array<[string, Uint8Array]> = [
    [`${dist}/__init__.py`, strToU8(module)],
    [`${info}/METADATA`, strToU8(metadata)],
    [`${info}/WHEEL`, strToU8(wheel)],
    [`${info}/entry_points.txt`, strToU8(entryPoints)],
  ];
  const record = files.map(([name, data]) => `${name},sha256=${recordHash(data)},${data.length}`).join('\n') + `\n${info}/RECORD,,\n`;
  files.push([`${info}/RECORD`, strToU8(record)]);

  const zippable: Zippable = {};
  for (const [name, data] of files) zippable[name] = [data, { level: 0, mtime: FIXED_MTIME }];
  return { filename: wheelFilename(spec.package, spec.version), data: zipSync(zippable) };
}
