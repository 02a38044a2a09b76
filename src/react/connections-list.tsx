import { clsx } from 'clsx'
import { useCallback, useRef, useState } from 'react'
import type { HTMLAttributes, ReactNode } from 'react'
import type { ConnectError } from '../core/errors.js'
import type { Connection } from '../core/types.js'
import { defaultConnectionsListLabels, resolveListLabel } from './connections-list-labels.js'
import type { ConnectionsListLabelContext, ConnectionsListLabels } from './connections-list-labels.js'
import { classNameResolver, defaultFormatDate, FLOW_OPTION_KEYS, rowKeyOf } from './connections-list-parts.js'
import { splitProps } from './split-props.js'
import type { ConnectionsListClassNames, ConnectionsListFlowOptions, ConnectionsListProvider } from './connections-list-parts.js'
import { ConnectionsListItem } from './connections-list-row.js'
import type { ConnectionsListRowRenderProps, DisconnectRequest } from './connections-list-row.js'
import { DisconnectDialog } from './disconnect-dialog.js'
import { categoriesOf, connectedFirst, fromCatalogue, matchesQuery, selectRows } from './catalogue.js'
import { CatalogueToolbar } from './connections-list-search.js'
import { useProviders } from './use-providers.js'
import type { UseProvidersOptions } from './use-providers.js'
import { useConnections } from './use-connections.js'
import type { UseConnectionsOptions } from './use-connections.js'
import { VisuallyHidden } from './visually-hidden.js'

type RootProps = Omit<HTMLAttributes<HTMLDivElement>, 'children' | 'onError'>

/** The catalogue rows the backend offers, to filter, order or relabel. */
export type ConnectionsListProvidersSelector = (catalogue: ConnectionsListProvider[]) => readonly ConnectionsListProvider[]

/** Catalogues longer than this get a search box (and category chips). */
export const DEFAULT_SEARCH_THRESHOLD = 8

export interface ConnectionsListProps extends ConnectionsListFlowOptions, RootProps {
  /**
   * The providers to list, one row each, in this order; or a function that picks, orders and
   * relabels the catalogue's rows. Defaults to the catalogue the backend offers
   * (`GET {endpoint}/providers`, see `useProviders`), connected providers first.
   */
  providers?: readonly ConnectionsListProvider[] | ConnectionsListProvidersSelector
  /** The label of a connection ("acme-corp workspace"); falsy falls back to the `connectionName` label. Defaults to none. */
  connectionLabel?: (connection: Connection) => string | null | undefined
  /**
   * Lets a user connect several accounts of one provider: a connected row offers "Add another
   * account" instead of Reconnect. Defaults to `false`.
   */
  allowMultipleAccounts?: boolean
  /** Show the search box and category chips when more providers than this are listed. Defaults to `8`. */
  searchThreshold?: number
  /** Logo width and height in CSS pixels (set on the image, so nothing shifts as it loads). Defaults to `36`. */
  logoSize?: number
  /** Passed to `useProviders` (SWR options) for the catalogue. Defaults to none. */
  providersSwr?: UseProvidersOptions['swr']
  /** A connect completed (the list revalidates by itself): store `authConfigId` if the app needs it. Defaults to none. */
  onConnected?: (authConfigId: string, provider: ConnectionsListProvider) => void
  /** A confirmed disconnect succeeded. Defaults to none. */
  onDisconnected?: (authConfigId: string, provider: ConnectionsListProvider) => void
  /** A connect ended in `error`, `failed`, `expired` or `archived`, or the backend refused a disconnect. Defaults to none. */
  onError?: (error: ConnectError, provider: ConnectionsListProvider) => void
  /**
   * Renders a row's content, inside the list's `<li>` (which keeps `data-state`, the class name and
   * the live region). Receives the row's state and actions, and `defaultContent`. Defaults to the
   * built-in row.
   */
  renderRow?: (row: ConnectionsListRowRenderProps) => ReactNode
  /** Any subset of the strings shown or announced, for i18n. Defaults to English. */
  labels?: Partial<ConnectionsListLabels>
  /** A class name per part, added to the default ones (or alone with `unstyled`). Defaults to none. */
  classNames?: ConnectionsListClassNames
  /** Drop the default class names (`rpc-*`); `data-*` attributes stay. Defaults to `false`. */
  unstyled?: boolean
  /** Formats a connection's `createdAt`. Defaults to `Intl.DateTimeFormat` with `dateStyle: 'medium'` in the user's locale. */
  formatDate?: (date: Date) => string
  /** Passed to `useConnections` (SWR options). Defaults to none. */
  swr?: UseConnectionsOptions['swr']
}

