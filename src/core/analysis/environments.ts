/**
 * The environments of a scanned project, each judged on its own: which fapilog it runs (the same
 * order of sources as for a whole project: override, locked, pinned, range, unconstrained,
 * unknown), from its own manifests and its own lockfiles only.
 */
import { ROOT_ENVIRONMENT, type Environment } from '../python/environments.ts';
import type { Manifest, ProjectScan } from '../python/types.ts';
import { resolveFapilogFor, type FapilogInfo } from './fapilog-version.ts';

export interface JudgedEnvironment extends Environment {
  fapilog: FapilogInfo;
}

/** The scan's environments; a hand-built scan without them is one environment at the root. */
export function scanEnvironments(scan: ProjectScan): Environment[] {
  if (scan.environments) return scan.environments;
  if (scan.manifests.length === 0) return [];
  return [{ dir: ROOT_ENVIRONMENT, manifests: scan.manifests.map((m) => m.file), lockfiles: scan.lockfiles, locked: scan.locked }];
}

/** Each environment with its fapilog; with several, each warning names its environment. */
export function judgeEnvironments(
  scan: ProjectScan,
  knownVersions: readonly string[],
  override?: string | null,
): { environments: JudgedEnvironment[]; warnings: string[] } {
  const byFile = new Map<string, Manifest>(scan.manifests.map((m) => [m.file, m]));
  const envs = scanEnvironments(scan);
  const warnings: string[] = [];
  const environments = envs.map((env) => {
    const manifests = env.manifests.flatMap((f) => byFile.get(f) ?? []);
    const resolved = resolveFapilogFor(manifests, env.locked, knownVersions, override);
    warnings.push(...resolved.warnings.map((w) => (envs.length > 1 ? `${env.dir}: ${w}` : w)));
    return { ...env, fapilog: resolved.fapilog };
  });
  return { environments, warnings };
}

/** The environments each manifest installs into, by file. */
export function environmentsByFile<E extends Environment>(environments: readonly E[]): Map<string, E[]> {
  const out = new Map<string, E[]>();
  for (const env of environments) {
    for (const f of env.manifests) {
      const list = out.get(f);
      if (list) list.push(env);
      else out.set(f, [env]);
    }
  }
  return out;
}
