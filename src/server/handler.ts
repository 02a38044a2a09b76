import { HttpError } from './http-error.js'
import { mapUpstreamError, type UpstreamOperation } from './map-upstream-error.js'
import { createMetorialClient, type MetorialClient } from './metorial-client.js'
import { isObject, ownerOf, toConnection, toSession } from './metorial-objects.js'
import {
  DEFAULT_BASE_URL,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_METORIAL_VERSION,
  DEFAULT_OWNER_METADATA_KEY,
  DEFAULT_TIMEOUT_MS,
  type ConnectHandlerOptions,
  type ConnectLogger,
} from './options.js'
import { readJsonBody } from './read-body.js'
import { redact } from './redact.js'
import { errorResponse, json, noContent } from './respond.js'
import { ROUTE_METHODS, matchRoute } from './route.js'
import { UpstreamError } from './upstream-error.js'
import { parseCreateInput, pathId } from './validate.js'

/** A fetch-standard handler: mount it wherever your framework takes `(Request) => Response`. */
export type ConnectHandler = (request: Request) => Promise<Response>

const LIST_PAGE_SIZE = 100
// Enough for thousands of auth configs; past it the list is cut rather than holding the request open.
const LIST_MAX_PAGES = 20

const NOT_FOUND = () => new HttpError(404, 'not_found', 'Not found.')

/**
 * Serves the backend contract of `react-provider-connect` (create / read a setup session, list /
 * remove connections) by calling Metorial with the secret key. Stateless: the owner is stored in
 * Metorial's `metadata`, and every read and delete checks it, so another user's objects answer 404
 * exactly like missing ones. It never throws: every failure is a `{ code, message }` response.
 */
