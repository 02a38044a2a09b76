import { ConnectServerError } from '../http/connect-server-error.js'
import { errorText, type SafeLogger } from '../log/safe-logger.js'
import type { ConnectApi } from '../metorial/api-for-connection.js'
import { isObject, ownerOf, toSession, type ContractSession } from '../metorial/objects.js'
import type { SessionApi } from '../metorial/setup-sessions.js'
import type { UpstreamCall } from '../metorial/upstream-call.js'
import { linkPageLocale, linkPageResponse, type LinkPageKind } from '../pages/link-pages.js'
import { DEFAULT_LINK_LIFETIME_MS, hashLinkToken, LINK_TOKEN_PATTERN, MAX_LINK_LIFETIME_MS, newLinkId, newLinkToken } from '../policy/link-token.js'
import type { ProviderPolicy } from '../policy/provider.js'
import { enforceRateLimit, type RateLimit } from '../policy/rate-limit.js'
import { ID_PATTERN, type CreateInput } from '../policy/validate-input.js'
import { missingLinkMethods, type ConnectionStore, type LinkStore, type StoredLink } from '../store/connection-store.js'
import type { StoreCall } from '../store/store-call.js'
import { connectionNotFound } from './connections.js'
import { recordCompletion, type CompletionDeps } from './record-completion.js'

/** What `createConnectLink` takes. */
export interface ConnectLinkInput {
  /** The user the link connects, whoever opens it (`getUserId` is never asked on its pages). */
  userId: string
  /** The provider to connect, e.g. `'slack'`. */
  providerId: string
  /** The deployment, when the app names one. Defaults to none (Metorial's default for the provider). */
  providerDeploymentId?: string
  /** A connection of the user's to reconnect in place: the new one takes its place (and label). */
  replacesConnectionId?: string
  /** How long the link lives. Defaults to 24 hours; at most 7 days. */
  expiresInMs?: number
}

/** What `createConnectLink` resolves: post `url` where the user will see it; keep `id` to revoke it. */
export interface ConnectLink {
  id: string
  /** `{publicUrl}/links/{token}`: the only place the token exists. */
  url: string
  /** ISO 8601. */
  expiresAt: string
}

export interface LinkRoutesDeps {
  /** The `publicUrl` option, without a trailing slash; null when not given. */
  publicUrl: string | null
  appName: string | null
  store: ConnectionStore
  stored: StoreCall
  api: ConnectApi
  apis: Record<ConnectApi, SessionApi>
  upstream: UpstreamCall
  ownerKey: string
  providers: ProviderPolicy
  defaultProviderAuthMethodId: string | null
  /** Creates and remembers a setup session for a user (the same path as the browser's create). */
  startSession: (userId: string, input: CreateInput, request: Request) => Promise<ContractSession>
  forgetSession: (id: string) => Promise<void>
  completion: CompletionDeps
  rateLimit: RateLimit | null
  /** The provider's display name for the pages; null shows its id. */
  providerName: (providerId: string) => Promise<string | null>
  /** Metorial's API URL: its consent pages' origin is allowed as the form's destination. */
  baseUrl: string
  now: () => number
  log: SafeLogger
}

/** A press that claimed the link but has not yet stored its session: other presses wait for it. */
const CLAIM_PREFIX = 'claim:'
/** A claim older than this is a press whose server went away: the next press may take it over. */
const CLAIM_STALE_MS = 30_000
/** How often, and how long, a second press waits for the first one's session. */
const CLAIM_POLL_MS = 100
const CLAIM_WAIT_MS = 10_000

function isClaim(sessionId: string | null): sessionId is string {
  return sessionId !== null && sessionId.startsWith(CLAIM_PREFIX)
}

function claimAge(sessionId: string, at: number): number {
  return at - Number(sessionId.slice(CLAIM_PREFIX.length).split(':')[0])
}

function optionalId(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string' || !ID_PATTERN.test(value)) throw new TypeError(`createConnectLink: \`${name}\` must be an id (letters, digits, _ and -), not ${JSON.stringify(value)}.`)
  return value
}

/** Where a link page's form may lead: the link, then Metorial's consent page (its API's host, or a sibling of `api.…`). */
function consentOrigins(baseUrl: string): string[] {
  const url = new URL(baseUrl)
  const origins = [url.origin]
  if (url.hostname.startsWith('api.')) {
    const parent = url.hostname.slice('api.'.length)
    origins.push(`${url.protocol}//${parent}`, `${url.protocol}//*.${parent}`)
  }
  return origins
}

