import { useState } from 'react'
import type { ConnectionsListOptions } from './connections-list-options.js'
import { rowKeyOf } from './connections-list-provider.js'
import type { ConnectionsListProvider } from './connections-list-provider.js'
import { ConnectionsListRootView, useConnectionsListRoot } from './connections-list-root.js'
import type { ConnectionsListRootAttributes } from './connections-list-root.js'
import { ConnectionsListRow } from './connections-list-row.js'
import { ConnectionsListToolbar } from './connections-list-toolbar.js'
import { DisconnectDialog } from './disconnect-dialog.js'
import { categoriesOf, connectedFirst, fromCatalogue, matchesQuery, selectRows } from './catalogue.js'
import { useProviders } from './use-providers.js'
import type { UseProvidersOptions } from './use-providers.js'

/** The catalogue rows the backend offers, to filter, order or relabel. */
export type ConnectionsListProvidersSelector = (catalogue: ConnectionsListProvider[]) => readonly ConnectionsListProvider[]

/** Catalogues longer than this get a search box (and category chips). */
export const DEFAULT_SEARCH_THRESHOLD = 8

export interface ConnectionsListProps extends ConnectionsListOptions, ConnectionsListRootAttributes {
  /**
   * The providers to list, one row each, in this order; or a function that picks, orders and
   * relabels the catalogue's rows. Defaults to the catalogue the backend offers
   * (`GET {endpoint}/providers`, see `useProviders`), connected providers first.
   */
  providers?: readonly ConnectionsListProvider[] | ConnectionsListProvidersSelector
  /** Show the search box and category chips when more providers than this are listed. Defaults to `8`. */
  searchThreshold?: number
  /** Passed to `useProviders` (SWR options) for the catalogue. Defaults to none. */
  providersSwr?: UseProvidersOptions['swr']
}

/**
 * An integrations page: one row per provider with its state (loading, not connected, connecting,
 * connected, error, available), Connect / Reconnect, and Disconnect confirmed in a dialog. Made of
 * the parts it exports (`ConnectionsListRoot`, `ConnectionsListToolbar`, `ConnectionsListRow`,
 * `DisconnectDialog`), plus the catalogue: fetched, ordered, searched.
 */
export function ConnectionsList(props: ConnectionsListProps) {
  const { providers: providersProp, searchThreshold = DEFAULT_SEARCH_THRESHOLD, providersSwr, ...options } = props
  const { value, attributes, connections, error, mutate, loading, notice, setRoot } = useConnectionsListRoot(options)
  const { label, cls } = value
  const fixed = Array.isArray(providersProp) ? (providersProp as readonly ConnectionsListProvider[]) : null
  const catalogue = useProviders({ backend: value.flowOptions.backend, enabled: !fixed, swr: providersSwr })
  const [query, setQuery] = useState('')
  const [category, setCategory] = useState<string | null>(null)
  // Connected providers first, as of the first answer: rows never move under the user's hand.
  const [order, setOrder] = useState<ReadonlyMap<string, number> | null>(null)

  // Forty rows mapped per render cost less than a memo the compiler cannot keep (the selector is the app's).
  const catalogueRows = fixed || !catalogue.providers ? null : selectRows(catalogue.providers.map(fromCatalogue), typeof providersProp === 'function' ? providersProp : undefined)
  const all: readonly ConnectionsListProvider[] = fixed ?? catalogueRows ?? []
  if (providersProp === undefined && catalogueRows && connections && order === null) {
    // Derived once, during render (React's pattern for state computed from props), never again.
    setOrder(new Map(connectedFirst(catalogueRows, connections).map((item, index) => [item.providerId, index])))
  }
  const ordered =
    order && providersProp === undefined
      ? [...all].sort((a, b) => (order.get(a.providerId) ?? Infinity) - (order.get(b.providerId) ?? Infinity))
      : all
  const searchable = ordered.length > searchThreshold
  const filtering = searchable && (query.trim() !== '' || category !== null)
  const providers = filtering ? ordered.filter(item => matchesQuery(item, query) && (category === null || (item.categories ?? []).includes(category))) : ordered
  const catalogueLoading = !fixed && catalogue.supported && catalogue.providers === undefined && !catalogue.error
  const catalogueFailed = !fixed && catalogue.providers === undefined && catalogue.error !== undefined
  const listFailed = connections === undefined && error !== undefined
  const listState = listFailed || catalogueFailed ? 'error' : loading || catalogueLoading ? 'loading' : all.length === 0 ? 'empty' : 'ready'

  return (
    <ConnectionsListRootView
      {...attributes}
      value={value}
      rootRef={setRoot}
      status={catalogueLoading ? label('loadingCatalogue') : loading ? label('loading') : notice}
      data-state={listState}
      data-catalogue={fixed ? undefined : ''}
      aria-busy={loading || catalogueLoading || undefined}
    >
      {catalogueFailed && (
        <div className={cls('listError')} role="alert" data-catalogue-error="">
          <span>{label('catalogueError', { error: catalogue.error ?? null })}</span>{' '}
          <button type="button" className={cls('listRetryButton')} data-action="retry-catalogue" onClick={() => void catalogue.mutate()}>
            {label('listRetry')}
          </button>
        </div>
      )}
      {searchable && !listFailed && (
        <ConnectionsListToolbar
          query={query}
          onQueryChange={setQuery}
          categories={categoriesOf(ordered)}
          category={category}
          onCategoryChange={setCategory}
          resultCount={filtering ? providers.length : undefined}
        />
      )}
      {error && (
        <div className={cls('listError')} role="alert" data-stale={listFailed ? undefined : ''}>
          <span>{label('listError', { error })}</span>{' '}
          <button type="button" className={cls('listRetryButton')} data-action="retry-list" onClick={() => void mutate()}>
            {label('listRetry')}
          </button>
        </div>
      )}
      {!listFailed &&
        !catalogueFailed &&
        !catalogueLoading &&
        (providers.length === 0 ? (
          <p className={cls(filtering ? 'noResults' : 'empty')}>{label(filtering ? 'noResults' : 'empty')}</p>
        ) : (
          <ul className={cls('list')}>
            {providers.map(provider => (
              <ConnectionsListRow key={rowKeyOf(provider)} provider={provider} />
            ))}
          </ul>
        ))}
      <DisconnectDialog />
    </ConnectionsListRootView>
  )
}
