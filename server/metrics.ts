/**
 * Counters and a latency histogram for GET /metrics, in the Prometheus text format (0.0.4).
 * Labels are bounded: the route is the router's template (or `unmatched`), never the raw path.
 */

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** One route template's counters, its labels escaped once (request() runs for every answer). */
interface RouteStats {
  label: string;
  /** By `${method} ${status}`: the counter and its label set. */
  counts: Map<string, { labels: string; n: number }>;
  buckets: number[];
  sum: number;
  count: number;
}

export class Metrics {
  readonly #routes = new Map<string, RouteStats>();
  publishes = 0;
  downloads = 0;
  cacheHits = 0;
  cacheMisses = 0;
  rateLimited = 0;

  request(method: string, route: string, status: number, seconds: number): void {
    let r = this.#routes.get(route);
    if (!r) {
      r = { label: escapeLabel(route), counts: new Map(), buckets: BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.#routes.set(route, r);
    }
    const ms = `${method} ${status}`;
    const c = r.counts.get(ms);
    if (c) c.n++;
    else r.counts.set(ms, { labels: `method="${method}",route="${r.label}",status="${status}"`, n: 1 });
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) r.buckets[i]!++;
    r.sum += seconds;
    r.count++;
  }

  render(): string {
    const out: string[] = [];
    out.push('# HELP fapilog_http_requests_total HTTP requests answered, by method, route template and status.');
    out.push('# TYPE fapilog_http_requests_total counter');
    for (const r of this.#routes.values()) for (const c of r.counts.values()) out.push(`fapilog_http_requests_total{${c.labels}} ${c.n}`);
    out.push('# HELP fapilog_http_request_duration_seconds Time from request to the end of the answer, by route template.');
    out.push('# TYPE fapilog_http_request_duration_seconds histogram');
    for (const h of this.#routes.values()) {
      const k = `route="${h.label}"`;
      BUCKETS.forEach((b, i) => out.push(`fapilog_http_request_duration_seconds_bucket{${k},le="${b}"} ${h.buckets[i]}`));
      out.push(`fapilog_http_request_duration_seconds_bucket{${k},le="+Inf"} ${h.count}`);
      out.push(`fapilog_http_request_duration_seconds_sum{${k}} ${h.sum}`);
      out.push(`fapilog_http_request_duration_seconds_count{${k}} ${h.count}`);
    }
    const counter = (name: string, help: string, v: number) => out.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`, `${name} ${v}`);
    counter('fapilog_publishes_total', 'Releases published (201) through this instance.', this.publishes);
    counter('fapilog_downloads_total', 'Download answers delivered (counted downloads) by this instance.', this.downloads);
    counter('fapilog_response_cache_hits_total', 'Read answers served from the response cache.', this.cacheHits);
    counter('fapilog_response_cache_misses_total', 'Cacheable read answers built by a handler.', this.cacheMisses);
    counter('fapilog_rate_limited_total', 'Requests refused with 429 by the rate limit.', this.rateLimited);
    return `${out.join('\n')}\n`;
  }
}

function escapeLabel(s: string): string {
  return s.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}
