import type { ReactNode } from 'react'
import type { InAppBrowser } from '../core/browser/in-app-browser.js'
import type { ConnectError } from '../core/errors.js'
import type { Connection } from '../core/types.js'
import type { ConnectionsListClassNames } from './connections-list-class-names.js'
import type { ConnectionsListLabels } from './connections-list-labels.js'
import type { ConnectionsListProvider } from './connections-list-provider.js'
import type { ConnectionsListFlowOptions } from './flow-options.js'
import type { UseConnectionsOptions } from './use-connections.js'
import type { UseSetupSessionResult } from './use-setup-session.js'

/** A row's `data-state`; `revoked` when every connection of the row is revoked. */
export type ConnectionsListRowState = 'loading' | 'disconnected' | 'connecting' | 'connected' | 'revoked' | 'error' | 'available'

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
  /**
   * Starts (or, while busy, focuses) the connect flow. Call it in a click handler: it opens the
   * popup. On a row whose one account is revoked, it reconnects that account in place.
   */
  connect: () => void
  /**
   * Reconnects `connection` in place (the flow sends `replacesConnectionId`): the new connection
   * keeps its name and the old one ends. Call it in a click handler.
   */
  reconnect: (connection: Connection) => void
  /** `useConnections().rename`: resolves with the renamed connection, rejects with the `ConnectError`. */
  rename: (authConfigId: string, name: string) => Promise<Connection>
  /** Stops the flow. */
  cancel: () => void
  /** Asks in the dialog before removing `connection`; focus returns to `returnFocusTo` (default: the focused element). */
  requestDisconnect: (connection: Connection, returnFocusTo?: HTMLElement | null) => void
  /** Resolves a label for this row (and a connection). */
  label: (name: keyof ConnectionsListLabels, connection?: Connection | null) => string
  /** Set when the provider refuses the in-app browser the page is open in: `connect` would fail there (the default content shows the way out). */
  inAppBrowser: InAppBrowser | null
  /** The row as the list would render it, to wrap or extend. */
  defaultContent: ReactNode
}

/**
 * What every row, the toolbar and the dialog of one list share: `ConnectionsList` and
 * `ConnectionsListRoot` take them and hand them down in one context.
 */
export interface ConnectionsListOptions extends ConnectionsListFlowOptions {
  /** The label of a connection ("acme-corp workspace"); falsy falls back to the `connectionName` label. Defaults to none. */
  connectionLabel?: (connection: Connection) => string | null | undefined
  /**
   * Lets a user connect several accounts of one provider: a connected row offers "Add another
   * account" instead of Reconnect. Defaults to `false`.
   */
  allowMultipleAccounts?: boolean
  /** Logo width and height in CSS pixels (set on the image, so nothing shifts as it loads). Defaults to `36`. */
  logoSize?: number
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
  /** Any subset of the strings shown or announced; each wins over the `ConnectProvider`'s `locale`. Defaults to the locale's, else English. */
  labels?: Partial<ConnectionsListLabels>
  /** A class name per part, added to the default ones (or alone with `unstyled`). Defaults to none. */
  classNames?: ConnectionsListClassNames
  /** Drop the default class names (`rpc-*`); `data-*` attributes stay. Defaults to `false`. */
  unstyled?: boolean
  /** Formats a connection's `createdAt`. Defaults to `Intl.DateTimeFormat` with `dateStyle: 'medium'` in the `ConnectProvider`'s locale, else the user's. */
  formatDate?: (date: Date) => string
  /**
   * The providers whose consent page refuses in-app browsers (the web view Instagram, Facebook,
   * LinkedIn, TikTok … open links in): a pattern tested on the provider's id and name, or a
   * function. In such a browser their rows show why, "Open in your browser" and "Copy link" instead
   * of Connect. `() => false` turns it off. Defaults to `DEFAULT_REFUSES_IN_APP_BROWSER`
   * (`/google|gmail|youtube/i`: Google answers `403 disallowed_useragent` there).
   */
  refusesInAppBrowser?: RegExp | ((provider: ConnectionsListProvider) => boolean)
  /** Passed to `useConnections` (SWR options). Defaults to none. */
  swr?: UseConnectionsOptions['swr']
}
