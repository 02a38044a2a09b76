import { errorText, type ConnectLogger } from '../log/safe-logger.js'
import type { Connection } from './connection-view.js'

/** What changed: a new connection, one that replaced another, a new name, one Metorial no longer holds, one the user removed. */
export type ConnectionEventType = 'connected' | 'reconnected' | 'renamed' | 'revoked' | 'removed'

/** What the server-side `onConnectionEvent` receives: once per change, on one app server. */
export interface ConnectionEvent {
  type: ConnectionEventType
  userId: string
  /** The connection after the change (for `reconnected`, the new one; for `removed`, the removed one). */
  connection: Connection
  /** For `reconnected`: the connection it replaced, which has ended. */
  previousConnectionId?: string
}

export type EmitConnectionEvent = (event: ConnectionEvent) => Promise<void>

/** Calls the app's `onConnectionEvent`; what it throws is logged, and never changes an answer or the store. */
export function connectionEvents(log: ConnectLogger, onConnectionEvent: ((event: ConnectionEvent) => void | Promise<void>) | undefined): EmitConnectionEvent {
  return async event => {
    if (!onConnectionEvent) return
    try {
      await onConnectionEvent(event)
    } catch (error) {
      log.error(`react-provider-connect: onConnectionEvent threw on a '${event.type}' event; the change is saved all the same.`, { error: errorText(error) })
    }
  }
}
