/** The redirect record in `sessionStorage`: what a page needs to pick a session up after the consent page. */
import type { FlowEnvironment } from './environment.js'
import { REDIRECT_KEY_PREFIX } from '../protocol.js'
import type { RedirectRecord } from '../protocol.js'

/** A record older than this is stale: the session behind it has expired anyway. */
const MAX_AGE = 2 * 60 * 60_000

function key(providerId: string): string {
  return `${REDIRECT_KEY_PREFIX}${providerId}`
}

export function writeRedirectRecord(env: FlowEnvironment, record: RedirectRecord): void {
  try {
    env.sessionStorage()?.setItem(key(record.providerId), JSON.stringify(record))
  } catch {
    // Storage full or disabled: the flow still completes on the backend; the app sees it on reload.
  }
}

export function readRedirectRecord(env: FlowEnvironment, providerId: string): RedirectRecord | null {
  const storage = env.sessionStorage()
  let raw: string | null = null
  try {
    raw = storage?.getItem(key(providerId)) ?? null
  } catch {
    return null
  }
  if (!raw) return null
  try {
    const record = JSON.parse(raw) as Partial<RedirectRecord>
    const valid =
      typeof record.sessionId === 'string' &&
      typeof record.state === 'string' &&
      record.providerId === providerId &&
      typeof record.createdAt === 'number' &&
      env.now() - record.createdAt < MAX_AGE
    if (valid) return record as RedirectRecord
  } catch {
    // Not ours or corrupted: drop it below.
  }
  clearRedirectRecord(env, providerId)
  return null
}

/** Removes the provider's record; with `sessionId`, only if the record is that session's. */
export function clearRedirectRecord(env: FlowEnvironment, providerId: string, sessionId?: string): void {
  try {
    const storage = env.sessionStorage()
    if (sessionId !== undefined && (JSON.parse(storage?.getItem(key(providerId)) ?? '{}') as Partial<RedirectRecord>).sessionId !== sessionId) return
    storage?.removeItem(key(providerId))
  } catch {
    // Nothing to clear, or a record that is not ours: leave it.
  }
}
