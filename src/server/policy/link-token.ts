/** 32 random bytes: 256 bits, base64url without padding, so 43 characters. */
const TOKEN_BYTES = 32

/** What a token looks like; anything else is answered 404 without reading the store. */
export const LINK_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/

/** How long a link lives when `expiresInMs` is not given: 24 hours. */
export const DEFAULT_LINK_LIFETIME_MS = 24 * 60 * 60 * 1000
/** The longest a link may live: 7 days. */
export const MAX_LINK_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000

function base64url(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, byte => byte.toString(16).padStart(2, '0')).join('')
}

/** A new link token from the platform's CSPRNG (Web Crypto, in Node, Deno, Bun and edge runtimes alike). */
export function newLinkToken(): string {
  return base64url(globalThis.crypto.getRandomValues(new Uint8Array(TOKEN_BYTES)))
}

/** A link's public id (`cl_…`, for `revokeConnectLink`): random too, and unrelated to its token. */
export function newLinkId(): string {
  return `cl_${hex(globalThis.crypto.getRandomValues(new Uint8Array(16)))}`
}

/** The SHA-256 of a token as hex: what the store keeps and looks links up by. */
export async function hashLinkToken(token: string): Promise<string> {
  return hex(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(token))))
}
