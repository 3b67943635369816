/**
 * Judging any tool's answers against what the generator wrote (bench/monorepo.ts): each service's
 * own fapilog and the catalog's compatibility rule, never the tool's own parser or analysis.
 */
import { compatible, type GeneratedService } from './monorepo.ts';

export interface Judged {
  entries: number;
  /** Entries judged against a fapilog version other than the one their service runs. */
  wrongFapilog: number;
  /** Entries with status `outdated`: `update` would move them to their latest compatible release. */
  proposals: number;
  /** Proposals the service's own fapilog does not support. */
  incompatibleProposals: number;
}

/** Holds the report against what the generator wrote: each service's own fapilog. */
export function judge(reportJson: string, services: readonly GeneratedService[]): Judged {
  const report = JSON.parse(reportJson) as {
    fapilog: { version: string | null };
    environments?: Array<{ dir: string; fapilog: { version: string | null } }>;
    plugins: Array<{ location: { file: string }; status: string; latestCompatible: string | null; environments?: string[] }>;
  };
  const byDir = new Map(services.map((s) => [s.dir, s]));
  const envFapilog = new Map((report.environments ?? []).map((e) => [e.dir, e.fapilog.version]));
  const out: Judged = { entries: report.plugins.length, wrongFapilog: 0, proposals: 0, incompatibleProposals: 0 };
  for (const e of report.plugins) {
    const svc = byDir.get(e.location.file.split('/').slice(0, 2).join('/'));
    if (!svc) throw new Error(`report entry in ${e.location.file} belongs to no generated service`);
    // Each entry is judged against the fapilog of every environment it names (a report from
    // before environments: the one fapilog of the whole tree).
    const judgedAgainst = e.environments ? e.environments.map((d) => envFapilog.get(d) ?? null) : [report.fapilog.version];
    if (judgedAgainst.length === 0 || judgedAgainst.some((v) => v !== svc.fapilog)) out.wrongFapilog++;
    if (e.status === 'outdated' && e.latestCompatible) {
      out.proposals++;
      if (!compatible(e.latestCompatible, svc.fapilog)) out.incompatibleProposals++;
    }
  }
  return out;
}

export interface Proposal {
  package: string;
  from: string | null;
  to: string;
  compatible: boolean;
}

const isPlugin = (name: string) => /^fapilog[-_.]/i.test(name);
const norm = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-');

/** Renovate's proposals from its JSON log. */
export function renovateProposals(
  log: string,
  svc: GeneratedService,
): { proposals: Proposal[]; pluginDeps: number; splits: Record<string, number> | null } {
  const proposals: Proposal[] = [];
  let pluginDeps = 0;
  let splits: Record<string, number> | null = null;
  let found = false;
  for (const line of log.split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as {
      msg?: string;
      config?: Record<
        string,
        Array<{
          deps?: Array<{ depName?: string; currentValue?: string; lockedVersion?: string; updates?: Array<{ newVersion?: string }> }>;
        }>
      >;
      splits?: Record<string, number>;
    };
    if (entry.msg === 'Repository timing splits (milliseconds)') splits = entry.splits ?? null;
    if (entry.msg !== 'packageFiles with updates' || !entry.config) continue;
    found = true;
    for (const files of Object.values(entry.config)) {
      for (const file of files) {
        for (const dep of file.deps ?? []) {
          if (!dep.depName || !isPlugin(dep.depName) || norm(dep.depName) === 'fapilog') continue;
          pluginDeps++;
          for (const u of dep.updates ?? []) {
            if (!u.newVersion) continue;
            proposals.push({
              package: norm(dep.depName),
              from: dep.lockedVersion ?? dep.currentValue ?? null,
              to: u.newVersion,
              compatible: compatible(u.newVersion, svc.fapilog),
            });
          }
        }
      }
    }
  }
  if (!found) throw new Error(`renovate logged no "packageFiles with updates" for ${svc.dir}`);
  return { proposals, pluginDeps, splits };
}

/** Our proposals: what `update` would move (status outdated) to its latest compatible release. */
export function ourProposals(json: string, svc: GeneratedService): { proposals: Proposal[]; pluginDeps: number } {
  const report = JSON.parse(json) as {
    plugins: Array<{ package: string; current: string | null; latestCompatible: string | null; status: string }>;
  };
  const proposals = report.plugins
    .filter((p) => p.status === 'outdated' && p.latestCompatible)
    .map((p) => ({
      package: p.package,
      from: p.current,
      to: p.latestCompatible!,
      compatible: compatible(p.latestCompatible!, svc.fapilog),
    }));
  return { proposals, pluginDeps: report.plugins.length };
}
