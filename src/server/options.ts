import type { ConnectLogger } from './log/safe-logger.js'
import type { ConnectApi } from './metorial/api-for-connection.js'
import type { SetupSessionType } from './metorial/setup-sessions.js'
import type { ProviderTarget } from './policy/provider.js'
import type { RateLimit } from './policy/rate-limit.js'
import type { ConnectionEvent } from './routes/events.js'
import type { ConnectedEvent } from './routes/record-completion.js'
import type { ConnectionStore } from './store/connection-store.js'

// The types of the options' parts live in the room that uses them (the store's ConnectionStore, the
// log's ConnectLogger, …): this file imports them, and no room imports this file.

/** The options of `createConnectServer`: what the server needs to know, each with its default. */
export interface ConnectServerOptions {
  /** Metorial secret key (`metorial_sk_…`). Required; keep it on the server. */
  apiKey: string
  /**
   * Who is asking, e.g. from your session cookie. `null` answers 401. Every session is tagged with
   * this id, every connection is stored under it, and a user only ever sees their own. Required.
   */
  getUserId: (request: Request) => string | null | undefined | Promise<string | null | undefined>
  /**
   * Where connections are kept: `sqlConnectionStore({ query })` over your database, or your own.
   * Required when `NODE_ENV` is `production`. Defaults to `memoryConnectionStore()` elsewhere, with
   * a warning, since it forgets everything on restart.
   */
  store?: ConnectionStore
  /**
   * Called on the server once per completed session, after its connection is saved, on exactly one
   * app server however many reads there are. Errors are logged and never change the answer.
   * Defaults to none.
   */
  onConnected?: (event: ConnectedEvent) => void | Promise<void>
  /**
   * Called on the server once per change to a connection, on exactly one app server (the store's
   * atomic writes decide): `connected`, `reconnected` (with `previousConnectionId`), `renamed`,
   * `revoked` (found by a sync) and `removed`. Errors are logged and never change the answer or the
   * store. Defaults to none.
   */
  onConnectionEvent?: (event: ConnectionEvent) => void | Promise<void>
  /**
   * How old a user's last check at Metorial may be before a list (the route or `listConnections`)
   * checks again: their unfinished setup sessions (one read each) and their active connections (one
   * request per 100). `false` never checks on a list (`syncConnections` still does). Needs a store
   * with the lifecycle methods. Defaults to `60000` ms (a minute).
   */
  syncIntervalMs?: number | false
  /**
   * The OAuth app (Metorial provider auth credentials id, `par_…`) to use for this provider and
   * request, e.g. an enterprise tenant's own; `null`/`undefined` uses the deployment's default.
   * Resolved on the server only: the browser can never choose it. Defaults to none.
   */
  providerAuthCredentialsId?: (providerId: string, request: Request) => string | null | undefined | Promise<string | null | undefined>
  /**
   * Which Metorial session API to use. `'oauth-sessions'` is the older OAuth sessions API
   * (`/provider-oauth/sessions`, ids `soas_…`) for apps built before 2026: the browser's
   * `providerDeploymentId` (required then) is the server deployment, `opened` reads as pending, and the
   * id stored and handed to `onConnected` is the OAuth session id. The browser side is the same.
   * Defaults to `'setup-sessions'`.
   */
  api?: ConnectApi
  /** The setup session `type` sent on create. Defaults to `'auth_only'`: connect an account, nothing more. */
  sessionType?: SetupSessionType
  /** Metorial's API. Defaults to `'https://api.metorial.com'`. */
  baseUrl?: string
  /**
   * Whether this user may connect this target: the provider, the deployment and the auth method
   * (the browser's choice filled in with the server's defaults). Anything but `true` answers 403
   * `provider_not_allowed`. With `api: 'oauth-sessions'`, where the browser's `providerId` is only a
   * label, it is asked again about the provider Metorial reports for the deployment when that differs.
   * It also filters `GET …/providers` (asked with `providerAuthMethodId: null` there). Defaults to
   * allowing everything your Metorial project offers.
   */
  allowProvider?: (target: ProviderTarget, request: Request) => boolean | Promise<boolean>
  /**
   * How long the server keeps the instance's provider catalogue (`GET …/providers`) before asking
   * Metorial again: one round per this per server, whatever the number of users. `0` asks every
   * time. Defaults to `300000` ms (5 minutes).
   */
  providersCacheTtlMs?: number
  /**
   * Origins `redirectUrl` may point to, e.g. `['https://app.example.com']`: the consent page sends
   * whoever opens the link there. Required when `NODE_ENV` is `production`. Defaults (elsewhere) to
   * the origin of `request.url` (with `localhost`, `127.0.0.1` and `[::1]` as one when it is loopback),
   * or, with `trustProxy`, to the origin `X-Forwarded-Host`/`Host` and `X-Forwarded-Proto` name.
   */
  allowedRedirectOrigins?: readonly string[]
  /**
   * Whether `Host` and `X-Forwarded-Host`/`-Proto` describe the browser's origin: set it only when
   * your own proxy sets them (anyone can send them otherwise). The same option on `toNodeHandler`
   * builds `request.url` from them. Defaults to `false`.
   */
  trustProxy?: boolean
  /**
   * Limits session creation per user: `memoryRateLimit({ limit, windowMs })`, your own function over
   * a shared store (docs/server.md: PostgreSQL, Redis), or `false` for none. Over the limit answers
   * 429 `rate_limited` with `Retry-After`. Defaults to `memoryRateLimit()`: 30 per user per minute,
   * counted in this process only.
   */
  rateLimit?: false | RateLimit
  /** Largest client `metadata` (as JSON) forwarded to Metorial; larger answers 400 `metadata_too_large`. Defaults to `2048` bytes. */
  maxMetadataBytes?: number
  /** Most keys in client `metadata`, nested ones included; more answers 400 `metadata_too_large`. Defaults to `32`. */
  maxMetadataKeys?: number
  /** The fetch used to call Metorial. Defaults to the global `fetch`, looked up at call time. */
  fetch?: typeof fetch
  /** The `Metorial-Version` header. Defaults to `'mt_2026_01_01_magnetar'`, which every platform version accepts. */
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
  /** The metadata key that records the owner on sessions. Defaults to `'connect_user_id'`. */
  ownerMetadataKey?: string
  /** Where warnings and errors go, with secrets removed. Defaults to `console`. */
  logger?: ConnectLogger
  /**
   * The path the five routes live under, e.g. `'/api/connect'`. Defaults to none: the route is read
   * from the end of the path (`…/setup-sessions`, `…/setup-sessions/{id}`, `…/connections`,
   * `…/connections/{id}`, `…/providers`), so any mount path works.
   */
  basePath?: string
  /**
   * The public URL the handler is mounted at, e.g. `'https://app.example.com/api/connect'`: connect
   * links are `{publicUrl}/links/{token}`, and Metorial sends their users back to
   * `{publicUrl}/links/{token}/done`. Required for `createConnectLink`; defaults to none (no links).
   */
  publicUrl?: string
  /** The app's name, shown on a connect link's page ("Acme asks to connect your Slack account."). Defaults to none. */
  appName?: string
  /** The clock, for expiry and timestamps. Defaults to `Date.now`. */
  now?: () => number
}

/** The options of `createConnectHandler`: the same as `createConnectServer`'s. */
export type ConnectHandlerOptions = ConnectServerOptions

export const DEFAULT_BASE_URL = 'https://api.metorial.com'
export const DEFAULT_METORIAL_VERSION = 'mt_2026_01_01_magnetar'
export const DEFAULT_OWNER_METADATA_KEY = 'connect_user_id'
export const DEFAULT_TIMEOUT_MS = 10_000
export const DEFAULT_MAX_METADATA_BYTES = 2048
export const DEFAULT_MAX_METADATA_KEYS = 32
