import { createHash } from 'node:crypto';

/** Lowercase hex, the form the marketplace and pip's `--hash=sha256:` use. */
export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
