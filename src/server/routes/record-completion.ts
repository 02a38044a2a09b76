import type { ConnectionStore } from '../store/connection-store.js'
import type { ContractSession } from '../metorial/objects.js'
import { errorText, type ConnectLogger } from '../log/safe-logger.js'
import type { ConnectApi } from '../metorial/api-for-connection.js'
import { deploymentOf } from '../metorial/objects.js'
import type { StoreCall } from '../store/store-call.js'

/** What the server-side `onConnected` receives: once per completed session, on one app server. */
export interface ConnectedEvent {
  userId: string
  providerId: string
  /** The auth config id, already saved in the store for `userId`. */
  authConfigId: string
  /** The completed session as the browser gets it. */
  session: ContractSession
}

export interface CompletionDeps {
  store: ConnectionStore
  stored: StoreCall
  api: ConnectApi
  now: () => number
  log: ConnectLogger
  onConnected: ((event: ConnectedEvent) => void | Promise<void>) | undefined
}

/** An upstream timestamp as ISO 8601, or null when it is not one (a store's typed column would refuse it). */
function validTime(value: string | null): string | null {
  const ms = value === null ? Number.NaN : Date.parse(value)
  return Number.isNaN(ms) ? null : new Date(ms).toISOString()
}

/**
 * Saves a completed session's connection for its owner, with the provider Metorial connected (never
 * the browser's label) and the API that made it; the server-side `onConnected` fires on the one
 * call that inserted.
 */
export async function recordCompletion(deps: CompletionDeps, userId: string, session: ContractSession, raw: Record<string, unknown>): Promise<void> {
  const config = session.authConfig
  if (session.status !== 'completed' || !config || config.status !== 'active') return
  const inserted = await deps.stored('save a completed connection', () =>
    deps.store.insert({
      id: config.id,
      userId,
      providerId: config.providerId,
      providerDeploymentId: deploymentOf(raw),
      sessionId: session.id,
      name: config.name,
      createdAt: validTime(config.createdAt) ?? new Date(deps.now()).toISOString(),
      removedAt: null,
      api: deps.api,
    }),
  )
  if (!inserted || !deps.onConnected) return
  try {
    await deps.onConnected({ userId, providerId: config.providerId, authConfigId: config.id, session })
  } catch (error) {
    deps.log.error('react-provider-connect: onConnected threw; the connection is saved all the same.', { error: errorText(error) })
  }
}
