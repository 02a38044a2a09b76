const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

/** A random id with Metorial's prefix style: `pas_…`, `pac_…`, `pas_secret_…`. */
export function randomId(prefix: string, length = 20): string {
  const bytes = new Uint8Array(length)
  globalThis.crypto.getRandomValues(bytes)
  return prefix + Array.from(bytes, byte => ALPHABET[byte % ALPHABET.length]).join('')
}
