/**
 * One connection (an auth config) as the server keeps it, for one user. The store is the truth for
 * lists and removals: the handler never scans the upstream API to find a user's connections.
 */
export interface StoredConnection {
  /** The auth config id (`pac_…`): what `withProviderSession` takes as `providerAuthConfigId`. */
  id: string
  /** The user it belongs to, as `getUserId` returned it. */
  userId: string
  providerId: string
  /** The deployment the setup session named, when it named one. */
  providerDeploymentId: string | null
  /** The setup session that created it. A store keeps at most one connection per session. */
  sessionId: string | null
  /** The account's display name (its label): the provider's, or the one the user gave it. */
  name: string | null
  /** ISO 8601. */
  createdAt: string
  /** ISO 8601 once removed (or replaced); a removed connection stays on record so a late read cannot bring it back. */
  removedAt: string | null
  /**
   * The Metorial API that made it: removal and export always go there, whichever handler is asked.
   * Absent on rows saved before it was recorded; those are read by their id (`soas_…` is legacy).
   */
  api?: 'setup-sessions' | 'oauth-sessions'
  /**
   * ISO 8601 once a sync found Metorial no longer holds it (archived, deleted, unknown): the
   * connection is `revoked`, still listed, until the user reconnects or removes it. Absent or null
   * while active (and on every row of a store written before this field existed).
   */
  revokedAt?: string | null
  /** The connection that replaced it (a reconnect); such a row is also removed. Absent or null otherwise. */
  replacedBy?: string | null
}

/** A setup session the server created and has not yet seen end: what a sync reads to record a completion no page read. */
export interface UnfinishedSession {
  /** The setup session id (`pas_…`, or `soas_…` for the legacy API). */
  id: string
  userId: string
  /** The provider the browser asked for. */
  providerId: string
  /** The API it was created through: it is read there. */
  api: 'setup-sessions' | 'oauth-sessions'
  /** The connection it reconnects in place, when it does. */
  replacesConnectionId: string | null
  /** ISO 8601: past this the session cannot complete, so it is forgotten without a read. */
  expiresAt: string
}

/**
 * A connect link (`createConnectLink`) as the store keeps it. The token itself is never stored:
 * only its SHA-256, so a leaked table opens no link.
 */
export interface StoredLink {
  /** The link's id (`cl_…`), for `revokeConnectLink`. */
  id: string
  /** The SHA-256 of the token, as 64 lowercase hex digits. Unique. */
  tokenHash: string
  /** The user the link connects, whoever opens it. */
  userId: string
  providerId: string
  providerDeploymentId: string | null
  /** The connection the link reconnects in place, when it does. */
  replacesConnectionId: string | null
  /** ISO 8601. */
  createdAt: string
  /** ISO 8601: past this the link opens nothing. */
  expiresAt: string
  /** The setup session its button made (or a claim while one is being made); null before the first press. */
  sessionId: string | null
  /** ISO 8601 once it connected: a link is single-use. */
  usedAt: string | null
  /** ISO 8601 once revoked. */
  revokedAt: string | null
}

/**
 * Where connections live: your database. Implement it over your own ORM in a few lines (see
 * docs/server.md), or use `sqlConnectionStore` / `memoryConnectionStore`.
 *
 * The first four methods are all a store needs to record, list and remove connections. The
 * optional ones below them carry a connection's life after the connect (sync, recovery of
 * completions no page read, reconnect in place, rename): a store has all of them or none. With
 * none, the server warns once at startup and those features are off; with only some,
 * `createConnectServer` throws, naming the ones to add.
 */
export interface ConnectionStore {
  /**
   * Saves `connection` unless one with the same `id` or the same `sessionId` was ever saved
   * (removed ones included). Atomic across processes (`INSERT … ON CONFLICT DO NOTHING`): resolves
   * `true` for the one call that inserted, `false` for every other.
   */
  insert(connection: StoredConnection): Promise<boolean>
  /** The user's connections that are not removed (revoked ones included), oldest first. */
  list(userId: string): Promise<StoredConnection[]>
  /** The user's connection with this id, removed or not; `null` when it is not the user's. */
  find(userId: string, id: string): Promise<StoredConnection | null>
  /**
   * Records the removal (sets `removedAt`); a no-op when already removed. Resolves `true` for the
   * one call that removed it (`UPDATE … WHERE removed_at IS NULL`), `false` otherwise; a store
   * that resolves nothing counts as `true`.
   */
  markRemoved(userId: string, id: string, removedAt: string): Promise<boolean | void>

