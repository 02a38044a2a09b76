import type { ConnectionStore, StoredConnection } from './connection-store.js'
import { ConnectServerError } from './http-error.js'
import { mapUpstreamError, type UpstreamOperation } from './map-upstream-error.js'
import { memoryConnectionStore } from './memory-store.js'
import { createMetorialClient } from './metorial-client.js'
import { isObject, ownerOf, toSession, type ContractConnection, type ContractSession } from './metorial-objects.js'
import {
  DEFAULT_BASE_URL,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_METORIAL_VERSION,
  DEFAULT_OWNER_METADATA_KEY,
  DEFAULT_SESSION_TYPE,
  DEFAULT_TIMEOUT_MS,
  type ConnectServerOptions,
} from './options.js'
import { readJsonBody } from './read-body.js'
import { redact } from './redact.js'
import { requestOrigins } from './redirect-origins.js'
import { errorResponse, json, noContent } from './respond.js'
import { ROUTE_METHODS, matchRoute } from './route.js'
import { providersRoute } from './providers-route.js'
import { safeLogger } from './safe-logger.js'
import { credentialOperations } from './credentials.js'
import type { AuthCredentialsInput, ConnectionExport, ImportConnectionInput } from './credentials.js'
import { assertLegacyOptions, oauthSessionsApi } from './oauth-sessions-api.js'
import { setupSessionsApi, type SessionApi } from './setup-sessions-api.js'
import { UpstreamError } from './upstream-error.js'
import { ID_PATTERN, parseCreateInput, pathId } from './validate.js'

/** A fetch-standard handler: mount it wherever your framework takes `(Request) => Response`. */
export type ConnectHandler = (request: Request) => Promise<Response>

/** A user's connection, as `listConnections` and the `GET …/connections` route return it. */
export interface Connection extends ContractConnection {
  /** The same as `id`, named as Metorial's `withProviderSession` providers take it. */
  providerAuthConfigId: string
  /** The deployment the setup session named, when the browser sent one. */
  providerDeploymentId: string | null
}

/** What `removeConnection` did: `'removed'` now, or `'already_removed'` earlier (nothing to do). */
export type RemoveResult = 'removed' | 'already_removed'

export interface ConnectServer {
  /** The four routes of the backend contract. Never throws: every failure is a `{ code, message }` answer. */
  handler: ConnectHandler
  /** The user's connections from the store (no call to Metorial), oldest first: pass them to `withProviderSession`. */
  listConnections(userId: string): Promise<Connection[]>
  /**
   * Server only: the credentials of the user's connection, for your own infrastructure (an auth
   * config export; a takeout for a legacy `soas_` connection). A secret: never send it to a
   * browser or a log. 404 when the connection is not the user's.
   */
  exportConnection(userId: string, connectionId: string): Promise<ConnectionExport>
  /**
   * Server only: brings tokens the signed-in user already granted (e.g. when migrating from another
   * system) into Metorial and records the connection for them. The same credentials twice make one
   * connection (`created: false` the second time).
   */
  importConnection(userId: string, input: ImportConnectionInput): Promise<{ id: string; created: boolean }>
  /**
   * Server only: registers an enterprise's own OAuth app (BYO) with Metorial; route a tenant's users
   * through it with the `providerAuthCredentialsId` option, so the consent screen shows their app.
   */
  createAuthCredentials(input: AuthCredentialsInput): Promise<{ id: string }>
  /**
   * Archives the user's connection at Metorial and marks it removed in the store. Throws a
   * `ConnectServerError`: 404 when it is not the user's, 409 `connection_in_use` when Metorial
   * keeps it for an identity credential, 502/504 when Metorial failed.
   */
  removeConnection(userId: string, authConfigId: string): Promise<RemoveResult>
}

const NOT_FOUND = () => new ConnectServerError(404, 'not_found', 'Not found.')

// One warning per process, however many servers a test or a hot reload creates.
let warnedMemoryStore = false

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

/** An upstream timestamp as ISO 8601, or null when it is not one (a store's typed column would refuse it). */
function validTime(value: string | null): string | null {
  const ms = value === null ? Number.NaN : Date.parse(value)
  return Number.isNaN(ms) ? null : new Date(ms).toISOString()
}

function checkUserId(userId: unknown, what: string): string {
  if (typeof userId !== 'string' || userId.trim() === '') throw new TypeError(`${what} needs the user id (a non-empty string) getUserId would return.`)
  return userId
}

