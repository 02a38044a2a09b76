import { clsx } from 'clsx'
import { forwardRef, useCallback, useRef, useState } from 'react'
import type { HTMLAttributes, ReactNode, Ref } from 'react'
import { DEFAULT_REFUSES_IN_APP_BROWSER } from '../core/browser/in-app-browser.js'
import type { Connection } from '../core/types.js'
import { classNameResolver } from './connections-list-class-names.js'
import { ConnectionsListContext } from './connections-list-context.js'
import type { ConnectionsListContextValue, DisconnectRequest, RowFailure } from './connections-list-context.js'
import { defaultConnectionsListLabels, resolveListLabel } from './connections-list-labels.js'
import type { ConnectionsListLabels } from './connections-list-labels.js'
import type { ConnectionsListOptions } from './connections-list-options.js'
import type { ConnectionsListProvider } from './connections-list-provider.js'
import { composeRefs } from './compose.js'
import { useConnectContext } from './context.js'
import { FLOW_OPTION_KEYS } from './flow-options.js'
import { formatDateIn } from './format-date.js'
import { splitProps } from './split-props.js'
import { useConnections } from './use-connections.js'
import { VisuallyHidden } from './visually-hidden.js'

/** The root `<div>`'s own attributes (`id`, `style`, `aria-*` …). */
export type ConnectionsListRootAttributes = Omit<HTMLAttributes<HTMLDivElement>, 'children' | 'onError'>

/** `ConnectionsListRoot`'s props: the list's options, the `<div>`'s attributes, and the parts inside. */
export interface ConnectionsListRootProps extends ConnectionsListOptions, ConnectionsListRootAttributes {
  /** The parts of the list (`ConnectionsListToolbar`, `ConnectionsListRow`s in a `<ul>`, `DisconnectDialog`) and anything else. Defaults to none. */
  children?: ReactNode
}

/**
 * The state every list keeps: its connections, the disconnect the dialog asks about, the last
 * refused one, the polite notice, and the context handed to its parts.
 */
export function useConnectionsListRoot(props: ConnectionsListOptions & ConnectionsListRootAttributes) {
  const [flowOptions, rest] = splitProps(props, FLOW_OPTION_KEYS)
  const {
    connectionLabel,
    allowMultipleAccounts = false,
    logoSize = 36,
    onConnected,
    onDisconnected,
    onError,
    renderRow,
    labels: labelOverrides,
    classNames,
    unstyled = false,
    formatDate: formatDateOption,
    swr,
    refusesInAppBrowser = DEFAULT_REFUSES_IN_APP_BROWSER,
    ...attributes
  } = rest
  const context = useConnectContext()
  const locale = context?.locale
  const labels: ConnectionsListLabels = { ...(locale?.list ?? defaultConnectionsListLabels), ...labelOverrides }
  const formatDate = formatDateOption ?? formatDateIn(locale?.code)
  const { connections, error, mutate, disconnect, rename } = useConnections({ backend: flowOptions.backend, swr })
  const canRename = typeof (flowOptions.backend ?? context?.backend)?.renameConnection === 'function'
  const [root, setRoot] = useState<HTMLDivElement | null>(null)
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

  const label: ConnectionsListContextValue['label'] = (name, extra) =>
    resolveListLabel(labels[name], { providerName: '', error: null, connection: null, connectionName: null, date: null, count: 0, ...extra })

  const byProvider = new Map<string, Connection[]>()
  for (const connection of connections ?? []) {
    const list = byProvider.get(connection.providerId) ?? []
    list.push(connection)
    byProvider.set(connection.providerId, list)
  }

  const clearFailure = (rowKey: string) => setFailure(current => (current?.rowKey === rowKey ? null : current))

  const value: ConnectionsListContextValue = {
    locale,
    labels,
    label,
    cls: classNameResolver(unstyled, classNames),
    flowOptions,
    formatDate,
    logoSize,
    connectionLabel,
    allowMultipleAccounts,
    renderRow,
    loading,
    connectionsOf: providerId => byProvider.get(providerId) ?? [],
    failure,
    onConnected: (authConfigId: string, provider: ConnectionsListProvider, replaced: string | null) => {
      // Show the new connection at once; the flow's "connections changed" revalidates it from the backend.
      void mutate(
        current => {
          if (current?.some(item => item.id === authConfigId)) return current
          const added: Connection = { id: authConfigId, providerId: provider.providerId, status: 'active', createdAt: new Date().toISOString() }
          // A reconnect in place: the new connection takes the old one's place and name, as the backend does.
          const old = current?.find(item => item.id === replaced)
          return old ? (current ?? []).map(item => (item === old ? { ...added, name: old.name, label: old.label } : item)) : [...(current ?? []), added]
        },
        { revalidate: false },
      )
      onConnected?.(authConfigId, provider)
    },
    onError: (flowError, provider) => onError?.(flowError, provider),
    onStart: clearFailure,
    rowRef,
    refusesInAppBrowser: provider =>
      typeof refusesInAppBrowser === 'function' ? refusesInAppBrowser(provider) : refusesInAppBrowser.test(provider.providerId) || refusesInAppBrowser.test(provider.name),
    canRename,
    rename,
    announce: setNotice,
    requestDisconnect: next => {
      setRequest(next)
      setOpen(true)
    },
    request,
    open,
    container: root,
    cancel: () => setOpen(false),
    confirm: () => {
      if (!request) return
      const { rowKey, provider, connection } = request
      setOpen(false)
      clearFailure(rowKey)
      void disconnect(connection.id).then(refusal => {
        const context = { providerName: provider.name, connection, error: refusal }
        if (refusal) {
          setFailure({ rowKey, error: refusal })
          setNotice(label('errorDisconnect', context))
          onError?.(refusal, provider)
        } else {
          setNotice(label('announceDisconnected', context))
          onDisconnected?.(connection.id, provider)
        }
      })
    },
    closed: () => {
      if (!request) return
      const target = request.returnFocusTo
      if (target?.isConnected) return target.focus()
      // A confirmed disconnect removed the button: land on the same row's first action instead.
      rows.current.get(request.rowKey)?.querySelector<HTMLElement>('button:not([disabled]), a[href]')?.focus()
    },
  }
  // The locale's language and direction on the root (an app's own `lang`/`dir` win); the dialog, portalled into it, inherits them.
  return { value, attributes: { lang: locale?.code, dir: locale?.dir, ...attributes }, connections, error, mutate, loading, notice, setRoot }
}

