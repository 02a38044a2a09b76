import type { ConnectError } from '../core/errors.js'
import type { Connection } from '../core/types.js'

/** What a `ConnectionsList` label is told. */
export interface ConnectionsListLabelContext {
  /** The provider's display name (`provider.name`). */
  providerName: string
  /** The error of an error state, else null. */
  error: ConnectError | null
  /** The connection a label is about (a Disconnect button, the dialog), else null. */
  connection: Connection | null
  /** The connection's display name when its provider has several connections, else null (names stay unique per row). */
  connectionName: string | null
  /** The connection's `createdAt` (for `statusRevoked`, its `revokedAt`), formatted with `formatDate`, else null. */
  date: string | null
  /** How many connections the provider has (for `searchResults`: how many providers match). */
  count: number
}

/** A fixed string, or a function of the context (interpolation, plurals, word order in any language). */
export type ConnectionsListLabel = string | ((context: ConnectionsListLabelContext) => string)

/** Every string `ConnectionsList` shows or announces. Pass any subset as `labels`. */
export interface ConnectionsListLabels {
  /** Connect button text. Defaults to "Connect". */
  connect: ConnectionsListLabel
  /** Connect button's accessible name. Defaults to "Connect {providerName}". */
  connectLabel: ConnectionsListLabel
  /** Reconnect button text (a connected row). Defaults to "Reconnect". */
  reconnect: ConnectionsListLabel
  /** Reconnect button's accessible name. Defaults to "Reconnect {providerName}", or "Reconnect {providerName} ({connectionName})" for one of several accounts. */
  reconnectLabel: ConnectionsListLabel
  /** Retry button text (an error row). Defaults to "Try again". */
  retry: ConnectionsListLabel
  /** Retry button's accessible name; it must contain the visible text (WCAG 2.5.3). Defaults to "Try again to connect {providerName}". */
  retryLabel: ConnectionsListLabel
  /** The busy button's text (and name) while the session is created. Defaults to "Connecting…". */
  creating: ConnectionsListLabel
  /** The busy button's text (and name) while the user is on the consent page. Defaults to "Waiting for {providerName}…". */
  pending: ConnectionsListLabel
  /** The button's text (and name) while pending after the popup was blocked; a click tries again. Defaults to "Open {providerName}". */
  blocked: ConnectionsListLabel
  /** Appended to the accessible name of buttons that open the consent window. Defaults to "(opens in a new window)". */
  opensInNewWindow: ConnectionsListLabel
  /** Cancel button text while connecting. Defaults to "Cancel". */
  cancel: ConnectionsListLabel
  /** Cancel button's accessible name. Defaults to "Cancel connecting {providerName}". */
  cancelLabel: ConnectionsListLabel
  /** Disconnect button text. Defaults to "Disconnect". */
  disconnect: ConnectionsListLabel
  /** Disconnect button's accessible name. Defaults to "Disconnect {providerName}", or "Disconnect {providerName} ({connectionName})" with several connections. */
  disconnectLabel: ConnectionsListLabel
  /** Status of a row without connection. Defaults to "Not connected". */
  statusDisconnected: ConnectionsListLabel
  /** Status of an `authRequired: false` row. Defaults to "Available, no sign-in needed". */
  statusAvailable: ConnectionsListLabel
  /** Status while the session is created. Defaults to "Connecting to {providerName}…". */
  statusCreating: ConnectionsListLabel
  /** Status while the user is on the consent page. Defaults to "Finish connecting in the {providerName} window.". */
  statusPending: ConnectionsListLabel
  /** Status of a row with one connection. Defaults to "Connected since {date}" ("Connected" without a date). */
  statusConnected: ConnectionsListLabel
  /** Status of a row with several connections. Defaults to "{count} accounts connected". */
  statusConnectedMany: ConnectionsListLabel
  /**
   * Status of a revoked account (the provider's side no longer holds it; Reconnect restores it in
   * place). Defaults to "Disconnected on {date} — reconnect to use it again" ("Disconnected —
   * reconnect to use it again" without a date).
   */
  statusRevoked: ConnectionsListLabel
  /** Rename button text. Defaults to "Rename". */
  rename: ConnectionsListLabel
  /** Rename button's accessible name. Defaults to "Rename {providerName} account ({connectionName})" ("Rename {providerName} account" when it has no name). */
  renameLabel: ConnectionsListLabel
  /** The name field's label. Defaults to "Name of this {providerName} account". */
  renameField: ConnectionsListLabel
  /** The button that saves the name. Defaults to "Save". */
  renameSave: ConnectionsListLabel
  /** That button while the name is saved. Defaults to "Saving…". */
  renameSaving: ConnectionsListLabel
  /** The button that leaves the name as it was. Defaults to "Cancel". */
  renameCancel: ConnectionsListLabel
  /** Shown under the field for an empty name (nothing is sent). Defaults to "Enter a name.". */
  renameEmpty: ConnectionsListLabel
  /** Shown under the field for a name over 100 characters (nothing is sent). Defaults to "Use 100 characters or fewer.". */
  renameTooLong: ConnectionsListLabel
  /** Shown under the field when the backend refused the name or could not be reached. Defaults to "Could not rename: {error.message}". */
  renameError: ConnectionsListLabel
  /** Announced when a rename succeeds. Defaults to "{providerName} account renamed to {connectionName}.". */
  announceRenamed: ConnectionsListLabel
  /** A connection's display name (the list's `connectionLabel` wins). Defaults to its `label`, `name` or `description`, else its id. */
  connectionName: ConnectionsListLabel
  /** Under a connection's name, with several connections. Defaults to "Since {date}" (empty without a date). */
  connectionSince: ConnectionsListLabel
  /** The consent was refused. Defaults to "{providerName} was not connected: {error.message}". */
  errorFailed: ConnectionsListLabel
  /** The session expired. Defaults to "The {providerName} sign-in expired.". */
  errorExpired: ConnectionsListLabel
  /** The session was archived. Defaults to "The {providerName} sign-in was closed.". */
  errorArchived: ConnectionsListLabel
  /** Any other connect failure. Defaults to "Could not connect {providerName}: {error.message}". */
  errorConnect: ConnectionsListLabel
  /** The backend refused a disconnect (the connection is back). Defaults to "Could not disconnect {providerName}: {error.message}". */
  errorDisconnect: ConnectionsListLabel
  /** Shown when the browser blocked the consent window. Defaults to "Your browser blocked the {providerName} window.". */
  popupBlocked: ConnectionsListLabel
  /** The link that opens the consent page in a new tab instead. Defaults to "Continue in a new tab". */
  continueInNewTab: ConnectionsListLabel
  /** Announced when a connect completes. Defaults to "{providerName} connected.". */
  announceConnected: ConnectionsListLabel
  /** Announced when the user cancels a connect. Defaults to "{providerName} connection cancelled.". */
  announceCancelled: ConnectionsListLabel
  /** Announced when a disconnect succeeds. Defaults to "{providerName} disconnected.". */
  announceDisconnected: ConnectionsListLabel
  /** Announced (politely) during the first load. Defaults to "Loading connections…". */
  loading: ConnectionsListLabel
  /** Shown when `providers` is empty. Defaults to "No integrations to show.". */
  empty: ConnectionsListLabel
  /** Shown when the connections could not be loaded. Defaults to "Could not load your connections: {error.message}". */
  listError: ConnectionsListLabel
  /** The list-level retry button. Defaults to "Try again". */
  listRetry: ConnectionsListLabel
  /** Shown while the catalogue loads (no `providers` given). Defaults to "Loading integrations…". */
  loadingCatalogue: ConnectionsListLabel
  /** Shown when the catalogue could not be loaded. Defaults to "Could not load the integrations: {error.message}". */
  catalogueError: ConnectionsListLabel
  /** The search box's label. Defaults to "Search integrations". */
  searchLabel: ConnectionsListLabel
  /** The search box's placeholder. Defaults to "Name, description or category". */
  searchPlaceholder: ConnectionsListLabel
  /** Announced (politely) as the search or category changes. Defaults to "{count} integrations found" ("1 integration found", "No integrations found"). */
  searchResults: ConnectionsListLabel
  /** Shown when nothing matches. Defaults to "No integrations match your search.". */
  noResults: ConnectionsListLabel
  /** The category chips' group label. Defaults to "Categories". */
  categoriesLabel: ConnectionsListLabel
  /** The chip that shows every category. Defaults to "All". */
  allCategories: ConnectionsListLabel
  /** "Add another account" button text, with `allowMultipleAccounts`. Defaults to "Add another account". */
  addAccount: ConnectionsListLabel
  /** Its accessible name. Defaults to "Add another account for {providerName}". */
  addAccountLabel: ConnectionsListLabel
  /**
   * Shown instead of Connect when the provider refuses the in-app browser the page is open in (see
   * the list's `refusesInAppBrowser`). Defaults to "{providerName} does not allow signing in from
   * this app's browser. Open this page in your browser to connect.".
   */
  inAppBrowserRefused: ConnectionsListLabel
  /** The link that opens this page in the system browser (Android, iOS 17 and later). Defaults to "Open in your browser". */
  openInBrowser: ConnectionsListLabel
  /** The button that copies this page's address. Defaults to "Copy link". */
  copyLink: ConnectionsListLabel
  /** Said (politely) once the address is copied. Defaults to "Link copied. Paste it in your browser's address bar.". */
  linkCopied: ConnectionsListLabel
  /** Said (politely) when the address could not be copied. Defaults to "Could not copy the link. Use the app's menu to open this page in your browser.". */
  linkCopyFailed: ConnectionsListLabel
  /** The disconnect dialog's title. Defaults to "Disconnect {providerName}?". */
  dialogTitle: ConnectionsListLabel
  /** The disconnect dialog's description. Defaults to "Your {providerName} account ({connectionName}) will no longer be available here. You can connect it again at any time.". */
  dialogDescription: ConnectionsListLabel
  /** The dialog's cancel button. Defaults to "Cancel". */
  dialogCancel: ConnectionsListLabel
  /** The dialog's confirm button. Defaults to "Disconnect". */
  dialogConfirm: ConnectionsListLabel
}

