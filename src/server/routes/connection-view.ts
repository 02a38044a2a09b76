import type { ContractConnection } from '../metorial/objects.js'
import type { StoredConnection } from '../store/connection-store.js'

/** A user's connection, as `listConnections` and the `GET …/connections` route return it. */
export interface Connection extends ContractConnection {
  /** The same as `id`, named as Metorial's `withProviderSession` providers take it. */
  providerAuthConfigId: string
  /** The deployment the setup session named, when the browser sent one. */
  providerDeploymentId: string | null
  /** `'revoked'` once a sync found Metorial no longer holds it (archived or deleted there): reconnect or remove it. */
  status: 'active' | 'revoked'
  /** ISO 8601, when `status` is `'revoked'`. */
  revokedAt?: string
}

/** A stored connection as the routes, `listConnections` and the events show it: `revoked` once `revokedAt` is set. */
export function toConnection(stored: StoredConnection): Connection {
  const revokedAt = stored.revokedAt ?? null
  return {
    id: stored.id,
    providerAuthConfigId: stored.id,
    providerId: stored.providerId,
    providerDeploymentId: stored.providerDeploymentId,
    status: revokedAt === null ? 'active' : 'revoked',
    name: stored.name,
    createdAt: stored.createdAt,
    ...(revokedAt === null ? {} : { revokedAt }),
  }
}
