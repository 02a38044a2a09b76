import type { ProviderInfo } from '../core/backend/providers.js'
import type { Connection } from '../core/types.js'
import type { ConnectionsListProvider } from './connections-list-provider.js'

/** A catalogue entry as a list row: its deployment, first auth method, logo and categories. */
export function fromCatalogue(info: ProviderInfo): ConnectionsListProvider {
  return {
    providerId: info.providerId,
    name: info.name,
    ...(info.description ? { description: info.description } : {}),
    logoUrl: info.logoUrl,
    categories: info.categories,
    ...(info.providerDeploymentId ? { providerDeploymentId: info.providerDeploymentId } : {}),
    ...(info.authMethods[0] ? { providerAuthMethodId: info.authMethods[0].id } : {}),
    authRequired: info.requiresConnection,
  }
}

/** The catalogue's rows, through the app's selector (filter, order, relabel) when it gave one. */
export function selectRows(
  rows: ConnectionsListProvider[],
  select: ((catalogue: ConnectionsListProvider[]) => readonly ConnectionsListProvider[]) | undefined,
): readonly ConnectionsListProvider[] {
  return select ? [...select(rows)] : rows
}

function fold(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
}

/** True when every word of `query` is in the provider's name, description (when text) or a category. */
export function matchesQuery(provider: ConnectionsListProvider, query: string): boolean {
  const words = fold(query).split(/\s+/).filter(Boolean)
  if (words.length === 0) return true
  const haystack = fold([provider.name, typeof provider.description === 'string' ? provider.description : '', ...(provider.categories ?? [])].join(' '))
  return words.every(word => haystack.includes(word))
}

/** Every category, in first-seen order. */
export function categoriesOf(providers: readonly ConnectionsListProvider[]): string[] {
  return [...new Set(providers.flatMap(provider => provider.categories ?? []))]
}

/** Providers with a connection first, each group in its own order (a stable sort). */
export function connectedFirst(providers: readonly ConnectionsListProvider[], connections: readonly Connection[]): ConnectionsListProvider[] {
  const connected = new Set(connections.map(connection => connection.providerId))
  return [...providers.filter(item => connected.has(item.providerId)), ...providers.filter(item => !connected.has(item.providerId))]
}
