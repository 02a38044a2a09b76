import { consentPage, messagePage, type ProviderInfo } from './consent-page.js'
import { randomId } from './ids.js'
import { createCredentialRoutes } from './credentials.js'
import { createCatalogueRoutes } from './catalogue.js'
import { createDashboard, type RevokeOutcome } from './dashboard.js'
import { SIMULATION_CATALOGUE } from './catalogue-data.js'
import { listPage, matches } from './list-query.js'
import { createOAuthSessions } from './oauth-sessions.js'
import {
  authMethodId,
  iso,
  wireAuthConfig,
  wireAuthCredentials,
  wireAuthMethod,
  wireDeploymentPreview,
  type AuthConfigRecord,
  type AuthCredentialsRecord,
  type SimulatedAuthMethod,
} from './wire-objects.js'

/** Routes a fault can be aimed at; `'*'` matches the next REST call whatever it is. */
export type SimulationRoute =
  | 'create-session'
  | 'get-session'
  | 'list-sessions'
  | 'update-session'
  | 'delete-session'
  | 'list-auth-configs'
  | 'create-auth-config'
  | 'get-auth-config'
  | 'update-auth-config'
  | 'delete-auth-config'
  | '*'

export interface SimulationFault {
  /** Answer with this status. Defaults to `500`. */
  status?: number
  /** JSON body (objects) or raw text (strings). Defaults to a Metorial-style error for `status`. */
  body?: unknown
  headers?: Record<string, string>
  /** Answer with HTML instead of JSON, like a proxy error page. Defaults to `false`. */
  nonJson?: boolean
  /** Wait this long before answering, to trip the client's timeout. Defaults to `0`. */
  delayMs?: number
  /** With `delayMs`: run the real route after the wait instead of answering `status`. Defaults to `false`. */
  passThrough?: boolean
}

export interface SimulationOptions {
  /** The Bearer key the REST routes require. Defaults to `'metorial_sk_simulation'`. */
  apiKey?: string
  /** How long a session stays pending. Defaults to 30 minutes. */
  lifetimeMs?: number
  /** The clock. Defaults to `Date.now`. */
  now?: () => number
  /**
   * Where browsers reach the simulation, used in each session's consent `url` (e.g.
   * `'http://127.0.0.1:5173/metorial'`). A function is read per session. Defaults to the
   * origin of the create request plus `basePath`.
   */
  publicBaseUrl?: string | (() => string)
  /** The path the simulation is mounted under, e.g. `'/metorial'`. Defaults to `''`. */
  basePath?: string
  /**
   * Known providers by id. Defaults to accepting any provider id, named as in the built-in catalogue
   * (`slack` is "Slack"), else after its id.
   */
  providers?: Record<string, ProviderInfo>
  /**
   * The provider each server deployment (or legacy OAuth connection) connects, for legacy OAuth
   * sessions (`server_deployment_id` / `connection_id`). Defaults to reading the id as a provider id.
   */
  serverDeployments?: Record<string, string>
  /**
   * The provider each provider deployment (`pde_…`) serves, for imports by `provider_deployment_id`.
   * Defaults to the provider whose id follows `pde_` (`pde_slack` → `slack`), else the id itself.
   */
  providerDeployments?: Record<string, string>
}

type Json = Record<string, unknown>

type SessionType = 'auth_only' | 'config_only' | 'auth_and_config' | 'auto'
const SESSION_TYPES = new Set<string>(['auth_only', 'config_only', 'auth_and_config', 'auto'])
/**
 * Metorial routes by API version: magnetar (2026) has setup sessions, auth configs, exports,
 * imports and auth credentials but no `provider-oauth`; pulsar (2025) has `provider-oauth` and none
 * of the rest. Each in the forms seen: the short name, the `mt_` form, and the dated one the SDK sends.
 */
const MAGNETAR_VERSIONS = new Set(['magnetar', 'mt_2026_01_01_magnetar', '2026-01-01-magnetar'])
const PULSAR_VERSIONS = new Set(['pulsar', 'mt_2025_01_01_pulsar', '2025-01-01-pulsar'])
const LINKED_ELSEWHERE = 'provider_auth_config_identity_credential_archive_not_allowed'

