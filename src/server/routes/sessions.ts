import { notFound } from '../http/connect-server-error.js'
import { readJsonBody } from '../http/read-body.js'
import { json } from '../http/respond.js'
import type { ConnectApi, ConnectionRouter } from '../metorial/api-for-connection.js'
import { isObject, ownerOf, toSession } from '../metorial/objects.js'
import type { SessionApi } from '../metorial/setup-sessions.js'
import type { UpstreamCall } from '../metorial/upstream-call.js'
import { providerNotAllowed, type ProviderPolicy } from '../policy/provider.js'
import { enforceRateLimit, type RateLimit } from '../policy/rate-limit.js'
import type { RedirectOriginPolicy } from '../policy/redirect-origin.js'
import { parseCreateInput, type MetadataLimits } from '../policy/validate-input.js'
import { recordCompletion, type CompletionDeps } from './record-completion.js'

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
}

/** `POST …/setup-sessions` and `GET …/setup-sessions/{id}`: start a session for the user, and read one of theirs. */
export function sessionRoutes(deps: SessionRoutesDeps) {
  const { api, apis, upstream, now } = deps

  async function create(request: Request, userId: string): Promise<Response> {
    await enforceRateLimit(deps.rateLimit, { userId, action: 'create_session', request })
    const input = parseCreateInput(await readJsonBody(request, deps.maxBodyBytes), deps.limits)
    deps.origins.check(input.redirectUrl, request)
    const target = await deps.providers.approve(input, request)
    const authCredentialsId = await deps.providers.credentialsFor(input.providerId, request)
    const raw = await upstream('create', () => apis[api].create({ ...input, ownerMetadata: { [deps.ownerKey]: userId }, authCredentialsId }, request.signal))
    const session = toSession(raw, now())
    if (!(await deps.providers.confirm(target, session, raw, request))) {
      await deps.router.discardSession(api, session.id)
      throw providerNotAllowed()
    }
    return json(201, session)
  }

  async function read(request: Request, userId: string, id: string): Promise<Response> {
    const raw = await upstream('read', () => apis[api].read(id, request.signal))
    if (!isObject(raw) || ownerOf(raw, deps.ownerKey) !== userId) throw notFound()
    const session = toSession(raw, now())
    await recordCompletion(deps.completion, userId, session, raw)
    return json(200, session)
  }

  return { create, read }
}
