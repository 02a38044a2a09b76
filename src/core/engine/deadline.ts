/**
 * When a session expires on this machine's clock. The backend's `expiresAt` is on the server's
 * clock, which may be hours off ours: only a server-clock reading (the `Date` of the answer, or
 * the session's `createdAt`) turns it into a local time soundly.
 */
import type { SetupSession } from '../types.js'

/** How long to follow a session whose expiry cannot be known. */
export const DEFAULT_MAX_WAIT = 30 * 60_000
/** Deadlines fire this long after the expiry, so the backend has seen it too. */
export const EXPIRY_MARGIN = 1000

/** Where `createHttpBackend` leaves the server's clock reading (the `Date` header) on an answer. */
export const SERVER_DATE: unique symbol = Symbol.for('react-provider-connect.serverDate')

export function withServerDate<T extends object>(value: T, date: string | null): T {
  const time = date === null ? Number.NaN : Date.parse(date)
  if (!Number.isNaN(time)) Object.defineProperty(value, SERVER_DATE, { value: time })
  return value
}

/** The server's clock at the answer, when the backend passed it on. */
export function serverDateOf(raw: unknown): number | null {
  const time = typeof raw === 'object' && raw !== null ? (raw as { [SERVER_DATE]?: unknown })[SERVER_DATE] : undefined
  return typeof time === 'number' ? time : null
}

/**
 * The local time at which `session` expires, or null when it has no `expiresAt`.
 * - With the server's clock reading at the answer (`serverNow`): exact.
 * - With `createdAt`: its lifetime, counted from `createdLocally` (when this page created it).
 * - With neither, a guess (`sound: false`): `expiresAt` read on our clock when it is still ahead,
 *   else `fallback` (`skewed`), since a server clock behind ours must not end the session at once. Custom
 *   backends that return `createdAt` get the exact expiry.
 */
export function localExpiry(
  session: SetupSession,
  now: number,
  serverNow: number | null,
  createdLocally: number | null,
  fallback: number,
): { at: number; sound: boolean; skewed?: true } | null {
  const expires = typeof session.expiresAt === 'string' ? Date.parse(session.expiresAt) : Number.NaN
  if (Number.isNaN(expires)) return null
  if (serverNow !== null) return { at: now + Math.max(0, expires - serverNow), sound: true }
  const created = typeof session.createdAt === 'string' ? Date.parse(session.createdAt) : Number.NaN
  if (!Number.isNaN(created)) return { at: (createdLocally ?? now) + Math.max(0, expires - created), sound: true }
  if (expires > now) return { at: expires, sound: false }
  // A date already past on our clock says the server's clock is behind ours: it is no expiry at all.
  return { at: Math.max(now, fallback), sound: false, skewed: true }
}
