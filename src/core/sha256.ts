/**
 * The one sha256 of file bytes: publishing prints and sends it, the server stores and checks it.
 * Ground floor (imports nothing of the project), so the server may import it as it imports the
 * PEP 440 room.
 */
import { createHash } from 'node:crypto';

/** Lowercase hex, the form the marketplace and pip's `--hash=sha256:` use. */
export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