/** The `publicUrl` option, checked, without a trailing slash; null when not given. */
export function checkPublicUrl(value: unknown): string | null {
  if (value === undefined) return null
  let url: URL | null = null
  try {
    url = typeof value === 'string' ? new URL(value) : null
  } catch {
    url = null
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.search !== '' || url.hash !== '') {
    throw new TypeError(`createConnectServer: \`publicUrl\` must be the absolute http(s) URL the handler is mounted at, e.g. "https://app.example.com/api/connect", not ${JSON.stringify(value)}.`)
  }
  return url.href.replace(/\/+$/, '')
}

const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms))

/**
 * Connect links: `createConnectLink` and `revokeConnectLink` for the app's server code, and the
 * link's pages, `GET/POST {publicUrl}/links/{token}` and `GET …/links/{token}/done`, which never ask
 * `getUserId`: the link names its user. Every answer is a page (never JSON), and an unknown token
 * costs one store read and no call to Metorial.
 */
export function linkRoutes(deps: LinkRoutesDeps) {
  const formOrigins = new Set(consentOrigins(deps.baseUrl))

  function linkStore(what: string): LinkStore {
    const missing = missingLinkMethods(deps.store)
    if (missing.length > 0) throw new TypeError(`${what} needs a connection store with the link methods: add ${missing.join(', ')} (memoryConnectionStore and sqlConnectionStore have them; docs/connect-links.md).`)
    return deps.store as LinkStore
  }

  function requirePublicUrl(): string {
    if (deps.publicUrl === null) throw new TypeError('createConnectLink needs the `publicUrl` option of createConnectServer: the public URL the handler is mounted at, e.g. "https://app.example.com/api/connect".')
    return deps.publicUrl
  }

  async function create(input: ConnectLinkInput): Promise<ConnectLink> {
    const publicUrl = requirePublicUrl()
    const store = linkStore('createConnectLink')
    if (!isObject(input)) throw new TypeError('createConnectLink needs { userId, providerId }.')
    const { userId } = input
    if (typeof userId !== 'string' || userId.trim() === '') throw new TypeError('createConnectLink needs the user id (a non-empty string) getUserId would return.')
    const providerId = optionalId(input.providerId, 'providerId')
    if (providerId === undefined) throw new TypeError('createConnectLink needs `providerId`, e.g. "slack".')
    const providerDeploymentId = optionalId(input.providerDeploymentId, 'providerDeploymentId') ?? null
    const replacesConnectionId = optionalId(input.replacesConnectionId, 'replacesConnectionId') ?? null
    const lifetime = input.expiresInMs ?? DEFAULT_LINK_LIFETIME_MS
    if (typeof lifetime !== 'number' || !Number.isFinite(lifetime) || lifetime <= 0 || lifetime > MAX_LINK_LIFETIME_MS) {
      throw new RangeError(`createConnectLink: \`expiresInMs\` must be more than 0 and at most ${MAX_LINK_LIFETIME_MS} (7 days).`)
    }
    // No browser asks here: the allow-list sees a request for the link's own address.
    const target = { providerId, providerDeploymentId, providerAuthMethodId: deps.defaultProviderAuthMethodId }
    if (!(await deps.providers.allows(target, new Request(`${publicUrl}/links`)))) {
      throw new ConnectServerError(403, 'provider_not_allowed', `createConnectLink: allowProvider refuses provider "${providerId}"${providerDeploymentId ? ` (deployment "${providerDeploymentId}")` : ''} for this user, so no link was made.`)
    }
    if (replacesConnectionId !== null) {
      const lifecycle = deps.completion.lifecycle
      if (!lifecycle) throw new TypeError('createConnectLink: `replacesConnectionId` needs a connection store with the lifecycle methods.')
      const found = await deps.stored('find the connection being reconnected', () => lifecycle.find(userId, replacesConnectionId))
      if (!found || found.removedAt !== null) throw connectionNotFound()
    }
    const token = newLinkToken()
    const at = deps.now()
    const link: StoredLink = {
      id: newLinkId(),
      tokenHash: await hashLinkToken(token),
      userId,
      providerId,
      providerDeploymentId,
      replacesConnectionId,
      createdAt: new Date(at).toISOString(),
      expiresAt: new Date(at + lifetime).toISOString(),
      sessionId: null,
      usedAt: null,
      revokedAt: null,
    }
    // Links are kept a week past their expiry, so a late press still reads "expired" rather than "not found".
    await deps.stored('save a connect link', () => store.insertLink(link, new Date(at - MAX_LINK_LIFETIME_MS).toISOString()))
    return { id: link.id, url: `${publicUrl}/links/${token}`, expiresAt: link.expiresAt }
  }

  async function revoke(id: string): Promise<boolean> {
    const store = linkStore('revokeConnectLink')
    if (typeof id !== 'string' || !/^cl_[0-9a-f]{32}$/.test(id)) throw new TypeError('revokeConnectLink needs the id createConnectLink returned (cl_…).')
    return deps.stored('revoke a connect link', () => store.revokeLink(id, new Date(deps.now()).toISOString()))
  }

  /** A link page in the language the browser asks for (`Accept-Language`) among the shipped ones, else English. */
  async function page(request: Request, kind: LinkPageKind, link: StoredLink | null, action?: string, headers: Record<string, string> = {}): Promise<Response> {
    const providerName = link ? ((await deps.providerName(link.providerId)) ?? link.providerId) : ''
    const locale = linkPageLocale(request.headers.get('accept-language'))
    return linkPageResponse({ kind, providerName, appName: deps.appName, ...(action === undefined ? {} : { action }) }, [...formOrigins], headers, locale)
  }

  /** The link a token opens, or null (unknown, garbled, revoked): the same 404 for all, echoing nothing. */
  async function lookup(raw: string): Promise<{ link: StoredLink; store: LinkStore } | null> {
    if (!LINK_TOKEN_PATTERN.test(raw) || missingLinkMethods(deps.store).length > 0) return null
    const store = deps.store as LinkStore
    const link = await deps.stored('find a connect link', async () => store.findLink(await hashLinkToken(raw)))
    return link && link.revokedAt === null ? { link, store } : null
  }

  const expired = (link: StoredLink) => Date.parse(link.expiresAt) <= deps.now()

  /** Runs one of the link's pages: every failure is a page too, and no log line carries the token. */
  async function serve(request: Request, raw: string, run: (link: StoredLink, store: LinkStore, self: string) => Promise<Response>): Promise<Response> {
    const log = deps.log.hiding([raw])
    // The link's own path (where its forms post), from the request: the same whichever page this is.
    const pathname = new URL(request.url).pathname
    const self = pathname.slice(0, pathname.lastIndexOf(`/links/${raw}`) + `/links/${raw}`.length)
    let found: { link: StoredLink; store: LinkStore } | null = null
    try {
      found = await lookup(raw)
      if (!found) return page(request, 'not_found', null)
      await enforceRateLimit(deps.rateLimit, { userId: found.link.userId, action: 'open_link', request, linkId: found.link.id })
      return await run(found.link, found.store, self)
    } catch (error) {
      const link = found?.link ?? null
      if (error instanceof ConnectServerError && error.status === 429) return page(request, 'busy', link, undefined, error.headers)
      if (!(error instanceof ConnectServerError)) log.error('react-provider-connect: unexpected error on a connect link page.', { error: errorText(error) })
      return link ? page(request, 'error', link, self) : page(request, 'error', null)
    }
  }

  /** `GET …/links/{token}`: the page with the button. Reads the link, and changes nothing. */
  function show(request: Request, raw: string): Promise<Response> {
    return serve(request, raw, async (link, _store, self) => {
      if (link.usedAt !== null) return page(request, 'used', link)
      if (expired(link)) return page(request, 'expired', link)
      return page(request, 'start', link, self)
    })
  }

  /** The setup session of the link, made by this press or an earlier one, that is still pending; null after a completion. */
  async function pendingSession(request: Request, raw: string, link: StoredLink, store: LinkStore): Promise<ContractSession | null> {
    let current = link
    const waitUntil = deps.now() + CLAIM_WAIT_MS
    for (;;) {
      const sessionId = current.sessionId
      if (sessionId !== null && !isClaim(sessionId)) {
        const session = await readSession(request, current, sessionId)
        if (session && session.status === 'pending') return session
        if (session && session.status === 'completed') return null
        // Ended without connecting (denied, failed, expired): this press starts a fresh one.
      } else if (isClaim(sessionId) && claimAge(sessionId, deps.now()) < CLAIM_STALE_MS) {
        // Another press is making the session: wait for it, then send this browser to the same page.
        if (deps.now() > waitUntil) throw new ConnectServerError(503, 'link_busy', 'The link is busy.')
        await sleep(CLAIM_POLL_MS)
        current = (await deps.stored('find a connect link', () => store.findLink(link.tokenHash))) ?? current
        continue
      }
      const claim = `${CLAIM_PREFIX}${deps.now()}:${Math.random().toString(36).slice(2)}`
      if (await deps.stored('claim a connect link', () => store.swapLinkSession(link.tokenHash, sessionId, claim))) {
        return startFor(request, raw, current, store, claim, sessionId)
      }
      current = (await deps.stored('find a connect link', () => store.findLink(link.tokenHash))) ?? current
    }
  }

  async function startFor(request: Request, raw: string, link: StoredLink, store: LinkStore, claim: string, previous: string | null): Promise<ContractSession> {
    let session: ContractSession
    try {
      session = await deps.startSession(
        link.userId,
        {
          providerId: link.providerId,
          ...(link.providerDeploymentId === null ? {} : { providerDeploymentId: link.providerDeploymentId }),
          ...(link.replacesConnectionId === null ? {} : { replacesConnectionId: link.replacesConnectionId }),
          redirectUrl: `${requirePublicUrl()}/links/${raw}/done`,
          metadata: {},
        },
        request,
      )
    } catch (error) {
      // Give the link back, so the next press may try again.
      await store.swapLinkSession(link.tokenHash, claim, previous).catch(() => false)
      throw error
    }
    formOrigins.add(new URL(session.url).origin)
    await deps.stored('save a connect link’s session', () => store.swapLinkSession(link.tokenHash, claim, session.id))
    return session
  }

  /** The link's session as its user's (null when Metorial says it is someone else's: never followed). */
  async function readSession(request: Request, link: StoredLink, sessionId: string): Promise<ContractSession | null> {
    const raw = await deps.upstream('read', () => deps.apis[deps.api].read(sessionId, request.signal))
    if (!isObject(raw) || ownerOf(raw, deps.ownerKey) !== link.userId) return null
    const session = toSession(raw, deps.now())
    if (session.status !== 'pending') await finish(link, session, raw)
    return session
  }

  /** What an ended session means for the link: its completion recorded (as the read route does), the link used up. */
  async function finish(link: StoredLink, session: ContractSession, raw: Record<string, unknown>): Promise<void> {
    await recordCompletion(deps.completion, link.userId, session, raw)
    await deps.forgetSession(session.id)
    if (session.status === 'completed') {
      const store = deps.store as LinkStore
      await deps.stored('mark a connect link used', () => store.markLinkUsed(link.tokenHash, new Date(deps.now()).toISOString()))
    }
  }

  /** `POST …/links/{token}`: the button. Makes (or finds) the setup session for the link's user and sends the browser to its consent page. */
  function press(request: Request, raw: string): Promise<Response> {
    return serve(request, raw, async (link, store) => {
      if (link.usedAt !== null) return page(request, 'used', link)
      if (expired(link)) return page(request, 'expired', link)
      const session = await pendingSession(request, raw, link, store)
      if (!session) return new Response(null, { status: 303, headers: { location: `${requirePublicUrl()}/links/${raw}/done`, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } })
      return new Response(null, { status: 303, headers: { location: session.url, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } })
    })
  }

  /** `GET …/links/{token}/done`: where Metorial sends the browser back. Records the completion and says what happened. */
  function done(request: Request, raw: string): Promise<Response> {
    return serve(request, raw, async (link, _store, self) => {
      const sessionId = link.sessionId
      if (sessionId === null || isClaim(sessionId)) return link.usedAt !== null ? page(request, 'used', link) : expired(link) ? page(request, 'expired', link) : page(request, 'start', link, self)
      const session = await readSession(request, link, sessionId)
      if (session?.status === 'completed') return page(request, 'connected', link)
      if (link.usedAt !== null) return page(request, 'used', link)
      if (expired(link)) return page(request, 'expired', link)
      return page(request, 'failed', link, self)
    })
  }

  return { create, revoke, show, press, done }
}
