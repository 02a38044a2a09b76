/**
 * `waitForSetupSession`: follows one session on the engine's reducer, with no page around it. The
 * same rules and the same driver as a flow's (polling, retries, deadlines and their last look);
 * this file only runs reads and timers and turns the final status into the promise's outcome.
 */
import { serverDateOf } from '../engine/deadline.js'
import type { FlowEnvironment } from '../browser/environment.js'
import { initialModel } from '../engine/model.js'
import type { FlowEvent } from '../engine/model.js'
import { settingsOf } from '../engine/settings.js'
import { checkTimingOptions } from '../engine/timing.js'
import { isFinalStatus } from '../engine/view.js'
import { abortedError } from '../errors.js'
import type { ConnectBackend, SetupSession } from '../types.js'
import { createDriver } from './driver.js'
import { runTimerEffect } from './runner.js'
import type { TimerHost } from './runner.js'

export interface WaitForSetupSessionOptions {
  backend: ConnectBackend
  /** The session to wait for: its id, or the session object returned by create. */
  session: string | SetupSession
  /** First delay between two checks, in ms; later ones grow 1.5× up to `maxPollInterval`, then slow to one per 30 s after the first minute. Defaults to `1000`. */
  pollInterval?: number
  /** Longest delay between two checks during the first minute, in ms. Defaults to `5000`. */
  maxPollInterval?: number
  /**
   * Give up after this many ms (rejects with code `timeout`), even while a read is out. Defaults to
   * none: the wait ends at the session's `expiresAt` (`session_expired`), or after 30 minutes when
   * the backend sends none (`timeout`: the session did not expire, the wait gave up).
   */
  timeout?: number
  /** Consecutive failures tolerated (network, 5xx, 429, a 404 or an unreadable answer from a proxy), then the wait rejects with the last one (`network`, `http`, `invalid_response`). Defaults to `5`. */
  maxRetries?: number
  /**
   * Longest wait for one read, in ms; a read that never answers is aborted and retried like a
   * network failure. Defaults to `15000`.
   */
  requestTimeout?: number
  /** Stops waiting (rejects with code `aborted`), at once even if a read is still out. */
  signal?: AbortSignal
  /** Timers and clock, for tests. Defaults to the real ones. */
  environment?: Partial<Pick<FlowEnvironment, 'setTimeout' | 'clearTimeout' | 'now' | 'random'>>
}

/**
 * Waits until a setup session completes and resolves with it. Rejects with a `ConnectError`:
 * `session_failed`, `session_expired` (also when `expiresAt` passes while pending), `session_archived`,
 * `timeout`, `aborted`, or the backend's error after `maxRetries` failures. Every wait ends: a read
 * that never answers is bounded by `requestTimeout`, and the deadline fires whatever is in flight.
 */
export function waitForSetupSession(options: WaitForSetupSessionOptions): Promise<SetupSession> {
  return new Promise((resolve, reject) => {
    checkTimingOptions(options, ['pollInterval', 'maxPollInterval', 'timeout', 'maxRetries', 'requestTimeout'], ['pollInterval', 'maxPollInterval', 'requestTimeout'])
    const env = {
      setTimeout: (callback: () => void, ms: number): unknown => globalThis.setTimeout(callback, ms),
      clearTimeout: (id: unknown) => globalThis.clearTimeout(id as ReturnType<typeof setTimeout>),
      now: () => Date.now(),
      random: () => Math.random(),
      ...options.environment,
    }
    const { signal } = options
    if (signal?.aborted) return reject(abortedError())
    const settings = settingsOf(options)
    const host: TimerHost = { env, options, settings, scopes: new Map(), dispatch }
    const driver = createDriver(
      initialModel(''),
      () => ({ now: env.now(), random: env.random(), hidden: false, focused: true, settings, popupClosed: () => true, claimed: () => true }),
      effect => runTimerEffect(host, effect),
    )
    const onAbort = () => dispatch({ type: 'cancel' })
    signal?.addEventListener('abort', onAbort, { once: true })

    function dispatch(event: FlowEvent): void {
      driver.dispatch(event)
      if (driver.busy) return
      const { status, session, error } = driver.model.view
      if (!isFinalStatus(status)) return
      signal?.removeEventListener('abort', onAbort)
      for (const scope of host.scopes.values()) scope.release()
      if (status === 'completed' && session) resolve(session)
      else reject(status === 'cancelled' || !error ? abortedError() : error)
    }

    const session = typeof options.session === 'string' ? null : options.session
    const sessionId = session ? session.id : (options.session as string)
    dispatch({ type: 'wait', sessionId, session, serverNow: serverDateOf(session) })
  })
}
