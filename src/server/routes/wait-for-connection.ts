import { ConnectServerError } from '../http/connect-server-error.js'
import { errorText, type ConnectLogger } from '../log/safe-logger.js'
import type { ConnectionStore, LifecycleStore } from '../store/connection-store.js'
import { missingLinkMethods, type LinkStore } from '../store/connection-store.js'
import { toConnection, type Connection } from './connection-view.js'
import type { ConnectionEvent } from './events.js'

/** What `waitForConnection` takes. */
export interface WaitForConnectionInput {
  userId: string
  providerId: string
  /** How long to wait before rejecting with a `ConnectServerError` coded `timeout`. Defaults to `600000` ms (10 minutes). */
  timeoutMs?: number
  /** Aborting rejects with a `ConnectServerError` coded `aborted`. */
  signal?: AbortSignal
}

export const DEFAULT_WAIT_TIMEOUT_MS = 10 * 60_000
/** How often a waiter reads the store for a connection another app server recorded. */
export const WAIT_POLL_MS = 2000

/** Tells this process's waiters about the connections this process records: they resolve at once. */
export function connectionNotifier() {
  const listeners = new Set<(event: ConnectionEvent) => void>()
  return {
    notify(event: ConnectionEvent): void {
      for (const listener of [...listeners]) listener(event)
    },
    listen(listener: (event: ConnectionEvent) => void): () => void {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

export type ConnectionNotifier = ReturnType<typeof connectionNotifier>

export interface WaitDeps {
  store: ConnectionStore
  lifecycle: LifecycleStore | null
  notifier: ConnectionNotifier
  now: () => number
  log: ConnectLogger
  pollMs?: number
}

/**
 * `waitForConnection`: resolves with the user's active connection for the provider, as soon as one
 * exists. A connection that an open reconnect (a live link's or an unfinished session's
 * `replacesConnectionId`) is about to replace does not count, so a reconnect resolves with the new one.
 */
export function connectionWaiter(deps: WaitDeps) {
  const pollMs = deps.pollMs ?? WAIT_POLL_MS

  /** The ids an open reconnect of the user's names: they are on their way out. */
  async function replacing(userId: string): Promise<Set<string>> {
    const ids = new Set<string>()
    if (deps.lifecycle) for (const session of await deps.lifecycle.unfinishedSessions(userId)) if (session.replacesConnectionId) ids.add(session.replacesConnectionId)
    if (missingLinkMethods(deps.store).length === 0) {
      for (const link of await (deps.store as LinkStore).openLinks(userId, new Date(deps.now()).toISOString())) if (link.replacesConnectionId) ids.add(link.replacesConnectionId)
    }
    return ids
  }

  async function current(userId: string, providerId: string): Promise<Connection | null> {
    const [list, excluded] = await Promise.all([deps.store.list(userId), replacing(userId)])
    const found = list.filter(item => item.providerId === providerId && (item.revokedAt ?? null) === null && !excluded.has(item.id)).at(-1)
    return found ? toConnection(found) : null
  }

  function wait(input: WaitForConnectionInput): Promise<Connection> {
    const { userId, providerId } = input
    if (typeof userId !== 'string' || userId.trim() === '') throw new TypeError('waitForConnection needs the user id (a non-empty string) getUserId would return.')
    if (typeof providerId !== 'string' || providerId === '') throw new TypeError('waitForConnection needs `providerId`, e.g. "slack".')
    const timeoutMs = input.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS
    if (!(timeoutMs > 0)) throw new RangeError('waitForConnection: `timeoutMs` must be a positive number of milliseconds.')
    const signal = input.signal
    return new Promise<Connection>((resolve, reject) => {
      let settled = false
      let poll: ReturnType<typeof setTimeout> | undefined
      const cleanups: Array<() => void> = []
      function settle(outcome: () => void): void {
        if (settled) return
        settled = true
        clearTimeout(poll)
        for (const cleanup of cleanups) cleanup()
        outcome()
      }
      const aborted = () => settle(() => reject(new ConnectServerError(499, 'aborted', 'waitForConnection was aborted.')))
      if (signal?.aborted) return aborted()
      if (signal) {
        signal.addEventListener('abort', aborted, { once: true })
        cleanups.push(() => signal.removeEventListener('abort', aborted))
      }
      const timer = setTimeout(() => settle(() => reject(new ConnectServerError(408, 'timeout', `No ${providerId} connection for this user within ${timeoutMs} ms.`))), timeoutMs)
      cleanups.push(() => clearTimeout(timer))
      cleanups.push(
        deps.notifier.listen(event => {
          if ((event.type === 'connected' || event.type === 'reconnected') && event.userId === userId && event.connection.providerId === providerId) {
            const connection = event.connection
            settle(() => resolve(connection))
          }
        }),
      )
      async function check(): Promise<void> {
        try {
          const found = await current(userId, providerId)
          if (found) return settle(() => resolve(found))
        } catch (error) {
          deps.log.warn('react-provider-connect: waitForConnection could not read the connection store; it reads again shortly.', { error: errorText(error) })
        }
        if (!settled) poll = setTimeout(() => void check(), pollMs)
      }
      void check()
    })
  }

  return { wait }
}
