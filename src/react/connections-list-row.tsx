import { clsx } from 'clsx'
import { forwardRef, useMemo, useState } from 'react'
import type { LiHTMLAttributes, MouseEvent } from 'react'
import { flushSync } from 'react-dom'
import type { ConnectError } from '../core/errors.js'
import type { Connection, SetupFlowStatus } from '../core/types.js'
import { useConnectionsListContext } from './connections-list-context.js'
import { resolveListLabel } from './connections-list-labels.js'
import type { ConnectionsListLabelContext, ConnectionsListLabels } from './connections-list-labels.js'
import type { ConnectionsListRowState } from './connections-list-options.js'
import { rowKeyOf } from './connections-list-provider.js'
import type { ConnectionsListProvider } from './connections-list-provider.js'
import { RenameForm } from './connections-list-rename.js'
import { composeRefs } from './compose.js'
import { ProviderLogo } from './provider-logo.js'
import { InAppBrowserNotice, useRefusingInAppBrowser } from './in-app-browser-notice.js'
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

const isRevoked = (connection: Connection) => connection.status === 'revoked'

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
 * Reconnect or Add another account, Rename, Disconnect; a revoked account's Reconnect replaces it
 * in place), with `data-state` and a polite live region. Place it in a `<ul>` inside
 * `ConnectionsListRoot`; the root's `renderRow` renders its content.
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
  // The connection the next (or running) flow reconnects in place, if any.
  const [replacing, setReplacing] = useState<string | null>(null)
  // The account whose name is being edited, and the Rename button focus returns to.
  const [editing, setEditing] = useState<{ id: string; returnTo: HTMLElement } | null>(null)
  const flow = useSetupSession({
    ...list.flowOptions,
    providerId: provider.providerId,
    providerName: provider.name,
    popupText: list.locale?.popup.connecting({ providerName: provider.name }),
    providerAuthMethodId: provider.providerAuthMethodId,
    providerDeploymentId: provider.providerDeploymentId,
    metadata: provider.metadata ?? list.flowOptions.metadata,
    replacesConnectionId: replacing ?? undefined,
    onConnected: authConfigId => list.onConnected(authConfigId, provider, replacing),
    onError: error => list.onError(error, provider),
  })

  // The provider's consent page would refuse this browser: the row offers the way out instead of a connect.
  const inAppBrowser = useRefusingInAppBrowser(provider)

  // Blocked, the row waits for the user, not for us: not busy, and its button opens the page.
  const blocked = flow.status === 'pending' && flow.popupBlocked
  const busy = flow.status === 'creating' || (flow.status === 'pending' && !blocked)
  const flowError = ERROR_STATUSES.has(flow.status) ? flow.error : null
  const error = flowError ?? disconnectError
  const authRequired = provider.authRequired !== false
  const count = connections.length
  // The account the row's main button reconnects in place: its only one, once revoked.
  const revokedOnly = count === 1 && connections[0] && isRevoked(connections[0]) ? connections[0] : null
  const state: ConnectionsListRowState = !authRequired
    ? 'available'
    : busy
      ? 'connecting'
      : error
        ? 'error'
        : list.loading && !ownConnections
          ? 'loading'
          : count > 0
            ? connections.every(isRevoked)
              ? 'revoked'
              : 'connected'
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
  const revokedText = (connection: Connection) =>
    resolveListLabel(labels.statusRevoked, { ...contextFor(connection), connectionName: null, date: formatted(connection.revokedAt, formatDate) })
  /** Labels about renaming `connection`: they always name the account (when it has a name). */
  const renameText =
    (connection: Connection) =>
    (name: keyof ConnectionsListLabels, failure: ConnectError | null = null) =>
      resolveListLabel(labels[name], { ...contextFor(connection), error: failure, connectionName: count > 1 ? displayName(connection) : singleLabel })

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
      case 'revoked':
        return revokedOnly ? revokedText(revokedOnly) : label('statusRevoked')
      case 'disconnected':
        return label('statusDisconnected')
    }
  })()

  const start = (replaces: string | null) => {
    // The flow reads its options as it creates the session, within this click: commit them first.
    // A running flow keeps the connection it was started for (a click then only focuses or reopens it).
    if (flow.status !== 'creating' && flow.status !== 'pending' && replaces !== replacing) flushSync(() => setReplacing(replaces))
    list.onStart(rowKey)
    flow.start()
  }
  // Try again retries the same attempt: a reconnect in place stays one.
  const connect = () => start(flowError ? replacing : (revokedOnly?.id ?? null))
  const reconnect = (connection: Connection) => start(connection.id)
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
        ? list.allowMultipleAccounts && !revokedOnly
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
  // Revoked, an account is reconnected first (the server keeps its name).
  const renameButton = (connection: Connection) =>
    list.canRename &&
    !isRevoked(connection) && (
      <button
        type="button"
        className={cls('renameButton')}
        data-action="rename"
        aria-label={renameText(connection)('renameLabel')}
        aria-expanded={editing?.id === connection.id}
        onClick={event => setEditing(editing?.id === connection.id ? null : { id: connection.id, returnTo: event.currentTarget })}
      >
        {renameText(connection)('rename')}
      </button>
    )
  const renameForm = (connection: Connection) =>
    editing?.id === connection.id && (
      <RenameForm
        connection={connection}
        text={renameText(connection)}
        onClose={renamed => {
          setEditing(null)
          if (renamed) list.announce(resolveListLabel(labels.announceRenamed, { ...context, connection: renamed, connectionName: renamed.name ?? null }))
          editing.returnTo.focus()
        }}
      />
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
          {/* The app's own words, maybe in another language than the list's: each reads in its own direction. */}
          {provider.description !== undefined && (
            <span className={cls('description')} dir="auto">
              {provider.description}
            </span>
          )}
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
            {!inAppBrowser && (
              <button
                type="button"
                className={cls('connectButton')}
                data-action={blocked ? 'open' : busy ? 'connecting' : flowError ? 'retry' : count > 0 ? (list.allowMultipleAccounts && !revokedOnly ? 'add-account' : 'reconnect') : 'connect'}
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
            )}
            {flow.status === 'pending' && (
              <button type="button" className={cls('cancelButton')} aria-label={label('cancelLabel')} onClick={() => flow.cancel()}>
                {label('cancel')}
              </button>
            )}
            {count === 1 && connections[0] && renameButton(connections[0])}
            {count === 1 && connections[0] && disconnectButton(connections[0])}
          </div>
        )}
      </div>
      {authRequired && count === 1 && connections[0] && renameForm(connections[0])}
      {authRequired && count > 1 && (
        <ul className={cls('connections')}>
          {connections.map(connection => {
            const revoked = isRevoked(connection)
            const since = revoked ? revokedText(connection) : label('connectionSince', connection)
            const reconnectName = label('reconnectLabel', connection)
            return (
              <li key={connection.id} className={cls('connection')} data-connection-id={connection.id} data-state={revoked ? 'revoked' : 'connected'}>
                <span className={cls('connectionName')} dir="auto">
                  {displayName(connection)}
                </span>
                {since && <span className={cls('connectionSince')}>{since}</span>}
                {revoked && !inAppBrowser && (
                  <button
                    type="button"
                    className={cls('reconnectButton')}
                    data-action="reconnect"
                    aria-label={newWindow ? `${reconnectName} ${newWindow}` : reconnectName}
                    onClick={() => reconnect(connection)}
                  >
                    {label('reconnect', connection)}
                  </button>
                )}
                {renameButton(connection)}
                {disconnectButton(connection)}
                {renameForm(connection)}
              </li>
            )
          })}
        </ul>
      )}
      {inAppBrowser && state !== 'loading' && authRequired && <InAppBrowserNotice provider={provider} browser={inAppBrowser} />}
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
        reconnect,
        rename: list.rename,
        cancel: () => flow.cancel(),
        requestDisconnect,
        label,
        inAppBrowser,
        defaultContent,
      })
    : defaultContent

  return (
    <li data-state={state} data-provider={provider.providerId} data-in-app-browser={inAppBrowser ? '' : undefined} aria-busy={busy || state === 'loading' || undefined} {...attributes} ref={ref} className={clsx(cls('row'), className) || undefined}>
      {content}
      <VisuallyHidden role="status" aria-live="polite">
        {announcement(flow, labels, context)}
      </VisuallyHidden>
    </li>
  )
})
