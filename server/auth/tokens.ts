/**
 * API tokens: shown once at creation, stored only as their sha256, so a copy of the data dir
 * (a backup) does not leak a usable credential.
 */
import { createHash, randomBytes } from 'node:crypto';

export const TOKEN_PREFIX = 'fpm_';

export function newToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The token of an `Authorization: Bearer <token>` header, or null when there is none. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return m ? m[1]! : null;
}
