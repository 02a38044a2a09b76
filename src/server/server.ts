import { ConnectServerError } from './http/connect-server-error.js'
import { matchRoute } from './http/match-route.js'
import { DEFAULT_MAX_BODY_BYTES } from './http/read-body.js'
import { errorResponse, json, noContent } from './http/respond.js'
import { errorText, safeLogger, type ConnectLogger } from './log/safe-logger.js'
import { connectionRouter, sessionApis } from './metorial/api-for-connection.js'
import { createMetorialClient, type MetorialClient } from './metorial/client.js'
import { mapUpstreamError } from './metorial/map-upstream-error.js'
import { assertLegacyOptions } from './metorial/oauth-sessions.js'
import { upstreamCall } from './metorial/upstream-call.js'
import { UpstreamError } from './metorial/upstream-error.js'
import {
  DEFAULT_BASE_URL,
  DEFAULT_MAX_METADATA_BYTES,
  DEFAULT_MAX_METADATA_KEYS,
  DEFAULT_METORIAL_VERSION,
  DEFAULT_OWNER_METADATA_KEY,
  DEFAULT_TIMEOUT_MS,
  type ConnectServerOptions,
} from './options.js'
import { providerPolicy } from './policy/provider.js'
import { memoryRateLimit } from './policy/rate-limit.js'
import { redirectOriginPolicy } from './policy/redirect-origin.js'
import { checkOptions } from './policy/startup-checks.js'
import { pathId } from './policy/validate-input.js'
import { connectionRoutes, type Connection, type RemoveResult } from './routes/connections.js'
import { connectionEvents, type EmitConnectionEvent } from './routes/events.js'
import { checkPublicUrl, linkRoutes, type ConnectLink, type ConnectLinkInput } from './routes/links.js'
import { connectionWaiter, connectionNotifier, type WaitForConnectionInput } from './routes/wait-for-connection.js'
import { connectionSync, DEFAULT_SYNC_INTERVAL_MS } from './routes/sync.js'
import { credentialOperations, type AuthCredentialsInput, type ConnectionExport, type ImportConnectionInput } from './routes/credentials.js'
import { providersRoute } from './routes/providers.js'
import { sessionRoutes } from './routes/sessions.js'
import { LIFECYCLE_METHODS, missingLifecycleMethods, type ConnectionStore, type LifecycleStore } from './store/connection-store.js'
import { memoryConnectionStore } from './store/memory-store.js'
import { storeCall } from './store/store-call.js'

/** A fetch-standard handler: mount it wherever your framework takes `(Request) => Response`. */
export type ConnectHandler = (request: Request) => Promise<Response>

export interface ConnectServer {
  /** The six routes of the backend contract. Never throws: every failure is a `{ code, message }` answer. */
  handler: ConnectHandler
  /**
   * The user's connections from the store, oldest first: pass the active ones to
   * `withProviderSession`. Like the list route, it first checks them at Metorial when the user's
   * last check is older than `syncIntervalMs` (a failed check is logged; the store's answer stands).
   */
  listConnections(userId: string): Promise<Connection[]>
  /**
   * Checks connections at Metorial now and resolves the ones that changed (newly recorded, revoked).
   * With a user id: that user's unfinished setup sessions and active connections; throws a
   * `ConnectServerError` when Metorial or the store failed. Without: every unfinished session of the
   * app, then every user whose last check is older than `syncIntervalMs` (or a minute when it is
   * `false`), failures logged and skipped: call it from a cron job. Needs a store with the lifecycle
   * methods (docs/server.md, "The store").
   */
  syncConnections(userId?: string): Promise<Connection[]>
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
  /**
   * Server only: a link that connects this user's provider from anywhere (a chat, an e-mail, an
   * agent's message), with no page of the app open: `{ id, url, expiresAt }`. Needs the `publicUrl`
   * option and a store with the link methods; throws a `ConnectServerError` 403
   * `provider_not_allowed` when `allowProvider` refuses the provider (docs/connect-links.md).
   */
  createConnectLink(input: ConnectLinkInput): Promise<ConnectLink>
  /** Withdraws a link: it then opens a plain "not found" page. Resolves `true` for the call that revoked it. */
  revokeConnectLink(id: string): Promise<boolean>
  /**
   * Resolves with the user's active connection for the provider as soon as one exists: at once when
   * this server records it, else from the store, read every 2 s. A connection an open reconnect is
   * replacing does not count. Rejects with a `ConnectServerError` coded `timeout` (after `timeoutMs`,
   * default 10 minutes) or `aborted` (`signal`).
   */
  waitForConnection(input: WaitForConnectionInput): Promise<Connection>
}

