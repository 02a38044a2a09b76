import { clsx } from 'clsx'

/** Default class names, dropped with `unstyled`; `classNames` adds to them. */
export const DEFAULT_CLASS_NAMES = {
  root: 'rpc-connections',
  list: 'rpc-connections-list',
  row: 'rpc-row',
  main: 'rpc-row-main',
  icon: 'rpc-row-icon',
  logo: 'rpc-row-logo',
  monogram: 'rpc-row-monogram',
  toolbar: 'rpc-catalogue-toolbar',
  search: 'rpc-catalogue-search',
  searchLabel: 'rpc-catalogue-search-label',
  searchInput: 'rpc-catalogue-search-input',
  categories: 'rpc-catalogue-categories',
  category: 'rpc-chip',
  noResults: 'rpc-connections-empty',
  connectionLabel: 'rpc-row-connection-label',
  body: 'rpc-row-body',
  name: 'rpc-row-name',
  description: 'rpc-row-description',
  status: 'rpc-row-status',
  skeleton: 'rpc-skeleton',
  actions: 'rpc-row-actions',
  connectButton: 'rpc-button',
  cancelButton: 'rpc-button-cancel',
  disconnectButton: 'rpc-button rpc-button-danger',
  connections: 'rpc-row-connections',
  connection: 'rpc-row-connection',
  connectionName: 'rpc-row-connection-name',
  connectionSince: 'rpc-row-connection-since',
  reconnectButton: 'rpc-button',
  renameButton: 'rpc-button rpc-button-secondary',
  renameForm: 'rpc-rename',
  renameFieldLabel: 'rpc-rename-label',
  renameInput: 'rpc-rename-input',
  renameSave: 'rpc-button',
  renameCancel: 'rpc-button rpc-button-secondary',
  renameError: 'rpc-rename-error',
  error: 'rpc-row-error',
  popupBlocked: 'rpc-popup-blocked',
  empty: 'rpc-connections-empty',
  listError: 'rpc-connections-error',
  listRetryButton: 'rpc-button',
  inAppBrowser: 'rpc-in-app-browser',
  inAppBrowserMessage: 'rpc-in-app-browser-message',
  inAppBrowserActions: 'rpc-in-app-browser-actions',
  inAppBrowserStatus: 'rpc-in-app-browser-status',
  openInBrowser: 'rpc-button',
  copyLink: 'rpc-button rpc-button-secondary',
  overlay: 'rpc-dialog-overlay',
  dialog: 'rpc-dialog',
  dialogTitle: 'rpc-dialog-title',
  dialogDescription: 'rpc-dialog-description',
  dialogActions: 'rpc-dialog-actions',
  dialogCancel: 'rpc-button rpc-button-secondary',
  dialogConfirm: 'rpc-button rpc-button-danger',
} as const

/** Every part that takes a class name. */
export type ConnectionsListPart = keyof typeof DEFAULT_CLASS_NAMES

/** A class name per part. */
export type ConnectionsListClassNames = Partial<Record<ConnectionsListPart, string>>

/** A part's class names: the default one (unless `unstyled`) and the app's. */
export type ClassNameOf = (part: ConnectionsListPart) => string | undefined

export function classNameResolver(unstyled: boolean, classNames: ConnectionsListClassNames | undefined): ClassNameOf {
  return part => clsx(!unstyled && DEFAULT_CLASS_NAMES[part], classNames?.[part]) || undefined
}
