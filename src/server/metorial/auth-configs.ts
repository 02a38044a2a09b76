import type { MetorialClient } from './client.js'
import { isObject } from './objects.js'
import { UpstreamError } from './upstream-error.js'
import { mapLimited } from './catalogue.js'

/** Metorial's auth-config list takes at most this many ids (and items) a request. */
export const AUTH_CONFIG_BATCH = 100
/** Reads by id in flight at once during one sync. */
const READ_CONCURRENCY = 4
const GONE = new Set(['archived', 'deleted'])

/** Whether Metorial still holds an auth config: `'gone'` when archived, deleted, or unknown (404). */
export type AuthConfigState = 'active' | 'gone'

function isNotFound(error: unknown): boolean {
  return error instanceof UpstreamError && error.kind === 'http' && error.status === 404
}

function stateOf(status: unknown): AuthConfigState {
  return typeof status === 'string' && GONE.has(status) ? 'gone' : 'active'
}

/**
 * The state of each auth config in `ids`: one list request per 100 ids (`id` repeated), then a read
 * by id only for those the list did not return (Metorial never lists the ephemeral configs a setup
 * session makes for token and API-key providers, nor deleted ones; a read tells them apart). Any
 * failure other than a 404 read rejects, so a caller changes nothing on a half answer.
 */
export async function authConfigStates(metorial: MetorialClient, ids: readonly string[], signal: AbortSignal): Promise<Map<string, AuthConfigState>> {
  const states = new Map<string, AuthConfigState>()
  for (let start = 0; start < ids.length; start += AUTH_CONFIG_BATCH) {
    const batch = ids.slice(start, start + AUTH_CONFIG_BATCH)
    const page = await metorial.request({ method: 'GET', path: '/provider-auth-configs', query: { id: batch, limit: String(AUTH_CONFIG_BATCH) }, signal })
    if (!isObject(page) || !Array.isArray(page.items)) throw new UpstreamError('invalid_response', "Metorial's auth config list is not { items: [...] }.")
    const wanted = new Set(batch)
    for (const item of page.items) if (isObject(item) && typeof item.id === 'string' && wanted.has(item.id)) states.set(item.id, stateOf(item.status))
  }
  const unlisted = ids.filter(id => !states.has(id))
  await mapLimited(unlisted, READ_CONCURRENCY, async id => {
    try {
      const config = await metorial.request({ method: 'GET', path: `/provider-auth-configs/${encodeURIComponent(id)}`, signal })
      states.set(id, isObject(config) ? stateOf(config.status) : 'active')
    } catch (error) {
      if (!isNotFound(error)) throw error
      states.set(id, 'gone')
    }
  })
  return states
}

/** Sets an auth config's name at Metorial (`PATCH /provider-auth-configs/{id}`). */
export async function renameAuthConfig(metorial: MetorialClient, id: string, name: string, signal: AbortSignal): Promise<void> {
  await metorial.request({ method: 'PATCH', path: `/provider-auth-configs/${encodeURIComponent(id)}`, body: { name }, signal })
}
