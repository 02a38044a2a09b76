import { UpstreamError } from './upstream-error.js'

/** A setup session as the contract returns it to the browser. */
export interface ContractSession {
  id: string
  status: 'pending' | 'completed' | 'expired' | 'failed' | 'archived' | 'deleted'
  url: string
  expiresAt: string | null
  providerId: string | null
  createdAt: string | null
  authConfig: ContractConnection | null
  error?: { code: string; message: string }
}

/** A connection (an auth config) as the contract returns it. */
export interface ContractConnection {
  id: string
  providerId: string
  status: string
  name: string | null
  createdAt: string | null
}

type Json = Record<string, unknown>

const SESSION_STATUSES = new Set(['pending', 'completed', 'expired', 'failed', 'archived', 'deleted'])
/** Auth config statuses (the official type: `active | archived | deleted`) that leave nothing to connect. */
const REVOKED = new Set(['archived', 'deleted'])

/**
 * A session that completed, but whose auth config was archived or deleted before the app saw it
 * (removed in Metorial's dashboard, or by another server): there is no connection to save or use,
 * so the browser is told the connecting failed, in words that ask the user to try again, and the
 * server stores nothing (only `completed` sessions are stored). Reading it again answers the same.
 */
function revoked(session: ContractSession): ContractSession {
  return {
    ...session,
    status: 'failed',
    authConfig: null,
    error: { code: 'connection_revoked', message: 'The account was connected but the connection was removed right away, so it cannot be used. Please connect again.' },
  }
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null
}

function bad(what: string): UpstreamError {
  return new UpstreamError('invalid_response', `Metorial's ${what} is missing fields the handler needs.`)
}

/** The deployment an upstream session names, in either of the shapes Metorial answers with. */
export function deploymentOf(raw: Json): string | null {
  if (typeof raw.provider_deployment_id === 'string') return raw.provider_deployment_id
  return isObject(raw.deployment) && typeof raw.deployment.id === 'string' ? raw.deployment.id : null
}

/** The id of the user who owns a Metorial object, read from its metadata. */
export function ownerOf(object: Json, ownerKey: string): string | null {
  return isObject(object.metadata) ? str(object.metadata[ownerKey]) : null
}

function providerIdOf(object: Json): string | null {
  return str(object.provider_id) ?? (isObject(object.provider) ? str(object.provider.id) : null)
}

export function toConnection(raw: unknown): ContractConnection {
  if (!isObject(raw)) throw bad('auth config')
  const id = str(raw.id)
  const providerId = providerIdOf(raw)
  if (!id || !providerId) throw bad('auth config')
  return { id, providerId, status: str(raw.status) ?? 'active', name: str(raw.name), createdAt: str(raw.created_at) }
}

/**
 * Maps a Metorial setup session to the contract. `expired` is computed here too, so a session
 * whose lifetime ran out reads `expired` even from a backend that has not caught up yet.
 */
export function toSession(raw: unknown, now: number): ContractSession {
  if (!isObject(raw)) throw bad('setup session')
  const id = str(raw.id)
  const url = str(raw.url)
  const rawStatus = str(raw.status)
  if (!id || !url || !rawStatus || !SESSION_STATUSES.has(rawStatus) || !/^https?:\/\//i.test(url)) throw bad('setup session')
  const expiresAt = str(raw.expires_at)
  let status = rawStatus as ContractSession['status']
  if (status === 'pending' && expiresAt !== null && Date.parse(expiresAt) <= now) status = 'expired'
  const session: ContractSession = {
    id,
    status,
    url,
    expiresAt,
    providerId: providerIdOf(raw),
    createdAt: str(raw.created_at),
    authConfig: isObject(raw.auth_config) ? toConnection({ provider_id: providerIdOf(raw), ...raw.auth_config }) : null,
  }
  if (status === 'failed') session.error = { code: 'setup_failed', message: 'The provider setup did not complete (the user denied access or the provider refused).' }
  if (status === 'completed' && session.authConfig && REVOKED.has(session.authConfig.status)) return revoked(session)
  return session
}