const message = (error: ConnectError | null, fallback: string) => error?.message ?? fallback

export const defaultConnectionsListLabels: ConnectionsListLabels = {
  connect: 'Connect',
  connectLabel: ({ providerName }) => `Connect ${providerName}`,
  reconnect: 'Reconnect',
  reconnectLabel: ({ providerName, connectionName }) => (connectionName ? `Reconnect ${providerName} (${connectionName})` : `Reconnect ${providerName}`),
  retry: 'Try again',
  retryLabel: ({ providerName }) => `Try again to connect ${providerName}`,
  creating: 'Connecting…',
  pending: ({ providerName }) => `Waiting for ${providerName}…`,
  blocked: ({ providerName }) => `Open ${providerName}`,
  opensInNewWindow: '(opens in a new window)',
  cancel: 'Cancel',
  cancelLabel: ({ providerName }) => `Cancel connecting ${providerName}`,
  disconnect: 'Disconnect',
  disconnectLabel: ({ providerName, connectionName }) =>
    connectionName ? `Disconnect ${providerName} (${connectionName})` : `Disconnect ${providerName}`,
  statusDisconnected: 'Not connected',
  statusAvailable: 'Available, no sign-in needed',
  statusCreating: ({ providerName }) => `Connecting to ${providerName}…`,
  statusPending: ({ providerName }) => `Finish connecting in the ${providerName} window.`,
  statusConnected: ({ date }) => (date ? `Connected since ${date}` : 'Connected'),
  statusConnectedMany: ({ count }) => `${count} accounts connected`,
  statusRevoked: ({ date }) => `Disconnected${date ? ` on ${date}` : ''} — reconnect to use it again`,
  rename: 'Rename',
  renameLabel: ({ providerName, connectionName }) => `Rename ${providerName} account${connectionName ? ` (${connectionName})` : ''}`,
  renameField: ({ providerName }) => `Name of this ${providerName} account`,
  renameSave: 'Save',
  renameSaving: 'Saving…',
  renameCancel: 'Cancel',
  renameEmpty: 'Enter a name.',
  renameTooLong: 'Use 100 characters or fewer.',
  renameError: ({ error }) => `Could not rename: ${message(error, 'something went wrong.')}`,
  announceRenamed: ({ providerName, connectionName }) => `${providerName} account renamed to ${connectionName ?? ''}.`,
  connectionName: ({ connection }) => connection?.label || connection?.name || connection?.description || connection?.id || '',
  connectionSince: ({ date }) => (date ? `Since ${date}` : ''),
  errorFailed: ({ providerName, error }) => `${providerName} was not connected: ${message(error, 'access was not granted.')}`,
  errorExpired: ({ providerName }) => `The ${providerName} sign-in expired.`,
  errorArchived: ({ providerName }) => `The ${providerName} sign-in was closed.`,
  errorConnect: ({ providerName, error }) => `Could not connect ${providerName}: ${message(error, 'something went wrong.')}`,
  errorDisconnect: ({ providerName, error }) => `Could not disconnect ${providerName}: ${message(error, 'something went wrong.')}`,
  popupBlocked: ({ providerName }) => `Your browser blocked the ${providerName} window.`,
  continueInNewTab: 'Continue in a new tab',
  announceConnected: ({ providerName }) => `${providerName} connected.`,
  announceCancelled: ({ providerName }) => `${providerName} connection cancelled.`,
  announceDisconnected: ({ providerName }) => `${providerName} disconnected.`,
  loading: 'Loading connections…',
  empty: 'No integrations to show.',
  listError: ({ error }) => `Could not load your connections: ${message(error, 'something went wrong.')}`,
  listRetry: 'Try again',
  loadingCatalogue: 'Loading integrations…',
  catalogueError: ({ error }) => `Could not load the integrations: ${message(error, 'something went wrong.')}`,
  searchLabel: 'Search integrations',
  searchPlaceholder: 'Name, description or category',
  searchResults: ({ count }) => (count === 0 ? 'No integrations found' : count === 1 ? '1 integration found' : `${count} integrations found`),
  noResults: 'No integrations match your search.',
  categoriesLabel: 'Categories',
  allCategories: 'All',
  addAccount: 'Add another account',
  addAccountLabel: ({ providerName }) => `Add another account for ${providerName}`,
  inAppBrowserRefused: ({ providerName }) => `${providerName} does not allow signing in from this app's browser. Open this page in your browser to connect.`,
  openInBrowser: 'Open in your browser',
  copyLink: 'Copy link',
  linkCopied: "Link copied. Paste it in your browser's address bar.",
  linkCopyFailed: "Could not copy the link. Use the app's menu to open this page in your browser.",
  dialogTitle: ({ providerName }) => `Disconnect ${providerName}?`,
  dialogDescription: ({ providerName, connectionName }) =>
    `Your ${providerName} account${connectionName ? ` (${connectionName})` : ''} will no longer be available here. You can connect it again at any time.`,
  dialogCancel: 'Cancel',
  dialogConfirm: 'Disconnect',
}

export function resolveListLabel(label: ConnectionsListLabel, context: ConnectionsListLabelContext): string {
  return typeof label === 'function' ? label(context) : label
}
