import type { MouseEvent, ReactNode } from 'react'
import type { ConnectError } from '../core/errors.js'
import type { Connection, SetupFlowStatus } from '../core/types.js'
import { resolveListLabel } from './connections-list-labels.js'
import type { ConnectionsListLabelContext, ConnectionsListLabels } from './connections-list-labels.js'
import type { ClassNameOf, ConnectionsListFlowOptions, ConnectionsListProvider, ConnectionsListRowState } from './connections-list-parts.js'
import { ProviderLogo } from './provider-logo.js'
import { useSetupSession } from './use-setup-session.js'
import type { UseSetupSessionResult } from './use-setup-session.js'
import { VisuallyHidden } from './visually-hidden.js'

/** What `renderRow` receives: everything a custom row needs, actions included. */
export interface ConnectionsListRowRenderProps {
  provider: ConnectionsListProvider
  /** Also the row's `data-state`. */
  state: ConnectionsListRowState
  /** This provider's connections, oldest first as the backend listed them. */
  connections: Connection[]
  /** The row's connect flow (`status`, `popupBlocked`, `session` …). */
  flow: UseSetupSessionResult
  /** True while the session is created or the user is on the consent page. */
  busy: boolean
  /** The error of an error state (a failed connect or a refused disconnect), else null. */
  error: ConnectError | null
  /** The status line the default row shows ("Not connected", "Connected since …", the error …). */
  statusText: string
  /** Starts (or, while busy, focuses) the connect flow. Call it in a click handler: it opens the popup. */
  connect: () => void
  /** Stops the flow. */
  cancel: () => void
  /** Asks in the dialog before removing `connection`; focus returns to `returnFocusTo` (default: the focused element). */
  requestDisconnect: (connection: Connection, returnFocusTo?: HTMLElement | null) => void
  /** Resolves a label for this row (and a connection). */
  label: (name: keyof ConnectionsListLabels, connection?: Connection | null) => string
  /** The row as the list would render it, to wrap or extend. */
  defaultContent: ReactNode
}

/** What the list asks of the dialog when a row requests a disconnect. */
export interface DisconnectRequest {
  rowKey: string
  provider: ConnectionsListProvider
  connection: Connection
  /** Set when the provider has several connections. */
  connectionName: string | null
  returnFocusTo: HTMLElement | null
}

export interface ConnectionsListItemProps {
  rowKey: string
  provider: ConnectionsListProvider
  connections: Connection[]
  loading: boolean
  logoSize: number
  connectionLabel: ((connection: Connection) => string | null | undefined) | undefined
  allowMultipleAccounts: boolean
  flowOptions: ConnectionsListFlowOptions
  labels: ConnectionsListLabels
  className: ClassNameOf
  formatDate: (date: Date) => string
  disconnectError: ConnectError | null
  renderRow: ((row: ConnectionsListRowRenderProps) => ReactNode) | undefined
  onConnected: (authConfigId: string, provider: ConnectionsListProvider) => void
  onError: (error: ConnectError, provider: ConnectionsListProvider) => void
  onStart: (rowKey: string) => void
  onRequestDisconnect: (request: DisconnectRequest) => void
  rowRef: (rowKey: string, element: HTMLLIElement | null) => void
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

/** One provider's `<li>`: its own connect flow, its connections, and its actions. */
export function ConnectionsListItem(props: ConnectionsListItemProps) {
  const { rowKey, provider, connections, loading, labels, className: cls, formatDate, disconnectError } = props
  const flow = useSetupSession({
    ...props.flowOptions,
    providerId: provider.providerId,
    providerName: provider.name,
    providerAuthMethodId: provider.providerAuthMethodId,
    providerDeploymentId: provider.providerDeploymentId,
    metadata: provider.metadata ?? props.flowOptions.metadata,
    onConnected: authConfigId => props.onConnected(authConfigId, provider),
    onError: error => props.onError(error, provider),
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
        : loading
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
    return props.connectionLabel?.(connection) || resolveListLabel(labels.connectionName, base)
  }
  /** With one connection: the label when the backend or the app gave one (never a bare id). */
  const single = count === 1 ? connections[0] : undefined
  const singleLabel = single ? props.connectionLabel?.(single) || single.label || single.name || single.description || null : null
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
    props.onStart(rowKey)
    flow.start()
  }
  const requestDisconnect = (connection: Connection, returnFocusTo?: HTMLElement | null) => {
    const focused = typeof document === 'undefined' ? null : (document.activeElement as HTMLElement | null)
    props.onRequestDisconnect({
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
        ? props.allowMultipleAccounts
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
              <ProviderLogo src={provider.logoUrl} name={provider.name} size={props.logoSize} className={cls('logo')} monogramClassName={cls('monogram')} />
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
            <span className={clsxJoin(cls('status'), state === 'error' ? cls('error') : undefined)}>{statusText}</span>
          )}
        </div>
        {authRequired && state !== 'loading' && (
          <div className={cls('actions')}>
            {/* One element whatever its label, so focus stays on it from Connect to Waiting to Reconnect. */}
            <button
              type="button"
              className={cls('connectButton')}
              data-action={blocked ? 'open' : busy ? 'connecting' : flowError ? 'retry' : count > 0 ? (props.allowMultipleAccounts ? 'add-account' : 'reconnect') : 'connect'}
              data-status={flow.status}
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

  const content = props.renderRow
    ? props.renderRow({
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
    <li
      ref={element => props.rowRef(rowKey, element)}
      className={cls('row')}
      data-state={state}
      data-provider={provider.providerId}
      aria-busy={busy || state === 'loading' || undefined}
    >
      {content}
      <VisuallyHidden role="status" aria-live="polite">
        {announcement(flow, labels, context)}
      </VisuallyHidden>
    </li>
  )
}

function clsxJoin(...names: Array<string | undefined>): string | undefined {
  return names.filter(Boolean).join(' ') || undefined
}
