/**
 * Metorial's older OAuth sessions (`/provider-oauth/sessions`, ids `soas_…`), as apps built before
 * 2026 still use them, in the shape of the official pulsar client (`mt_2025_01_01_pulsar`): created
 * for a server deployment or an OAuth connection, `pending` until the consent page first loads,
 * then `opened`, then `completed` or `failed`. The session names its OAuth `connection` (with the
 * provider) and the `instance_id`, never a deployment. No `expires_at`; DELETE removes the session.
 */
import { consentPage, messagePage, type ProviderInfo } from './consent-page.js'
import { randomId } from './ids.js'
import { listPage } from './list-query.js'

type Json = Record<string, unknown>

interface OAuthSessionRecord {
  id: string
  clientSecret: string
  /** The OAuth connection (the legacy API's OAuth app) the session authorizes. */
  connectionId: string
  providerId: string
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
  /** The provider a server deployment or OAuth connection connects: its id and what the consent page shows. */
  providerOf: (deploymentOrConnectionId: string) => { id: string; info: ProviderInfo }
  /** What the consent page shows for a provider id. */
  providerInfo: (providerId: string) => ProviderInfo
  json: (status: number, body: unknown) => Response
  error: (status: number, code: string, message: string) => Response
  html: (status: number, html: string, headers?: Record<string, string>) => Response
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())
/** The one instance the simulation stands for. */
const INSTANCE_ID = 'inst_simulation'

export function createOAuthSessions(deps: OAuthSessionsDeps) {
  const sessions = new Map<string, OAuthSessionRecord>()

  function wire(session: OAuthSessionRecord): Json {
    return {
      object: 'provider_oauth.session',
      id: session.id,
      status: session.status,
      url: session.url,
      connection: connection(session),
      metadata: session.metadata,
      redirect_uri: session.redirectUri,
      instance_id: INSTANCE_ID,
      completed_at: iso(session.completedAt),
      created_at: iso(session.createdAt),
      updated_at: iso(session.updatedAt),
    }
  }

  function connection(session: OAuthSessionRecord): Json {
    const provider = { id: session.providerId, info: deps.providerInfo(session.providerId) }
    return {
      object: 'provider_oauth.connection',
      id: session.connectionId,
      status: 'active',
      name: `${provider.info.name} OAuth app`,
      description: null,
      metadata: {},
      provider: { id: provider.id, name: provider.info.name, url: `https://provider.example/${provider.id}`, image_url: `https://provider.example/${provider.id}.png` },
      config: {},
      scopes: [],
      client_id: `client_${provider.id}`,
      instance_id: INSTANCE_ID,
      template_id: null,
      created_at: iso(0),
      updated_at: iso(0),
    }
  }

  async function create(request: Request): Promise<Response> {
    const body: unknown = await request.json().catch(() => undefined)
    if (typeof body !== 'object' || body === null) return deps.error(400, 'invalid_body', 'The body must be a JSON object.')
    const fields = body as Json
    const deployment = typeof fields.server_deployment_id === 'string' && fields.server_deployment_id !== '' ? fields.server_deployment_id : null
    const connectionId = typeof fields.connection_id === 'string' && fields.connection_id !== '' ? fields.connection_id : null
    if (!deployment === !connectionId) return deps.error(400, 'invalid_data', 'Exactly one of server_deployment_id or connection_id is required.')
    const provider = deps.providerOf((deployment ?? connectionId) as string)
    const at = deps.now()
    const id = randomId('soas_')
    const clientSecret = randomId('soas_secret_', 32)
    const session: OAuthSessionRecord = {
      id,
      clientSecret,
      // A deployment's sessions go through its provider's OAuth connection.
      connectionId: connectionId ?? `soac_${provider.id}`,
      providerId: provider.id,
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
  async function route(request: Request, url: URL, segments: string[]): Promise<Response | null> {
    const [collection, kind, id, extra] = segments
    if (collection !== 'provider-oauth' || kind !== 'sessions' || extra !== undefined) return null
    if (id === undefined) {
      if (request.method === 'POST') return create(request)
      if (request.method === 'GET') {
        const page = listPage([...sessions.values()], url, wire)
        return deps.json(page.status, page.body)
      }
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
    const provider = deps.providerInfo(session.providerId)
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
