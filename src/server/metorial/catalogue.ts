import type { ProviderAuthMethod, ProviderInfo } from '../../core/backend/providers.js'
import type { MetorialClient } from './client.js'
import { isObject } from './objects.js'
import { UpstreamError } from './upstream-error.js'

// One shape on both sides of the wire: the browser parses exactly what this route answers.
export type { ProviderInfo }
/** How a user authenticates with a provider, as Metorial names its auth methods (`pam_…` ids). */
export type ProviderAuthMethodInfo = ProviderAuthMethod

type Json = Record<string, unknown>

/** Deployments are paged 100 at a time; more than this many pages is not a catalogue a user scrolls. */
const MAX_DEPLOYMENT_PAGES = 10
/** Upstream calls in flight at once while a catalogue is built, so a large instance is not hammered. */
const CONCURRENCY = 6
const AUTH_TYPES = new Set(['oauth', 'token', 'custom'])

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null
}

function items(page: unknown, what: string): Json[] {
  if (!isObject(page) || !Array.isArray(page.items)) throw new UpstreamError('invalid_response', `Metorial's ${what} list is not { items: [...] }.`)
  return page.items.filter(isObject)
}

function isNotFound(error: unknown): boolean {
  return error instanceof UpstreamError && error.kind === 'http' && error.status === 404
}

/** Runs `task` over `inputs` with at most `limit` at a time, keeping the order. */
export async function mapLimited<T, R>(inputs: readonly T[], limit: number, task: (input: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(inputs.length)
  let next = 0
  async function worker(): Promise<void> {
    while (next < inputs.length) {
      const index = next++
      results[index] = await task(inputs[index] as T)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, inputs.length) }, worker))
  return results
}

/** Active deployments, oldest first; one per provider: the default one when there is one. */
async function listDeployments(metorial: MetorialClient, signal: AbortSignal): Promise<Map<string, Json>> {
  const byProvider = new Map<string, Json>()
  let after: string | undefined
  for (let page = 0; page < MAX_DEPLOYMENT_PAGES; page++) {
    const answer = await metorial.request({ method: 'GET', path: '/provider-deployments', query: { status: 'active', limit: '100', after }, signal })
    const list = items(answer, 'provider deployment')
    for (const deployment of list) {
      const providerId = str(deployment.provider_id)
      if (!providerId || !str(deployment.id)) continue
      const known = byProvider.get(providerId)
      if (!known || (deployment.is_default === true && known.is_default !== true)) byProvider.set(providerId, deployment)
    }
    const last = list[list.length - 1]
    const more = isObject(answer) && isObject(answer.pagination) && answer.pagination.has_more_after === true
    if (!more || !last) break
    after = str(last.id) ?? undefined
  }
  return byProvider
}

/**
 * The provider and its listing. Metorial reads a listing by its id, slug or provider id; a
 * provider without a listing (a private one) falls back to the provider itself: no categories.
 */
async function readProvider(metorial: MetorialClient, providerId: string, signal: AbortSignal): Promise<{ provider: Json; listing: Json | null }> {
  const id = encodeURIComponent(providerId)
  try {
    const listing = await metorial.request({ method: 'GET', path: `/provider-listings/${id}`, signal })
    if (isObject(listing) && isObject(listing.provider)) return { provider: listing.provider, listing }
  } catch (error) {
    if (!isNotFound(error)) throw error
  }
  const provider = await metorial.request({ method: 'GET', path: `/providers/${id}`, signal })
  if (!isObject(provider)) throw new UpstreamError('invalid_response', `Metorial's provider ${providerId} is not an object.`)
  return { provider, listing: null }
}

/** The provider's display name (its listing's, else its own): one or two calls, for a page that names it. */
export async function readProviderName(metorial: MetorialClient, providerId: string, signal: AbortSignal): Promise<string | null> {
  const { provider, listing } = await readProvider(metorial, providerId, signal)
  return str(listing?.name) ?? str(provider.name)
}

async function readAuthMethods(metorial: MetorialClient, versionId: string | null, signal: AbortSignal): Promise<ProviderAuthMethodInfo[]> {
  if (!versionId) return []
  const answer = await metorial.request({ method: 'GET', path: '/provider-auth-methods', query: { provider_version_id: versionId, limit: '100' }, signal })
  return items(answer, 'auth method').flatMap(method => {
    const id = str(method.id)
    const type = str(method.type)
    if (!id || !type || !AUTH_TYPES.has(type)) return []
    return [{ id, type: type as ProviderAuthMethodInfo['type'], name: str(method.name) ?? type }]
  })
}

function categoriesOf(listing: Json | null): string[] {
  if (!listing || !Array.isArray(listing.categories)) return []
  return listing.categories.flatMap(category => (isObject(category) && str(category.name) ? [str(category.name) as string] : []))
}

/**
 * Builds the instance's catalogue from Metorial: its active provider deployments, then per provider
 * its listing (name, image, categories) or the provider itself, and its current version's auth
 * methods. `1 + ceil(deployments / 100)` … `1 + 2 × providers` calls; the caller caches the result.
 */
export async function fetchProviderCatalogue(metorial: MetorialClient, signal: AbortSignal): Promise<ProviderInfo[]> {
  const deployments = await listDeployments(metorial, signal)
  const entries = [...deployments.entries()]
  return mapLimited(entries, CONCURRENCY, async ([providerId, deployment]) => {
    const { provider, listing } = await readProvider(metorial, providerId, signal)
    const version = str(isObject(deployment.locked_version) ? deployment.locked_version.id : null) ?? str(isObject(provider.current_version) ? provider.current_version.id : null)
    const authMethods = await readAuthMethods(metorial, version, signal)
    const publisher = isObject(provider.publisher) ? provider.publisher : {}
    return {
      providerId,
      providerDeploymentId: str(deployment.id),
      name: str(listing?.name) ?? str(provider.name) ?? providerId,
      description: str(listing?.description) ?? str(provider.description),
      logoUrl: str(listing?.image_url) ?? str(publisher.image_url),
      categories: categoriesOf(listing),
      authMethods,
      requiresConnection: authMethods.length > 0,
    }
  })
}