/** What a route function is called with, once its path and method matched and the user is known. */
interface RouteCall {
  request: Request
  userId: string
  /** The raw `:id` segment, for the routes that have one. */
  id: string
}

interface Route {
  method: 'GET' | 'POST' | 'DELETE' | 'PATCH'
  path: string
  /** A connect link's page: the link names its user, so `getUserId` is not asked. */
  public?: true
  run: (call: RouteCall) => Promise<Response>
}

// One warning per process, however many servers a test or a hot reload creates.
let warnedMemoryStore = false

function defaultStore(log: ConnectLogger): ConnectionStore {
  if (!warnedMemoryStore) {
    warnedMemoryStore = true
    log.warn('react-provider-connect: no `store` given, so connections are kept in memory and lost on restart. Pass sqlConnectionStore({ query }) (required when NODE_ENV=production).')
  }
  return memoryConnectionStore()
}

/**
 * The store when it has every lifecycle method, else null, with a warning once: a store written
 * for the first four methods keeps working, without sync, recovery, reconnect and rename. A store
 * with only some of them, or `syncIntervalMs` set over one without them, is a mistake to see now.
 */
function lifecycleOf(store: ConnectionStore, syncIntervalMs: number | false | undefined, log: ConnectLogger): LifecycleStore | null {
  const missing = missingLifecycleMethods(store)
  if (missing.length === 0) return store as LifecycleStore
  const add = `add ${missing.join(', ')} (docs/server.md, "The store", has each in a few lines)`
  if (missing.length < LIFECYCLE_METHODS.length) throw new TypeError(`createConnectServer: the connection store has some of the lifecycle methods but not all: ${add}.`)
  if (typeof syncIntervalMs === 'number') throw new TypeError(`createConnectServer: \`syncIntervalMs\` needs a connection store with the lifecycle methods: ${add}, or leave syncIntervalMs out.`)
  log.warn(
    `react-provider-connect: the connection store has none of the lifecycle methods, so revoked connections are not found, completions no page read are not recovered, and reconnect in place and rename answer 501. To turn them on, ${add}.`,
  )
  return null
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

function checkUserId(userId: unknown, what: string): string {
  if (typeof userId !== 'string' || userId.trim() === '') throw new TypeError(`${what} needs the user id (a non-empty string) getUserId would return.`)
  return userId
}

/**
 * The server side of `react-provider-connect`: the handler the browser talks to, and the user's
 * connections for your own server code. Completed sessions are saved in `store` for their owner
 * (exactly once, whatever the number of reads or app servers); lists and removals read the store.
 *
 * This function only wires: it builds each room's part from the options, and the route table
 * below says which route function answers which method and path.
 */
export function createConnectServer(options: ConnectServerOptions): ConnectServer {
  checkOptions(options)
  assertLegacyOptions(options)
  const now = options.now ?? Date.now
  const log = safeLogger(options.logger ?? console, [options.apiKey])
  const store = options.store ?? defaultStore(log)
  const lifecycle = lifecycleOf(store, options.syncIntervalMs, log)
  const notifier = connectionNotifier()
  const emitToApp = connectionEvents(log, options.onConnectionEvent)
  // Every change this server records also reaches its own waiters (waitForConnection) at once.
  const emit: EmitConnectionEvent = async event => {
    notifier.notify(event)
    await emitToApp(event)
  }
  const metorial = clientFor(options)
  const api = options.api ?? 'setup-sessions'
  const apis = sessionApis(metorial, options)
  const router = connectionRouter(apis, metorial, log)
  const upstream = upstreamCall(log)
  const stored = storeCall(log)
  const ownerKey = options.ownerMetadataKey ?? DEFAULT_OWNER_METADATA_KEY
  const providers = providerPolicy(options)
  const rateLimit = options.rateLimit === false ? null : (options.rateLimit ?? memoryRateLimit())
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  const completion = { store, lifecycle, stored, api, now, log, onConnected: options.onConnected, emit, router, metorial }
  const sync = connectionSync({
    lifecycle,
    stored,
    upstream,
    metorial,
    apis,
    ownerKey,
    completion,
    emit,
    now,
    log,
    intervalMs: options.syncIntervalMs ?? DEFAULT_SYNC_INTERVAL_MS,
  })

  const sessions = sessionRoutes({
    api,
    apis,
    router,
    upstream,
    origins: redirectOriginPolicy(options, log),
    providers,
    rateLimit,
    limits: { maxBytes: options.maxMetadataBytes ?? DEFAULT_MAX_METADATA_BYTES, maxKeys: options.maxMetadataKeys ?? DEFAULT_MAX_METADATA_KEYS },
    maxBodyBytes,
    ownerKey,
    now,
    completion,
    stored,
    log,
  })
  const connections = connectionRoutes({ store, lifecycle, stored, upstream, router, metorial, now, emit, rateLimit, maxBodyBytes, syncIfDue: sync.syncIfDue })
  const catalogue = providersRoute({ metorial, ttlMs: options.providersCacheTtlMs, allows: providers.allows, now, upstream })
  const credentials = credentialOperations({ metorial, store, ownerKey, now, log, stored, router })
  const links = linkRoutes({
    publicUrl: checkPublicUrl(options.publicUrl),
    appName: typeof options.appName === 'string' && options.appName.trim() !== '' ? options.appName : null,
    store,
    stored,
    api,
    apis,
    upstream,
    ownerKey,
    providers,
    defaultProviderAuthMethodId: options.defaultProviderAuthMethodId ?? null,
    startSession: sessions.start,
    forgetSession: sessions.forget,
    completion,
    rateLimit,
    providerName: catalogue.nameOf,
    baseUrl: options.baseUrl ?? DEFAULT_BASE_URL,
    now,
    log,
  })
  const waiter = connectionWaiter({ store, lifecycle, notifier, now, log })

  const routes: readonly Route[] = [
    { method: 'POST', path: 'setup-sessions', run: ({ request, userId }) => sessions.create(request, userId) },
    { method: 'GET', path: 'setup-sessions/:id', run: ({ request, userId, id }) => sessions.read(request, userId, pathId(id, 'setup session')) },
    { method: 'GET', path: 'connections', run: async ({ userId }) => json(200, { items: await connections.list(userId) }) },
    {
      method: 'DELETE',
      path: 'connections/:id',
      run: async ({ request, userId, id }) => {
        await connections.remove(userId, pathId(id, 'connection'), request.signal)
        return noContent()
      },
    },
    { method: 'PATCH', path: 'connections/:id', run: async ({ request, userId, id }) => json(200, await connections.rename(request, userId, pathId(id, 'connection'))) },
    { method: 'GET', path: 'providers', run: ({ request }) => catalogue.handle(request) },
    { method: 'GET', path: 'links/:id', public: true, run: ({ request, id }) => links.show(request, id) },
    { method: 'POST', path: 'links/:id', public: true, run: ({ request, id }) => links.press(request, id) },
    { method: 'GET', path: 'links/:id/done', public: true, run: ({ request, id }) => links.done(request, id) },
  ]

  async function route(request: Request): Promise<Response> {
    const match = matchRoute(routes, request.method, new URL(request.url).pathname, options.basePath)
    if (!match) throw new ConnectServerError(404, 'not_found', 'No such route: the connect handler serves setup-sessions and connections.')
    if ('allow' in match) throw new ConnectServerError(405, 'method_not_allowed', `Use ${match.allow} here.`, { allow: match.allow })
    if (match.route.public) return match.route.run({ request, userId: '', id: match.id })
    const userId = await options.getUserId(request)
    // A blank id would make every such request one shared "user".
    if (typeof userId !== 'string' || userId.trim() === '') throw new ConnectServerError(401, 'unauthenticated', 'Sign in first.')
    return match.route.run({ request, userId, id: match.id })
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

  return {
    handler,
    exportConnection: async (userId, connectionId) => credentials.exportConnection(checkUserId(userId, 'exportConnection'), connectionId),
    importConnection: async (userId, input) => credentials.importConnection(checkUserId(userId, 'importConnection'), input),
    createAuthCredentials: credentials.createAuthCredentials,
    listConnections: async userId => connections.list(checkUserId(userId, 'listConnections')),
    removeConnection: async (userId, authConfigId) => connections.remove(checkUserId(userId, 'removeConnection'), authConfigId),
    createConnectLink: async input => links.create(input),
    revokeConnectLink: async id => links.revoke(id),
    waitForConnection: async input => waiter.wait(input),
    syncConnections: async userId => (userId === undefined ? sync.syncAll() : sync.syncConnectionsOf(checkUserId(userId, 'syncConnections'))),
  }
}

/** `createConnectServer(options).handler`: the routes alone, for apps that need nothing else. */
export function createConnectHandler(options: ConnectServerOptions): ConnectHandler {
  return createConnectServer(options).handler
}
