import type { ConnectionStore, LifecycleStore, StoredConnection } from '../store/connection-store.js'
import type { ContractSession } from '../metorial/objects.js'
import { errorText, type ConnectLogger } from '../log/safe-logger.js'
import type { ConnectApi, ConnectionRouter } from '../metorial/api-for-connection.js'
import { renameAuthConfig } from '../metorial/auth-configs.js'
import type { MetorialClient } from '../metorial/client.js'
import { deploymentOf, isObject } from '../metorial/objects.js'
import type { StoreCall } from '../store/store-call.js'
import { toConnection } from './connection-view.js'
import type { EmitConnectionEvent } from './events.js'

/** What the server-side `onConnected` receives: once per completed session, on one app server. */
export interface ConnectedEvent {
  userId: string
  providerId: string
  /** The auth config id, already saved in the store for `userId`. */
  authConfigId: string
  /** The completed session as the browser gets it. */
  session: ContractSession
}

/**
 * The session metadata key that names the connection a session reconnects in place. The server
 * writes it after the client's metadata (which may not set it), so it reads back from Metorial on
 * whichever app server, and by whichever path (a page's read, a sync), the completion is seen.
 */
export const REPLACES_METADATA_KEY = 'connect_replaces_connection_id'

export interface CompletionDeps {
  store: ConnectionStore
  /** The store, when it has the lifecycle methods; else null (no reconnect in place). */
  lifecycle: LifecycleStore | null
  stored: StoreCall
  api: ConnectApi
  now: () => number
  log: ConnectLogger
  onConnected: ((event: ConnectedEvent) => void | Promise<void>) | undefined
  emit: EmitConnectionEvent
  router: ConnectionRouter
  metorial: MetorialClient
}

/** An upstream timestamp as ISO 8601, or null when it is not one (a store's typed column would refuse it). */
function validTime(value: string | null): string | null {
  const ms = value === null ? Number.NaN : Date.parse(value)
  return Number.isNaN(ms) ? null : new Date(ms).toISOString()
}

/** The connection a session replaces, as its metadata names it. */
export function replacementOf(raw: Record<string, unknown>): string | null {
  const value = isObject(raw.metadata) ? raw.metadata[REPLACES_METADATA_KEY] : undefined
  return typeof value === 'string' && value !== '' ? value : null
}

/**
 * The connection a completed session replaces, when it is still the user's, live, and of the same
 * provider (a session for another provider cannot stand in for it).
 */
async function replaced(deps: CompletionDeps, userId: string, providerId: string, raw: Record<string, unknown>): Promise<StoredConnection | null> {
  const id = replacementOf(raw)
  const lifecycle = deps.lifecycle
  if (id === null || !lifecycle) return null
  const old = await deps.stored('find the connection being reconnected', () => lifecycle.find(userId, id))
  return old && old.removedAt === null && old.providerId === providerId ? old : null
}

/**
 * What the one server that ended the old connection does: archive it at Metorial if it was still
 * active there, and give the new auth config the old label at Metorial too. Best effort: the
 * store already holds the truth, so failures are logged, not answered.
 */
async function finishReplacement(deps: CompletionDeps, old: StoredConnection, next: StoredConnection, upstreamName: string | null): Promise<void> {
  if ((old.revokedAt ?? null) === null) {
    try {
      await deps.router.remove(old, new AbortController().signal)
    } catch (error) {
      deps.log.warn(`react-provider-connect: connection ${old.id} was replaced by ${next.id} but could not be archived at Metorial; archive it in the Metorial dashboard.`, { error: errorText(error) })
    }
  }
  if (next.name !== null && next.name !== upstreamName && next.api === 'setup-sessions') {
    try {
      await renameAuthConfig(deps.metorial, next.id, next.name, new AbortController().signal)
    } catch (error) {
      deps.log.warn(`react-provider-connect: connection ${next.id} keeps its label in the store, but Metorial's name for it could not be updated.`, { error: errorText(error) })
    }
  }
}

/**
 * Saves a completed session's connection for its owner, with the provider Metorial connected (never
 * the browser's label) and the API that made it. The one call that inserted fires `onConnected`
 * and a `connected` event; when the session reconnects a connection in place, the new one takes its
 * label, and the one call that ended the old one archives it and fires `reconnected` instead.
 * Resolves the connection when this call saved it, else null. Called by the read route and by a
 * sync alike, so a completion is recorded the same way whoever sees it first.
 */
export async function recordCompletion(deps: CompletionDeps, userId: string, session: ContractSession, raw: Record<string, unknown>): Promise<StoredConnection | null> {
  const config = session.authConfig
  if (session.status !== 'completed' || !config || config.status !== 'active') return null
  const old = await replaced(deps, userId, config.providerId, raw)
  const connection: StoredConnection = {
    id: config.id,
    userId,
    providerId: config.providerId,
    providerDeploymentId: deploymentOf(raw),
    sessionId: session.id,
    name: old ? (old.name ?? config.name) : config.name,
    createdAt: validTime(config.createdAt) ?? new Date(deps.now()).toISOString(),
    removedAt: null,
    api: deps.api,
  }
  const inserted = await deps.stored('save a completed connection', () => deps.store.insert(connection))
  if (!inserted) return null
  const lifecycle = deps.lifecycle
  const ended = old && lifecycle ? await deps.stored('record a reconnect', () => lifecycle.markReplaced(userId, old.id, connection.id, new Date(deps.now()).toISOString())) : false
  if (old && ended) await finishReplacement(deps, old, connection, config.name)
  if (deps.onConnected) {
    try {
      await deps.onConnected({ userId, providerId: config.providerId, authConfigId: config.id, session })
    } catch (error) {
      deps.log.error('react-provider-connect: onConnected threw; the connection is saved all the same.', { error: errorText(error) })
    }
  }
  await deps.emit(
    old && ended
      ? { type: 'reconnected', userId, connection: toConnection(connection), previousConnectionId: old.id }
      : { type: 'connected', userId, connection: toConnection(connection) },
  )
  return connection
}
