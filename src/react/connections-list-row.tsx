import { clsx } from 'clsx'
import { forwardRef, useMemo } from 'react'
import type { LiHTMLAttributes, MouseEvent } from 'react'
import type { Connection, SetupFlowStatus } from '../core/types.js'
import { useConnectionsListContext } from './connections-list-context.js'
import { resolveListLabel } from './connections-list-labels.js'
import type { ConnectionsListLabelContext, ConnectionsListLabels } from './connections-list-labels.js'
import type { ConnectionsListRowState } from './connections-list-options.js'
import { rowKeyOf } from './connections-list-provider.js'
import type { ConnectionsListProvider } from './connections-list-provider.js'
import { composeRefs } from './compose.js'
import { ProviderLogo } from './provider-logo.js'
import { useSetupSession } from './use-setup-session.js'
import type { UseSetupSessionResult } from './use-setup-session.js'
import { VisuallyHidden } from './visually-hidden.js'

/** `ConnectionsListRow`'s props: the provider it connects, and attributes for its `<li>`. */
export interface ConnectionsListRowProps extends Omit<LiHTMLAttributes<HTMLLIElement>, 'children'> {
  /** The provider this row lists and connects. Required. */
  provider: ConnectionsListProvider
  /** Its connections; given, the row does not wait for the list's to load. Defaults to the list's connections whose `providerId` is the provider's. */
  connections?: Connection[]
}

const ERROR_STATUSES: ReadonlySet<SetupFlowStatus> = new Set(['failed', 'expired', 'archived', 'error'])

function formatted(value: string | undefined, formatDate: (date: Date) => string): string | null {
  if (!value) return null
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? null : formatDate(date)
}

function flowErrorText(flow: UseSetupSessionResult, labels: ConnectionsListLabels, context: ConnectionsListLabelContext): string {
  switch (flow.status) {
    case 'failed':
      return resolveListLabel(labels.errorFailed, context)
    case 'expired':
      return resolveListLabel(labels.errorExpired, context)
    case 'archived':
      return resolveListLabel(labels.errorArchived, context)
    default:
      return resolveListLabel(labels.errorConnect, context)
  }
}

function announcement(flow: UseSetupSessionResult, labels: ConnectionsListLabels, context: ConnectionsListLabelContext): string {
  if (flow.popupBlocked && flow.status === 'pending') return resolveListLabel(labels.popupBlocked, context)
  switch (flow.status) {
    case 'idle':
      return ''
    case 'creating':
      return resolveListLabel(labels.statusCreating, context)
    case 'pending':
      return resolveListLabel(labels.statusPending, context)
    case 'completed':
      return resolveListLabel(labels.announceConnected, context)
    case 'cancelled':
      return resolveListLabel(labels.announceCancelled, context)
    default:
      return flowErrorText(flow, labels, context)
  }
}

/**
 * One provider's `<li>`: its own connect flow, its connections, and its actions (Connect, Cancel,
 * Reconnect or Add another account, Disconnect), with `data-state` and a polite live region. Place
 * it in a `<ul>` inside `ConnectionsListRoot`; the root's `renderRow` renders its content.
 */
