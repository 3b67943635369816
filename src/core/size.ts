/**
 * File sizes, one convention for every front end: binary units (KiB, MiB, GiB, as `--max-file-size
 * 20MiB` reads them), so the CLI, the Action summary and the findings print the same number.
 */

const UNITS = ['KiB', 'MiB', 'GiB'] as const;

/** `512 B`, `3.6 KiB`, `20.0 MiB`; callers that need the exact count print it alongside. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  let value = bytes;
  let unit: string = 'B';
  for (const u of UNITS) {
    if (value < 1024) break;
    value /= 1024;
    unit = u;
  }
  return `${value.toFixed(1)} ${unit}`;
}

/** `20MiB`, `20 MB`, `512k`, `1048576` -> bytes (k/M/G are read as binary); null when unreadable. */
export function parseSize(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?)(i?b)?\s*$/i.exec(text);
  if (!m) return null;
  const unit = (m[2] ?? '').toLowerCase();
  const factor = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  return Math.round(Number(m[1]) * factor);
}