function checkOptions(options: ConnectServerOptions): void {
  if (typeof options?.apiKey !== 'string' || options.apiKey.trim() === '') {
    throw new TypeError('createConnectServer needs `apiKey`: your Metorial secret key (metorial_sk_…), e.g. from process.env.METORIAL_API_KEY.')
  }
  if (typeof options.getUserId !== 'function') {
    throw new TypeError('createConnectServer needs `getUserId(request)`: return the signed-in user id, or null for 401.')
  }
  if (options.api !== undefined && options.api !== 'setup-sessions' && options.api !== 'oauth-sessions') {
    throw new TypeError(`createConnectServer: \`api\` must be 'setup-sessions' or 'oauth-sessions', not ${JSON.stringify(options.api)}.`)
  }
  if (options.store === undefined && typeof process !== 'undefined' && process.env?.NODE_ENV === 'production') {
    throw new TypeError(
      'createConnectServer needs `store` in production: connections kept in memory vanish on restart and differ between servers. Pass sqlConnectionStore({ query }) or your own ConnectionStore.',
    )
  }
}

/**
 * The server side of `react-provider-connect`: the handler the browser talks to, and the user's
 * connections for your own server code. Completed sessions are saved in `store` for their owner
 * (exactly once, whatever the number of reads or app servers); lists and removals read the store.
 */