export const ConnectionsListRow = /* @__PURE__ */ forwardRef<HTMLLIElement, ConnectionsListRowProps>(function ConnectionsListRow(
  { provider, connections: ownConnections, className, ...attributes },
  forwardedRef,
) {
  const list = useConnectionsListContext('ConnectionsListRow')
  const { labels, cls, formatDate, failure, rowRef } = list
  const rowKey = rowKeyOf(provider)
  const connections = ownConnections ?? list.connectionsOf(provider.providerId)
  const disconnectError = failure?.rowKey === rowKey ? failure.error : null
  const ref = useMemo(() => composeRefs(forwardedRef, (element: HTMLLIElement | null) => rowRef(rowKey, element)), [forwardedRef, rowRef, rowKey])
  const flow = useSetupSession({
    ...list.flowOptions,
    providerId: provider.providerId,
    providerName: provider.name,
    providerAuthMethodId: provider.providerAuthMethodId,
    providerDeploymentId: provider.providerDeploymentId,
    metadata: provider.metadata ?? list.flowOptions.metadata,
    onConnected: authConfigId => list.onConnected(authConfigId, provider),
    onError: error => list.onError(error, provider),
  })

  // Blocked, the row waits for the user, not for us: not busy, and its button opens the page.
  const blocked = flow.status === 'pending' && flow.popupBlocked
  const busy = flow.status === 'creating' || (flow.status === 'pending' && !blocked)
  const flowError = ERROR_STATUSES.has(flow.status) ? flow.error : null
  const error = flowError ?? disconnectError
  const authRequired = provider.authRequired !== false
  const count = connections.length
  const state: ConnectionsListRowState = !authRequired
    ? 'available'
    : busy
      ? 'connecting'
      : error
        ? 'error'
        : list.loading && !ownConnections
          ? 'loading'
          : count > 0
            ? 'connected'
            : 'disconnected'

  const contextFor = (connection: Connection | null = null): ConnectionsListLabelContext => {
    const base = { providerName: provider.name, error, connection, connectionName: null, date: null, count }
    if (!connection) return { ...base, date: count === 1 ? formatted(connections[0]?.createdAt, formatDate) : null }
    return {
      ...base,
      connectionName: count > 1 ? displayName(connection) : null,
      date: formatted(connection.createdAt, formatDate),
    }
  }
  /** The app's label for the account, else the `connectionName` label (its label, name or description, else its id). */
  function displayName(connection: Connection): string {
    const base = { providerName: provider.name, error, connection, connectionName: null, date: null, count }
    return list.connectionLabel?.(connection) || resolveListLabel(labels.connectionName, base)
  }
  /** With one connection: the label when the backend or the app gave one (never a bare id). */
  const single = count === 1 ? connections[0] : undefined
  const singleLabel = single ? list.connectionLabel?.(single) || single.label || single.name || single.description || null : null
  const label = (name: keyof ConnectionsListLabels, connection: Connection | null = null) =>
    resolveListLabel(labels[name], contextFor(connection))
  const context = contextFor()

  const statusText = (() => {
    switch (state) {
      case 'available':
        return label('statusAvailable')
      case 'connecting':
        return label(flow.status === 'creating' ? 'statusCreating' : blocked ? 'popupBlocked' : 'statusPending')
      case 'error':
        return flowError ? flowErrorText(flow, labels, context) : label('errorDisconnect')
      case 'loading':
        return ''
      case 'connected':
        return label(count > 1 ? 'statusConnectedMany' : 'statusConnected')
      case 'disconnected':
        return label('statusDisconnected')
    }
  })()

  const connect = () => {
    list.onStart(rowKey)
    flow.start()
  }
  const requestDisconnect = (connection: Connection, returnFocusTo?: HTMLElement | null) => {
    const focused = typeof document === 'undefined' ? null : (document.activeElement as HTMLElement | null)
    list.requestDisconnect({
      rowKey,
      provider,
      connection,
      connectionName: contextFor(connection).connectionName,
      returnFocusTo: returnFocusTo === undefined ? focused : returnFocusTo,
    })
  }
  const openInNewTab = (event: MouseEvent<HTMLAnchorElement>) => {
    if (flow.openInNewTab()) event.preventDefault()
  }

  // In redirect mode the page itself moves on: no new window to warn of.
  const newWindow = flow.mode === 'redirect' ? '' : label('opensInNewWindow')
  const primary = blocked
    ? { text: label('blocked'), name: null }
    : busy
    ? { text: label(flow.status === 'creating' ? 'creating' : 'pending'), name: null }
    : flowError
      ? { text: label('retry'), name: label('retryLabel') }
      : count > 0
        ? list.allowMultipleAccounts
          ? { text: label('addAccount'), name: label('addAccountLabel') }
          : { text: label('reconnect'), name: label('reconnectLabel') }
        : { text: label('connect'), name: label('connectLabel') }
  const disconnectButton = (connection: Connection) => (
    <button
      type="button"
      className={cls('disconnectButton')}
      data-action="disconnect"
      aria-label={label('disconnectLabel', connection)}
      aria-haspopup="dialog"
      onClick={event => requestDisconnect(connection, event.currentTarget)}
    >
      {label('disconnect', connection)}
    </button>
  )
  const consentUrl = flow.session?.url

  const defaultContent = (
    <>
      <div className={cls('main')}>
        {provider.icon !== undefined ? (
          <span className={cls('icon')} aria-hidden="true">
            {provider.icon}
          </span>
        ) : (
          provider.logoUrl !== undefined && (
            <span className={cls('icon')} aria-hidden="true" data-logo="">
              <ProviderLogo src={provider.logoUrl} name={provider.name} size={list.logoSize} className={cls('logo')} monogramClassName={cls('monogram')} />
            </span>
          )
        )}
        <div className={cls('body')}>
          <span className={cls('name')}>{provider.name}</span>
          {provider.description !== undefined && <span className={cls('description')}>{provider.description}</span>}
          {singleLabel && state !== 'loading' && <span className={cls('connectionLabel')}>{singleLabel}</span>}
          {state === 'loading' ? (
            <span className={cls('skeleton')} aria-hidden="true" />
          ) : (
            <span className={clsx(cls('status'), state === 'error' && cls('error')) || undefined}>{statusText}</span>
          )}
        </div>
        {authRequired && state !== 'loading' && (
          <div className={cls('actions')}>
            {/* One element whatever its label, so focus stays on it from Connect to Waiting to Reconnect. */}
            <button
              type="button"
              className={cls('connectButton')}
              data-action={blocked ? 'open' : busy ? 'connecting' : flowError ? 'retry' : count > 0 ? (list.allowMultipleAccounts ? 'add-account' : 'reconnect') : 'connect'}
              // A flow that completed or was cancelled leaves the row as a reload shows it (the row's state
              // says the rest): a "completed" here would colour Reconnect as the button's success.
              data-status={flow.status === 'completed' || flow.status === 'cancelled' ? 'idle' : flow.status}
              data-popup-blocked={flow.popupBlocked ? '' : undefined}
              aria-busy={busy || undefined}
              aria-label={newWindow ? `${primary.name ?? primary.text} ${newWindow}` : (primary.name ?? primary.text)}
              onClick={connect}
            >
              {primary.text}
            </button>
            {flow.status === 'pending' && (
              <button type="button" className={cls('cancelButton')} aria-label={label('cancelLabel')} onClick={() => flow.cancel()}>
                {label('cancel')}
              </button>
            )}
            {count === 1 && connections[0] && disconnectButton(connections[0])}
          </div>
        )}
      </div>
      {authRequired && count > 1 && (
        <ul className={cls('connections')}>
          {connections.map(connection => {
            const since = label('connectionSince', connection)
            return (
              <li key={connection.id} className={cls('connection')} data-connection-id={connection.id}>
                <span className={cls('connectionName')}>{displayName(connection)}</span>
                {since && <span className={cls('connectionSince')}>{since}</span>}
                {disconnectButton(connection)}
              </li>
            )
          })}
        </ul>
      )}
      {flow.popupBlocked && consentUrl && flow.status === 'pending' && (
        <p className={cls('popupBlocked')} data-popup-blocked="">
          {label('popupBlocked')}{' '}
          <a href={consentUrl} target="_blank" rel="noopener noreferrer" onClick={openInNewTab}>
            {label('continueInNewTab')}
          </a>
        </p>
      )}
    </>
  )

  const content = list.renderRow
    ? list.renderRow({
        provider,
        state,
        connections,
        flow,
        busy,
        error,
        statusText,
        connect,
        cancel: () => flow.cancel(),
        requestDisconnect,
        label,
        defaultContent,
      })
    : defaultContent

  return (
    <li data-state={state} data-provider={provider.providerId} aria-busy={busy || state === 'loading' || undefined} {...attributes} ref={ref} className={clsx(cls('row'), className) || undefined}>
      {content}
      <VisuallyHidden role="status" aria-live="polite">
        {announcement(flow, labels, context)}
      </VisuallyHidden>
    </li>
  )
})