export function createConnectHandler(options: ConnectHandlerOptions): ConnectHandler {
  if (typeof options?.apiKey !== 'string' || options.apiKey.trim() === '') {
    throw new TypeError('createConnectHandler needs `apiKey`: your Metorial secret key (metorial_sk_…), e.g. from process.env.METORIAL_API_KEY.')
  }
  if (typeof options.getUserId !== 'function') {
    throw new TypeError('createConnectHandler needs `getUserId(request)`: return the signed-in user id, or null for 401.')
  }
  const apiKey = options.apiKey
  const ownerKey = options.ownerMetadataKey ?? DEFAULT_OWNER_METADATA_KEY
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  const now = options.now ?? Date.now
  const clean = (text: string) => redact(text, [apiKey])
  const baseLogger: ConnectLogger = options.logger ?? console
  // Logging never changes the answer: a logger that throws is ignored, and every string is redacted
  // on its own (redacting serialized JSON could break it and throw).
  function safeLog(level: 'warn' | 'error', message: string, details?: Record<string, unknown>): void {
    try {
      baseLogger[level](clean(message), details && cleanDetails(details))
    } catch {
      // ignored on purpose
    }
  }
  const log = {
    warn: (message: string, details?: Record<string, unknown>) => safeLog('warn', message, details),
    error: (message: string, details?: Record<string, unknown>) => safeLog('error', message, details),
  }
  function cleanDetails(details: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(details)) out[key] = typeof value === 'string' ? clean(value) : value
    return out
  }

  const metorial: MetorialClient = createMetorialClient({
    apiKey,
    baseUrl: options.baseUrl ?? DEFAULT_BASE_URL,
    version: options.metorialVersion ?? DEFAULT_METORIAL_VERSION,
    fetch: (input, init) => (options.fetch ?? globalThis.fetch)(input, init),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxRetries: options.maxRetries ?? 2,
    maxRetryDelayMs: options.maxRetryDelayMs ?? 2000,
  })

  async function call(operation: UpstreamOperation, request: Parameters<MetorialClient['request']>[0]): Promise<unknown> {
    try {
      return await metorial.request(request)
    } catch (error) {
      if (!(error instanceof UpstreamError)) throw error
      const mapped = mapUpstreamError(error, operation, clean)
      const details = { operation, upstreamStatus: error.status, upstreamCode: error.code, status: mapped.status }
      if (mapped.code === 'upstream_auth' || mapped.code === 'missing_oauth_credentials') log.error(`react-provider-connect: ${mapped.message}`, details)
      else if (mapped.status >= 500 || mapped.status === 429) log.warn(`react-provider-connect: ${error.message}`, details)
      throw mapped
    }
  }

  async function createSession(request: Request, userId: string): Promise<Response> {
    const body = await readJsonBody(request, maxBodyBytes)
    const allowedOrigins = options.allowedRedirectOrigins ?? [new URL(request.url).origin]
    const input = parseCreateInput(body, allowedOrigins)
    if (options.allowProvider && !(await options.allowProvider(input.providerId, request))) {
      throw new HttpError(403, 'provider_not_allowed', `Provider "${input.providerId}" is not available here.`)
    }
    const authMethodId = input.providerAuthMethodId ?? options.defaultProviderAuthMethodId
    const created = await call('create', {
      method: 'POST',
      path: '/provider-setup-sessions',
      signal: request.signal,
      body: {
        provider_id: input.providerId,
        ...(authMethodId === undefined ? {} : { provider_auth_method_id: authMethodId }),
        ...(input.providerDeploymentId === undefined ? {} : { provider_deployment_id: input.providerDeploymentId }),
        ...(input.redirectUrl === undefined ? {} : { redirect_url: input.redirectUrl }),
        // The owner goes last: client metadata can never claim another user.
        metadata: { ...input.metadata, [ownerKey]: userId },
      },
    })
    return json(201, toSession(created, now()))
  }

  async function readSession(request: Request, userId: string, id: string): Promise<Response> {
    const raw = await call('read', { method: 'GET', path: `/provider-setup-sessions/${id}`, signal: request.signal })
    if (!isObject(raw) || ownerOf(raw, ownerKey) !== userId) throw NOT_FOUND()
    return json(200, toSession(raw, now()))
  }

  async function listConnections(request: Request, userId: string): Promise<Response> {
    const items = []
    let after: string | undefined
    for (let page = 0; page < LIST_MAX_PAGES; page++) {
      const raw = await call('list', {
        method: 'GET',
        path: '/provider-auth-configs',
        signal: request.signal,
        query: { status: 'active', limit: String(LIST_PAGE_SIZE), after },
      })
      const list = isObject(raw) && Array.isArray(raw.items) ? raw.items : null
      if (!list) throw new UpstreamError('invalid_response', 'Metorial sent an auth config list without items.')
      for (const item of list) {
        // Status is filtered again: the query is a hint a backend may ignore, ownership is not.
        if (isObject(item) && ownerOf(item, ownerKey) === userId && (item.status ?? 'active') === 'active') items.push(toConnection(item))
      }
      const last: unknown = list[list.length - 1]
      const hasMore = isObject(raw) && isObject(raw.pagination) && raw.pagination.has_more_after === true
      if (!hasMore || !isObject(last) || typeof last.id !== 'string') return json(200, { items })
      after = last.id
    }
    log.warn(`react-provider-connect: the connections list stopped after ${LIST_MAX_PAGES} pages of auth configs.`)
    return json(200, { items })
  }

  async function removeConnection(request: Request, userId: string, id: string): Promise<Response> {
    const raw = await call('remove', { method: 'GET', path: `/provider-auth-configs/${id}`, signal: request.signal })
    if (!isObject(raw) || ownerOf(raw, ownerKey) !== userId) throw NOT_FOUND()
    if (raw.status === 'deleted' || raw.status === 'archived') return noContent()
    try {
      await call('remove', { method: 'DELETE', path: `/provider-auth-configs/${id}`, signal: request.signal })
    } catch (error) {
      // Ownership was checked above and cannot change; a 404 here is a concurrent remove of the same
      // connection (a double click), so the outcome the user asked for already holds.
      if (error instanceof HttpError && error.status === 404) return noContent()
      throw error
    }
    return noContent()
  }

  async function route(request: Request): Promise<Response> {
    const match = matchRoute(new URL(request.url).pathname, options.basePath)
    if (!match) throw new HttpError(404, 'not_found', 'No such route: the connect handler serves setup-sessions and connections.')
    const allowed = ROUTE_METHODS[match.name]
    if (request.method !== allowed) {
      throw new HttpError(405, 'method_not_allowed', `Use ${allowed} here.`, { allow: allowed })
    }
    const userId = await options.getUserId(request)
    // A blank id would make every such request one shared "user".
    if (typeof userId !== 'string' || userId.trim() === '') throw new HttpError(401, 'unauthenticated', 'Sign in first.')
    switch (match.name) {
      case 'sessions':
        return createSession(request, userId)
      case 'session':
        return readSession(request, userId, pathId(match.id, 'setup session'))
      case 'connections':
        return listConnections(request, userId)
      case 'connection':
        return removeConnection(request, userId, pathId(match.id, 'connection'))
    }
  }

  return async function connectHandler(request) {
    try {
      return await route(request)
    } catch (error) {
      if (error instanceof HttpError) return errorResponse(error)
      if (error instanceof UpstreamError) return errorResponse(mapUpstreamError(error, 'read', clean))
      log.error('react-provider-connect: unexpected error in the connect handler.', {
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      })
      return errorResponse(new HttpError(500, 'internal_error', 'The connect handler failed unexpectedly.'))
    }
  }
}

