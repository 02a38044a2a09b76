/** Validates and normalises what a backend answers (camelCase or snake_case) into the library's types. */
import { ConnectError } from '../errors.js'
import { isSafeUrl } from '../browser/url.js'
import type { AuthConfig, Connection, SetupSession, SetupSessionStatus } from '../types.js'

const STATUSES: Record<string, SetupSessionStatus> = {
  pending: 'pending',
  opened: 'pending',
  completed: 'completed',
  expired: 'expired',
  failed: 'failed',
  archived: 'archived',
  deleted: 'deleted',
}

type Json = Record<string, unknown>

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function camel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, char: string) => char.toUpperCase())
}

/** Copies an object with its top-level keys in camelCase (a camelCase key wins over its snake twin). */
function camelKeys(value: Json): Json {
  const out: Json = {}
  for (const [key, item] of Object.entries(value)) {
    const name = camel(key)
    if (name !== key && name in value) continue
    out[name] = item
  }
  return out
}

function invalid(message: string): ConnectError {
  return new ConnectError('invalid_response', message)
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

/**
 * Parses the answer to a read of session `id`. An answer for another session is `invalid_response`:
 * trusting it could attach someone else's account to this user.
 */
export function parseSetupSessionFor(id: string, raw: unknown): SetupSession {
  const session = parseSetupSession(raw)
  if (session.id !== id) throw invalid('The backend answered for another setup session.')
  return session
}

/**
 * Validates and normalises a setup session from the backend. Throws `invalid_response` for
 * anything the flow cannot trust, and `unsafe_url` for a consent URL that is not http(s).
 */
export function parseSetupSession(raw: unknown): SetupSession {
  if (!isObject(raw)) throw invalid('The backend did not return a setup session.')
  const session = camelKeys(raw)
  const { id, url } = session
  if (typeof id !== 'string' || id === '') throw invalid('The setup session has no id.')
  const rawStatus = session.status
  const status = typeof rawStatus === 'string' ? STATUSES[rawStatus] : undefined
  if (!status) {
    throw invalid(`The setup session has an unknown status: ${JSON.stringify(rawStatus ?? null).slice(0, 40)}.`)
  }
  if (typeof url !== 'string' || url === '') throw invalid('The setup session has no consent URL.')
  if (!isSafeUrl(url)) {
    throw new ConnectError('unsafe_url', 'Only http: and https: consent pages are opened.')
  }
  let authConfig: AuthConfig | null = null
  if (isObject(session.authConfig)) {
    const config = camelKeys(session.authConfig)
    if (typeof config.id === 'string' && config.id !== '') authConfig = { ...config, id: config.id }
  }
  if (status === 'completed' && !authConfig) {
    throw invalid('The setup session is completed without an auth config id.')
  }
  const expiresAt = session.expiresAt
  if (expiresAt !== undefined && expiresAt !== null && (typeof expiresAt !== 'string' || Number.isNaN(Date.parse(expiresAt)))) {
    throw invalid('The setup session has an unreadable expiresAt.')
  }
  let error: SetupSession['error'] = null
  if (isObject(session.error)) {
    const message = optionalString(session.error.message) ?? 'The provider reported an error.'
    const code = optionalString(session.error.code)
    error = code === undefined ? { message } : { code, message }
  }
  return { ...session, id, status, url, expiresAt: expiresAt ?? null, authConfig, error }
}

/** Validates and normalises one connection. */
export function parseConnection(raw: unknown): Connection {
  if (!isObject(raw)) throw invalid('A connection is not an object.')
  const connection = camelKeys(raw)
  const { id, providerId } = connection
  if (typeof id !== 'string' || id === '') throw invalid('A connection has no id.')
  if (typeof providerId !== 'string' || providerId === '') throw invalid(`Connection ${id} has no providerId.`)
  return {
    ...connection,
    id,
    providerId,
    // Servers from before revocation existed send no status: their connections are all active.
    status: optionalString(connection.status) ?? 'active',
    revokedAt: optionalString(connection.revokedAt),
    name: optionalString(connection.name),
    createdAt: optionalString(connection.createdAt),
  }
}

/** Accepts `{ items: [...] }` or a bare array. */
export function parseConnectionList(raw: unknown): Connection[] {
  const items = Array.isArray(raw) ? raw : isObject(raw) && Array.isArray(raw.items) ? raw.items : null
  if (!items) throw invalid('The connections list is neither an array nor { items: [...] }.')
  return items.map(parseConnection)
}

/** True once the backend will not change the session's status any more. */
export function isFinalSessionStatus(status: SetupSessionStatus): boolean {
  return status !== 'pending'
}
