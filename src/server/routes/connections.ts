import { notFound } from '../http/connect-server-error.js'
import type { ConnectionRouter } from '../metorial/api-for-connection.js'
import type { ContractConnection } from '../metorial/objects.js'
import type { UpstreamCall } from '../metorial/upstream-call.js'
import { ID_PATTERN } from '../policy/validate-input.js'
import type { ConnectionStore, StoredConnection } from '../store/connection-store.js'
import type { StoreCall } from '../store/store-call.js'

/** A user's connection, as `listConnections` and the `GET …/connections` route return it. */
export interface Connection extends ContractConnection {
  /** The same as `id`, named as Metorial's `withProviderSession` providers take it. */
  providerAuthConfigId: string
  /** The deployment the setup session named, when the browser sent one. */
  providerDeploymentId: string | null
}

/** What `removeConnection` did: `'removed'` now, or `'already_removed'` earlier (nothing to do). */
export type RemoveResult = 'removed' | 'already_removed'

export interface ConnectionRoutesDeps {
  store: ConnectionStore
  stored: StoreCall
  upstream: UpstreamCall
  router: ConnectionRouter
  now: () => number
}

function toConnection(stored: StoredConnection): Connection {
  return {
    id: stored.id,
    providerAuthConfigId: stored.id,
    providerId: stored.providerId,
    providerDeploymentId: stored.providerDeploymentId,
    status: 'active',
    name: stored.name,
    createdAt: stored.createdAt,
  }
}

/**
 * `GET …/connections` and `DELETE …/connections/{id}`, and the server's own `listConnections` and
 * `removeConnection`: lists read the store only; a removal goes to the API that made the connection
 * and is recorded once Metorial confirmed it.
 */
export function connectionRoutes({ store, stored, upstream, router, now }: ConnectionRoutesDeps) {
  async function list(userId: string): Promise<Connection[]> {
    return (await stored('list connections', () => store.list(userId))).map(toConnection)
  }

  async function remove(userId: string, id: string, signal?: AbortSignal): Promise<RemoveResult> {
    const found = ID_PATTERN.test(id) ? await stored('find a connection', () => store.find(userId, id)) : null
    if (!found) throw notFound()
    if (found.removedAt !== null) return 'already_removed'
    await upstream('remove', () => router.remove(found, signal ?? new AbortController().signal))
    await stored('record a removal', () => store.markRemoved(userId, id, new Date(now()).toISOString()))
    return 'removed'
  }

  return { list, remove }
}
