/** The public data types: sessions, connections, the backend contract, the flow's state and events. */
import type { ConnectError } from './errors.js'
import type { ProviderInfo } from './backend/providers.js'

/** A status as the backend reports it. `opened` (legacy OAuth sessions) means `pending`. */
export type SetupSessionStatus = 'pending' | 'completed' | 'expired' | 'failed' | 'archived' | 'deleted'

/** Every status the UI can see, from the first click to the end of the flow. */
export type SetupFlowStatus =
  | 'idle'
  | 'creating'
  | 'pending'
  | 'completed'
  | 'expired'
  | 'failed'
  | 'archived'
  | 'cancelled'
  | 'error'

/** The statuses after which the flow does nothing more until `start()` or `reset()`. */
export type FinalFlowStatus = Extract<SetupFlowStatus, 'completed' | 'expired' | 'failed' | 'archived' | 'cancelled' | 'error'>

/** The auth config a completed setup session produced: the id the app stores for its user. */
export interface AuthConfig {
  id: string
  [key: string]: unknown
}

/** A provider setup session, normalised to camelCase. */
export interface SetupSession {
  id: string
  status: SetupSessionStatus
  /** The hosted consent page. Always `http:` or `https:`; it may carry a client secret, so never log it. */
  url: string
  /** ISO date after which a pending session is `expired`. */
  expiresAt?: string | null
  authConfig?: AuthConfig | null
  error?: { code?: string; message: string } | null
  providerId?: string
  [key: string]: unknown
}

/** One of the user's connections (an auth config), normalised to camelCase. */
export interface Connection {
  id: string
  providerId: string
  /**
   * `'active'`, or `'revoked'` when the provider's side no longer holds it (archived or deleted
   * there): it stays listed, with `revokedAt`, until the user reconnects or removes it. The parse
   * reads a missing status as `'active'` and keeps any other string as is.
   */
  status?: 'active' | 'revoked' | (string & {})
  /** ISO date the connection was found revoked, when `status` is `'revoked'`. */
  revokedAt?: string
  /** The account's name (the auth config's), which `renameConnection` changes. */
  name?: string
  /** What tells this account apart ("acme-corp workspace"), when the backend knows it. */
  label?: string
  description?: string
  createdAt?: string
  [key: string]: unknown
}

/** What the app sends to its backend to create a setup session. */
export interface CreateSetupSessionInput {
  providerId: string
  /** Defaults to `'oauth'` in `useSetupSession`. */
  providerAuthMethodId?: string
  providerDeploymentId?: string
  /** The page the consent page sends the user to when done; the library adds its `connect_state` parameter. */
  redirectUrl?: string
  metadata?: Record<string, unknown>
  /**
   * The connection (auth config id) the new one replaces, to reconnect a revoked account in place:
   * on completion the backend gives the new connection the old one's name and ends the old one.
   */
  replacesConnectionId?: string
}

/** Passed to every backend operation: abort it when the flow no longer needs the answer. */
export interface BackendCallOptions {
  signal: AbortSignal
}

/**
 * The four operations the library needs from the app's backend, and two optional ones.
 * `createHttpBackend()` speaks the HTTP contract; apps on tRPC, GraphQL or server actions pass an
 * object of their own. Answers may be camelCase or snake_case: the library validates and normalises them. Throw a `ConnectError`
 * to control how a failure is reported; anything else thrown counts as a network failure.
 */
export interface ConnectBackend {
  createSetupSession(input: CreateSetupSessionInput, options: BackendCallOptions): Promise<SetupSession>
  getSetupSession(id: string, options: BackendCallOptions): Promise<SetupSession>
  listConnections(options: BackendCallOptions): Promise<Connection[]>
  removeConnection(authConfigId: string, options: BackendCallOptions): Promise<void>
  /** The providers the app offers (`GET {endpoint}/providers`). Optional: without it, list providers yourself. */
  listProviders?(options: BackendCallOptions): Promise<ProviderInfo[]>
  /**
   * Renames a connection (`PATCH {endpoint}/connections/{id}` `{ name }`) and answers it renamed.
   * Optional: without it, `useConnections().rename` rejects and `ConnectionsList` offers no Rename.
   */
  renameConnection?(authConfigId: string, name: string, options: BackendCallOptions): Promise<Connection>
}

/** Analytics and debugging events. None carries the session URL or any secret. */
export type SetupFlowEvent =
  | { type: 'start'; providerId: string }
  | { type: 'popup_opened'; providerId: string }
  | { type: 'popup_blocked'; providerId: string }
  | { type: 'popup_focused'; providerId: string }
  | { type: 'popup_closed'; providerId: string; sessionId?: string }
  | { type: 'session_created'; providerId: string; sessionId: string }
  | { type: 'status_changed'; providerId: string; status: SetupFlowStatus; previousStatus: SetupFlowStatus; sessionId?: string }
  | { type: 'poll'; providerId: string; sessionId: string; reason: PollReason }
  | { type: 'poll_failed'; providerId: string; sessionId: string; error: ConnectError; attempt: number }
  | { type: 'callback_message'; providerId: string; sessionId?: string; channel: CallbackChannelName }
  | { type: 'redirect_fallback'; providerId: string; sessionId?: string }
  | { type: 'redirect'; providerId: string; sessionId: string }
  | { type: 'resumed'; providerId: string; sessionId: string }
  | { type: 'timeout'; providerId: string; sessionId?: string }
  | { type: 'connected'; providerId: string; sessionId: string; authConfigId: string }

export type PollReason = 'schedule' | 'focus' | 'visible' | 'callback' | 'popup_closed' | 'resume' | 'watch' | 'manual'

export type CallbackChannelName = 'postMessage' | 'broadcastChannel' | 'storage'

/** What the flow exposes, and what `useSetupSession` returns (plus the actions). */
export interface SetupFlowState {
  status: SetupFlowStatus
  /** The setup session, once created. */
  session: SetupSession | null
  /** The auth config id of a completed session. */
  authConfigId: string | null
  /**
   * Why the flow ended in `error`, `failed`, `expired` or `archived`; while `popupBlocked`, a
   * `popup_blocked` error (the status stays `pending` and `onError` does not fire).
   */
  error: ConnectError | null
  /** True when the browser blocked the popup: offer `session.url` in a new tab (a fresh user gesture). */
  popupBlocked: boolean
  /** The provider this flow connects. */
  providerId: string
  /**
   * Where the consent page shows: in a popup, or in this window (`redirect`). Before a click, the
   * mode the next one will use (`'auto'` resolved for this browser).
   */
  mode: 'popup' | 'redirect'
}

export type SetupMode = 'popup' | 'redirect' | 'auto'
