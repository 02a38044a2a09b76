import type { ReactNode } from 'react'

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

/** A row's identity: one provider may be listed once per auth method and deployment. */
export function rowKeyOf(provider: ConnectionsListProvider): string {
  return [provider.providerId, provider.providerAuthMethodId ?? '', provider.providerDeploymentId ?? ''].join('\u0000')
}
