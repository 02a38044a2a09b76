import { ConnectServerError, notFound } from '../http/connect-server-error.js'
import { readJsonBody } from '../http/read-body.js'
import { connectionApi, type ConnectionRouter } from '../metorial/api-for-connection.js'
import { renameAuthConfig } from '../metorial/auth-configs.js'
import type { MetorialClient } from '../metorial/client.js'
import type { UpstreamCall } from '../metorial/upstream-call.js'
import { UpstreamError } from '../metorial/upstream-error.js'
import { enforceRateLimit, type RateLimit } from '../policy/rate-limit.js'
import { ID_PATTERN, parseName } from '../policy/validate-input.js'
import type { ConnectionStore, LifecycleStore } from '../store/connection-store.js'
import type { StoreCall } from '../store/store-call.js'
import { toConnection, type Connection } from './connection-view.js'
import type { EmitConnectionEvent } from './events.js'

export type { Connection }

/** What `removeConnection` did: `'removed'` now, or `'already_removed'` earlier (nothing to do). */
export type RemoveResult = 'removed' | 'already_removed'

/** The 404 of the lifecycle routes: the id is unknown, ended, or another user's (never told apart). */
export const connectionNotFound = () => new ConnectServerError(404, 'connection_not_found', 'No such connection.')

/** The answer when the store lacks the lifecycle methods (docs/server.md, "The store"). */
export const lifecycleUnsupported = () =>
  new ConnectServerError(501, 'not_supported', 'This server’s connection store does not support this yet. Please contact the app’s support.')

export interface ConnectionRoutesDeps {
  store: ConnectionStore
  /** The store, when it has the lifecycle methods; else null (rename is off). */
  lifecycle: LifecycleStore | null
  stored: StoreCall
  upstream: UpstreamCall
  router: ConnectionRouter
  metorial: MetorialClient
  now: () => number
  emit: EmitConnectionEvent
  rateLimit: RateLimit | null
  maxBodyBytes: number
  /** Brings the user's connections up to date with Metorial when their last check is old enough; never throws. */
  syncIfDue: (userId: string) => Promise<void>
}

/**
 * `GET …/connections`, `DELETE …/connections/{id}` and `PATCH …/connections/{id}`, and the server's
 * own `listConnections` and `removeConnection`: lists read the store (after a sync when one is due);
 * a removal goes to the API that made the connection and is recorded once Metorial confirmed it; a
 * rename goes to Metorial's auth config and the store.
 */
export function connectionRoutes(deps: ConnectionRoutesDeps) {
  const { store, stored, upstream, router, now, emit } = deps

  async function list(userId: string): Promise<Connection[]> {
    await deps.syncIfDue(userId)
    return (await stored('list connections', () => store.list(userId))).map(toConnection)
  }

  async function remove(userId: string, id: string, signal?: AbortSignal): Promise<RemoveResult> {
    const found = ID_PATTERN.test(id) ? await stored('find a connection', () => store.find(userId, id)) : null
    if (!found) throw notFound()
    if (found.removedAt !== null) return 'already_removed'
    // A revoked connection is already archived or deleted at Metorial: only the store has it left.
    if ((found.revokedAt ?? null) === null) await upstream('remove', () => router.remove(found, signal ?? new AbortController().signal))
    const removedAt = new Date(now()).toISOString()
    const changed = await stored('record a removal', () => store.markRemoved(userId, id, removedAt))
    if (changed !== false) await emit({ type: 'removed', userId, connection: toConnection({ ...found, removedAt }) })
    return 'removed'
  }

  async function rename(request: Request, userId: string, id: string): Promise<Connection> {
    await enforceRateLimit(deps.rateLimit, { userId, action: 'rename_connection', request })
    const lifecycle = deps.lifecycle
    if (!lifecycle) throw lifecycleUnsupported()
    const name = parseName(await readJsonBody(request, deps.maxBodyBytes))
    const found = await stored('find a connection', () => lifecycle.find(userId, id))
    if (!found || found.removedAt !== null) throw connectionNotFound()
    if ((found.revokedAt ?? null) === null && connectionApi(found) === 'setup-sessions') {
      await upstream('rename', async () => {
        try {
          await renameAuthConfig(deps.metorial, id, name, request.signal)
        } catch (error) {
          // Gone at Metorial since the last sync: the label is the store's to keep, and the next sync marks it revoked.
          if (!(error instanceof UpstreamError && error.kind === 'http' && error.status === 404)) throw error
        }
      })
    }
    const renamed = await stored('rename a connection', () => lifecycle.rename(userId, id, name))
    if (!renamed) throw connectionNotFound()
    const connection = toConnection(renamed)
    await emit({ type: 'renamed', userId, connection })
    return connection
  }

  return { list, remove, rename }
}