export function createConnectServer(options: ConnectServerOptions): ConnectServer {
  checkOptions(options)
  assertLegacyOptions(options)
  const apiKey = options.apiKey
  const ownerKey = options.ownerMetadataKey ?? DEFAULT_OWNER_METADATA_KEY
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  const now = options.now ?? Date.now
  const clean = (text: string) => redact(text, [apiKey])
  const log = safeLogger(options.logger ?? console, clean)
  let store: ConnectionStore
  if (options.store) {
    store = options.store
  } else {
    store = memoryConnectionStore()
    if (!warnedMemoryStore) {
      warnedMemoryStore = true
      log.warn('react-provider-connect: no `store` given, so connections are kept in memory and lost on restart. Pass sqlConnectionStore({ query }) (required when NODE_ENV=production).')
    }
  }

  const metorial = createMetorialClient({
    apiKey,
    baseUrl: options.baseUrl ?? DEFAULT_BASE_URL,
    version: options.metorialVersion ?? DEFAULT_METORIAL_VERSION,
    fetch: (input, init) => (options.fetch ?? globalThis.fetch)(input, init),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxRetries: options.maxRetries ?? 2,
    maxRetryDelayMs: options.maxRetryDelayMs ?? 2000,
  })
  const api: SessionApi =
    options.api === 'oauth-sessions'
      ? oauthSessionsApi(metorial)
      : setupSessionsApi(metorial, { type: options.sessionType ?? DEFAULT_SESSION_TYPE, defaultAuthMethodId: options.defaultProviderAuthMethodId })

  /** Runs an upstream step; its failure becomes the end user's answer, and the developer's log line. */
  async function upstream<T>(operation: UpstreamOperation, step: () => Promise<T>): Promise<T> {
    try {
      return await step()
    } catch (error) {
      if (!(error instanceof UpstreamError)) throw error
      const mapped = mapUpstreamError(error, operation, clean)
      if (mapped.detail !== null) {
        log[mapped.level](`react-provider-connect: ${mapped.detail}`, { operation, upstreamStatus: error.status, upstreamCode: error.code, status: mapped.answer.status })
      }
      throw mapped.answer
    }
  }

  /** Store failures are the app's: logged in full, answered as a retryable 503 without internals. */
  async function stored<T>(what: string, step: () => Promise<T>): Promise<T> {
    try {
      return await step()
    } catch (error) {
      log.error(`react-provider-connect: the connection store failed to ${what}.`, { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) })
      throw new ConnectServerError(503, 'store_unavailable', 'Your connections could not be reached just now. Try again.')
    }
  }

  async function recordCompletion(userId: string, session: ContractSession, raw: Record<string, unknown>): Promise<void> {
    const config = session.authConfig
    if (session.status !== 'completed' || !config || config.status !== 'active') return
    const deployment =
      typeof raw.provider_deployment_id === 'string' ? raw.provider_deployment_id : isObject(raw.deployment) && typeof raw.deployment.id === 'string' ? raw.deployment.id : null
    const inserted = await stored('save a completed connection', () =>
      store.insert({
        id: config.id,
        userId,
        providerId: config.providerId,
        providerDeploymentId: deployment,
        sessionId: session.id,
        name: config.name,
        createdAt: validTime(config.createdAt) ?? new Date(now()).toISOString(),
        removedAt: null,
      }),
    )
    if (!inserted || !options.onConnected) return
    try {
      await options.onConnected({ userId, providerId: config.providerId, authConfigId: config.id, session })
    } catch (error) {
      log.error('react-provider-connect: onConnected threw; the connection is saved all the same.', { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) })
    }
  }

  async function createSession(request: Request, userId: string): Promise<Response> {
    const body = await readJsonBody(request, maxBodyBytes)
    const input = parseCreateInput(body, options.allowedRedirectOrigins ?? requestOrigins(request))
    const target = { providerId: input.providerId, providerDeploymentId: input.providerDeploymentId ?? null, providerAuthMethodId: input.providerAuthMethodId ?? null }
    if (options.allowProvider && !(await options.allowProvider(target, request))) {
      throw new ConnectServerError(403, 'provider_not_allowed', 'This provider is not available here.')
    }
    const credentials = options.providerAuthCredentialsId ? await options.providerAuthCredentialsId(input.providerId, request) : null
    if (credentials !== null && credentials !== undefined && (typeof credentials !== 'string' || !ID_PATTERN.test(credentials))) {
      throw new TypeError('providerAuthCredentialsId must return a provider auth credentials id (par_…), null or undefined.')
    }
    const raw = await upstream('create', () =>
      api.create({ ...input, ownerMetadata: { [ownerKey]: userId }, authCredentialsId: credentials ?? null }, request.signal),
    )
    return json(201, toSession(raw, now()))
  }

  async function readSession(request: Request, userId: string, id: string): Promise<Response> {
    const raw = await upstream('read', () => api.read(id, request.signal))
    if (!isObject(raw) || ownerOf(raw, ownerKey) !== userId) throw NOT_FOUND()
    const session = toSession(raw, now())
    await recordCompletion(userId, session, raw)
    return json(200, session)
  }

  async function listConnections(userId: string): Promise<Connection[]> {
    const items = await stored('list connections', () => store.list(userId))
    return items.map(toConnection)
  }

  async function removeConnection(userId: string, id: string, signal?: AbortSignal): Promise<RemoveResult> {
    const found = ID_PATTERN.test(id) ? await stored('find a connection', () => store.find(userId, id)) : null
    if (!found) throw NOT_FOUND()
    if (found.removedAt !== null) return 'already_removed'
    await upstream('remove', () => api.removeConnection(id, signal ?? new AbortController().signal))
    await stored('record a removal', () => store.markRemoved(userId, id, new Date(now()).toISOString()))
    return 'removed'
  }

  async function route(request: Request): Promise<Response> {
    const match = matchRoute(new URL(request.url).pathname, options.basePath)
    if (!match) throw new ConnectServerError(404, 'not_found', 'No such route: the connect handler serves setup-sessions and connections.')
    const allowed = ROUTE_METHODS[match.name]
    if (request.method !== allowed) {
      throw new ConnectServerError(405, 'method_not_allowed', `Use ${allowed} here.`, { allow: allowed })
    }
    const userId = await options.getUserId(request)
    // A blank id would make every such request one shared "user".
    if (typeof userId !== 'string' || userId.trim() === '') throw new ConnectServerError(401, 'unauthenticated', 'Sign in first.')
    switch (match.name) {
      case 'sessions':
        return createSession(request, userId)
      case 'session':
        return readSession(request, userId, pathId(match.id, 'setup session'))
      case 'connections':
        return json(200, { items: await listConnections(userId) })
      case 'connection':
        await removeConnection(userId, pathId(match.id, 'connection'), request.signal)
        return noContent()
      case 'providers':
        return providers.handle(request)
    }
  }

  async function handler(request: Request): Promise<Response> {
    try {
      return await route(request)
    } catch (error) {
      if (error instanceof ConnectServerError) return errorResponse(error)
      if (error instanceof UpstreamError) {
        const mapped = mapUpstreamError(error, 'read', clean)
        log.error(`react-provider-connect: ${mapped.detail ?? error.message}`)
        return errorResponse(mapped.answer)
      }
      log.error('react-provider-connect: unexpected error in the connect handler.', {
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      })
      return errorResponse(new ConnectServerError(500, 'internal_error', 'Something went wrong on the server. Try again later.'))
    }
  }

  const providers = providersRoute({ metorial, ttlMs: options.providersCacheTtlMs, allowProvider: options.allowProvider, now, upstream })
  const credentials = credentialOperations({ metorial, store, ownerKey, now, upstream, stored })

  return {
    handler,
    exportConnection: async (userId, connectionId) => credentials.exportConnection(checkUserId(userId, 'exportConnection'), connectionId),
    importConnection: async (userId, input) => credentials.importConnection(checkUserId(userId, 'importConnection'), input),
    createAuthCredentials: credentials.createAuthCredentials,
    listConnections: async userId => listConnections(checkUserId(userId, 'listConnections')),
    removeConnection: async (userId, authConfigId) => removeConnection(checkUserId(userId, 'removeConnection'), authConfigId),
  }
}
