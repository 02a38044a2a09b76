import { notFound } from '../http/connect-server-error.js'
import { readJsonBody } from '../http/read-body.js'
import { json } from '../http/respond.js'
import type { ConnectApi, ConnectionRouter } from '../metorial/api-for-connection.js'
import { isObject, ownerOf, toSession, type ContractSession } from '../metorial/objects.js'
import type { SessionApi } from '../metorial/setup-sessions.js'
import type { UpstreamCall } from '../metorial/upstream-call.js'
import { providerNotAllowed, type ProviderPolicy } from '../policy/provider.js'
import { enforceRateLimit, type RateLimit } from '../policy/rate-limit.js'
import type { RedirectOriginPolicy } from '../policy/redirect-origin.js'
import { parseCreateInput, type CreateInput, type MetadataLimits } from '../policy/validate-input.js'
import type { StoreCall } from '../store/store-call.js'
import { errorText, type ConnectLogger } from '../log/safe-logger.js'
import { connectionNotFound, lifecycleUnsupported } from './connections.js'
import { recordCompletion, REPLACES_METADATA_KEY, type CompletionDeps } from './record-completion.js'

/** How long a remembered session is kept when Metorial gives it no expiry (legacy OAuth sessions): Metorial's default lifetime. */
export const SESSION_LIFETIME_MS = 30 * 60 * 1000

export interface SessionRoutesDeps {
  /** The session API this handler creates through, and both APIs by name. */
  api: ConnectApi
  apis: Record<ConnectApi, SessionApi>
  router: ConnectionRouter
  upstream: UpstreamCall
  origins: RedirectOriginPolicy
  providers: ProviderPolicy
  rateLimit: RateLimit | null
  limits: MetadataLimits
  maxBodyBytes: number
  /** The metadata key that records the owner on every session. */
  ownerKey: string
  now: () => number
  completion: CompletionDeps
  stored: StoreCall
  log: ConnectLogger
}

/** `POST …/setup-sessions` and `GET …/setup-sessions/{id}`: start a session for the user, and read one of theirs. */
export function sessionRoutes(deps: SessionRoutesDeps) {
  const { api, apis, upstream, now } = deps

  async function create(request: Request, userId: string): Promise<Response> {
    await enforceRateLimit(deps.rateLimit, { userId, action: 'create_session', request })
    const input = parseCreateInput(await readJsonBody(request, deps.maxBodyBytes), deps.limits)
    deps.origins.check(input.redirectUrl, request)
    return json(201, await start(userId, input, request))
  }

  /**
   * Creates a setup session for `userId` from a checked input whose `redirectUrl` the caller
   * vouched for, and remembers it: the browser's create, and a connect link's button.
   */
  async function start(userId: string, input: CreateInput, request: Request): Promise<ContractSession> {
    const replaces = input.replacesConnectionId ?? null
    if (replaces !== null) await checkReplaceable(userId, replaces)
    const target = await deps.providers.approve(input, request)
    const authCredentialsId = await deps.providers.credentialsFor(input.providerId, request)
    // Only the server names the connection a session replaces: a client's metadata key of that name is dropped.
    const { [REPLACES_METADATA_KEY]: _claimed, ...metadata } = input.metadata
    const ownerMetadata: Record<string, string> = { [deps.ownerKey]: userId, ...(replaces === null ? {} : { [REPLACES_METADATA_KEY]: replaces }) }
    const raw = await upstream('create', () => apis[api].create({ ...input, metadata, ownerMetadata, authCredentialsId }, request.signal))
    const session = toSession(raw, now())
    if (!(await deps.providers.confirm(target, session, raw, request))) {
      await deps.router.discardSession(api, session.id)
      throw providerNotAllowed()
    }
    await remember(userId, session.id, session.providerId ?? input.providerId, replaces, session.expiresAt)
    return session
  }

  /** 404 unless the user owns the live connection a reconnect names (another user's ids are never told apart from unknown ones). */
  async function checkReplaceable(userId: string, id: string): Promise<void> {
    const lifecycle = deps.completion.lifecycle
    if (!lifecycle) throw lifecycleUnsupported()
    const found = await deps.stored('find the connection being reconnected', () => lifecycle.find(userId, id))
    if (!found || found.removedAt !== null) throw connectionNotFound()
  }

  /**
   * Keeps the session in the store until it ends, so a sync can record a completion no page read.
   * Best effort: the link is already made, and the page's own read still records the completion.
   */
  async function remember(userId: string, id: string, providerId: string, replacesConnectionId: string | null, expiresAt: string | null): Promise<void> {
    const lifecycle = deps.completion.lifecycle
    if (!lifecycle) return
    const at = now()
    const expires = expiresAt !== null && !Number.isNaN(Date.parse(expiresAt)) ? new Date(Date.parse(expiresAt)).toISOString() : new Date(at + SESSION_LIFETIME_MS).toISOString()
    try {
      await lifecycle.rememberSession({ id, userId, providerId, api, replacesConnectionId, expiresAt: expires }, new Date(at).toISOString())
    } catch (error) {
      deps.log.error('react-provider-connect: the connection store failed to remember a setup session; a completion no page reads will not be recovered.', { error: errorText(error) })
    }
  }

  async function read(request: Request, userId: string, id: string): Promise<Response> {
    const raw = await upstream('read', () => apis[api].read(id, request.signal))
    if (!isObject(raw) || ownerOf(raw, deps.ownerKey) !== userId) throw notFound()
    const session = toSession(raw, now())
    await recordCompletion(deps.completion, userId, session, raw)
    if (session.status !== 'pending') await forget(id)
    return json(200, session)
  }

  /** Drops an ended session from the remembered ones; a failure only leaves it for a sync to drop. */
  async function forget(id: string): Promise<void> {
    const lifecycle = deps.completion.lifecycle
    if (!lifecycle) return
    try {
      await lifecycle.forgetSession(id)
    } catch (error) {
      deps.log.warn('react-provider-connect: the connection store failed to forget an ended setup session; a sync will.', { error: errorText(error) })
    }
  }

  return { create, start, read, forget }
}
