import { ConnectServerError } from './http-error.js'
import type { MetorialClient } from './metorial-client.js'
import { isObject } from './metorial-objects.js'
import type { SessionApi } from './setup-sessions-api.js'

/** Where the legacy session keeps the browser's provider id: the legacy API knows only deployments. */
export const LEGACY_PROVIDER_METADATA_KEY = 'react_provider_connect_provider_id'

type Json = Record<string, unknown>

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null)

/**
 * A legacy OAuth session as a setup session: `opened` reads as pending, and a completed session's
 * connection is the OAuth session itself (its `soas_…` id is what the app stores, and what Metorial's
 * legacy `serverDeployments: [{ serverDeploymentId, oauthSessionId }]` takes).
 */
export function legacyAsSetupSession(raw: unknown): unknown {
  if (!isObject(raw)) return raw
  const metadata = isObject(raw.metadata) ? raw.metadata : {}
  const deployment = str(raw.server_deployment_id) ?? (isObject(raw.server_deployment) ? str(raw.server_deployment.id) : null)
  // The provider Metorial connects (the official shape: `connection.provider.id`) wins over the browser's label.
  const connection = isObject(raw.connection) ? raw.connection : null
  const providerId = (connection && isObject(connection.provider) ? str(connection.provider.id) : null) ?? str(metadata[LEGACY_PROVIDER_METADATA_KEY]) ?? deployment
  const status = raw.status === 'opened' ? 'pending' : raw.status
  const completedAt = str(raw.completed_at)
  const session: Json = {
    id: raw.id,
    status,
    url: raw.url,
    metadata,
    provider_id: providerId,
    provider_deployment_id: deployment,
    created_at: raw.created_at ?? null,
    expires_at: null,
    auth_config: status === 'completed' ? { id: raw.id, status: 'active', provider_id: providerId, name: null, created_at: completedAt } : null,
  }
  return session
}

/** `api: 'oauth-sessions'`: Metorial's older OAuth sessions behind the same shape as setup sessions. */
export function oauthSessionsApi(metorial: MetorialClient): SessionApi {
  return {
    async create(input, signal) {
      if (input.providerDeploymentId === undefined) {
        throw new ConnectServerError(400, 'invalid_request', 'With the OAuth sessions API, a connect button needs a `providerDeploymentId` (the server deployment to connect).')
      }
      const raw = await metorial.request({
        method: 'POST',
        path: '/provider-oauth/sessions',
        signal,
        body: {
          server_deployment_id: input.providerDeploymentId,
          ...(input.redirectUrl === undefined ? {} : { redirect_uri: input.redirectUrl }),
          // The owner goes last: client metadata can never claim another user.
          metadata: { ...input.metadata, [LEGACY_PROVIDER_METADATA_KEY]: input.providerId, ...input.ownerMetadata },
        },
      })
      return legacyAsSetupSession(raw)
    },
    async read(id, signal) {
      return legacyAsSetupSession(await metorial.request({ method: 'GET', path: `/provider-oauth/sessions/${id}`, signal }))
    },
    async removeConnection(id, signal) {
      // A 404 is not "already gone": the store holds it, so nothing was revoked (the caller reports it).
      await metorial.request({ method: 'DELETE', path: `/provider-oauth/sessions/${id}`, signal })
    },
  }
}
