/**
 * A small GitHub on 127.0.0.1: the REST endpoints the bot uses, behind `/api/v3` as GitHub
 * Enterprise serves them (Probot talks to it through GHE_HOST / GHE_PROTOCOL). It keeps real git
 * objects (SHA-1 of blob/tree/commit), refs, pull requests, issues, comments and check runs,
 * checks the app's JWT (RS256, the key the test generated) and installation tokens, answers
 * conditional GETs with 304, behaves as GitHub does where it matters to the bot (a second open
 * pull request for the same head is 422, a ref that exists is 422), and records every request
 * so that tests can assert exactly what was asked.
 */
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, verify, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  /** Path without `/api/v3`, with the query string (`/repos/o/r/issues?state=open`). */
  path: string;
  status: number;
  body: any;
  /** Which installation's token was used (null: the app's JWT, or none). */
  installation: number | null;
}

interface Entry {
  mode: string;
  sha: string;
}

interface Commit {
  tree: string;
  parents: string[];
  message: string;
  author: string;
}

interface Repo {
  id: number;
  owner: string;
  name: string;
  defaultBranch: string;
  installation: number;
  blobs: Map<string, Buffer>;
  trees: Map<string, Map<string, Entry>>;
  commits: Map<string, Commit>;
  refs: Map<string, string>;
  issues: Issue[];
  comments: Array<{ id: number; issue: number; body: string; user: string }>;
  checkRuns: any[];
}

interface Issue {
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  user: string;
  labels: string[];
  assignees: string[];
  reviewers: string[];
  pull: null | { head: string; base: string; headSha: string; merged: boolean; baseSha: string };
}

export interface PeerOptions {
  appId?: number;
  slug?: string;
}

export type FileSpec = Record<string, string | Uint8Array | null>;

function gitSha(type: string, content: Buffer): string {
  return createHash('sha1').update(`${type} ${content.length}\0`).update(content).digest('hex');
}

class HttpError extends Error {
  status: number;
  headers: Record<string, string>;
  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}

export class GitHubPeer {
  readonly appId: number;
  readonly slug: string;
  readonly privateKey: string;
  readonly #publicKey: KeyObject;
  readonly requests: Recorded[] = [];
  readonly repos = new Map<string, Repo>();
  readonly installations = new Map<number, { id: number; account: string }>();
  readonly #tokens = new Map<string, number>();
  #server: http.Server | null = null;
  #nextId = 1000;
  #faults: Array<{ match: (method: string, path: string) => boolean; status: number; headers: Record<string, string>; message: string }> = [];
  url = '';
  /** Milliseconds each write is held before it is answered, so overlapping writes would show. */
  writeDelayMs = 0;
  /** Most writes the peer was answering at the same moment. */
  maxConcurrentWrites = 0;
  #writesInFlight = 0;

  constructor(opts: PeerOptions = {}) {
    this.appId = opts.appId ?? 4242;
    this.slug = opts.slug ?? 'fapilog-plugins';
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    this.#publicKey = createPublicKey(publicKey.export({ type: 'spki', format: 'pem' }));
  }

  get botLogin(): string {
    return `${this.slug}[bot]`;
  }

