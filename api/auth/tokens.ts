import { createHash, randomBytes } from 'node:crypto'

/** A random bearer secret: 32 bytes, base64url. Only its hash is ever stored. */
export function newToken(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url')
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}
