import { clsx } from 'clsx'
import type { ReactNode } from 'react'
import type { UseSetupSessionOptions } from './use-setup-session.js'

/** One provider the list offers. */
export interface ConnectionsListProvider {
  /** The provider to connect, e.g. `'slack'`; connections are matched to the row by it. Required. */
  providerId: string
  /** Display name, used in every label. Required. */
  name: string
  /** An icon or logo, shown before the name (decorative: the name says it). Wins over `logoUrl`. Defaults to none. */
  icon?: ReactNode
  /**
   * A logo image, drawn lazily at a fixed size; `null` (or a failed load) shows the name's monogram.
   * Catalogue rows carry the backend's. Defaults to none (no icon).
   */
  logoUrl?: string | null
  /** Categories, for the catalogue's search and category chips. Defaults to none. */
  categories?: readonly string[]
  /** A short line under the name. Defaults to none. */
  description?: ReactNode
  /** Sent with the create call. Defaults to `'oauth'`. */
  providerAuthMethodId?: string
  /** Sent with the create call. Defaults to none (the backend's choice). */
  providerDeploymentId?: string
  /** Sent with the create call. Defaults to the list's `metadata`. */
  metadata?: Record<string, unknown>
  /**
   * `false` for providers whose credentials live at the deployment (API keys): the row shows as
   * available, without Connect. Defaults to `true`.
   */
  authRequired?: boolean
}

/** A row's `data-state`. */
export type ConnectionsListRowState = 'loading' | 'disconnected' | 'connecting' | 'connected' | 'error' | 'available'

/** The flow options that make sense list-wide; each row runs its own flow with them. */
export type ConnectionsListFlowOptions = Pick<
  UseSetupSessionOptions,
  | 'redirectUrl'
  | 'mode'
  | 'redirectFallback'
  | 'pollInterval'
  | 'maxPollInterval'
  | 'timeout'
  | 'requestTimeout'
  | 'closeGrace'
  | 'maxRetries'
  | 'watchInterval'
  | 'popupSize'
  | 'metadata'
  | 'resume'
  | 'onEvent'
  | 'backend'
>

export const FLOW_OPTION_KEYS = [
  'redirectUrl',
  'mode',
  'redirectFallback',
  'pollInterval',
  'maxPollInterval',
  'timeout',
  'requestTimeout',
  'closeGrace',
  'maxRetries',
  'watchInterval',
  'popupSize',
  'metadata',
  'resume',
  'onEvent',
  'backend',
] as const satisfies ReadonlyArray<keyof ConnectionsListFlowOptions>

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
  error: 'rpc-row-error',
  popupBlocked: 'rpc-popup-blocked',
  empty: 'rpc-connections-empty',
  listError: 'rpc-connections-error',
  listRetryButton: 'rpc-button',
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

export type ClassNameOf = (part: ConnectionsListPart) => string | undefined

export function classNameResolver(unstyled: boolean, classNames: ConnectionsListClassNames | undefined): ClassNameOf {
  return part => clsx(!unstyled && DEFAULT_CLASS_NAMES[part], classNames?.[part]) || undefined
}

export function rowKeyOf(provider: ConnectionsListProvider): string {
  return [provider.providerId, provider.providerAuthMethodId ?? '', provider.providerDeploymentId ?? ''].join('\u0000')
}

let dateFormat: Intl.DateTimeFormat | undefined

/** `Intl` in the user's locale, e.g. "Mar 4, 2025". */
export function defaultFormatDate(date: Date): string {
  // One formatter for every row: creating it costs far more than formatting with it.
  dateFormat ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' })
  return dateFormat.format(date)
}
