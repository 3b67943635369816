/**
 * The marketplace as a mirror of an upstream Python package index (`serve --upstream URL`): the
 * projects whose names start with the prefix are read through the index client of
 * src/core/index/ (PEP 691 JSON or PEP 503 HTML, PEP 658/714 metadata, else the wheel's METADATA)
 * and stored as plugins marked `mirrored_from`, beside the local ones, so /simple/, the API and the
 * web pages serve them like any other plugin.
 *
 * Files are fetched ahead, when a release is first seen: each one a bounded download checked
 * against the sha256 the upstream lists, then kept, so pip never waits on the upstream and an
 * upstream outage loses nothing already mirrored. Releases are immutable: a refresh adds new ones
 * and follows yanks (PEP 592 allows un-yanking); one removed upstream stays here.
 *
 * The dependency-confusion guard: an upstream project never shadows a local plugin of the same
 * name. The local one wins and a warning says so; the store decides it inside its write lock
 * (Store.publish), so a plugin published locally while a sync runs still wins. Several instances
 * sharing one PostgreSQL: one syncs at a time (an advisory lock), and every write is idempotent
 * besides (a release stored twice is `unchanged`).
 */
import { MemoryMetadataCache } from '../src/core/marketplace/cache.ts';
import type { Plugin, Release } from '../src/core/marketplace/schemas.ts';
import { splitCredentials } from '../src/core/marketplace/errors.ts';
import { isPluginPackage, normalizeName, PACKAGE_PREFIX } from '../src/core/names.ts';
import { NO_SHA256 } from '../src/core/index/releases.ts';
import type { IndexClient } from '../src/core/index/client.ts';
import { HttpError } from './errors.ts';
import type { Store } from './store/index.ts';
import type { NewRelease } from './store/types.ts';
import { canonicalVersion, checkReleaseFilename, sameVersion, specifierProblem } from './validation.ts';

/** Who owns mirrored plugins: not a name `admin token create --owner` accepts, so no token acts as it. */
export const MIRROR_OWNER = '(upstream mirror)';

export const UPSTREAM_DEFAULTS = {
  /** Minutes between refreshes (0: only at start and on `admin upstream sync`). */
  intervalMinutes: 60,
  /** Projects ingested per sync, in name order; the rest are named in the report. */
  maxProjects: 200,
  /** Releases ingested per project per sync (the newest first); older ones follow on later syncs. */
  maxReleases: 50,
  /** One distribution file's bytes. */
  maxFileBytes: 64 * 1024 * 1024,
  /** One project's whole ingest (its pages, metadata and files); past it the project fails, the others go on. */
  projectDeadlineMs: 5 * 60_000,
} as const;

export interface UpstreamOptions {
  /** The upstream index's simple API base URL (user:password@ allowed, never shown). */
  url: string;
  /** Normalised project-name prefix, `fapilog-` or longer. */
  prefix: string;
  intervalMinutes?: number;
  maxProjects?: number;
  maxReleases?: number;
  maxFileBytes?: number;
  projectDeadlineMs?: number;
  /** Per request attempt (default the index client's 30 s). */
  timeoutMs?: number;
}

export interface SyncReport {
  /** The upstream URL without credentials. */
  upstream: string;
  /** Matching projects on the upstream. */
  projects: number;
  /** Projects whose new releases were stored, with how many. */
  added: Array<{ package: string; releases: number }>;
  /** Releases whose yank state followed the upstream. */
  yanks: number;
  /** The dependency-confusion guard: upstream projects not mirrored because a local plugin has the name. */
  shadowed: string[];
  failed: Array<{ package: string; error: string }>;
  /** Matching projects beyond maxProjects, left for an operator to raise the cap. */
  leftOut: number;
  /** Another instance was syncing (PostgreSQL): this one did nothing. */
  busy?: boolean;
  /** Warning lines, as logged. */
  warnings: string[];
}

/** Checks `--upstream` and `--upstream-prefix`; a bad value is one clear line. */
export function parseUpstream(url: string, prefix = PACKAGE_PREFIX): { url: string; prefix: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`--upstream must be an http(s) URL of a package index's simple API (got ${JSON.stringify(url.slice(0, 200))})`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`--upstream must be an http(s) URL of a package index's simple API (got ${parsed.protocol})`);
  }
  const p = normalizeName(prefix);
  // The marketplace serves plugin packages only: every mirrored name must be one.
  if (!p.startsWith(PACKAGE_PREFIX) || !/^[a-z0-9-]+$/.test(p)) {
    throw new Error(`--upstream-prefix must start with ${PACKAGE_PREFIX} (got ${JSON.stringify(prefix.slice(0, 100))})`);
  }
  return { url: parsed.toString(), prefix: p };
}

