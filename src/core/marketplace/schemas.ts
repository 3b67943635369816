/**
 * The marketplace API contract as zod schemas: the single source of the types that the
 * client parses, the reference server emits, and openapi.yaml documents (a test keeps
 * the three in step). Field names follow the design story in shared/seed so that the
 * story's own Python client works unchanged.
 */
import { z } from 'zod';
import { Osv } from '../advisories/osv.ts';
import { lazySchema } from '../lazy-schema.ts';

export const PLUGIN_TYPES = ['sink', 'processor', 'enricher', 'redactor', 'filter'] as const;
export const PluginType = lazySchema(() => z.enum(PLUGIN_TYPES));
export type PluginType = z.infer<typeof PluginType>;

/** ISO 8601 with an explicit offset (`+00:00`), which Python's datetime.fromisoformat reads on every version. */
export const Timestamp = lazySchema(() => z.iso.datetime({ offset: true }));

export const ReleaseFile = lazySchema(() =>
  z.object({
    filename: z.string().min(1),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'lowercase hex sha256'),
    size: z.number().int().nonnegative(),
    url: z.string().min(1),
  }),
);
export type ReleaseFile = z.infer<typeof ReleaseFile>;

/** GitHub's OIDC issuer, the default of every trusted publisher. */
export const GITHUB_OIDC_ISSUER = 'https://token.actions.githubusercontent.com';

export const NumericId = lazySchema(() => z.string().regex(/^[1-9][0-9]{0,19}$/, 'a numeric id (digits, as GitHub sends it)'));
/** Shown in terminals, logs and summaries: control characters are refused at the source. */
export const Line = lazySchema(() =>
  z
    .string()
    .max(1000)
    .regex(/^[^\u0000-\u001f\u007f]*$/, 'no control characters'),
);

/**
 * Who published a release, recorded by the marketplace at publish time. `trusted`: facts from a
 * verified OIDC token (repository ids, not just names, so a re-created repository shows up as
 * another publisher); `token`: the owner of the long-lived API token that was used.
 */
export const TrustedProvenance = lazySchema(() =>
  z.object({
    kind: z.literal('trusted'),
    issuer: Line,
    repository: Line,
    repository_id: NumericId,
    repository_owner_id: NumericId,
    /** `job_workflow_ref` (or `workflow_ref`): `owner/repo/.github/workflows/release.yml@refs/tags/v1.0.0`. */
    workflow_ref: Line,
    ref: Line,
    sha: Line,
    environment: Line.nullable(),
  }),
);
export type TrustedProvenance = z.infer<typeof TrustedProvenance>;
export const TokenProvenance = lazySchema(() => z.object({ kind: z.literal('token'), owner: Line }));
export type TokenProvenance = z.infer<typeof TokenProvenance>;
export const Provenance = lazySchema(() => z.discriminatedUnion('kind', [TrustedProvenance, TokenProvenance]));
export type Provenance = z.infer<typeof Provenance>;

/**
 * A release's fapilog range corrected after publishing by its owner or an admin (narrowed: it
 * admits nothing the files do not). `fapilog_compatibility` is then the corrected range, which
 * every answer uses; this says what the files declare, when, by whom and why.
 */
export const CompatibilityCorrection = lazySchema(() =>
  z.object({
    declared: z.string(),
    reason: Line,
    corrected_at: Timestamp,
    corrected_by: Line,
  }),
);
export type CompatibilityCorrection = z.infer<typeof CompatibilityCorrection>;

/** Body of `PUT /plugins/{name}/versions/{version}/compatibility`. */
export const CompatibilityRequest = lazySchema(() =>
  z.object({
    fapilog_compatibility: z.string().min(1).max(200),
    reason: Line.min(1),
  }),
);
export type CompatibilityRequest = z.infer<typeof CompatibilityRequest>;

/**
 * An advisory affecting a release, as the release carries it (the batch and versions answers):
 * what analysis and every renderer need without another request. The full record is at
 * `GET /advisories/{id}` and `GET /plugins/{name}/advisories`.
 */
export const ReleaseAdvisory = lazySchema(() => z.object({ id: z.string(), summary: Line, aliases: z.array(z.string()) }));
export type ReleaseAdvisory = z.infer<typeof ReleaseAdvisory>;

/** What names a release, first in a Release and in the Plugin that describes one. */
const RELEASE_NAME = { name: z.string(), package: z.string(), version: z.string() };

