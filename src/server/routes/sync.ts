import { errorText, type ConnectLogger } from '../log/safe-logger.js'
import { connectionApi, type ConnectApi } from '../metorial/api-for-connection.js'
import { authConfigStates } from '../metorial/auth-configs.js'
import { mapLimited } from '../metorial/catalogue.js'
import type { MetorialClient } from '../metorial/client.js'
import { isObject, ownerOf, toSession } from '../metorial/objects.js'
import type { SessionApi } from '../metorial/setup-sessions.js'
import type { UpstreamCall } from '../metorial/upstream-call.js'
import { UpstreamError } from '../metorial/upstream-error.js'
import type { LifecycleStore, UnfinishedSession } from '../store/connection-store.js'
import type { StoreCall } from '../store/store-call.js'
import { toConnection, type Connection } from './connection-view.js'
import type { EmitConnectionEvent } from './events.js'
import { recordCompletion, type CompletionDeps } from './record-completion.js'

/** How often a user's connections are checked at Metorial by default: at most once a minute. */
export const DEFAULT_SYNC_INTERVAL_MS = 60_000
/** Remembered sessions read at once by one sync. */
const SESSION_CONCURRENCY = 4
/** Users a cron run takes from the store at a time, and the most rounds of them it takes. */
const DUE_USERS_PAGE = 500
const MAX_DUE_PAGES = 200
/** A `dueBefore` no sync start is later than: claims the user's sync whenever it last ran. */
const ALWAYS = '9999-12-31T23:59:59.999Z'

export interface SyncDeps {
  lifecycle: LifecycleStore | null
  stored: StoreCall
  upstream: UpstreamCall
  metorial: MetorialClient
  apis: Record<ConnectApi, SessionApi>
  ownerKey: string
  completion: CompletionDeps
  emit: EmitConnectionEvent
  now: () => number
  log: ConnectLogger
  /** `false`: lists never sync (a cron calling `syncConnections()` still does, with the default interval as "due"). */
  intervalMs: number | false
}

function isNotFound(error: unknown): boolean {
  return error instanceof UpstreamError && error.kind === 'http' && error.status === 404
}

/**
 * Keeps the store in step with Metorial. A user's sync (1) reads each setup session the server
 * created for them that has not ended, recording a completion exactly as the read route does and
 * forgetting ended and expired ones, then (2) checks their active connections, 100 to a request,
 * and marks revoked those Metorial archived, deleted or does not know. Part 2 is all or nothing:
 * a failure there changes no connection. Connections of the legacy OAuth sessions API are not
 * checked (that API lists nothing by id, and Metorial's dashboard does not archive them).
 */