interface RowFailure {
  rowKey: string
  error: ConnectError
}

/**
 * An integrations page: one row per provider with its state (loading, not connected, connecting,
 * connected, error, available), Connect / Reconnect, and Disconnect confirmed in a dialog.
 */
export function ConnectionsList(props: ConnectionsListProps) {
  const [flowOptions, rest] = splitProps(props, FLOW_OPTION_KEYS)
  const {
    providers: providersProp,
    connectionLabel,
    allowMultipleAccounts = false,
    searchThreshold = DEFAULT_SEARCH_THRESHOLD,
    logoSize = 36,
    providersSwr,
    onConnected,
    onDisconnected,
    onError,
    renderRow,
    labels: labelOverrides,
    classNames,
    unstyled = false,
    formatDate = defaultFormatDate,
    swr,
    className,
    ...rootProps
  } = rest
  const labels: ConnectionsListLabels = { ...defaultConnectionsListLabels, ...labelOverrides }
  const cls = classNameResolver(unstyled, classNames)
  const { connections, error, mutate, disconnect } = useConnections({ backend: flowOptions.backend, swr })
  const fixed = Array.isArray(providersProp) ? (providersProp as readonly ConnectionsListProvider[]) : null
  const catalogue = useProviders({ backend: flowOptions.backend, enabled: !fixed, swr: providersSwr })
  const [root, setRoot] = useState<HTMLDivElement | null>(null)
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
  const categories = searchable ? categoriesOf(ordered) : []
  const filtering = searchable && (query.trim() !== '' || category !== null)
  const providers = filtering ? ordered.filter(item => matchesQuery(item, query) && (category === null || (item.categories ?? []).includes(category))) : ordered
  const catalogueLoading = !fixed && catalogue.supported && catalogue.providers === undefined && !catalogue.error
  const catalogueFailed = !fixed && catalogue.providers === undefined && catalogue.error !== undefined

  const rows = useRef(new Map<string, HTMLLIElement>())
  const rowRef = useCallback((rowKey: string, element: HTMLLIElement | null) => {
    if (element) rows.current.set(rowKey, element)
    else rows.current.delete(rowKey)
  }, [])
  const [request, setRequest] = useState<DisconnectRequest | null>(null)
  const [open, setOpen] = useState(false)
  const [failure, setFailure] = useState<RowFailure | null>(null)
  const [notice, setNotice] = useState('')

  const loading = connections === undefined && !error
  const rowsLoading = loading
  const listFailed = connections === undefined && error !== undefined

  const listLabel = (name: keyof ConnectionsListLabels, extra: Partial<ConnectionsListLabelContext> = {}) =>
    resolveListLabel(labels[name], { providerName: '', error: null, connection: null, connectionName: null, date: null, count: 0, ...extra })

  const handleConnected = (authConfigId: string, provider: ConnectionsListProvider) => {
    // Show the new connection at once; the flow's "connections changed" revalidates it from the backend.
    void mutate(
      current =>
        current?.some(item => item.id === authConfigId)
          ? current
          : [...(current ?? []), { id: authConfigId, providerId: provider.providerId, createdAt: new Date().toISOString() }],
      { revalidate: false },
    )
    onConnected?.(authConfigId, provider)
  }

  const confirm = () => {
    if (!request) return
    const { rowKey, provider, connection } = request
    setOpen(false)
    setFailure(current => (current?.rowKey === rowKey ? null : current))
    void disconnect(connection.id).then(refusal => {
      const context = { providerName: provider.name, connection, error: refusal }
      if (refusal) {
        setFailure({ rowKey, error: refusal })
        setNotice(listLabel('errorDisconnect', context))
        onError?.(refusal, provider)
      } else {
        setNotice(listLabel('announceDisconnected', context))
        onDisconnected?.(connection.id, provider)
      }
    })
  }

  const returnFocus = () => {
    if (!request) return
    const target = request.returnFocusTo
    if (target?.isConnected) return target.focus()
    // A confirmed disconnect removed the button: land on the same row's first action instead.
    rows.current.get(request.rowKey)?.querySelector<HTMLElement>('button:not([disabled]), a[href]')?.focus()
  }

  const byProvider = new Map<string, Connection[]>()
  for (const connection of connections ?? []) {
    const list = byProvider.get(connection.providerId) ?? []
    list.push(connection)
    byProvider.set(connection.providerId, list)
  }

  const listState = listFailed || catalogueFailed ? 'error' : loading || catalogueLoading ? 'loading' : all.length === 0 ? 'empty' : 'ready'

  return (
    <div
      {...rootProps}
      ref={setRoot}
      className={clsx(cls('root'), className) || undefined}
      data-state={listState}
      data-catalogue={fixed ? undefined : ''}
      aria-busy={loading || catalogueLoading || undefined}
    >
      <VisuallyHidden role="status" aria-live="polite">
        {catalogueLoading ? listLabel('loadingCatalogue') : loading ? listLabel('loading') : notice}
      </VisuallyHidden>
      {catalogueFailed && (
        <div className={cls('listError')} role="alert" data-catalogue-error="">
          <span>{listLabel('catalogueError', { error: catalogue.error ?? null })}</span>{' '}
          <button type="button" className={cls('listRetryButton')} data-action="retry-catalogue" onClick={() => void catalogue.mutate()}>
            {listLabel('listRetry')}
          </button>
        </div>
      )}
      {searchable && !listFailed && (
        <CatalogueToolbar
          query={query}
          onQueryChange={setQuery}
          categories={categories}
          category={category}
          onCategoryChange={setCategory}
          label={name => listLabel(name)}
          results={filtering ? listLabel('searchResults', { count: providers.length }) : ''}
          className={cls}
        />
      )}
      {error && (
        <div className={cls('listError')} role="alert" data-stale={listFailed ? undefined : ''}>
          <span>{listLabel('listError', { error })}</span>{' '}
          <button type="button" className={cls('listRetryButton')} data-action="retry-list" onClick={() => void mutate()}>
            {listLabel('listRetry')}
          </button>
        </div>
      )}
      {!listFailed &&
        !catalogueFailed &&
        !catalogueLoading &&
        (providers.length === 0 ? (
          <p className={cls(filtering ? 'noResults' : 'empty')}>{listLabel(filtering ? 'noResults' : 'empty')}</p>
        ) : (
          <ul className={cls('list')}>
            {providers.map(provider => {
              const rowKey = rowKeyOf(provider)
              return (
                <ConnectionsListItem
                  key={rowKey}
                  rowKey={rowKey}
                  provider={provider}
                  connections={byProvider.get(provider.providerId) ?? []}
                  loading={rowsLoading}
                  logoSize={logoSize}
                  connectionLabel={connectionLabel}
                  allowMultipleAccounts={allowMultipleAccounts}
                  flowOptions={flowOptions}
                  labels={labels}
                  className={cls}
                  formatDate={formatDate}
                  disconnectError={failure?.rowKey === rowKey ? failure.error : null}
                  renderRow={renderRow}
                  onConnected={handleConnected}
                  onError={(flowError, item) => onError?.(flowError, item)}
                  onStart={key => setFailure(current => (current?.rowKey === key ? null : current))}
                  onRequestDisconnect={next => {
                    setRequest(next)
                    setOpen(true)
                  }}
                  rowRef={rowRef}
                />
              )
            })}
          </ul>
        ))}
      <DisconnectDialog
        request={request}
        open={open}
        count={request ? (byProvider.get(request.provider.providerId)?.length ?? 0) : 0}
        labels={labels}
        className={cls}
        container={root}
        onCancel={() => setOpen(false)}
        onConfirm={confirm}
        onClosed={returnFocus}
      />
    </div>
  )
}
