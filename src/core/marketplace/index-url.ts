/**
 * The marketplace's pip index for one fapilog version (`/fapilog/{version}/simple/`), next to its
 * API: lists only releases that work with that fapilog, so plain pip, uv or Poetry pick the right one.
 */

/** `https://m.example/api/v1` + `0.16.0` -> `https://m.example/fapilog/0.16.0/simple/`. */
export function fapilogIndexUrl(apiUrl: string, fapilogVersion: string): string {
  const url = new URL(apiUrl);
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  url.pathname = `${url.pathname.replace(/\/+$/, '').replace(/\/api\/v1$/, '')}/fapilog/${encodeURIComponent(fapilogVersion)}/simple/`;
  return url.toString();
}