interface SessionRecord {
  id: string
  clientSecret: string
  providerId: string
  authMethod: SimulatedAuthMethod
  deploymentId: string | null
  credentials: AuthCredentialsRecord | null
  /** `auto` resolved at create, as Metorial does. */
  type: Exclude<SessionType, 'auto'>
  status: 'pending' | 'completed' | 'expired' | 'failed' | 'archived' | 'deleted'
  name: string | null
  description: string | null
  metadata: Json
  redirectUrl: string | null
  url: string
  authConfigId: string | null
  createdAt: number
  updatedAt: number
  expiresAt: number
  /** Set by `archiveAtCompletion`: the auth config the user makes is archived (or deleted) at once. */
  revokeAtCompletion: 'archived' | 'deleted' | null
}

export interface RecordedRequest {
  method: string
  path: string
  /** The query string, without the `?`. */
  query: string
  /** The JSON body of a POST or PATCH. */
  body?: unknown
  version: string | null
  authorized: boolean
}

const LIFETIME_METADATA_KEY = 'simulation_lifetime_ms'

function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })
}

function metorialError(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  return jsonResponse(status, { object: 'error', status, code, message }, headers)
}

function htmlResponse(status: number, html: string, headers: Record<string, string> = {}): Response {
  return new Response(html, {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-frame-options': 'DENY', ...headers },
  })
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * An in-process Metorial: the provider setup session and auth config REST routes in Metorial's
 * wire format, the hosted consent page (Allow / Deny / let it expire), and a dashboard page
 * (`{base}/dashboard`) that archives or deletes auth configs as Metorial's own does. A fetch-standard
 * `handle(request)`, so it runs inside a test, behind `node:http`, or as an injected `fetch`.
 */
export function createMetorialSimulation(options: SimulationOptions = {}) {
  const apiKey = options.apiKey ?? 'metorial_sk_simulation'
  const now = options.now ?? Date.now
  const basePath = (options.basePath ?? '').replace(/\/+$/, '')
  let lifetimeMs = options.lifetimeMs ?? 30 * 60 * 1000
  let latencyMs = 0
  const faults: Array<{ route: SimulationRoute; fault: SimulationFault }> = []
  const sessions = new Map<string, SessionRecord>()
  const authConfigs = new Map<string, AuthConfigRecord>()
  const requests: RecordedRequest[] = []

  /** What the consent page and an auth config's name call a provider the options do not describe. */
  function catalogueInfo(id: string): ProviderInfo {
    return { name: SIMULATION_CATALOGUE.find(item => item.id === id)?.name ?? id }
  }

  function providerInfo(id: string): ProviderInfo | undefined {
    if (!options.providers) return catalogueInfo(id)
    // Own keys only: `constructor` or `__proto__` is not a provider.
    return Object.prototype.hasOwnProperty.call(options.providers, id) ? options.providers[id] : undefined
  }

  const oauthSessions = createOAuthSessions({
    now,
    basePath,
    publicBase: request => publicBase(request),
    providerOf: deployment => {
      const providerId = options.serverDeployments?.[deployment] ?? deployment
      return { id: providerId, info: providerInfo(providerId) ?? catalogueInfo(providerId) }
    },
    providerInfo: providerId => providerInfo(providerId) ?? catalogueInfo(providerId),
    json: jsonResponse,
    error: metorialError,
    html: htmlResponse,
  })

  const credentialRoutes = createCredentialRoutes({
    now,
    createAuthConfig: input => createAuthConfig({ ...input, source: 'manual' }),
    authConfig: id => authConfigs.get(id),
    providerOfDeployment: deploymentId => providerOfDeployment(deploymentId),
    json: jsonResponse,
    error: metorialError,
  })

  const catalogueRoutes = createCatalogueRoutes({ now, providers: options.providers, json: jsonResponse, error: metorialError })

  const dashboard = createDashboard({
    basePath,
    publicOrigin: request => {
      try {
        return new URL(publicBase(request)).origin
      } catch {
        return ''
      }
    },
    authConfigs: () => authConfigs.values(),
    providerName: id => (providerInfo(id) ?? catalogueInfo(id)).name,
    revoke: (id, status) => revokeAuthConfig(id, status),
    html: htmlResponse,
  })

  /**
   * What Metorial's dashboard does: archive (still readable by id, listed under `status=archived`)
   * or delete (never listed, 404 by id). A deleted config is gone; one linked to an identity
   * credential is refused, as its REST DELETE is. Archiving an archived config changes nothing.
   */
  function revokeAuthConfig(id: string, status: 'archived' | 'deleted'): RevokeOutcome {
    const config = authConfigs.get(id)
    if (!config || config.status === 'deleted') return 'not_found'
    if (config.linked) return 'linked'
    if (config.status !== status) {
      config.status = status
      config.updatedAt = now()
    }
    return 'done'
  }

  function requireRevoke(id: string, status: 'archived' | 'deleted'): Json {
    const outcome = revokeAuthConfig(id, status)
    if (outcome === 'not_found') throw new Error(`No auth config ${id} in the simulation (a deleted one is gone).`)
    if (outcome === 'linked') throw new Error(`Auth config ${id} is linked to an identity credential: Metorial refuses to archive it.`)
    return wireAuthConfig(authConfigs.get(id) as AuthConfigRecord)
  }

  function providerOfDeployment(deploymentId: string): string | undefined {
    const mapped = options.providerDeployments?.[deploymentId]
    if (mapped) return mapped
    const named = deploymentId.replace(/^pde_/, '')
    if (providerInfo(named) && named !== deploymentId) return named
    return providerInfo(deploymentId) ? deploymentId : undefined
  }

  function methodOf(providerId: string): SimulatedAuthMethod {
    return providerInfo(providerId)?.authMethod ?? 'oauth'
  }

  /** Metorial computes `expired` on read: pending and past `expires_at`. */
  function refresh(session: SessionRecord): SessionRecord {
    if (session.status === 'pending' && session.expiresAt <= now()) {
      session.status = 'expired'
      session.updatedAt = session.expiresAt
    }
    return session
  }

  function wireSession(session: SessionRecord): Json {
    const config = session.authConfigId ? authConfigs.get(session.authConfigId) : undefined
    return {
      object: 'provider.setup_session',
      id: session.id,
      type: session.type,
      status: session.status,
      url: session.url,
      name: session.name,
      description: session.description,
      metadata: session.metadata,
      provider_id: session.providerId,
      auth_method: wireAuthMethod(session.providerId, session.authMethod, session.createdAt),
      deployment: session.deploymentId ? wireDeploymentPreview(session.deploymentId, session.providerId, session.createdAt) : null,
      credentials: session.credentials ? wireAuthCredentials(session.credentials) : null,
      auth_config: config ? wireAuthConfig(config) : null,
      // The simulation has no configuration step, so no provider config is ever made.
      config: null,
      ui_mode: 'default',
      redirect_url: session.redirectUrl,
      created_at: iso(session.createdAt),
      updated_at: iso(session.updatedAt),
      expires_at: iso(session.expiresAt),
    }
  }

  function publicBase(request: Request): string {
    const configured = typeof options.publicBaseUrl === 'function' ? options.publicBaseUrl() : options.publicBaseUrl
    return (configured ?? `${new URL(request.url).origin}${basePath}`).replace(/\/+$/, '')
  }

  function createAuthConfig(input: {
    providerId: string
    metadata?: Json
    name?: string
    id?: string
    source?: AuthConfigRecord['source']
    deploymentId?: string | null
    credentials?: AuthCredentialsRecord | null
    value?: Json
  }): AuthConfigRecord {
    const at = now()
    const method = methodOf(input.providerId)
    const fromSession = input.source === 'setup_session'
    const config: AuthConfigRecord = {
      id: input.id ?? randomId('pac_'),
      providerId: input.providerId,
      name: input.name ?? `${(providerInfo(input.providerId) ?? catalogueInfo(input.providerId)).name} account`,
      description: null,
      authMethod: method,
      source: input.source ?? 'manual',
      deploymentId: input.deploymentId ?? null,
      credentials: input.credentials ?? null,
      ephemeral: fromSession && method !== 'oauth',
      linked: false,
      status: 'active',
      metadata: { ...(input.metadata ?? {}) },
      value: input.value ?? { access_token: randomId('tok_', 24), refresh_token: randomId('ref_', 24), token_type: 'bearer' },
      createdAt: at,
      updatedAt: at,
    }
    authConfigs.set(config.id, config)
    return config
  }

  async function createSession(request: Request): Promise<Response> {
    let body: unknown
    try {
      body = await request.json()
    } catch {
      return metorialError(400, 'invalid_body', 'The body must be JSON.')
    }
    if (!isObject(body)) return metorialError(400, 'invalid_body', 'The body must be a JSON object.')
    const providerId = typeof body.provider_id === 'string' ? body.provider_id : null
    if (!providerId) return metorialError(400, 'invalid_data', 'provider_id or provider_deployment_id is required.')
    const provider = providerInfo(providerId)
    if (!provider) return metorialError(404, 'not_found', `Provider ${providerId} not found.`)
    const requested = body.type ?? 'auto'
    if (typeof requested !== 'string' || !SESSION_TYPES.has(requested)) {
      return metorialError(400, 'invalid_data', 'type must be one of auth_only, config_only, auth_and_config, auto.')
    }
    const type: SessionRecord['type'] = requested === 'auto' ? (provider.configSchema ? 'auth_and_config' : 'auth_only') : (requested as SessionRecord['type'])
    const credentialsId = typeof body.provider_auth_credentials_id === 'string' ? body.provider_auth_credentials_id : null
    const credentials = credentialsId ? credentialRoutes.get(credentialsId) : undefined
    if (credentialsId && (!credentials || credentials.providerId !== providerId)) return metorialError(404, 'not_found', `Provider auth credentials ${credentialsId} not found.`)
    const method = methodOf(providerId)
    const requestedMethod = body.provider_auth_method_id
    // The method key (`oauth`) is accepted as well as the method's id, as Metorial does.
    if (requestedMethod !== undefined && requestedMethod !== method && requestedMethod !== authMethodId(providerId, method)) {
      return metorialError(404, 'not_found', `Provider auth method ${String(requestedMethod)} not found.`)
    }
    if (provider.oauthCredentials === false && method === 'oauth' && type !== 'config_only' && !credentials) {
      return metorialError(400, 'missing_auth_credentials', 'No default provider auth credentials found for oauth method')
    }
    if (body.metadata !== undefined && body.metadata !== null && !isObject(body.metadata)) {
      return metorialError(400, 'invalid_data', 'metadata must be an object.')
    }
    const metadata = isObject(body.metadata) ? { ...body.metadata } : {}
    const override = Number(metadata[LIFETIME_METADATA_KEY])
    const at = now()
    const id = randomId('pas_')
    const clientSecret = randomId('pas_secret_', 32)
    const session: SessionRecord = {
      id,
      clientSecret,
      providerId,
      authMethod: method,
      deploymentId: typeof body.provider_deployment_id === 'string' ? body.provider_deployment_id : null,
      credentials: credentials ?? null,
      type,
      status: 'pending',
      name: typeof body.name === 'string' ? body.name : null,
      description: typeof body.description === 'string' ? body.description : null,
      metadata,
      redirectUrl: typeof body.redirect_url === 'string' ? body.redirect_url : null,
      url: `${publicBase(request)}/consent/${id}?client_secret=${clientSecret}`,
      authConfigId: null,
      createdAt: at,
      updatedAt: at,
      expiresAt: at + (Number.isFinite(override) && override > 0 ? override : lifetimeMs),
      revokeAtCompletion: null,
    }
    sessions.set(id, session)
    return jsonResponse(200, wireSession(session))
  }

  /** Metorial's pagination and order (see list-query.ts) over items already filtered. */
  function list<T extends { id: string }>(items: T[], url: URL, wire: (item: T) => Json): Response {
    const page = listPage(items, url, wire)
    return jsonResponse(page.status, page.body)
  }

  /** POST /provider-auth-configs: a config made from given credentials (`value`), for the provider of the auth method named. */
  async function createManualAuthConfig(request: Request): Promise<Response> {
    const body: unknown = await request.json().catch(() => undefined)
    if (!isObject(body)) return metorialError(400, 'invalid_body', 'The body must be a JSON object.')
    const methodId = typeof body.provider_auth_method_id === 'string' ? body.provider_auth_method_id : null
    if (!methodId || !isObject(body.value)) return metorialError(400, 'invalid_data', 'provider_auth_method_id and value are required.')
    const deploymentId = typeof body.provider_deployment_id === 'string' ? body.provider_deployment_id : null
    const named = /^pam_(.+)_(oauth|token|api_key)$/.exec(methodId)
    const providerId = named?.[1] ?? (deploymentId ? providerOfDeployment(deploymentId) : undefined)
    if (!providerId || !providerInfo(providerId) || (named && named[2] !== methodOf(providerId))) {
      return metorialError(404, 'not_found', `Provider auth method ${methodId} not found.`)
    }
    const config = createAuthConfig({
      providerId,
      deploymentId,
      metadata: isObject(body.metadata) ? body.metadata : {},
      ...(typeof body.name === 'string' ? { name: body.name } : {}),
      value: { ...body.value },
    })
    if (typeof body.description === 'string') config.description = body.description
    return jsonResponse(200, wireAuthConfig(config))
  }

  /** PATCH of an auth config: name, description and metadata. */
  async function updateAuthConfig(request: Request, config: AuthConfigRecord): Promise<Response> {
    const body: unknown = await request.json().catch(() => undefined)
    if (!isObject(body)) return metorialError(400, 'invalid_body', 'The body must be a JSON object.')
    if (typeof body.name === 'string') config.name = body.name
    if (typeof body.description === 'string') config.description = body.description
    if (isObject(body.metadata)) config.metadata = { ...body.metadata }
    config.updatedAt = now()
    return jsonResponse(200, wireAuthConfig(config))
  }

  /** PATCH: name, description and metadata, as the official `update` sends them. */
  async function updateSession(request: Request, session: SessionRecord): Promise<Response> {
    const body: unknown = await request.json().catch(() => undefined)
    if (!isObject(body)) return metorialError(400, 'invalid_body', 'The body must be a JSON object.')
    if (body.metadata !== undefined && body.metadata !== null && !isObject(body.metadata)) return metorialError(400, 'invalid_data', 'metadata must be an object.')
    if (typeof body.name === 'string') session.name = body.name
    if (typeof body.description === 'string') session.description = body.description
    if (isObject(body.metadata)) session.metadata = { ...body.metadata }
    session.updatedAt = now()
    return jsonResponse(200, wireSession(refresh(session)))
  }

  function restRoute(method: string, rest: string[]): { route: Exclude<SimulationRoute, '*'>; id?: string } | null {
    const [collection, id, extra] = rest
    if (extra !== undefined) return null
    if (collection === 'provider-setup-sessions') {
      if (id === undefined) return method === 'POST' ? { route: 'create-session' } : method === 'GET' ? { route: 'list-sessions' } : null
      if (method === 'PATCH') return { route: 'update-session', id }
      return method === 'GET' ? { route: 'get-session', id } : method === 'DELETE' ? { route: 'delete-session', id } : null
    }
    if (collection === 'provider-auth-configs') {
      if (id === undefined) return method === 'GET' ? { route: 'list-auth-configs' } : method === 'POST' ? { route: 'create-auth-config' } : null
      if (method === 'PATCH') return { route: 'update-auth-config', id }
      return method === 'GET' ? { route: 'get-auth-config', id } : method === 'DELETE' ? { route: 'delete-auth-config', id } : null
    }
    return null
  }

  async function rest(request: Request, url: URL, segments: string[]): Promise<Response> {
    const authorization = request.headers.get('authorization')
    const authorized = authorization === `Bearer ${apiKey}`
    const version = request.headers.get('metorial-version')
    const recorded: RecordedRequest = { method: request.method, path: url.pathname.slice(basePath.length), query: url.search.slice(1), version, authorized }
    requests.push(recorded)
    if (!authorized) return metorialError(401, 'unauthorized', 'Missing or invalid API key.')
    const pulsar = version !== null && PULSAR_VERSIONS.has(version)
    if (version !== null && !pulsar && !MAGNETAR_VERSIONS.has(version)) return metorialError(400, 'invalid_version', `Unknown Metorial-Version ${version}.`)
    if (request.method === 'POST' || request.method === 'PATCH') recorded.body = await request.clone().json().catch(() => undefined)
    // Each version has its own routes: `provider-oauth` only in pulsar, everything else only in
    // magnetar. A request without the header gets whichever version has the route.
    const legacyRoute = segments[0] === 'provider-oauth'
    if (version !== null && legacyRoute !== pulsar) return metorialError(404, 'not_found', `No such route in API version ${version}.`)
    const other = legacyRoute
      ? await oauthSessions.route(request, url, segments)
      : ((await credentialRoutes.route(request, url, segments)) ?? catalogueRoutes.route(request, url, segments))
    if (other) return other
    const match = restRoute(request.method, segments)
    if (!match) return metorialError(404, 'not_found', 'No such route.')
    const index = faults.findIndex(item => item.route === match.route || item.route === '*')
    if (index >= 0) {
      const fault = faults.splice(index, 1)[0]?.fault ?? {}
      if (fault.delayMs) await new Promise(resolve => setTimeout(resolve, fault.delayMs))
      if (!fault.passThrough) {
        const status = fault.status ?? 500
        if (fault.nonJson) return htmlResponse(status, '<html><body><h1>Bad gateway</h1></body></html>', fault.headers)
        if (typeof fault.body === 'string') return new Response(fault.body, { status, headers: fault.headers })
        if (fault.body !== undefined) return jsonResponse(status, fault.body, fault.headers)
        return metorialError(status, status === 429 ? 'rate_limited' : 'simulated_fault', `Simulated ${status}.`, fault.headers)
      }
    }
    const id = match.id ?? ''
    switch (match.route) {
      case 'create-session':
        return createSession(request)
      case 'list-sessions': {
        const items = [...sessions.values()]
          .map(refresh)
          .filter(
            item =>
              matches(url, 'status', item.status) &&
              matches(url, 'id', item.id) &&
              matches(url, 'provider_id', item.providerId) &&
              matches(url, 'provider_deployment_id', item.deploymentId) &&
              matches(url, 'provider_auth_method_id', authMethodId(item.providerId, item.authMethod)) &&
              matches(url, 'provider_auth_config_id', item.authConfigId) &&
              matches(url, 'provider_auth_credentials_id', item.credentials?.id),
          )
        return list(items, url, wireSession)
      }
      case 'update-session': {
        const session = sessions.get(id)
        return session ? updateSession(request, session) : metorialError(404, 'not_found', 'Setup session not found.')
      }
      case 'get-session': {
        const session = sessions.get(id)
        return session ? jsonResponse(200, wireSession(refresh(session))) : metorialError(404, 'not_found', 'Setup session not found.')
      }
      case 'delete-session': {
        const session = sessions.get(id)
        if (!session) return metorialError(404, 'not_found', 'Setup session not found.')
        // Metorial answers without changing anything: a setup session cannot be archived this way.
        return jsonResponse(200, wireSession(refresh(session)))
      }
      case 'list-auth-configs': {
        const search = url.searchParams.get('search')?.toLowerCase()
        // No metadata filter exists, deleted configs are gone, and ephemeral configs are never listed.
        const items = [...authConfigs.values()].filter(
          item =>
            !item.ephemeral &&
            item.status !== 'deleted' &&
            matches(url, 'status', item.status) &&
            matches(url, 'id', item.id) &&
            matches(url, 'provider_id', item.providerId) &&
            matches(url, 'provider_deployment_id', item.deploymentId) &&
            matches(url, 'provider_auth_method_id', authMethodId(item.providerId, item.authMethod)) &&
            matches(url, 'provider_auth_credentials_id', item.credentials?.id) &&
            (!search || `${item.name} ${item.description ?? ''}`.toLowerCase().includes(search)),
        )
        return list(items, url, wireAuthConfig)
      }
      case 'create-auth-config':
        return createManualAuthConfig(request)
      case 'update-auth-config': {
        const config = authConfigs.get(id)
        return config && config.status !== 'deleted' ? updateAuthConfig(request, config) : metorialError(404, 'not_found', 'Auth config not found.')
      }
      case 'get-auth-config': {
        const config = authConfigs.get(id)
        // A deleted config is gone: only the session that made it still shows it, with status deleted.
        return config && config.status !== 'deleted' ? jsonResponse(200, wireAuthConfig(config)) : metorialError(404, 'not_found', 'Auth config not found.')
      }
      case 'delete-auth-config': {
        const config = authConfigs.get(id)
        if (!config || config.status === 'deleted') return metorialError(404, 'not_found', 'Auth config not found.')
        if (config.linked) return metorialError(400, LINKED_ELSEWHERE, 'This auth config is used by an identity credential and cannot be archived.')
        if (config.status === 'archived') return metorialError(400, 'invalid_state', 'The auth config is already archived.')
        config.status = 'archived'
        config.updatedAt = now()
        return jsonResponse(200, wireAuthConfig(config))
      }
    }
  }

  async function consent(request: Request, url: URL, id: string): Promise<Response> {
    const session = sessions.get(id)
    let secret = url.searchParams.get('client_secret')
    let decision: string | null = null
    if (request.method === 'POST') {
      const form = await request.formData().catch(() => null)
      secret = (form?.get('client_secret') as string | null) ?? secret
      decision = form?.get('decision') as string | null
    } else if (request.method !== 'GET') {
      return htmlResponse(405, messagePage('Not allowed', 'This page only answers GET and POST.'), { allow: 'GET, POST' })
    }
    if (!session) return htmlResponse(404, messagePage('Link not found', 'This connection link does not exist.'))
    if (secret !== session.clientSecret) return htmlResponse(403, messagePage('Link not valid', 'This connection link is not valid. Start again from the app.'))
    refresh(session)
    const provider = providerInfo(session.providerId) ?? catalogueInfo(session.providerId)
    if (session.status === 'expired') {
      return htmlResponse(410, messagePage('This link has expired', `The request to connect ${provider.name} expired. Close this window and start again from the app.`))
    }
    if (session.status !== 'pending') {
      const done = session.status === 'completed' ? `Your ${provider.name} account is already connected.` : `This request to connect ${provider.name} has ended (${session.status}).`
      return htmlResponse(409, messagePage('Already finished', `${done} You can close this window.`))
    }
    if (request.method === 'GET') {
      const app = session.credentials
      return htmlResponse(200, consentPage({ provider, action: `${basePath}/consent/${session.id}`, clientSecret: session.clientSecret, expiresAt: iso(session.expiresAt), appName: app ? (app.name ?? app.clientId) : null }))
    }
    // Metorial sends the browser to redirect_url on success and on failure alike, adding nothing.
    const redirect = () => new Response(null, { status: 303, headers: { location: session.redirectUrl as string, 'cache-control': 'no-store' } })
    if (decision === 'allow') {
      const configId = allow(session)
      if (session.redirectUrl) return redirect()
      return configId !== null
        ? htmlResponse(200, messagePage('Connected', `Your ${provider.name} account is connected. You can close this window.`))
        : htmlResponse(200, messagePage('Almost there', `${provider.name} still needs its configuration. You can close this window.`))
    }
    if (decision === 'deny') {
      session.status = 'failed'
      session.updatedAt = now()
      if (session.redirectUrl) return redirect()
      return htmlResponse(200, messagePage('Access denied', `${provider.name} was not connected. You can close this window.`))
    }
    return htmlResponse(400, messagePage('Choose Allow or Deny', 'The form was sent without a decision.'))
  }

  /**
   * What Allow does. A session that also needs configuration (`auth_and_config`, `config_only`)
   * stays pending: the simulation has no configuration step, like a user who never finishes it.
   */
  function allow(session: SessionRecord): string | null {
    session.updatedAt = now()
    if (session.type !== 'auth_only') return null
    const config = createAuthConfig({
      providerId: session.providerId,
      metadata: session.metadata,
      source: 'setup_session',
      deploymentId: session.deploymentId,
      credentials: session.credentials,
    })
    // Removed at once (in Metorial's dashboard, or by another of the app's servers): the session
    // still completes, and its auth config reads archived or deleted.
    if (session.revokeAtCompletion) config.status = session.revokeAtCompletion
    session.authConfigId = config.id
    session.status = 'completed'
    return config.id
  }

  async function handle(request: Request): Promise<Response> {
    if (latencyMs > 0) await new Promise(resolve => setTimeout(resolve, latencyMs))
    const url = new URL(request.url)
    if (basePath && url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) {
      return metorialError(404, 'not_found', 'No such route.')
    }
    let segments: string[]
    try {
      segments = url.pathname.slice(basePath.length).split('/').filter(Boolean).map(decodeURIComponent)
    } catch {
      return metorialError(404, 'not_found', 'No such route.')
    }
    // Browsers ask for it on their own when they show the consent page: nothing to show, no 401.
    if (segments.length === 1 && segments[0] === 'favicon.ico') return new Response(null, { status: 204 })
    if (segments[0] === 'consent' && segments.length === 2) {
      const id = segments[1] as string
      return oauthSessions.has(id) ? oauthSessions.consent(request, url, id) : consent(request, url, id)
    }
    // A browser page with its own sign-in at Metorial: no API key, and no entry in `requests`.
    const page = dashboard.route(request, url, segments)
    if (page) return page
    return rest(request, url, segments)
  }

  function requireSession(id: string): SessionRecord {
    const session = sessions.get(id)
    if (!session) throw new Error(`No setup session ${id} in the simulation.`)
    return session
  }

  return {
    /** The fetch-standard handler: REST routes, the consent page and the dashboard page (`{base}/dashboard`). */
    handle,
    /** The key the REST routes require. */
    apiKey,
    /** Every REST call received, oldest first (method, path, `Metorial-Version`, whether the key matched). */
    requests,
    /** The next REST call to `route` (or any, with `'*'`) answers with this fault instead. Faults queue up. */
    failNext(route: SimulationRoute, fault: SimulationFault = {}) {
      faults.push({ route, fault })
    },
    /** Delay every answer by `ms`. */
    setLatency(ms: number) {
      latencyMs = ms
    },
    /** Lifetime of sessions created from now on. A create may also set `metadata.simulation_lifetime_ms`. */
    setLifetime(ms: number) {
      lifetimeMs = ms
    },
    /**
     * What the Allow button does, for tests that skip the page. Returns the auth config id, or
     * null when the session also needs configuration and so stays pending.
     */
    complete(sessionId: string): string | null {
      return allow(requireSession(sessionId))
    },
    /**
     * The auth config this session makes when the user allows is archived (or deleted) at once, as
     * if removed in Metorial's dashboard before the app saw it: the session reads `completed` with
     * an auth config whose status is not `active`.
     */
    archiveAtCompletion(sessionId: string, status: 'archived' | 'deleted' = 'archived') {
      requireSession(sessionId).revokeAtCompletion = status
    },
    /** What the Deny button does. */
    fail(sessionId: string) {
      Object.assign(requireSession(sessionId), { status: 'failed', updatedAt: now() })
    },
    /** Ends the session's lifetime now. */
    expire(sessionId: string) {
      const session = requireSession(sessionId)
      session.expiresAt = Math.min(session.expiresAt, now())
    },
    /** Adds an existing connection (e.g. a pre-connected demo account), with a chosen `id` if given. */
    seedAuthConfig(input: { providerId: string; metadata?: Json; name?: string; id?: string }): string {
      return createAuthConfig(input).id
    },
    /** Links an auth config to an identity credential: archiving it then fails, as in Metorial. */
    linkToIdentity(authConfigId: string) {
      const config = authConfigs.get(authConfigId)
      if (!config) throw new Error(`No auth config ${authConfigId} in the simulation.`)
      config.linked = true
    },
    /** The session in Metorial's wire format (with its consent `url`), or undefined. */
    getSession(sessionId: string): Json | undefined {
      const session = sessions.get(sessionId)
      return session ? wireSession(refresh(session)) : undefined
    },
    /** Legacy OAuth sessions (`soas_…`): `complete(id)` is what Allow does, `get(id)` the wire object. */
    oauthSessions: { complete: oauthSessions.complete, get: oauthSessions.get },
    /**
     * Every auth config in Metorial's wire format, oldest first, ephemeral and deleted ones included
     * (the REST list leaves both out); each one's `status` says which it is.
     */
    listAuthConfigs(): Json[] {
      return [...authConfigs.values()].map(wireAuthConfig)
    },
    /**
     * Archives an auth config as Metorial's dashboard does: status `archived`, still readable by id,
     * listed under `status=archived`. Returns it in the wire format. Throws for an unknown or deleted
     * id, and for one linked to an identity credential (Metorial refuses those). The page at
     * `{base}/dashboard` does the same from a browser.
     */
    archiveAuthConfig(id: string): Json {
      return requireRevoke(id, 'archived')
    },
    /**
     * Deletes an auth config as Metorial's dashboard does: status `deleted`, never listed again, and
     * reading it by id answers 404 (the setup session that made it still shows it, status `deleted`).
     * Returns it in the wire format as last seen; throws as `archiveAuthConfig` does.
     */
    deleteAuthConfig(id: string): Json {
      return requireRevoke(id, 'deleted')
    },
  }
}

export type MetorialSimulation = ReturnType<typeof createMetorialSimulation>