export const Release = lazySchema(() =>
  z.object({
    ...RELEASE_NAME,
    fapilog_compatibility: z.string(),
    requires_python: z.string().nullable(),
    dependencies: z.array(z.string()),
    yanked: z.boolean(),
    yanked_reason: z.string().nullable(),
    /** null: unknown (a package index that gives no PEP 700 upload time); a marketplace always says. */
    published_at: Timestamp.nullable(),
    readme: z.string(),
    files: z.array(ReleaseFile),
    /** null: published before the marketplace recorded publishers; absent from older servers. */
    provenance: Provenance.nullable().optional(),
    /** Set when the fapilog range was corrected after publishing (null: as declared; absent from older servers). */
    compatibility_correction: CompatibilityCorrection.nullable().optional(),
    /** Advisories that affect this release (withdrawn ones left out); absent from older servers and from package indexes. */
    advisories: z.array(ReleaseAdvisory).optional(),
  }),
);
export type Release = z.infer<typeof Release>;

export const DEPRECATION_STATES = ['deprecated', 'archived'] as const;
/**
 * A plugin its owner (or an admin) marked deprecated (maintained no more, perhaps replaced) or
 * archived (read-only: no further releases are accepted). Releases stay installable either way.
 */
export const Deprecation = lazySchema(() =>
  z.object({
    state: z.enum(DEPRECATION_STATES),
    reason: Line,
    /** A plugin to move to instead (its package name), if any. */
    replacement: z.string().nullable(),
    since: Timestamp,
  }),
);
export type Deprecation = z.infer<typeof Deprecation>;

/** Body of `PUT /plugins/{name}/deprecation`. */
export const DeprecationRequest = lazySchema(() =>
  z.object({
    state: z.enum(DEPRECATION_STATES).default('deprecated'),
    reason: Line.min(1),
    replacement: z.string().min(1).max(100).nullable().optional(),
  }),
);
export type DeprecationRequest = z.infer<typeof DeprecationRequest>;
export type DeprecationRequestInput = z.input<typeof DeprecationRequest>;

/** `GET /advisories` and `GET /plugins/{name}/advisories`: OSV records, newest modified first. */
export const AdvisoryList = lazySchema(() => z.object({ advisories: z.array(Osv) }));
export type AdvisoryList = z.infer<typeof AdvisoryList>;

export const ADVISORY_SAVE_STATUSES = ['created', 'updated', 'unchanged'] as const;
/**
 * Answer to `POST /advisories` (body: one OSV record): `unchanged` when the same record, or a newer
 * one (`modified`), is stored already; `plugins`: the marketplace's packages it names.
 */
export const AdvisorySaved = lazySchema(() =>
  z.object({ status: z.enum(ADVISORY_SAVE_STATUSES), plugins: z.array(z.string()), advisory: Osv }),
);
export type AdvisorySaved = z.infer<typeof AdvisorySaved>;

/** A plugin as the story's `MarketplacePlugin`, describing its newest non-yanked final release. */
export const Plugin = lazySchema(() =>
  z.object({
    ...RELEASE_NAME,
    description: z.string(),
    author: z.string(),
    plugin_type: PluginType,
    downloads: z.number().int().nonnegative(),
    rating: z.number().min(0).max(5),
    rating_count: z.number().int().nonnegative(),
    homepage: z.string().nullable(),
    repository: z.string().nullable(),
    license: z.string(),
    fapilog_compatibility: z.string(),
    /** The described release's correction, as on Release. */
    compatibility_correction: CompatibilityCorrection.nullable().optional(),
    dependencies: z.array(z.string()),
    /** null: unknown, as on Release. */
    published_at: Timestamp.nullable(),
    checksum: z.string().nullable(),
    /** Mirrored from an upstream package index by the marketplace (`serve --upstream`); absent from older servers and index sources. */
    mirrored: z.boolean().optional(),
    /** null: neither deprecated nor archived (absent from older servers and package indexes). */
    deprecation: Deprecation.nullable().optional(),
  }),
);
export type Plugin = z.infer<typeof Plugin>;

export const SORT_KEYS = ['downloads', 'rating', 'name', 'updated'] as const;
export const SortKey = lazySchema(() => z.enum(SORT_KEYS));
export type SortKey = z.infer<typeof SortKey>;
export const MAX_PER_PAGE = 100;