  /** Sets `revokedAt` on an active, unremoved connection; `true` for the one call that changed it. */
  markRevoked?(userId: string, id: string, revokedAt: string): Promise<boolean>
  /**
   * Ends `oldId` in favour of `newId` (sets its `removedAt` and `replacedBy`) unless it is already
   * removed; `true` for the one call that changed it, so one app server archives it and tells.
   */
  markReplaced?(userId: string, oldId: string, newId: string, at: string): Promise<boolean>
  /** Sets the name of the user's unremoved connection; the updated row, or `null` when there is none. */
  rename?(userId: string, id: string, name: string): Promise<StoredConnection | null>
  /**
   * Claims the user's sync: when their last one started at or before `dueBefore` (or never), records `at`
   * as its start and resolves `true`; else `false`. Atomic across processes, so of any number of
   * app servers listing at once one syncs.
   */
  claimSync?(userId: string, at: string, dueBefore: string): Promise<boolean>
  /** Users with an active connection whose last sync started at or before `dueBefore` (or never), at most `limit`. */
  dueUsers?(dueBefore: string, limit: number): Promise<string[]>
  /** Remembers a session the server created (a second call with the same id is a no-op), and forgets sessions that expired before `expiredBefore`. */
  rememberSession?(session: UnfinishedSession, expiredBefore: string): Promise<void>
  /** The remembered sessions of `userId`, or of everyone when `null`, oldest expiry first. */
  unfinishedSessions?(userId: string | null): Promise<UnfinishedSession[]>
  /** Forgets a remembered session (it ended, or expired). */
  forgetSession?(id: string): Promise<void>

  /**
   * The link methods, for `createConnectLink` (a store has all of them or none; without them only
   * links are off). Saves a new link, and deletes the links that expired before `expiredBefore`.
   */
  insertLink?(link: StoredLink, expiredBefore: string): Promise<void>
  /** The link with this token hash, used, expired or revoked alike; `null` when there is none. */
  findLink?(tokenHash: string): Promise<StoredLink | null>
  /**
   * Sets the link's `sessionId` to `to` when it is `from` now (`null`: none). Atomic across
   * processes (`UPDATE … WHERE session_id IS NOT DISTINCT FROM $from`): of two presses at once, one
   * resolves `true` and makes the setup session.
   */
  swapLinkSession?(tokenHash: string, from: string | null, to: string | null): Promise<boolean>
  /** Sets `usedAt` unless set; `true` for the one call that set it. */
  markLinkUsed?(tokenHash: string, at: string): Promise<boolean>
  /** Sets `revokedAt` on the link with this id unless set; `true` for the one call that set it. */
  revokeLink?(id: string, at: string): Promise<boolean>
  /** The user's links neither used, revoked nor expired at `at`. */
  openLinks?(userId: string, at: string): Promise<StoredLink[]>
}

/** The optional methods a store has all of, or none of. */
export const LIFECYCLE_METHODS = ['markRevoked', 'markReplaced', 'rename', 'claimSync', 'dueUsers', 'rememberSession', 'unfinishedSessions', 'forgetSession'] as const

/** A store with every lifecycle method. */
export type LifecycleStore = ConnectionStore & Required<Pick<ConnectionStore, (typeof LIFECYCLE_METHODS)[number]>>

/** The lifecycle methods `store` lacks. */
export function missingLifecycleMethods(store: ConnectionStore): string[] {
  return LIFECYCLE_METHODS.filter(name => typeof store[name] !== 'function')
}

/** The optional methods connect links need: a store has all of them or none. */
export const LINK_METHODS = ['insertLink', 'findLink', 'swapLinkSession', 'markLinkUsed', 'revokeLink', 'openLinks'] as const

/** A store with every link method. */
export type LinkStore = ConnectionStore & Required<Pick<ConnectionStore, (typeof LINK_METHODS)[number]>>

/** The link methods `store` lacks. */
export function missingLinkMethods(store: ConnectionStore): string[] {
  return LINK_METHODS.filter(name => typeof store[name] !== 'function')
}

export function hasLifecycle(store: ConnectionStore): store is LifecycleStore {
  return missingLifecycleMethods(store).length === 0
}