  /** host:port, for GHE_HOST. */
  get host(): string {
    return this.url.replace(/^http:\/\//, '');
  }

  async start(): Promise<void> {
    this.#server = http.createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.#server?.closeAllConnections();
      this.#server?.close(() => resolve());
    });
  }

  // ---- test set-up -------------------------------------------------------------------------

  addInstallation(account: string): number {
    const id = this.#nextId++;
    this.installations.set(id, { id, account });
    return id;
  }

  addRepo(installation: number, fullName: string, files: FileSpec, defaultBranch = 'main'): Repo {
    const [owner, name] = fullName.split('/') as [string, string];
    const repo: Repo = {
      id: this.#nextId++,
      owner,
      name,
      defaultBranch,
      installation,
      blobs: new Map(),
      trees: new Map(),
      commits: new Map(),
      refs: new Map(),
      issues: [],
      comments: [],
      checkRuns: [],
    };
    this.repos.set(fullName.toLowerCase(), repo);
    this.commitFiles(fullName, defaultBranch, files, 'initial commit', 'octocat');
    return repo;
  }

  repo(fullName: string): Repo {
    const r = this.repos.get(fullName.toLowerCase());
    if (!r) throw new Error(`no repo ${fullName}`);
    return r;
  }

  /** A person's commit: files set (or deleted with null) on top of the branch. */
  commitFiles(fullName: string, branch: string, files: FileSpec, message: string, author: string): string {
    const repo = this.repo(fullName);
    const parent = repo.refs.get(`refs/heads/${branch}`);
    const entries = new Map(parent ? repo.trees.get(repo.commits.get(parent)!.tree)! : []);
    for (const [p, content] of Object.entries(files)) {
      if (content === null) entries.delete(p);
      else entries.set(p, { mode: '100644', sha: this.#putBlob(repo, Buffer.from(content)) });
    }
    const tree = this.#putTree(repo, entries);
    const sha = this.#putCommit(repo, { tree, parents: parent ? [parent] : [], message, author });
    repo.refs.set(`refs/heads/${branch}`, sha);
    return sha;
  }

  /** The bytes of a file at a branch's head (null when absent). */
  file(fullName: string, branch: string, path: string): Buffer | null {
    const repo = this.repo(fullName);
    const head = repo.refs.get(`refs/heads/${branch}`);
    if (!head) return null;
    const entry = repo.trees.get(repo.commits.get(head)!.tree)!.get(path);
    return entry ? repo.blobs.get(entry.sha)! : null;
  }

  pulls(fullName: string, state?: 'open' | 'closed'): Issue[] {
    return this.repo(fullName).issues.filter((i) => i.pull && (state === undefined || i.state === state));
  }

  openIssues(fullName: string): Issue[] {
    return this.repo(fullName).issues.filter((i) => !i.pull && i.state === 'open');
  }

  /** A person closes a pull request without merging. */
  closePull(fullName: string, number: number): void {
    const pr = this.repo(fullName).issues.find((i) => i.number === number && i.pull);
    if (!pr) throw new Error(`no pull ${number}`);
    pr.state = 'closed';
  }

  /** A person merges: the base branch gets a merge commit with the head's tree. */
  mergePull(fullName: string, number: number): void {
    const repo = this.repo(fullName);
    const pr = repo.issues.find((i) => i.number === number && i.pull)!;
    const base = repo.refs.get(`refs/heads/${pr.pull!.base}`)!;
    const head = repo.refs.get(`refs/heads/${pr.pull!.head}`)!;
    const sha = this.#putCommit(repo, { tree: repo.commits.get(head)!.tree, parents: [base, head], message: `Merge #${number}`, author: 'octocat' });
    repo.refs.set(`refs/heads/${pr.pull!.base}`, sha);
    pr.state = 'closed';
    pr.pull!.merged = true;
  }

  /** The next request matching gets this error once (e.g. a secondary rate limit with Retry-After). */
  failOnce(match: (method: string, path: string) => boolean, status: number, message: string, headers: Record<string, string> = {}): void {
    this.#faults.push({ match, status, message, headers });
  }

  /** Requests since index `from`, as `METHOD /path?query` lines. */
  calls(from = 0): string[] {
    return this.requests.slice(from).map((r) => `${r.method} ${r.path}`);
  }

  writes(from = 0): string[] {
    return this.requests.slice(from).filter((r) => r.method !== 'GET' && !r.path.endsWith('/access_tokens')).map((r) => `${r.method} ${r.path}`);
  }

  // ---- git objects -------------------------------------------------------------------------

  #putBlob(repo: Repo, content: Buffer): string {
    const sha = gitSha('blob', content);
    repo.blobs.set(sha, content);
    return sha;
  }

  #putTree(repo: Repo, entries: Map<string, Entry>): string {
    // A flat tree (path -> entry) hashed in path order: enough to be content-addressed.
    const listing = [...entries].sort(([a], [b]) => (a < b ? -1 : 1)).map(([p, e]) => `${e.mode} ${p}\0${e.sha}`).join('\n');
    const sha = gitSha('tree', Buffer.from(listing));
    repo.trees.set(sha, new Map(entries));
    return sha;
  }

  #putCommit(repo: Repo, commit: Commit): string {
    const text = `tree ${commit.tree}\n${commit.parents.map((p) => `parent ${p}\n`).join('')}author ${commit.author}\n\n${commit.message}\n${this.#nextId++}`;
    const sha = gitSha('commit', Buffer.from(text));
    repo.commits.set(sha, commit);
    return sha;
  }

  // ---- HTTP --------------------------------------------------------------------------------

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://peer');
    const path = url.pathname.replace(/^\/api\/v3/, '') + url.search;
    const method = req.method ?? 'GET';
    const record: Recorded = { method, path, status: 0, body: raw ? JSON.parse(raw) : null, installation: null };
    this.requests.push(record);
    const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      const body = data === undefined ? '' : JSON.stringify(data);
      if (method === 'GET' && status === 200) {
        const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
        headers['etag'] = etag;
        if (req.headers['if-none-match'] === etag) {
          record.status = 304;
          res.writeHead(304, { etag });
          res.end();
          return;
        }
      }
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-ratelimit-remaining': '4999', 'x-ratelimit-limit': '5000', ...headers });
      res.end(body);
    };
    const write = method !== 'GET' && !path.endsWith('/access_tokens');
    if (write) {
      this.#writesInFlight += 1;
      this.maxConcurrentWrites = Math.max(this.maxConcurrentWrites, this.#writesInFlight);
      if (this.writeDelayMs > 0) await new Promise((r) => setTimeout(r, this.writeDelayMs));
      this.#writesInFlight -= 1;
    }
    try {
      const fault = this.#faults.findIndex((f) => f.match(method, path));
      if (fault >= 0) {
        const f = this.#faults.splice(fault, 1)[0]!;
        throw new HttpError(f.status, f.message, f.headers);
      }
      const auth = this.#authenticate(req.headers['authorization'] ?? '', record);
      const out = this.#route(method, url, record.body, auth);
      send(out.status, out.data);
    } catch (err) {
      if (err instanceof HttpError) send(err.status, { message: err.message, documentation_url: 'https://docs.github.com/rest' }, err.headers);
      else send(500, { message: (err as Error).stack });
    }
  }

  #authenticate(header: string, record: Recorded): { kind: 'app' } | { kind: 'installation'; id: number } {
    const [scheme, credential] = header.split(' ');
    if (!credential) throw new HttpError(401, 'Requires authentication');
    if (scheme?.toLowerCase() === 'bearer' && credential.split('.').length === 3) {
      const [h, p, s] = credential.split('.') as [string, string, string];
      const ok = verify('RSA-SHA256', Buffer.from(`${h}.${p}`), this.#publicKey, Buffer.from(s, 'base64url'));
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as { iss: number | string; exp: number };
      if (!ok || String(claims.iss) !== String(this.appId) || claims.exp * 1000 < Date.now()) throw new HttpError(401, 'A JSON web token could not be decoded');
      return { kind: 'app' };
    }
    const id = this.#tokens.get(credential);
    if (id === undefined) throw new HttpError(401, 'Bad credentials');
    record.installation = id;
    return { kind: 'installation', id };
  }

  #route(method: string, url: URL, body: any, auth: { kind: 'app' } | { kind: 'installation'; id: number }): { status: number; data: unknown } {
    const p = url.pathname.replace(/^\/api\/v3/, '');
    const q = url.searchParams;
    let m: RegExpExecArray | null;
    const app = () => {
      if (auth.kind !== 'app') throw new HttpError(401, 'A JSON web token is required');
    };

    if (method === 'GET' && p === '/app') {
      app();
      return { status: 200, data: { id: this.appId, slug: this.slug, name: 'fapilog plugins', owner: { login: 'fapilog' } } };
    }
    if (method === 'GET' && p === '/app/installations') {
      app();
      return { status: 200, data: [...this.installations.values()].map((i) => ({ id: i.id, app_id: this.appId, account: { login: i.account, type: 'Organization' }, suspended_at: null, target_type: 'Organization' })) };
    }
    if (method === 'POST' && (m = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(p))) {
      app();
      const id = Number(m[1]);
      if (!this.installations.has(id)) throw new HttpError(404, 'Not Found');
      const token = `ghs_${randomBytes(12).toString('hex')}`;
      this.#tokens.set(token, id);
      return { status: 201, data: { token, expires_at: new Date(Date.now() + 3600_000).toISOString(), permissions: {}, repository_selection: 'all' } };
    }
    if (auth.kind !== 'installation') throw new HttpError(403, 'Resource not accessible by integration');
    if (method === 'GET' && p === '/installation/repositories') {
      const repos = [...this.repos.values()].filter((r) => r.installation === auth.id);
      return { status: 200, data: { total_count: repos.length, repositories: repos.map((r) => this.#repoJson(r)) } };
    }
    if (!(m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(p))) throw new HttpError(404, 'Not Found');
    const repo = this.repos.get(`${m[1]}/${m[2]}`.toLowerCase());
    if (!repo || repo.installation !== auth.id) throw new HttpError(404, 'Not Found');
    const rest = m[3] ?? '';
    return this.#repoRoute(repo, method, rest, q, body);
  }

  #repoJson(r: Repo) {
    return { id: r.id, name: r.name, full_name: `${r.owner}/${r.name}`, owner: { login: r.owner }, default_branch: r.defaultBranch, archived: false, disabled: false, private: false };
  }

  #issueJson(repo: Repo, i: Issue) {
    const base = {
      number: i.number,
      title: i.title,
      body: i.body,
      state: i.state,
      user: { login: i.user, type: i.user.endsWith('[bot]') ? 'Bot' : 'User' },
      labels: i.labels.map((name) => ({ name })),
      assignees: i.assignees.map((login) => ({ login })),
    };
    return i.pull ? { ...base, pull_request: { url: `/repos/${repo.owner}/${repo.name}/pulls/${i.number}` } } : base;
  }

  #pullJson(repo: Repo, i: Issue) {
    const pr = i.pull!;
    return {
      ...this.#issueJson(repo, i),
      pull_request: undefined,
      merged_at: pr.merged ? new Date().toISOString() : null,
      head: { ref: pr.head, sha: repo.refs.get(`refs/heads/${pr.head}`) ?? pr.headSha, repo: { full_name: `${repo.owner}/${repo.name}` } },
      base: { ref: pr.base, sha: repo.refs.get(`refs/heads/${pr.base}`) },
      requested_reviewers: i.reviewers.map((login) => ({ login })),
    };
  }

  #repoRoute(repo: Repo, method: string, rest: string, q: URLSearchParams, body: any): { status: number; data: unknown } {
    let m: RegExpExecArray | null;
    const bot = this.botLogin;
    if (method === 'GET' && rest === '') return { status: 200, data: this.#repoJson(repo) };

    // git data
    if (method === 'GET' && (m = /^\/git\/ref\/(.+)$/.exec(rest))) {
      if (repo.refs.size === 0) throw new HttpError(409, 'Git Repository is empty.');
      const ref = `refs/${decodeURIComponent(m[1]!)}`;
      const sha = repo.refs.get(ref);
      if (!sha) throw new HttpError(404, 'Not Found');
      return { status: 200, data: { ref, object: { sha, type: 'commit' } } };
    }
    if (method === 'GET' && (m = /^\/git\/matching-refs\/(.+)$/.exec(rest))) {
      const prefix = `refs/${decodeURIComponent(m[1]!)}`;
      const refs = [...repo.refs].filter(([r]) => r.startsWith(prefix)).sort(([a], [b]) => (a < b ? -1 : 1));
      return { status: 200, data: refs.map(([ref, sha]) => ({ ref, object: { sha, type: 'commit' } })) };
    }
    if (method === 'GET' && (m = /^\/git\/trees\/([^/]+)$/.exec(rest))) {
      const sha = decodeURIComponent(m[1]!);
      const treeSha = repo.commits.get(sha)?.tree ?? (repo.trees.has(sha) ? sha : repo.commits.get(repo.refs.get(`refs/heads/${sha}`) ?? '')?.tree);
      const tree = treeSha ? repo.trees.get(treeSha) : undefined;
      if (!tree || q.get('recursive') !== '1') throw new HttpError(404, 'Not Found');
      const dirs = new Set<string>();
      for (const path of tree.keys()) {
        const parts = path.split('/');
        for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
      }
      const entries = [
        ...[...dirs].map((d) => ({ path: d, mode: '040000', type: 'tree', sha: gitSha('tree', Buffer.from(d)) })),
        ...[...tree].map(([path, e]) => ({ path, mode: e.mode, type: 'blob', sha: e.sha, size: repo.blobs.get(e.sha)!.length })),
      ].sort((a, b) => (a.path < b.path ? -1 : 1));
      return { status: 200, data: { sha: treeSha, truncated: false, tree: entries } };
    }
    if (method === 'GET' && (m = /^\/git\/blobs\/([0-9a-f]{40})$/.exec(rest))) {
      const blob = repo.blobs.get(m[1]!);
      if (!blob) throw new HttpError(404, 'Not Found');
      return { status: 200, data: { sha: m[1], size: blob.length, encoding: 'base64', content: blob.toString('base64').replace(/(.{60})/g, '$1\n') } };
    }
    if (method === 'POST' && rest === '/git/blobs') {
      const content = body.encoding === 'base64' ? Buffer.from(body.content, 'base64') : Buffer.from(body.content, 'utf8');
      return { status: 201, data: { sha: this.#putBlob(repo, content) } };
    }
    if (method === 'POST' && rest === '/git/trees') {
      const base = body.base_tree ? repo.trees.get(body.base_tree) : new Map<string, Entry>();
      if (!base) throw new HttpError(422, 'Invalid tree info');
      const entries = new Map(base);
      for (const e of body.tree as Array<{ path: string; mode: string; sha?: string | null; content?: string }>) {
        if (e.content !== undefined) entries.set(e.path, { mode: e.mode, sha: this.#putBlob(repo, Buffer.from(e.content, 'utf8')) });
        else if (e.sha === null) entries.delete(e.path);
        else if (e.sha && repo.blobs.has(e.sha)) entries.set(e.path, { mode: e.mode, sha: e.sha });
        else throw new HttpError(422, 'tree.sha is not a valid blob');
      }
      return { status: 201, data: { sha: this.#putTree(repo, entries) } };
    }
    if (method === 'POST' && rest === '/git/commits') {
      if (!repo.trees.has(body.tree) || !(body.parents as string[]).every((p) => repo.commits.has(p))) throw new HttpError(422, 'Invalid tree or parents');
      return { status: 201, data: { sha: this.#putCommit(repo, { tree: body.tree, parents: body.parents, message: body.message, author: bot }) } };
    }
    if (method === 'POST' && rest === '/git/refs') {
      if (repo.refs.has(body.ref)) throw new HttpError(422, 'Reference already exists');
      if (!repo.commits.has(body.sha)) throw new HttpError(422, 'Object does not exist');
      repo.refs.set(body.ref, body.sha);
      return { status: 201, data: { ref: body.ref, object: { sha: body.sha } } };
    }
    if (method === 'PATCH' && (m = /^\/git\/refs\/(.+)$/.exec(rest))) {
      const ref = `refs/${decodeURIComponent(m[1]!)}`;
      if (!repo.refs.has(ref)) throw new HttpError(422, 'Reference does not exist');
      if (!body.force && !this.#isAncestor(repo, repo.refs.get(ref)!, body.sha)) throw new HttpError(422, 'Update is not a fast forward');
      repo.refs.set(ref, body.sha);
      return { status: 200, data: { ref, object: { sha: body.sha } } };
    }
    if (method === 'DELETE' && (m = /^\/git\/refs\/(.+)$/.exec(rest))) {
      const ref = `refs/${decodeURIComponent(m[1]!)}`;
      if (!repo.refs.delete(ref)) throw new HttpError(422, 'Reference does not exist');
      return { status: 204, data: undefined };
    }

    // issues and pull requests
    if (method === 'GET' && rest === '/issues') {
      const state = q.get('state') ?? 'open';
      const creator = q.get('creator');
      const list = repo.issues.filter((i) => (state === 'all' || i.state === state) && (!creator || i.user === creator)).sort((a, b) => b.number - a.number);
      return { status: 200, data: list.map((i) => this.#issueJson(repo, i)) };
    }
    if (method === 'POST' && rest === '/issues') {
      const issue: Issue = { number: repo.issues.length + 1, title: body.title, body: body.body ?? null, state: 'open', user: bot, labels: [], assignees: [], reviewers: [], pull: null };
      repo.issues.push(issue);
      return { status: 201, data: this.#issueJson(repo, issue) };
    }
    if ((m = /^\/issues\/(\d+)(\/comments)?$/.exec(rest))) {
      const issue = repo.issues.find((i) => i.number === Number(m![1]));
      if (!issue) throw new HttpError(404, 'Not Found');
      if (method === 'PATCH' && !m[2]) {
        if (body.title !== undefined) issue.title = body.title;
        if (body.body !== undefined) issue.body = body.body;
        if (body.state !== undefined) issue.state = body.state;
        if (body.labels !== undefined) issue.labels = body.labels;
        if (body.assignees !== undefined) issue.assignees = body.assignees;
        return { status: 200, data: this.#issueJson(repo, issue) };
      }
      if (method === 'POST' && m[2]) {
        const comment = { id: this.#nextId++, issue: issue.number, body: body.body, user: bot };
        repo.comments.push(comment);
        return { status: 201, data: { id: comment.id, body: comment.body } };
      }
      if (method === 'GET' && m[2]) return { status: 200, data: repo.comments.filter((c) => c.issue === issue.number).map((c) => ({ id: c.id, body: c.body, user: { login: c.user } })) };
    }
    if (method === 'GET' && rest === '/pulls') {
      const state = q.get('state') ?? 'open';
      const head = q.get('head');
      const list = repo.issues.filter((i) => i.pull && (state === 'all' || i.state === state) && (!head || `${repo.owner}:${i.pull.head}` === head));
      return { status: 200, data: list.map((i) => this.#pullJson(repo, i)) };
    }
    if (method === 'POST' && rest === '/pulls') {
      const headSha = repo.refs.get(`refs/heads/${body.head}`);
      if (!headSha) throw new HttpError(422, 'Validation Failed: head does not exist');
      if (repo.issues.some((i) => i.pull && i.state === 'open' && i.pull.head === body.head)) {
        throw new HttpError(422, `Validation Failed: A pull request already exists for ${repo.owner}:${body.head}.`);
      }
      const issue: Issue = {
        number: repo.issues.length + 1,
        title: body.title,
        body: body.body ?? null,
        state: 'open',
        user: bot,
        labels: [],
        assignees: [],
        reviewers: [],
        pull: { head: body.head, base: body.base, headSha, merged: false, baseSha: repo.refs.get(`refs/heads/${body.base}`)! },
      };
      repo.issues.push(issue);
      return { status: 201, data: this.#pullJson(repo, issue) };
    }
    if ((m = /^\/pulls\/(\d+)(\/files|\/requested_reviewers)?$/.exec(rest))) {
      const pr = repo.issues.find((i) => i.number === Number(m![1]) && i.pull);
      if (!pr) throw new HttpError(404, 'Not Found');
      if (method === 'PATCH' && !m[2]) {
        if (body.title !== undefined) pr.title = body.title;
        if (body.body !== undefined) pr.body = body.body;
        if (body.state !== undefined) pr.state = body.state;
        return { status: 200, data: this.#pullJson(repo, pr) };
      }
      if (method === 'GET' && !m[2]) return { status: 200, data: this.#pullJson(repo, pr) };
      if (method === 'GET' && m[2] === '/files') {
        const tree = (sha: string | undefined) => (sha ? repo.trees.get(repo.commits.get(sha)!.tree)! : new Map<string, Entry>());
        const head = tree(repo.refs.get(`refs/heads/${pr.pull!.head}`) ?? pr.pull!.headSha);
        const base = tree(pr.pull!.baseSha);
        const names = new Set([...head.keys(), ...base.keys()]);
        const files = [...names].filter((n) => head.get(n)?.sha !== base.get(n)?.sha).sort().map((filename) => ({ filename, status: !base.has(filename) ? 'added' : !head.has(filename) ? 'removed' : 'modified' }));
        return { status: 200, data: files };
      }
      if (method === 'POST' && m[2] === '/requested_reviewers') {
        pr.reviewers.push(...(body.reviewers ?? []), ...(body.team_reviewers ?? []));
        return { status: 201, data: this.#pullJson(repo, pr) };
      }
    }
    if (method === 'POST' && rest === '/check-runs') {
      const run = { id: this.#nextId++, ...body };
      repo.checkRuns.push(run);
      return { status: 201, data: run };
    }
    throw new HttpError(404, `Not Found (${method} ${rest})`);
  }

  /** A person opens a pull request from a branch they pushed (for check-run tests). */
  openPullAsPerson(fullName: string, head: string, title: string, user = 'octocat'): Issue {
    const repo = this.repo(fullName);
    const issue: Issue = {
      number: repo.issues.length + 1,
      title,
      body: '',
      state: 'open',
      user,
      labels: [],
      assignees: [],
      reviewers: [],
      pull: { head, base: repo.defaultBranch, headSha: repo.refs.get(`refs/heads/${head}`)!, merged: false, baseSha: repo.refs.get(`refs/heads/${repo.defaultBranch}`)! },
    };
    repo.issues.push(issue);
    return issue;
  }

  #isAncestor(repo: Repo, ancestor: string, of: string): boolean {
    const seen = new Set<string>();
    const stack = [of];
    while (stack.length > 0) {
      const sha = stack.pop()!;
      if (sha === ancestor) return true;
      if (seen.has(sha)) continue;
      seen.add(sha);
      stack.push(...(repo.commits.get(sha)?.parents ?? []));
    }
    return false;
  }
}