/** Query of `GET /plugins` and `GET /plugins/search`. */
export const ListQuery = lazySchema(() =>
  z.object({
    q: z.string().optional(),
    type: PluginType.optional(),
    author: z.string().optional(),
    min_rating: z.coerce.number().min(0).max(5).optional(),
    sort: SortKey.optional(),
    page: z.coerce.number().int().min(1).default(1),
    per_page: z.coerce.number().int().min(1).max(MAX_PER_PAGE).default(20),
  }),
);
export type ListQuery = z.infer<typeof ListQuery>;

export const SearchResult = lazySchema(() =>
  z.object({
    plugins: z.array(Plugin),
    total: z.number().int().nonnegative(),
    page: z.number().int().min(1),
    per_page: z.number().int().min(1),
  }),
);
export type SearchResult = z.infer<typeof SearchResult>;

export const VersionsResponse = lazySchema(() =>
  z.object({
    versions: z.array(z.string()),
    releases: z.array(Release),
  }),
);
export type VersionsResponse = z.infer<typeof VersionsResponse>;

export const DownloadInfo = lazySchema(() =>
  z.object({
    url: z.string().min(1),
    filename: z.string().min(1),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  }),
);
export type DownloadInfo = z.infer<typeof DownloadInfo>;

export const BatchEntry = lazySchema(() => z.object({ plugin: Plugin, releases: z.array(Release) }));
export type BatchEntry = z.infer<typeof BatchEntry>;
/** Keys are the names exactly as requested; unknown names map to null. */
export const BatchResponse = lazySchema(() => z.object({ plugins: z.record(z.string(), BatchEntry.nullable()) }));
export type BatchResponse = z.infer<typeof BatchResponse>;

/** A UTC calendar day. */
export const Day = lazySchema(() => z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'a UTC day, YYYY-MM-DD'));
export type Day = z.infer<typeof Day>;
/** Longest range `GET /plugins/{name}/stats` answers (the server keeps at least this much). */
export const MAX_STATS_DAYS = 366;
/** The range a stats request without `from` covers, ending at `to` (default today, UTC). */
export const DEFAULT_STATS_DAYS = 30;

/** Query of `GET /plugins/{name}/stats`: an inclusive range of UTC days. */
export const StatsQuery = lazySchema(() => z.object({ from: Day.optional(), to: Day.optional() }));
export type StatsQuery = z.infer<typeof StatsQuery>;

export const DayDownloads = lazySchema(() => z.object({ day: Day, downloads: z.number().int().nonnegative() }));
export type DayDownloads = z.infer<typeof DayDownloads>;

/**
 * Downloads of a plugin per release and per UTC day: every file fetched (by pip through the
 * simple index, or any client through `/files/...`) and every answered `.../download` call.
 */
export const PluginStats = lazySchema(() =>
  z.object({
    name: z.string(),
    package: z.string(),
    from: Day,
    to: Day,
    /** Downloads in the range, all releases. */
    total: z.number().int().nonnegative(),
    /** Every day of the range, oldest first, all releases summed (zero where there were none). */
    days: z.array(DayDownloads),
    /** Each release with downloads in the range (days without any left out), newest release first. */
    releases: z.array(z.object({ version: z.string(), total: z.number().int().nonnegative(), days: z.array(DayDownloads) })),
  }),
);
export type PluginStats = z.infer<typeof PluginStats>;

export const FapilogVersions = lazySchema(() => z.object({ versions: z.array(z.string()) }));
export type FapilogVersions = z.infer<typeof FapilogVersions>;

export const ErrorBody = lazySchema(() => z.object({ error: z.object({ code: z.string(), message: z.string() }) }));
export type ErrorBody = z.infer<typeof ErrorBody>;

/** The `metadata` part of a publish request (multipart), next to one part per file. */
export const PublishMetadata = lazySchema(() =>
  z.object({
    name: z.string().min(1),
    version: z.string().min(1),
    description: z.string().default(''),
    author: z.string().default('Unknown'),
    plugin_type: PluginType,
    license: z.string().default('Unknown'),
    homepage: z.string().nullable().default(null),
    repository: z.string().nullable().default(null),
    /**
     * The next three are read from the files (a wheel's METADATA); when given they must say the same,
     * else the publish is refused naming the field. Absent: taken from the files.
     */
    fapilog_compatibility: z.string().min(1).optional(),
    requires_python: z.string().nullable().optional(),
    dependencies: z.array(z.string()).optional(),
    readme: z.string().default(''),
    files: z.array(z.object({ filename: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/) })).min(1),
  }),
);
export type PublishMetadata = z.infer<typeof PublishMetadata>;
export type PublishMetadataInput = z.input<typeof PublishMetadata>;

