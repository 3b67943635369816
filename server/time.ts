/** Timestamps as ISO 8601 with `+00:00`: Python's datetime.fromisoformat reads them on every version. */
export function isoTimestamp(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

export function normalizeTimestamp(text: string): string {
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) throw new Error(`not a timestamp: ${text}`);
  return isoTimestamp(d);
}