interface RootViewProps extends ConnectionsListRootAttributes {
  value: ConnectionsListContextValue
  rootRef: Ref<HTMLDivElement>
  /** What the list's polite live region says. */
  status: string
  children?: ReactNode
}

/** The root `<div>` with its live region, providing the context: one element for both lists. */
export function ConnectionsListRootView({ value, rootRef, status, className, children, ...attributes }: RootViewProps) {
  return (
    <ConnectionsListContext.Provider value={value}>
      <div {...attributes} ref={rootRef} className={clsx(value.cls('root'), className) || undefined}>
        <VisuallyHidden role="status" aria-live="polite">
          {status}
        </VisuallyHidden>
        {children}
      </div>
    </ConnectionsListContext.Provider>
  )
}

/**
 * A list of your own making: loads the connections, keeps the disconnect confirmation's state and
 * hands the list's options (labels, class names, flow options, callbacks …) to the parts inside it,
 * `ConnectionsListRow`, `ConnectionsListToolbar` and `DisconnectDialog`. Renders a `<div>` with
 * `data-state` (`loading | error | ready`) and the list's polite live region.
 */
export const ConnectionsListRoot = /* @__PURE__ */ forwardRef<HTMLDivElement, ConnectionsListRootProps>(function ConnectionsListRoot(
  { children, ...props },
  forwardedRef,
) {
  const { value, attributes, connections, error, loading, notice, setRoot } = useConnectionsListRoot(props)
  // One composed ref per forwarded ref: a new one every render would set the root's state every commit.
  const ref = useCallback((node: HTMLDivElement | null) => composeRefs(setRoot, forwardedRef)(node), [setRoot, forwardedRef])
  return (
    <ConnectionsListRootView
      data-state={loading ? 'loading' : connections === undefined && error ? 'error' : 'ready'}
      aria-busy={loading || undefined}
      {...attributes}
      value={value}
      rootRef={ref}
      status={loading ? value.label('loading') : notice}
    >
      {children}
    </ConnectionsListRootView>
  )
})
