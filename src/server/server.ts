import type { ConnectionStore, StoredConnection } from './store/connection-store.js'
import { connectionRouter, sessionApis } from './metorial/api-for-connection.js'
import { credentialOperations } from './routes/credentials.js'
import type { AuthCredentialsInput, ConnectionExport, ImportConnectionInput } from './routes/credentials.js'
import { ConnectServerError } from './http/connect-server-error.js'
import { mapUpstreamError } from './metorial/map-upstream-error.js'
import { memoryConnectionStore } from './store/memory-store.js'
import { createMetorialClient, type MetorialClient } from './metorial/client.js'
import { isObject, ownerOf, toSession, type ContractConnection } from './metorial/objects.js'
import {
  DEFAULT_BASE_URL,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_METADATA_BYTES,
  DEFAULT_MAX_METADATA_KEYS,
  DEFAULT_METORIAL_VERSION,
  DEFAULT_OWNER_METADATA_KEY,
  DEFAULT_TIMEOUT_MS,
  type ConnectLogger,
  type ConnectServerOptions,
} from './options.js'
import { redirectOriginPolicy } from './policy/redirect-origin.js'
import { providerPolicy } from './policy/provider.js'
import { enforceRateLimit, memoryRateLimit } from './policy/rate-limit.js'
import { readJsonBody } from './http/read-body.js'
import { recordCompletion } from './routes/record-completion.js'
import { errorResponse, json, noContent } from './http/respond.js'
import { providersRoute } from './routes/providers.js'
import { ROUTE_METHODS, matchRoute } from './http/match-route.js'
import { errorText, safeLogger } from './log/safe-logger.js'
import { assertLegacyOptions } from './metorial/oauth-sessions.js'
import { checkOptions } from './policy/startup-checks.js'
import { upstreamCall } from './metorial/upstream-call.js'
import { storeCall } from './store/store-call.js'
import { UpstreamError } from './metorial/upstream-error.js'
import { ID_PATTERN, parseCreateInput, pathId } from './policy/validate-input.js'
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

function defaultStore(log: ConnectLogger): ConnectionStore {
  if (!warnedMemoryStore) {
    warnedMemoryStore = true
    log.warn('react-provider-connect: no `store` given, so connections are kept in memory and lost on restart. Pass sqlConnectionStore({ query }) (required when NODE_ENV=production).')
  }
  return memoryConnectionStore()
}

