/**
 * Markdown as a reader sees it, for tests that look for a phrase in a summary: backslash escapes
 * and the entities src/core/render/markdown.ts writes are undone (the inverse of its `text`).
 */
export function shownText(md: string): string {
  return md
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/&(lt|gt|quot|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', amp: '&' })[e as 'lt']);
}
