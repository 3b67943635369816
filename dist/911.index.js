export const id = 911;
export const ids = [911];
export const modules = {

/***/ 3911:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  publishToGitHub: () => (/* binding */ publishToGitHub)
});

// UNUSED EXPORTS: keepComment, keepDashboard

// EXTERNAL MODULE: ./node_modules/@actions/github/lib/github.js + 22 modules
var github = __webpack_require__(2413);
// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 9 modules
var schemas = __webpack_require__(7597);
// EXTERNAL MODULE: ./.tmp/bundle-lib/src/core/render/github-limits.js
var github_limits = __webpack_require__(8734);
;// CONCATENATED MODULE: ./.tmp/bundle-lib/src/action/comment.js
/**
 * The report where people read it on GitHub, without @actions/*: the body of the sticky pull
 * request comment and of the dashboard issue, each carrying a hidden marker (one per project
 * `path`, so two steps on two projects keep two comments), capped to GitHub's 65,536 characters
 * (github-limits.ts, as the job summary is).
 * github.ts finds, writes and deletes them; everything it decides is here, as plain functions.
 */


const cutNote = () => `> [!NOTE]\n> Cut at ${github_limits/* GITHUB_LIMITS */.f_.commentChars.toLocaleString('en-US')} characters, GitHub's limit: ` +
    'the full report is in the job summary and the `report` output.';
/** The hidden line that finds our comment or issue again; the path is escaped to stay one comment. */
function marker(surface, projectPath) {
    const safe = projectPath.replace(/--/g, '-\u200b-').replace(/[<>\r\n]/g, '_');
    return `<!-- fapilog-plugins:${surface} path=${safe} -->`;
}
function hasMarker(body, surface, projectPath) {
    return (body ?? '').startsWith(marker(surface, projectPath));
}
/** The dashboard issue's title: one per project path. */
function dashboardTitle(projectPath) {
    const p = projectPath.replace(/^\.\/?$/, '');
    return p ? `fapilog plugins (${p.replace(/[\r\n]/g, ' ')})` : 'fapilog plugins';
}
/** A comment or issue body: the marker line, the report, capped. */
function githubBody(surface, projectPath, summaryMarkdown, footer = '') {
    const head = `${marker(surface, projectPath)}\n`;
    return head + (0,github_limits/* fitMarkdown */.DJ)(`${summaryMarkdown.trimEnd()}\n${footer}`, { maxChars: github_limits/* GITHUB_LIMITS */.f_.commentChars - head.length }, cutNote);
}
/** The part of the workflow's event payload the Action reads (parsed, as every external payload is). */
const EventPayload = schemas/* object */.Ikc({
    pull_request: schemas/* object */.Ikc({ number: schemas/* number */.aig().int().positive() }).optional(),
});
const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target'];
/**
 * What to do on GitHub for this run: the comment on pull request events (kept while the report
 * has problems, deleted when clean), the dashboard on every other event (a schedule, a manual run).
 */
function planGitHub(opts) {
    const skipped = [];
    const isPull = PULL_REQUEST_EVENTS.includes(opts.eventName);
    let comment = null;
    if (opts.comment) {
        const parsed = EventPayload.safeParse(opts.payload);
        if (!isPull)
            skipped.push(`comment: the ${opts.eventName || 'unknown'} event has no pull request to comment on`);
        else if (!parsed.success || !parsed.data.pull_request)
            skipped.push(`comment: the ${opts.eventName} event payload names no pull request (pull_request.number)`);
        else
            comment = { pull: parsed.data.pull_request.number, keep: opts.hasProblems };
    }
    const dashboard = opts.dashboard && !isPull;
    if (opts.dashboard && isPull)
        skipped.push('dashboard: kept by scheduled or manual runs, not by pull requests');
    return { comment, dashboard, skipped };
}

;// CONCATENATED MODULE: ./.tmp/bundle-lib/src/action/github.js
/**
 * The Action's writes to GitHub (@actions/github, loaded only when `comment` or `dashboard` is on):
 * the sticky pull request comment, created once, edited in place, deleted once the report is
 * clean; and the dashboard issue, created once and kept current. What to write is comment.ts's.
 */