export const PUBLISH_STATUSES = ['published', 'unchanged'] as const;
export const PublishResponse = lazySchema(() => Release.extend({ status: z.enum(PUBLISH_STATUSES) }));
export type PublishResponse = z.infer<typeof PublishResponse>;

export const YankRequest = lazySchema(() => z.object({ reason: z.string().min(1) }));
export type YankRequest = z.infer<typeof YankRequest>;

export const RatingRequest = lazySchema(() => z.object({ stars: z.number().int().min(1).max(5) }));
export type RatingRequest = z.infer<typeof RatingRequest>;
export const RatingResponse = lazySchema(() =>
  z.object({
    name: z.string(),
    rating: z.number().min(0).max(5),
    rating_count: z.number().int().nonnegative(),
  }),
);
export type RatingResponse = z.infer<typeof RatingResponse>;

/** PEP 691 JSON simple index, project page. */
export const SimpleProject = lazySchema(() =>
  z.object({
    meta: z.object({ 'api-version': z.string() }),
    name: z.string(),
    files: z.array(
      z.object({
        filename: z.string(),
        url: z.string(),
        hashes: z.object({ sha256: z.string() }),
        'requires-python': z.string().optional(),
        /** PEP 658/714: the wheel's METADATA is served at `<url>.metadata` with this hash. */
        'core-metadata': z.union([z.boolean(), z.object({ sha256: z.string() })]).optional(),
        'dist-info-metadata': z.union([z.boolean(), z.object({ sha256: z.string() })]).optional(),
        yanked: z.union([z.boolean(), z.string()]).optional(),
      }),
    ),
  }),
);
export type SimpleProject = z.infer<typeof SimpleProject>;

/** `GET /oidc/audience`: the `aud` an OIDC token must carry to be exchanged here. */
export const OidcAudience = lazySchema(() => z.object({ audience: z.string().min(1) }));
export type OidcAudience = z.infer<typeof OidcAudience>;

export const OidcTokenRequest = lazySchema(() => z.object({ token: z.string().min(1).max(16_384) }));
export type OidcTokenRequest = z.infer<typeof OidcTokenRequest>;

/** A short-lived publish token, valid for `plugins` only, until `expires_at`. */
export const OidcTokenResponse = lazySchema(() =>
  z.object({
    token: z.string().min(1),
    expires_at: Timestamp,
    expires_in: z.number().int().positive(),
    plugins: z.array(z.string()),
    publisher: TrustedProvenance,
  }),
);
export type OidcTokenResponse = z.infer<typeof OidcTokenResponse>;

/** A trusted publisher as registered (`pending`: for a name nobody has published yet). */
export const TrustedPublisherRequest = lazySchema(() =>
  z.object({
    issuer: z.url({ protocol: /^https?$/ }).optional(),
    repository: z.string().regex(/^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/, 'OWNER/NAME'),
    repository_id: z.union([z.number().int().positive().max(Number.MAX_SAFE_INTEGER), NumericId]).transform(String),
    repository_owner_id: z.union([z.number().int().positive().max(Number.MAX_SAFE_INTEGER), NumericId]).transform(String),
    workflow: z.string().regex(/^[A-Za-z0-9_.-]{1,200}\.ya?ml$/, 'a workflow file name in .github/workflows (release.yml)'),
    environment: z.string().min(1).max(255).nullable().optional(),
  }),
);
export type TrustedPublisherRequest = z.infer<typeof TrustedPublisherRequest>;
export type TrustedPublisherRequestInput = z.input<typeof TrustedPublisherRequest>;

export const TrustedPublisher = lazySchema(() =>
  z.object({
    id: z.number().int().positive(),
    package: z.string(),
    owner: z.string(),
    issuer: z.string(),
    repository: z.string(),
    repository_id: NumericId,
    repository_owner_id: NumericId,
    workflow: z.string(),
    environment: z.string().nullable(),
    pending: z.boolean(),
    created_at: Timestamp,
  }),
);
export type TrustedPublisher = z.infer<typeof TrustedPublisher>;
export const TrustedPublisherList = lazySchema(() => z.object({ publishers: z.array(TrustedPublisher) }));
export type TrustedPublisherList = z.infer<typeof TrustedPublisherList>;
