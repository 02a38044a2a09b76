import type { MetorialClient } from './client.js'
import { isObject } from './objects.js'
import { UpstreamError } from './upstream-error.js'

/** Metorial's setup session `type`. `'auto'` becomes `'auth_and_config'` for providers with a configuration schema. */
export type SetupSessionType = 'auth_only' | 'config_only' | 'auth_and_config' | 'auto'

export const DEFAULT_SESSION_TYPE: SetupSessionType = 'auth_only'

/** What a session is created from: the browser's checked request, its owner and the server's OAuth app choice. */
export interface CreateSessionInput {
  providerId: string
  providerAuthMethodId?: string
  providerDeploymentId?: string
  redirectUrl?: string
  metadata: Record<string, unknown>
  ownerMetadata: Record<string, string>
  authCredentialsId: string | null
}

/**
 * One Metorial session API, as the server uses it: raw Metorial objects out, `UpstreamError`s
 * thrown, nothing about users or stores. The legacy OAuth sessions API fits behind the same shape.
 */
export interface SessionApi {
  create(input: CreateSessionInput, signal: AbortSignal): Promise<unknown>
  read(id: string, signal: AbortSignal): Promise<unknown>
  /** Archives the connection; resolves when it is gone, whether by this call or an earlier one. */
  removeConnection(id: string, signal: AbortSignal): Promise<void>
}

const GONE = new Set(['archived', 'deleted'])
const LINKED_ELSEWHERE = 'provider_auth_config_identity_credential_archive_not_allowed'

function isRefusal(error: unknown): error is UpstreamError {
  return error instanceof UpstreamError && error.kind === 'http' && error.status !== undefined && error.status >= 400 && error.status < 500
}

export function setupSessionsApi(metorial: MetorialClient, options: { type: SetupSessionType; defaultAuthMethodId: string | undefined }): SessionApi {
  return {
    create(input, signal) {
      const authMethodId = input.providerAuthMethodId ?? options.defaultAuthMethodId
      return metorial.request({
        method: 'POST',
        path: '/provider-setup-sessions',
        signal,
        body: {
          provider_id: input.providerId,
          type: options.type,
          ...(authMethodId === undefined ? {} : { provider_auth_method_id: authMethodId }),
          ...(input.providerDeploymentId === undefined ? {} : { provider_deployment_id: input.providerDeploymentId }),
          ...(input.authCredentialsId === null ? {} : { provider_auth_credentials_id: input.authCredentialsId }),
          ...(input.redirectUrl === undefined ? {} : { redirect_url: input.redirectUrl }),
          // The owner goes last: client metadata can never claim another user.
          metadata: { ...input.metadata, ...input.ownerMetadata },
        },
      })
    },
    read(id, signal) {
      return metorial.request({ method: 'GET', path: `/provider-setup-sessions/${id}`, signal })
    },
    async removeConnection(id, signal) {
      try {
        await metorial.request({ method: 'DELETE', path: `/provider-auth-configs/${id}`, signal })
      } catch (error) {
        if (!isRefusal(error) || [401, 403, 429].includes(error.status as number) || error.code === LINKED_ELSEWHERE) throw error
        // Unknown to Metorial while the store holds it: nothing was revoked, so not a success.
        if (error.status === 404) throw error
        // Metorial answers 4xx when the config is already archived (a second remove, a concurrent
        // one, or one made in its dashboard): a read tells that apart from a real refusal.
        const current = await metorial.request({ method: 'GET', path: `/provider-auth-configs/${id}`, signal }).catch((readError: unknown) => {
          throw isRefusal(readError) && readError.status === 404 ? error : readError
        })
        if (isObject(current) && typeof current.status === 'string' && GONE.has(current.status)) return
        throw error
      }
    },
  }
}