/** Most pages of 100 read to find our comment or issue: the cost of a run stays bounded. */
const MAX_PAGES = 10;
async function findOwn(octokit, route, params, match) {
    let page = 0;
    for await (const response of octokit.paginate.iterator(route, { ...params, per_page: 100 })) {
        const found = response.data.find(match);
        if (found)
            return found;
        if (++page >= MAX_PAGES)
            break;
    }
    return undefined;
}
async function keepComment(octokit, repo, plan, projectPath, summary, log) {
    const existing = await findOwn(octokit, 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...repo, issue_number: plan.pull }, (c) => hasMarker(c.body, 'comment', projectPath));
    if (!plan.keep) {
        if (existing) {
            await octokit.request('DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}', { ...repo, comment_id: existing.id });
            log.info(`comment: the report is clean, deleted comment ${existing.id} on #${plan.pull}`);
        }
        return;
    }
    const body = githubBody('comment', projectPath, summary);
    if (existing) {
        if (existing.body === body)
            return log.info(`comment: #${plan.pull} already shows this report`);
        await octokit.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { ...repo, comment_id: existing.id, body });
        log.info(`comment: updated comment ${existing.id} on #${plan.pull}`);
    }
    else {
        const { data } = await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
            ...repo,
            issue_number: plan.pull,
            body,
        });
        log.info(`comment: created comment ${data.id} on #${plan.pull}`);
    }
}
async function keepDashboard(octokit, repo, projectPath, summary, log) {
    // Closed ones too: a person who closed the dashboard does not get a new one every run.
    const existing = await findOwn(octokit, 'GET /repos/{owner}/{repo}/issues', { ...repo, state: 'all' }, (i) => !i.pull_request && hasMarker(i.body, 'dashboard', projectPath));
    const footer = '\n<sub>Kept current by the fapilog-plugins Action (`dashboard: true`); it edits this issue on every run. Close it to hide it, or remove the input to stop.</sub>\n';
    const body = githubBody('dashboard', projectPath, summary, footer);
    const title = dashboardTitle(projectPath);
    if (existing) {
        if (existing.body === body)
            return log.info(`dashboard: #${existing.number} already shows this report`);
        await octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', { ...repo, issue_number: existing.number, title, body });
        log.info(`dashboard: updated #${existing.number}`);
    }
    else {
        const { data } = await octokit.request('POST /repos/{owner}/{repo}/issues', { ...repo, title, body });
        log.info(`dashboard: created #${data.number}`);
    }
}
/**
 * Plans from the workflow's event and carries it out with the workflow's token; a refusal (a
 * missing permission, a fork's read-only token) is a warning, not a failed check.
 */
async function publishToGitHub(wanted, opts, log) {
    const plan = planGitHub({ ...wanted, eventName: github/* context */._.eventName ?? '', payload: github/* context */._.payload });
    for (const line of plan.skipped)
        log.info(line);
    if (!plan.comment && !plan.dashboard)
        return;
    if (!opts.token)
        return log.warning('comment/dashboard: no `github-token` (default `${{ github.token }}`): nothing written to GitHub');
    const octokit = (0,github/* getOctokit */.Q)(opts.token);
    const repo = github/* context */._.repo;
    if (plan.comment) {
        try {
            await keepComment(octokit, repo, plan.comment, opts.projectPath, opts.summary, log);
        }
        catch (err) {
            log.warning(`comment: could not write the pull request comment (${err.message}); the job needs \`permissions: pull-requests: write\``);
        }
    }
    if (plan.dashboard) {
        try {
            await keepDashboard(octokit, repo, opts.projectPath, opts.summary, log);
        }
        catch (err) {
            log.warning(`dashboard: could not write the dashboard issue (${err.message}); the job needs \`permissions: issues: write\``);
        }
    }
}


/***/ })

};
