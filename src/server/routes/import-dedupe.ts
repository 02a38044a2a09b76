import type { ConnectionStore, StoredConnection } from '../store/connection-store.js'
import type { ConnectionRouter } from '../metorial/api-for-connection.js'
import { ConnectServerError } from '../http/connect-server-error.js'
import type { StoreCall } from '../store/store-call.js'

/**
 * The user's live connection imported from these credentials. The first import is keyed by the
 * import key itself; one made after that connection was removed by `key.<its id>`, since a removed
 * row keeps its key for good (so a late read can never bring it back).
 */
export function importedConnection(connections: readonly StoredConnection[], key: string): StoredConnection | undefined {
  return connections.find(connection => connection.sessionId === key || connection.sessionId?.startsWith(`${key}.`) === true)
}

interface SaveDeps {
  store: ConnectionStore
  stored: StoreCall
  router: ConnectionRouter
}

/**
 * Records the auth config an import just created at Metorial, so that no order of calls leaves one
 * there that the store does not hold: after a removal the import is a new connection; when another
 * import of the same credentials won a race, the new config is archived and the winner returned.
 */
export async function saveImport({ store, stored, router }: SaveDeps, connection: StoredConnection & { sessionId: string }): Promise<{ id: string; created: boolean }> {
  const insert = (row: StoredConnection) => stored('save an imported connection', () => store.insert(row))
  const live = async () => importedConnection(await stored('list connections', () => store.list(connection.userId)), connection.sessionId)
  if (await insert(connection)) return { id: connection.id, created: true }
  let winner = await live()
  if (!winner && (await insert({ ...connection, sessionId: `${connection.sessionId}.${connection.id}` }))) return { id: connection.id, created: true }
  winner ??= await live()
  if (winner?.id === connection.id) return { id: winner.id, created: false }
  await router.archiveOrphan(connection.id)
  if (!winner) throw new ConnectServerError(409, 'import_conflict', 'These credentials could not be recorded as a new connection. Try again.')
  return { id: winner.id, created: false }
}
