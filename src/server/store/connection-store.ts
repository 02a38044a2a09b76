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
  /** The account's display name, when the provider gave one. */
  name: string | null
  /** ISO 8601. */
  createdAt: string
  /** ISO 8601 once removed; a removed connection stays on record so a late read cannot bring it back. */
  removedAt: string | null
  /**
   * The Metorial API that made it: removal and export always go there, whichever handler is asked.
   * Absent on rows saved before it was recorded; those are read by their id (`soas_…` is legacy).
   */
  api?: 'setup-sessions' | 'oauth-sessions'
}

/**
 * Where connections live: your database. Implement it over your own ORM in a few lines (see
 * docs/server.md), or use `sqlConnectionStore` / `memoryConnectionStore`.
 */
export interface ConnectionStore {
  /**
   * Saves `connection` unless one with the same `id` or the same `sessionId` was ever saved
   * (removed ones included). Atomic across processes (`INSERT … ON CONFLICT DO NOTHING`): resolves
   * `true` for the one call that inserted, `false` for every other.
   */
  insert(connection: StoredConnection): Promise<boolean>
  /** The user's connections that are not removed, oldest first. */
  list(userId: string): Promise<StoredConnection[]>
  /** The user's connection with this id, removed or not; `null` when it is not the user's. */
  find(userId: string, id: string): Promise<StoredConnection | null>
  /** Records the removal (sets `removedAt`); a no-op when already removed. */
  markRemoved(userId: string, id: string, removedAt: string): Promise<void>
}
