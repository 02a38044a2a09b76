/** Where the handler reports problems. It never receives the API key or a consent URL's client secret. */
export interface ConnectLogger {
  warn(message: string, details?: Record<string, unknown>): void
  error(message: string, details?: Record<string, unknown>): void
}

export interface ConnectHandlerOptions {
  /** Metorial secret key (`metorial_sk_…`). Required; keep it on the server. */
  apiKey: string
  /**
   * Who is asking, e.g. from your session cookie. `null` answers 401. Every session and connection
   * is tagged with this id, and a user only ever sees their own. Required.
   */
  getUserId: (request: Request) => string | null | undefined | Promise<string | null | undefined>
  /** Metorial's API. Defaults to `'https://api.metorial.com'`. */
  baseUrl?: string
  /**
   * Whether this user may connect this provider; `false` answers 403 `provider_not_allowed`.
   * Defaults to allowing every provider your Metorial project offers.
   */
  allowProvider?: (providerId: string, request: Request) => boolean | Promise<boolean>
  /**
   * Origins `redirectUrl` may point to, e.g. `['https://app.example.com']`.
   * Defaults to the origin of the incoming request only.
   */
  allowedRedirectOrigins?: readonly string[]
  /** The fetch used to call Metorial. Defaults to the global `fetch`, looked up at call time. */
  fetch?: typeof fetch
  /** The `Metorial-Version` header. Defaults to `'2026-01-01-magnetar'`. */
  metorialVersion?: string
  /** How long one call to Metorial may take before the browser gets a 504. Defaults to `10000` ms. */
  timeoutMs?: number
  /** Largest request body accepted; larger ones get a 413. Defaults to `16384` bytes (16 KiB). */
  maxBodyBytes?: number
  /** Extra attempts for a read Metorial answered 429/503. Defaults to `2`. */
  maxRetries?: number
  /** Longest `Retry-After` waited out inside one request; a longer one goes back to the browser as 429. Defaults to `2000` ms. */
  maxRetryDelayMs?: number
  /** Used when the browser sends no `providerAuthMethodId`. Defaults to none (Metorial picks the provider's default). */
  defaultProviderAuthMethodId?: string
  /** The metadata key that records the owner on sessions and auth configs. Defaults to `'connect_user_id'`. */
  ownerMetadataKey?: string
  /** Where warnings and errors go, with secrets removed. Defaults to `console`. */
  logger?: ConnectLogger
  /**
   * The path the four routes live under, e.g. `'/api/connect'`. Defaults to none: the route is read
   * from the end of the path (`…/setup-sessions`, `…/setup-sessions/{id}`, `…/connections`,
   * `…/connections/{id}`), so any mount path works.
   */
  basePath?: string
  /** The clock, for expiry. Defaults to `Date.now`. */
  now?: () => number
}

export const DEFAULT_BASE_URL = 'https://api.metorial.com'
export const DEFAULT_METORIAL_VERSION = '2026-01-01-magnetar'
export const DEFAULT_OWNER_METADATA_KEY = 'connect_user_id'
export const DEFAULT_TIMEOUT_MS = 10_000
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024