/** Syncs the store with the upstream: at start, every interval, and on `admin upstream sync`. */
export class UpstreamMirror {
  readonly opts: UpstreamOptions;
  readonly #store: Store;
  readonly #log: (line: string) => void;
  /** Kept across syncs: ETags revalidate project pages, and release metadata is fetched once. */
  readonly #cache = new MemoryMetadataCache({ maxEntries: 20_000 });
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<SyncReport> | null = null;
  #closed = false;

  constructor(store: Store, opts: UpstreamOptions, log: (line: string) => void = () => undefined) {
    this.opts = { ...opts, ...parseUpstream(opts.url, opts.prefix) };
    this.#store = store;
    this.#log = log;
  }

  /** The first sync now (in the background: the server answers meanwhile), then one every interval. */
  start(): void {
    const run = () => {
      if (this.#closed) return;
      this.sync().catch((err: unknown) => this.#log(`upstream: sync failed: ${message(err)}`));
    };
    run();
    const minutes = this.opts.intervalMinutes ?? UPSTREAM_DEFAULTS.intervalMinutes;
    if (minutes > 0) {
      this.#timer = setInterval(run, minutes * 60_000);
      this.#timer.unref();
    }
  }

  /** Stops refreshing and waits for a sync in progress. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    await this.#running?.catch(() => undefined);
  }

  /** One sync; a call while one runs joins it. */
  sync(): Promise<SyncReport> {
    if (!this.#running) {
      this.#running = this.#exclusive().finally(() => {
        this.#running = null;
      });
    }
    return this.#running;
  }

  /** With PostgreSQL, instances sharing the database take turns: one that finds the lock held skips this round. */
  async #exclusive(): Promise<SyncReport> {
    const pg = this.#store.postgres;
    if (!pg) return this.#syncAll();
    return pg.withClient(async (client) => {
      const got = (await client.query("SELECT pg_try_advisory_lock(hashtext('fapilog-upstream-sync')) AS ok")).rows[0] as { ok: boolean };
      if (!got.ok) return { ...emptyReport(this.#upstream()), busy: true };
      try {
        return await this.#syncAll();
      } finally {
        await client.query("SELECT pg_advisory_unlock(hashtext('fapilog-upstream-sync'))").catch(() => undefined);
      }
    });
  }

  #upstream(): string {
    return splitCredentials(this.opts.url).url;
  }

