import { createContext, useContext } from 'react'
import type { ReactNode } from 'react'
import type { ConnectError } from '../core/errors.js'
import type { Connection } from '../core/types.js'
import type { Locale } from '../locales/locale.js'
import type { ClassNameOf } from './connections-list-class-names.js'
import type { ConnectionsListLabelContext, ConnectionsListLabels } from './connections-list-labels.js'
import type { ConnectionsListRowRenderProps } from './connections-list-options.js'
import type { ConnectionsListProvider } from './connections-list-provider.js'
import type { ConnectionsListFlowOptions } from './flow-options.js'

/** What a row asks of the dialog when the user wants to remove a connection. */
export interface DisconnectRequest {
  rowKey: string
  provider: ConnectionsListProvider
  connection: Connection
  /** Set when the provider has several connections. */
  connectionName: string | null
  returnFocusTo: HTMLElement | null
}

/** A refused disconnect, shown on its row until that row acts again. */
export interface RowFailure {
  rowKey: string
  error: ConnectError
}

/** What the root hands its rows, toolbar and dialog, so each takes only its own few props. */
export interface ConnectionsListContextValue {
  /** The `ConnectProvider`'s language, when it has one. */
  locale: Locale | undefined
  labels: ConnectionsListLabels
  /** A label that is about the list, not a row. */
  label: (name: keyof ConnectionsListLabels, context?: Partial<ConnectionsListLabelContext>) => string
  cls: ClassNameOf
  flowOptions: ConnectionsListFlowOptions
  formatDate: (date: Date) => string
  logoSize: number
  connectionLabel: ((connection: Connection) => string | null | undefined) | undefined
  allowMultipleAccounts: boolean
  renderRow: ((row: ConnectionsListRowRenderProps) => ReactNode) | undefined
  /** True until the connections first load: rows show a skeleton. */
  loading: boolean
  /** A provider's connections, oldest first. */
  connectionsOf: (providerId: string) => Connection[]
  failure: RowFailure | null
  /** A flow completed; `replaced` is the connection it reconnected in place. */
  onConnected: (authConfigId: string, provider: ConnectionsListProvider, replaced: string | null) => void
  onError: (error: ConnectError, provider: ConnectionsListProvider) => void
  /** A row starts a connect: its refused disconnect is old news. */
  onStart: (rowKey: string) => void
  rowRef: (rowKey: string, element: HTMLLIElement | null) => void
  /** True when `provider`'s consent page refuses in-app browsers. */
  refusesInAppBrowser: (provider: ConnectionsListProvider) => boolean
  /** True when the backend can rename connections: rows offer Rename. */
  canRename: boolean
  rename: (authConfigId: string, name: string) => Promise<Connection>
  /** Says `text` in the list's polite live region. */
  announce: (text: string) => void
  requestDisconnect: (request: DisconnectRequest) => void
  /** The dialog's question; kept once it closes, so its text stays while it animates out. */
  request: DisconnectRequest | null
  open: boolean
  /** Where the dialog is portalled: the list's root, so its CSS variables and `data-theme` apply. */
  container: HTMLElement | null
  cancel: () => void
  confirm: () => void
  /** The dialog has closed: focus goes back where the user was. */
  closed: () => void
}

export const ConnectionsListContext = /* @__PURE__ */ createContext<ConnectionsListContextValue | null>(null)

/** The list a part sits in; `part` names it in the error thrown outside one. */
export function useConnectionsListContext(part: string): ConnectionsListContextValue {
  const value = useContext(ConnectionsListContext)
  if (!value) throw new Error(`\`${part}\` must be used within \`<ConnectionsListRoot>\`.`)
  return value
}
