/**
 * Metorial's older OAuth sessions (`/provider-oauth/sessions`, ids `soas_…`), as apps built before
 * 2026 still use them: created for a server deployment, `pending` until the consent page first
 * loads, then `opened`, then `completed` or `failed`. No `expires_at`; DELETE removes the session.
 */
import { consentPage, messagePage, type ProviderInfo } from './consent-page.js'
import { randomId } from './ids.js'

type Json = Record<string, unknown>

interface OAuthSessionRecord {
  id: string
  clientSecret: string
  serverDeploymentId: string
  status: 'pending' | 'opened' | 'completed' | 'failed'
  metadata: Json
  redirectUri: string | null
  url: string
  createdAt: number
  updatedAt: number
  completedAt: number | null
}

export interface OAuthSessionsDeps {
  now: () => number
  basePath: string
  publicBase: (request: Request) => string
  /** The provider a server deployment connects, for the consent page. */
  providerOf: (serverDeploymentId: string) => ProviderInfo
  json: (status: number, body: unknown) => Response
  error: (status: number, code: string, message: string) => Response
  html: (status: number, html: string, headers?: Record<string, string>) => Response
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

export function createOAuthSessions(deps: OAuthSessionsDeps) {
  const sessions = new Map<string, OAuthSessionRecord>()

  function wire(session: OAuthSessionRecord): Json {
    return {
      object: 'provider_oauth.session',
      id: session.id,
      status: session.status,
      url: session.url,
      server_deployment: { id: session.serverDeploymentId },
      metadata: session.metadata,
      redirect_uri: session.redirectUri,
      completed_at: iso(session.completedAt),
      created_at: iso(session.createdAt),
      updated_at: iso(session.updatedAt),
    }
  }

  async function create(request: Request): Promise<Response> {
    const body: unknown = await request.json().catch(() => undefined)
    if (typeof body !== 'object' || body === null) return deps.error(400, 'invalid_body', 'The body must be a JSON object.')
    const fields = body as Json
    const deployment = typeof fields.server_deployment_id === 'string' ? fields.server_deployment_id : null
    if (!deployment) return deps.error(400, 'invalid_data', 'server_deployment_id or connection_id is required.')
    const at = deps.now()
    const id = randomId('soas_')
    const clientSecret = randomId('soas_secret_', 32)
    const session: OAuthSessionRecord = {
      id,
      clientSecret,
      serverDeploymentId: deployment,
      status: 'pending',
      metadata: typeof fields.metadata === 'object' && fields.metadata !== null ? { ...(fields.metadata as Json) } : {},
      redirectUri: typeof fields.redirect_uri === 'string' ? fields.redirect_uri : null,
      url: `${deps.publicBase(request)}/consent/${id}?client_secret=${clientSecret}`,
      createdAt: at,
      updatedAt: at,
      completedAt: null,
    }
    sessions.set(id, session)
    return deps.json(200, wire(session))
  }

  /** The REST routes under `/provider-oauth/sessions`; null when the path is not one of them. */
  async function route(request: Request, segments: string[]): Promise<Response | null> {
    const [collection, kind, id, extra] = segments
    if (collection !== 'provider-oauth' || kind !== 'sessions' || extra !== undefined) return null
    if (id === undefined) {
      if (request.method === 'POST') return create(request)
      if (request.method === 'GET') return deps.json(200, { items: [...sessions.values()].map(wire), pagination: { has_more_before: false, has_more_after: false } })
      return null
    }
    const session = sessions.get(id)
    if (request.method === 'GET') return session ? deps.json(200, wire(session)) : deps.error(404, 'not_found', 'OAuth session not found.')
    if (request.method === 'DELETE') {
      if (!session) return deps.error(404, 'not_found', 'OAuth session not found.')
      sessions.delete(id)
      return deps.json(200, wire(session))
    }
    return null
  }

  /** The consent page of a legacy session: its first load marks it `opened`. */
  async function consent(request: Request, url: URL, id: string): Promise<Response> {
    const session = sessions.get(id)
    let secret = url.searchParams.get('client_secret')
    let decision: string | null = null
    if (request.method === 'POST') {
      const form = await request.formData().catch(() => null)
      secret = (form?.get('client_secret') as string | null) ?? secret
      decision = form?.get('decision') as string | null
    }
    if (!session) return deps.html(404, messagePage('Link not found', 'This connection link does not exist.'))
    if (secret !== session.clientSecret) return deps.html(403, messagePage('Link not valid', 'This connection link is not valid. Start again from the app.'))
    const provider = deps.providerOf(session.serverDeploymentId)
    if (session.status === 'completed' || session.status === 'failed') {
      return deps.html(409, messagePage('Already finished', `This request to connect ${provider.name} has ended (${session.status}). You can close this window.`))
    }
    if (request.method === 'GET') {
      if (session.status === 'pending') Object.assign(session, { status: 'opened', updatedAt: deps.now() })
      const noExpiry = new Date(session.createdAt + 24 * 60 * 60 * 1000).toISOString()
      return deps.html(200, consentPage({ provider, action: `${deps.basePath}/consent/${session.id}`, clientSecret: session.clientSecret, expiresAt: noExpiry }))
    }
    if (decision !== 'allow' && decision !== 'deny') return deps.html(400, messagePage('Choose Allow or Deny', 'The form was sent without a decision.'))
    const at = deps.now()
    Object.assign(session, decision === 'allow' ? { status: 'completed', completedAt: at, updatedAt: at } : { status: 'failed', updatedAt: at })
    if (session.redirectUri) return new Response(null, { status: 303, headers: { location: session.redirectUri, 'cache-control': 'no-store' } })
    return deps.html(200, messagePage(decision === 'allow' ? 'Connected' : 'Access denied', `${provider.name} ${decision === 'allow' ? 'is connected' : 'was not connected'}. You can close this window.`))
  }

  return {
    route,
    consent,
    has: (id: string) => sessions.has(id),
    /** What the Allow button does, for tests that skip the page. */
    complete(id: string) {
      const session = sessions.get(id)
      if (!session) throw new Error(`No OAuth session ${id} in the simulation.`)
      Object.assign(session, { status: 'completed', completedAt: deps.now(), updatedAt: deps.now() })
    },
    /** The session in Metorial's wire format, or undefined. */
    get: (id: string) => {
      const session = sessions.get(id)
      return session ? wire(session) : undefined
    },
  }
}