  async #syncAll(): Promise<SyncReport> {
    const report = emptyReport(this.#upstream());
    const warn = (line: string) => {
      report.warnings.push(line);
      this.#log(`upstream: warning: ${line}`);
    };
    const { IndexClient } = await import('../src/core/index/client.ts');
    // A client per sync: its in-process memo is fresh, the shared cache revalidates with ETags.
    const client = new IndexClient(
      { url: this.opts.url, cacheMode: 'online' },
      {
        cache: this.#cache,
        retries: 1,
        ...(this.opts.timeoutMs !== undefined ? { timeoutMs: this.opts.timeoutMs } : {}),
        warn: (m) => this.#log(`upstream: ${m}`),
      },
    );
    const names = (await client.projectNames()).filter((n) => n.startsWith(this.opts.prefix) && isPluginPackage(n));
    const cap = this.opts.maxProjects ?? UPSTREAM_DEFAULTS.maxProjects;
    report.projects = names.length;
    report.leftOut = Math.max(0, names.length - cap);
    if (report.leftOut > 0)
      warn(`${report.leftOut} of ${names.length} upstream projects left out (the cap is ${cap} per sync: --upstream-max-projects)`);
    for (const pkg of names.slice(0, cap)) {
      if (this.#closed) break;
      try {
        const outcome = await deadline(
          this.#syncProject(client, pkg),
          this.opts.projectDeadlineMs ?? UPSTREAM_DEFAULTS.projectDeadlineMs,
          `${pkg}: not done within the project deadline`,
        );
        if (outcome === 'shadowed') {
          report.shadowed.push(pkg);
          warn(
            `${pkg} is a local plugin here; the upstream project of the same name on ${report.upstream} is not mirrored` +
              ' (the local one wins)',
          );
        } else {
          if (outcome.added > 0) report.added.push({ package: pkg, releases: outcome.added });
          report.yanks += outcome.yanks;
        }
      } catch (err) {
        // One failing upstream project never stops the others.
        report.failed.push({ package: pkg, error: message(err) });
        warn(`${pkg} was not synced: ${message(err)}`);
      }
    }
    this.#log(`upstream: ${summaryLine(report)}`);
    return report;
  }

  async #syncProject(client: IndexClient, pkg: string): Promise<'shadowed' | { added: number; yanks: number }> {
    const local = await this.#store.pluginRow(pkg);
    if (local && local.mirrored_from === null) return 'shadowed';
    const [plugin, versions] = await Promise.all([client.getPlugin(pkg), client.versions(pkg)]);
    // Gone upstream (or no release it can read): what was mirrored stays.
    if (!plugin || !versions) return { added: 0, yanks: 0 };
    const have = (await this.#store.record(pkg))?.releases.map((r) => r.row.version) ?? [];
    const fresh = versions.releases
      .filter((r) => !have.some((v) => sameVersion(v, r.version)))
      .slice(-(this.opts.maxReleases ?? UPSTREAM_DEFAULTS.maxReleases));
    let added = 0;
    for (const release of fresh) {
      if (this.#closed) break;
      const rel = await this.#newRelease(client, plugin, release);
      try {
        if ((await this.#store.publish(MIRROR_OWNER, rel)).status === 'published') added++;
      } catch (err) {
        if (err instanceof HttpError && err.code === 'local_plugin') return 'shadowed';
        // Another instance or process stored it first.
        if (err instanceof HttpError && err.status === 409) continue;
        throw err;
      }
    }
    const yanks = await this.#store.mirrorYanks(
      pkg,
      versions.releases.map((r) => ({ version: r.version, yanked: r.yanked, reason: r.yanked_reason })),
    );
    return { added, yanks };
  }

  /**
   * A release as the store takes it, its files downloaded and checked; an upstream value the
   * marketplace would refuse is an error naming it.
   */
  async #newRelease(client: IndexClient, plugin: Plugin, release: Release): Promise<NewRelease> {
    const version = canonicalVersion(release.version);
    const compat = release.fapilog_compatibility;
    if (compat !== '' && specifierProblem(compat))
      throw new Error(`${release.version}: Requires-Dist fapilog: ${specifierProblem(compat)}`);
    const maxBytes = this.opts.maxFileBytes ?? UPSTREAM_DEFAULTS.maxFileBytes;
    const files: NewRelease['files'] = [];
    for (const f of release.files) {
      checkReleaseFilename(f.filename, plugin.package, version);
      const data = await client.fileBytes({ filename: f.filename, url: f.url, sha256: f.sha256 === NO_SHA256 ? null : f.sha256 }, maxBytes);
      files.push({ filename: f.filename, sha256: f.sha256, data });
    }
    return {
      package: plugin.package,
      version,
      description: plugin.description,
      author: plugin.author,
      plugin_type: plugin.plugin_type,
      license: plugin.license,
      homepage: plugin.homepage,
      repository: plugin.repository,
      fapilog_compatibility: compat,
      requires_python: release.requires_python,
      dependencies: release.dependencies,
      readme: `# ${plugin.package}\n\n${plugin.description}\n\nMirrored from ${this.#upstream()}.\n`,
      ...(release.published_at ? { published_at: release.published_at } : {}),
      ...(release.yanked && release.yanked_reason ? { yanked_reason: release.yanked_reason } : {}),
      files,
      mirrored_from: this.#upstream(),
    };
  }
}

/** One line: what a sync did (the server's log, `admin upstream sync`). */
export function summaryLine(r: SyncReport): string {
  const added = r.added.reduce((n, a) => n + a.releases, 0);
  return (
    `synced ${r.upstream}: ${r.projects - r.leftOut} projects, ${added} new releases, ${r.yanks} yank changes, ` +
    `${r.shadowed.length} left to local plugins, ${r.failed.length} failed`
  );
}

function emptyReport(upstream: string): SyncReport {
  return { upstream, projects: 0, added: [], yanks: 0, shadowed: [], failed: [], leftOut: 0, warnings: [] };
}

function message(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 300);
}

function deadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  work.catch(() => undefined);
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(what)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