function clientFor(options: ConnectServerOptions): MetorialClient {
  return createMetorialClient({
    apiKey: options.apiKey,
    baseUrl: options.baseUrl ?? DEFAULT_BASE_URL,
    version: options.metorialVersion ?? DEFAULT_METORIAL_VERSION,
    fetch: (input, init) => (options.fetch ?? globalThis.fetch)(input, init),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxRetries: options.maxRetries ?? 2,
    maxRetryDelayMs: options.maxRetryDelayMs ?? 2000,
  })
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

function checkUserId(userId: unknown, what: string): string {
  if (typeof userId !== 'string' || userId.trim() === '') throw new TypeError(`${what} needs the user id (a non-empty string) getUserId would return.`)
  return userId
}

/**
 * The server side of `react-provider-connect`: the handler the browser talks to, and the user's
 * connections for your own server code. Completed sessions are saved in `store` for their owner
 * (exactly once, whatever the number of reads or app servers); lists and removals read the store.
 */
export function createConnectServer(options: ConnectServerOptions): ConnectServer {
  checkOptions(options)
  assertLegacyOptions(options)
  const ownerKey = options.ownerMetadataKey ?? DEFAULT_OWNER_METADATA_KEY
  const now = options.now ?? Date.now
  const log = safeLogger(options.logger ?? console, [options.apiKey])
  const store = options.store ?? defaultStore(log)
  const metorial = clientFor(options)
  const apiName = options.api ?? 'setup-sessions'
  const apis = sessionApis(metorial, options)
  const router = connectionRouter(apis, metorial, log)
  const origins = redirectOriginPolicy(options, log)
  const providers = providerPolicy(options)
  const rateLimit = options.rateLimit === false ? null : (options.rateLimit ?? memoryRateLimit())
  const limits = { maxBytes: options.maxMetadataBytes ?? DEFAULT_MAX_METADATA_BYTES, maxKeys: options.maxMetadataKeys ?? DEFAULT_MAX_METADATA_KEYS }
  const upstream = upstreamCall(log)
  const stored = storeCall(log)
  const completion = { store, stored, api: apiName, now, log, onConnected: options.onConnected }

  async function createSession(request: Request, userId: string): Promise<Response> {
    await enforceRateLimit(rateLimit, { userId, action: 'create_session', request })
    const input = parseCreateInput(await readJsonBody(request, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES), limits)
    origins.check(input.redirectUrl, request)
    const target = await providers.approve(input, request)
    const authCredentialsId = await providers.credentialsFor(input.providerId, request)
    const raw = await upstream('create', () => apis[apiName].create({ ...input, ownerMetadata: { [ownerKey]: userId }, authCredentialsId }, request.signal))
    const session = toSession(raw, now())
    if (!(await providers.confirm(target, session, raw, request))) {
      await router.discardSession(apiName, session.id)
      throw new ConnectServerError(403, 'provider_not_allowed', 'This provider is not available here.')
    }
    return json(201, session)
  }

  async function readSession(request: Request, userId: string, id: string): Promise<Response> {
    const raw = await upstream('read', () => apis[apiName].read(id, request.signal))
    if (!isObject(raw) || ownerOf(raw, ownerKey) !== userId) throw NOT_FOUND()
    const session = toSession(raw, now())
    await recordCompletion(completion, userId, session, raw)
    return json(200, session)
  }

  async function listConnections(userId: string): Promise<Connection[]> {
    return (await stored('list connections', () => store.list(userId))).map(toConnection)
  }

  async function removeConnection(userId: string, id: string, signal?: AbortSignal): Promise<RemoveResult> {
    const found = ID_PATTERN.test(id) ? await stored('find a connection', () => store.find(userId, id)) : null
    if (!found) throw NOT_FOUND()
    if (found.removedAt !== null) return 'already_removed'
    await upstream('remove', () => router.remove(found, signal ?? new AbortController().signal))
    await stored('record a removal', () => store.markRemoved(userId, id, new Date(now()).toISOString()))
    return 'removed'
  }

  async function route(request: Request): Promise<Response> {
    const match = matchRoute(new URL(request.url).pathname, options.basePath)
    if (!match) throw new ConnectServerError(404, 'not_found', 'No such route: the connect handler serves setup-sessions and connections.')
    const allowed = ROUTE_METHODS[match.name]
    if (request.method !== allowed) throw new ConnectServerError(405, 'method_not_allowed', `Use ${allowed} here.`, { allow: allowed })
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
        return catalogue.handle(request)
    }
  }

  async function handler(request: Request): Promise<Response> {
    try {
      return await route(request)
    } catch (error) {
      if (error instanceof ConnectServerError) return errorResponse(error)
      if (error instanceof UpstreamError) {
        const mapped = mapUpstreamError(error, 'read')
        log.error(`react-provider-connect: ${mapped.detail ?? error.message}`)
        return errorResponse(mapped.answer)
      }
      log.error('react-provider-connect: unexpected error in the connect handler.', { error: errorText(error) })
      return errorResponse(new ConnectServerError(500, 'internal_error', 'Something went wrong on the server. Try again later.'))
    }
  }

  const catalogue = providersRoute({ metorial, ttlMs: options.providersCacheTtlMs, allows: providers.allows, now, upstream })
  const credentials = credentialOperations({ metorial, store, ownerKey, now, log, stored, router })

  return {
    handler,
    exportConnection: async (userId, connectionId) => credentials.exportConnection(checkUserId(userId, 'exportConnection'), connectionId),
    importConnection: async (userId, input) => credentials.importConnection(checkUserId(userId, 'importConnection'), input),
    createAuthCredentials: credentials.createAuthCredentials,
    listConnections: async userId => listConnections(checkUserId(userId, 'listConnections')),
    removeConnection: async (userId, authConfigId) => removeConnection(checkUserId(userId, 'removeConnection'), authConfigId),
  }
}