export function connectionSync(deps: SyncDeps) {
  const { stored, now, log } = deps
  /** One sync per user in flight in this process: concurrent lists wait for the same one. */
  const inFlight = new Map<string, Promise<Connection[]>>()
  const iso = (ms: number) => new Date(ms).toISOString()

  /** Reads one remembered session; records its completion; forgets it once ended. Throws only what the caller should report. */
  async function resolveSession(lifecycle: LifecycleStore, session: UnfinishedSession): Promise<Connection | null> {
    if (Date.parse(session.expiresAt) <= now()) {
      await stored('forget an expired setup session', () => lifecycle.forgetSession(session.id))
      return null
    }
    let raw: unknown
    try {
      raw = await deps.apis[session.api].read(session.id, new AbortController().signal)
    } catch (error) {
      if (!isNotFound(error)) throw error
      await stored('forget an ended setup session', () => lifecycle.forgetSession(session.id))
      return null
    }
    // Never another user's: a session whose owner does not match is not this user's to record.
    if (!isObject(raw) || ownerOf(raw, deps.ownerKey) !== session.userId) {
      await stored('forget an ended setup session', () => lifecycle.forgetSession(session.id))
      return null
    }
    const read = toSession(raw, now())
    const saved = await recordCompletion(deps.completion, session.userId, read, raw)
    if (read.status !== 'pending') await stored('forget an ended setup session', () => lifecycle.forgetSession(session.id))
    return saved ? toConnection(saved) : null
  }

  /** Part 1 for these sessions: each on its own (one failing read leaves that session for the next sync). */
  async function resolveSessions(lifecycle: LifecycleStore, sessions: UnfinishedSession[]): Promise<{ changed: Connection[]; failure: unknown }> {
    const changed: Connection[] = []
    let failure: unknown = null
    await mapLimited(sessions, SESSION_CONCURRENCY, async session => {
      try {
        const saved = await resolveSession(lifecycle, session)
        if (saved) changed.push(saved)
      } catch (error) {
        failure ??= error
      }
    })
    return { changed, failure }
  }

  /** Part 2: the user's active connections checked at Metorial; those it no longer holds marked revoked. */
  async function checkConnections(lifecycle: LifecycleStore, userId: string): Promise<Connection[]> {
    const rows = await stored('list connections', () => lifecycle.list(userId))
    const active = rows.filter(row => (row.revokedAt ?? null) === null && connectionApi(row) === 'setup-sessions')
    if (active.length === 0) return []
    const states = await authConfigStates(
      deps.metorial,
      active.map(row => row.id),
      new AbortController().signal,
    )
    const changed: Connection[] = []
    const revokedAt = iso(now())
    for (const row of active) {
      if (states.get(row.id) !== 'gone') continue
      if (!(await stored('mark a connection revoked', () => lifecycle.markRevoked(userId, row.id, revokedAt)))) continue
      const connection = toConnection({ ...row, revokedAt })
      changed.push(connection)
      await deps.emit({ type: 'revoked', userId, connection })
    }
    return changed
  }

  async function syncUser(lifecycle: LifecycleStore, userId: string, sessionsToo: boolean): Promise<Connection[]> {
    const sessions = sessionsToo ? await resolveSessions(lifecycle, await stored('read unfinished setup sessions', () => lifecycle.unfinishedSessions(userId))) : { changed: [], failure: null }
    const revoked = await checkConnections(lifecycle, userId)
    if (sessions.failure !== null) throw sessions.failure
    return [...sessions.changed, ...revoked]
  }

  /** Runs `work` as the user's one sync in this process, after any sync of theirs already running. */
  function exclusive(userId: string, work: () => Promise<Connection[]>): Promise<Connection[]> {
    const before = inFlight.get(userId)
    const run = (before ? before.catch(() => []).then(work) : work()).finally(() => {
      if (inFlight.get(userId) === run) inFlight.delete(userId)
    })
    inFlight.set(userId, run)
    return run
  }

  /**
   * The list's sync: when the user's last sync started more than the interval ago (on any server:
   * the store's claim decides), run one; lists arriving meanwhile wait for it. Never throws: a
   * failure is logged and the list shows what the store knows.
   */
  async function syncIfDue(userId: string): Promise<void> {
    const lifecycle = deps.lifecycle
    const interval = deps.intervalMs
    if (!lifecycle || interval === false) return
    const running = inFlight.get(userId)
    const sync =
      running ??
      exclusive(userId, async () => {
        const at = now()
        const claimed = await stored('claim a sync', () => lifecycle.claimSync(userId, iso(at), iso(at - interval)))
        return claimed ? syncUser(lifecycle, userId, true) : []
      })
    try {
      await sync
    } catch (error) {
      log.error('react-provider-connect: checking the user’s connections at Metorial failed; the list shows what the store knows, and the next check is due after the interval.', {
        error: errorText(error),
      })
    }
  }

  /** The user's unfinished sessions and active connections checked now; the changed connections. Throws on failure. */
  async function syncConnectionsOf(userId: string): Promise<Connection[]> {
    const lifecycle = deps.lifecycle
    if (!lifecycle) throw new TypeError(missingMessage)
    return exclusive(userId, async () => {
      await stored('claim a sync', () => lifecycle.claimSync(userId, iso(now()), ALWAYS))
      return deps.upstream('read', () => syncUser(lifecycle, userId, true))
    })
  }

  /**
   * For a cron job: every remembered session of the app (one read each, expired ones forgotten
   * without one), then every user whose connections are due. Failures are logged per session and
   * per user, and the run goes on; the changed connections of the whole run.
   */
  async function syncAll(): Promise<Connection[]> {
    const lifecycle = deps.lifecycle
    if (!lifecycle) throw new TypeError(missingMessage)
    const sessions = await resolveSessions(lifecycle, await stored('read unfinished setup sessions', () => lifecycle.unfinishedSessions(null)))
    if (sessions.failure !== null) log.error('react-provider-connect: a remembered setup session could not be read; the next sync tries again.', { error: errorText(sessions.failure) })
    const changed = [...sessions.changed]
    const interval = deps.intervalMs === false ? DEFAULT_SYNC_INTERVAL_MS : deps.intervalMs
    for (let page = 0; page < MAX_DUE_PAGES; page++) {
      const at = now()
      const dueBefore = iso(at - interval)
      const users = await stored('list users due a sync', () => lifecycle.dueUsers(dueBefore, DUE_USERS_PAGE))
      for (const userId of users) {
        try {
          const mine = await exclusive(userId, async () => {
            const claimed = await stored('claim a sync', () => lifecycle.claimSync(userId, iso(at), dueBefore))
            return claimed ? syncUser(lifecycle, userId, false) : []
          })
          changed.push(...mine)
        } catch (error) {
          log.error('react-provider-connect: checking a user’s connections at Metorial failed; the next run tries again.', { error: errorText(error) })
        }
      }
      if (users.length < DUE_USERS_PAGE) break
    }
    return changed
  }

  return { syncIfDue, syncConnectionsOf, syncAll }
}

export const missingMessage =
  'syncConnections needs a connection store with the lifecycle methods (markRevoked, markReplaced, rename, claimSync, dueUsers, rememberSession, unfinishedSessions, forgetSession): sqlConnectionStore and memoryConnectionStore have them; see docs/server.md, "The store".'
