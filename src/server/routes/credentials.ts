/**
 * Server-only credential operations: export a user's connection, import existing tokens for a user,
 * and register an enterprise's own OAuth app (BYO). None is ever a browser route; all check
 * ownership through the store, and none logs a credential.
 */
import type { ConnectionStore } from '../store/connection-store.js'
import { connectionApi, type ConnectionRouter } from '../metorial/api-for-connection.js'
import { importedConnection, saveImport } from './import-dedupe.js'
import { ConnectServerError, notFound } from '../http/connect-server-error.js'
import type { MetorialClient } from '../metorial/client.js'
import { isObject } from '../metorial/objects.js'
import { legacyExportUnsupported } from '../metorial/oauth-sessions.js'
import type { SafeLogger } from '../log/safe-logger.js'
import { upstreamCall } from '../metorial/upstream-call.js'
import type { StoreCall } from '../store/store-call.js'
import { ID_PATTERN } from '../policy/validate-input.js'

/** What `exportConnection` returns. The credentials are secrets: keep them on your servers. */
export interface ConnectionExport {
  connectionId: string
  /** Metorial's auth config export (`provider.auth_export`, its tokens under `value`), as Metorial returns it. */
  export: Record<string, unknown>
}

export interface ImportConnectionInput {
  providerId?: string
  providerDeploymentId?: string
  /** The tokens to bring in, as Metorial's import takes them (`value`). */
  credentials: Record<string, unknown>
  /** Shown in the user's list. Defaults to none. */
  name?: string
}

export interface AuthCredentialsInput {
  providerId: string
  clientId: string
  clientSecret: string
  scopes?: string[]
  /** The app's name, e.g. your enterprise customer's ("Acme"). Defaults to none. */
  name?: string
}

interface Deps {
  metorial: MetorialClient
  store: ConnectionStore
  ownerKey: string
  now: () => number
  log: SafeLogger
  stored: StoreCall
  router: ConnectionRouter
}

/** One import per user, provider and credentials: the same tokens twice make one connection. */
async function importKey(userId: string, target: string, credentials: unknown): Promise<string> {
  // Web Crypto: the server entry runs on Node and on edge runtimes alike.
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify([userId, target, credentials])))
  return `import_${Array.from(new Uint8Array(digest).slice(0, 20), byte => byte.toString(16).padStart(2, '0')).join('')}`
}

/** Every string in the credentials: an upstream refusing them may quote any of them back. */
function secretsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (typeof value !== 'object' || value === null) return []
  return Object.values(value).flatMap(secretsIn)
}

export function credentialOperations({ metorial, store, ownerKey, now, log, stored, router }: Deps) {
  const signal = () => new AbortController().signal
  const upstream = upstreamCall(log)

  async function exportConnection(userId: string, connectionId: string): Promise<ConnectionExport> {
    const found = ID_PATTERN.test(connectionId) ? await stored('find a connection', () => store.find(userId, connectionId)) : null
    if (!found || found.removedAt !== null) throw notFound()
    // The API that made it, not the handler's or the id's: a migrated store holds both kinds. No
    // official client (magnetar, pulsar or dashboard) has an export for a legacy OAuth session:
    // refused here, plainly, rather than sent to a route that is not there.
    if (connectionApi(found) === 'oauth-sessions') throw legacyExportUnsupported()
    const raw = await upstream('create', () =>
      metorial.request({ method: 'POST', path: '/provider-auth-config-exports', signal: signal(), body: { provider_auth_config_id: connectionId, note: `export for ${userId}` } }),
    )
    return { connectionId, export: isObject(raw) ? raw : {} }
  }

  async function importConnection(userId: string, input: ImportConnectionInput): Promise<{ id: string; created: boolean }> {
    const target = input?.providerDeploymentId ?? input?.providerId
    if (typeof target !== 'string' || !ID_PATTERN.test(target)) throw new TypeError('importConnection needs a providerId or a providerDeploymentId.')
    if (!isObject(input.credentials)) throw new TypeError('importConnection needs `credentials`: the tokens, as an object.')
    const key = await importKey(userId, target, input.credentials)
    const existing = importedConnection(await stored('list connections', () => store.list(userId)), key)
    if (existing) return { id: existing.id, created: false }
    const raw = await upstreamCall(log.hiding(secretsIn(input.credentials)))('create', () =>
      metorial.request({
        method: 'POST',
        path: '/provider-auth-config-imports',
        signal: signal(),
        body: {
          ...(input.providerDeploymentId ? { provider_deployment_id: input.providerDeploymentId } : { provider_id: input.providerId }),
          note: input.name ?? 'imported',
          value: input.credentials,
          metadata: { [ownerKey]: userId },
        },
      }),
    )
    const config = isObject(raw) && isObject(raw.auth_config) ? raw.auth_config : raw
    const id = isObject(config) && typeof config.id === 'string' ? config.id : null
    if (!id) throw new ConnectServerError(502, 'upstream_invalid', 'The import was not confirmed. Try again later.')
    const providerId = (isObject(config) && typeof config.provider_id === 'string' ? config.provider_id : input.providerId) ?? target
    return saveImport({ store, stored, router }, { id, userId, providerId, providerDeploymentId: input.providerDeploymentId ?? null, sessionId: key, name: input.name ?? null, createdAt: new Date(now()).toISOString(), removedAt: null, api: 'setup-sessions' })
  }

  async function createAuthCredentials(input: AuthCredentialsInput): Promise<{ id: string }> {
    if (!input || typeof input.providerId !== 'string' || !input.clientId || !input.clientSecret) {
      throw new TypeError('createAuthCredentials needs providerId, clientId and clientSecret.')
    }
    const raw = await upstreamCall(log.hiding([input.clientSecret]))('create', () =>
      metorial.request({
        method: 'POST',
        path: '/provider-auth-credentials',
        signal: signal(),
        body: {
          provider_id: input.providerId,
          ...(input.name === undefined ? {} : { name: input.name }),
          config: { client_id: input.clientId, client_secret: input.clientSecret, scopes: input.scopes ?? [] },
        },
      }),
    )
    const id = isObject(raw) && typeof raw.id === 'string' ? raw.id : null
    if (!id) throw new ConnectServerError(502, 'upstream_invalid', 'The OAuth app was not confirmed. Try again later.')
    return { id }
  }

  return { exportConnection, importConnection, createAuthCredentials }
}
