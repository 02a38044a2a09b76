/** URLs: which consent pages are safe to open, the `connect_state` parameter, and the state token. */
import { STATE_PARAM } from '../protocol.js'

export { STATE_PARAM }

/** True for absolute `http:`/`https:` URLs: the only consent pages the library will open. */
export function isSafeUrl(url: unknown): url is string {
  if (typeof url !== 'string') return false
  try {
    const { protocol } = new URL(url)
    return protocol === 'http:' || protocol === 'https:'
  } catch {
    return false
  }
}

/**
 * Adds the library's state parameter to the developer's `redirectUrl`, keeping their own query and
 * hash. A relative URL is resolved against `base` (the page's location) and returned absolute.
 */
export function withStateParam(redirectUrl: string, state: string, base?: string): string {
  const url = new URL(redirectUrl, base)
  url.searchParams.set(STATE_PARAM, state)
  return url.toString()
}

/** The origin of a URL, or null when it cannot be parsed. */
export function originOf(url: string, base?: string): string | null {
  try {
    return new URL(url, base).origin
  } catch {
    return null
  }
}

/** An unguessable token (128 bits) for the `connect_state` parameter. */
export function createStateToken(): string {
  const bytes = new Uint8Array(16)
  globalThis.crypto.getRandomValues(bytes)
  return Array.from(bytes, byte => byte.toString(16).padStart(2, '0')).join('')
}
