import type { MetorialClient } from '../metorial/client.js'
import { fetchProviderCatalogue, readProviderName, type ProviderInfo } from '../metorial/catalogue.js'
import type { ProviderPolicy } from '../policy/provider.js'
import { jsonText } from '../http/respond.js'
import type { UpstreamCall } from '../metorial/upstream-call.js'

/** How long the server keeps the instance's catalogue. Five minutes: at most 12 upstream rounds an hour. */
export const DEFAULT_PROVIDERS_CACHE_TTL_MS = 5 * 60_000
/**
 * After a failed round, how long the failure (or the stale catalogue) is answered before Metorial
 * is asked again: a down upstream sees one round per this, not one per request.
 */
const FAILURE_HOLD_MS = 10_000
/** How long a page waits for a provider's name before it shows the provider's id instead. */
const NAME_WAIT_MS = 3000

export interface ProvidersRouteOptions {
  metorial: MetorialClient
  ttlMs: number | undefined
  /** The same allow-list check that guards creation (`allowProvider`, or everything without it). */
  allows: ProviderPolicy['allows']
  now: () => number
  /** The server's upstream wrapper: logs once and turns an upstream failure into the browser's answer. */
  upstream: UpstreamCall
}

interface Entry {
  items: ProviderInfo[]
  /** When this catalogue stops being fresh. */
  expiresAt: number
}

/** FNV-1a, enough to tell two bodies apart for `ETag` (not a security boundary). */
function hash(text: string): string {
  let value = 0x811c9dc5
  for (let index = 0; index < text.length; index++) {
    value ^= text.charCodeAt(index)
    value = Math.imul(value, 0x01000193)
  }
  return (value >>> 0).toString(36)
}

/**
 * `GET {endpoint}/providers`: the instance's catalogue, fetched once per TTL for every user of this
 * server (concurrent misses share one round), then filtered per request by `allowProvider`.
 */
export function providersRoute(options: ProvidersRouteOptions) {
  const ttlMs = options.ttlMs ?? DEFAULT_PROVIDERS_CACHE_TTL_MS
  if (!Number.isFinite(ttlMs) || ttlMs < 0) throw new TypeError('providersCacheTtlMs must be a number of milliseconds, 0 or more.')
  let entry: Entry | null = null
  let failure: { error: unknown; until: number } | null = null
  let inflight: Promise<Entry> | null = null

  function refresh(): Promise<Entry> {
    if (inflight) return inflight
    // Its own signal: one browser going away must not cancel the round other users wait on.
    const round = options
      .upstream('read', () => fetchProviderCatalogue(options.metorial, new AbortController().signal))
      .then(items => {
        entry = { items, expiresAt: options.now() + ttlMs }
        failure = null
        return entry
      })
      .catch((error: unknown) => {
        failure = { error, until: options.now() + Math.min(FAILURE_HOLD_MS, Math.max(ttlMs, 1)) }
        throw error
      })
      .finally(() => {
        inflight = null
      })
    inflight = round
    return round
  }

  async function catalogue(): Promise<Entry> {
    const at = options.now()
    if (entry && at < entry.expiresAt) return entry
    if (failure && at < failure.until) {
      if (entry) return entry
      throw failure.error
    }
    try {
      return await refresh()
    } catch (error) {
      // Stale beats nothing: the catalogue rarely changes, and a list of providers leaks no secret.
      if (entry) return entry
      throw error
    }
  }

  async function allowed(items: ProviderInfo[], request: Request): Promise<ProviderInfo[]> {
    const verdicts = await Promise.all(
      items.map(item => options.allows({ providerId: item.providerId, providerDeploymentId: item.providerDeploymentId, providerAuthMethodId: null }, request)),
    )
    return items.filter((_, index) => verdicts[index])
  }

  async function handle(request: Request): Promise<Response> {
    const { items, expiresAt } = await catalogue()
    const visible = await allowed(items, request)
    const body = JSON.stringify({ items: visible })
    const etag = `W/"${hash(body)}"`
    const maxAge = Math.max(0, Math.floor((expiresAt - options.now()) / 1000))
    // Per user (the allow-list may differ), so `private`; never longer than the server's own copy.
    const headers = { 'cache-control': `private, max-age=${maxAge}`, etag }
    const match = request.headers.get('if-none-match')
    if (match !== null && match.split(',').some(tag => tag.trim() === etag)) return new Response(null, { status: 304, headers })
    return jsonText(200, body, headers)
  }

  /** The provider's name when the catalogue is already at hand; never a call to Metorial. */
  function cachedName(providerId: string): string | null {
    return entry?.items.find(item => item.providerId === providerId)?.name ?? null
  }

  const names = new Map<string, { name: Promise<string | null>; expiresAt: number }>()

  /**
   * The provider's name for a page (a connect link's): from the catalogue when it is at hand, else
   * read for that one provider (kept for the catalogue's TTL, a failure for 10 s). Null when
   * Metorial does not answer within 3 s: the page shows the provider's id then.
   */
  async function nameOf(providerId: string): Promise<string | null> {
    const cached = cachedName(providerId)
    if (cached !== null) return cached
    const at = options.now()
    let known = names.get(providerId)
    if (!known || at >= known.expiresAt) {
      const signal = AbortSignal.timeout(NAME_WAIT_MS)
      const name = options.upstream('read', () => readProviderName(options.metorial, providerId, signal)).catch(() => null)
      known = { name, expiresAt: at + ttlMs }
      names.set(providerId, known)
      void name.then(found => {
        if (found === null && names.get(providerId) === known) names.set(providerId, { name, expiresAt: options.now() + FAILURE_HOLD_MS })
      })
      // Bounded: one entry per provider id a link names, and links name only allowed providers.
      if (names.size > 500) names.delete(names.keys().next().value as string)
    }
    return known.name
  }

  return { handle, cachedName, nameOf }
}
