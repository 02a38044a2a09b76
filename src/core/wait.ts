import type { FlowEnvironment } from './environment.js'
import { ConnectError, toConnectError } from './errors.js'
import { parseSetupSessionFor } from './normalize.js'
import { checkTimingOptions, clampDelay } from './timing.js'
import { delayFor, pollScheduleFor, RETRY_SCHEDULE } from './schedule.js'
import type { ConnectBackend, SetupSession } from './types.js'

export interface WaitForSetupSessionOptions {
  backend: ConnectBackend
  /** The session to wait for: its id, or the session object returned by create. */
  session: string | SetupSession
  /** First delay between two checks, in ms; later ones grow 1.5× up to `maxPollInterval`. Defaults to `1000`. */
  pollInterval?: number
  /** Longest delay between two checks, in ms. Defaults to `5000`. */
  maxPollInterval?: number
  /** Give up after this many ms (rejects with code `timeout`). Defaults to the session's `expiresAt`, or 30 minutes. */
  timeout?: number
  /** Consecutive transient failures tolerated. Defaults to `5`. */
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

const DEFAULT_MAX_WAIT = 30 * 60_000
const DEFAULT_REQUEST_TIMEOUT = 15_000

/**
 * Waits until a setup session completes and resolves with it. Rejects with a `ConnectError`:
 * `session_failed`, `session_expired` (also when `expiresAt` passes while pending), `session_archived`,
 * `timeout`, `aborted`, or the backend's error after `maxRetries` transient failures.
 */
export async function waitForSetupSession(options: WaitForSetupSessionOptions): Promise<SetupSession> {
  checkTimingOptions(options, ['pollInterval', 'maxPollInterval', 'timeout', 'maxRetries', 'requestTimeout'], ['pollInterval', 'maxPollInterval', 'requestTimeout'])
  const env = {
    setTimeout: (callback: () => void, ms: number): unknown => globalThis.setTimeout(callback, ms),
    clearTimeout: (id: unknown) => globalThis.clearTimeout(id as ReturnType<typeof setTimeout>),
    now: () => Date.now(),
    random: () => Math.random(),
    ...options.environment,
  }
  const schedule = pollScheduleFor(options.pollInterval, options.maxPollInterval)
  const controller = new AbortController()
  const outer = options.signal
  const abortFromOuter = () => controller.abort()
  outer?.addEventListener('abort', abortFromOuter, { once: true })
  if (outer?.aborted) controller.abort()
  const id = typeof options.session === 'string' ? options.session : options.session.id
  const started = env.now()
  const requestTimeout = options.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT
  let expiresAt = typeof options.session === 'string' ? null : parseExpiry(options.session)
  const timeoutAt = options.timeout === undefined ? null : started + options.timeout

  const sleep = (ms: number) =>
    new Promise<void>((resolve, reject) => {
      const timer = env.setTimeout(() => {
        controller.signal.removeEventListener('abort', onAbort)
        resolve()
      }, clampDelay(ms))
      const onAbort = () => {
        env.clearTimeout(timer)
        reject(new ConnectError('aborted', 'Stopped waiting for the setup session.'))
      }
      controller.signal.addEventListener('abort', onAbort, { once: true })
    })

  // A backend that ignores its signal must not hold the wait: race each read against the abort
  // and against requestTimeout.
  const read = () =>
    new Promise<unknown>((resolve, reject) => {
      const request = new AbortController()
      const stop = (error: ConnectError) => {
        env.clearTimeout(timer)
        controller.signal.removeEventListener('abort', onAbort)
        request.abort()
        reject(error)
      }
      const onAbort = () => stop(new ConnectError('aborted', 'Stopped waiting for the setup session.'))
      const timer = env.setTimeout(
        () => stop(new ConnectError('network', `The backend did not answer within ${requestTimeout} ms.`)),
        clampDelay(requestTimeout),
      )
      controller.signal.addEventListener('abort', onAbort, { once: true })
      options.backend.getSetupSession(id, { signal: request.signal }).then(
        value => {
          env.clearTimeout(timer)
          controller.signal.removeEventListener('abort', onAbort)
          resolve(value)
        },
        (error: unknown) => {
          env.clearTimeout(timer)
          controller.signal.removeEventListener('abort', onAbort)
          reject(error)
        },
      )
    })

  try {
    let polls = 0
    let failures = 0
    for (;;) {
      if (controller.signal.aborted) throw new ConnectError('aborted', 'Stopped waiting for the setup session.')
      let delay: number
      try {
        const session = parseSetupSessionFor(id, await read())
        failures = 0
        expiresAt ??= parseExpiry(session)
        switch (session.status) {
          case 'completed':
            return session
          case 'failed':
            throw new ConnectError('session_failed', session.error?.message ?? 'The provider did not grant access.', { backendCode: session.error?.code })
          case 'expired':
            throw new ConnectError('session_expired', 'The setup session expired before it was completed.')
          case 'archived':
          case 'deleted':
            throw new ConnectError('session_archived', 'The setup session was closed before it was completed.')
          case 'pending':
            break
        }
        delay = delayFor(schedule, polls++, env.random())
      } catch (caught) {
        const error = toConnectError(caught, controller.signal)
        if (!error.transient || failures >= (options.maxRetries ?? 5)) throw error
        delay = Math.max(delayFor(RETRY_SCHEDULE, failures++, env.random()), error.retryAfterMs ?? 0)
      }
      const now = env.now()
      if (expiresAt !== null && now >= expiresAt) {
        throw new ConnectError('session_expired', 'The setup session expired before it was completed.')
      }
      const limit = timeoutAt ?? (expiresAt === null ? started + DEFAULT_MAX_WAIT : null)
      if (limit !== null && now >= limit) throw new ConnectError('timeout', 'Gave up waiting for the setup session.')
      const until = Math.min(limit ?? Infinity, expiresAt ?? Infinity)
      await sleep(Math.max(0, Math.min(delay, until - now)))
    }
  } finally {
    outer?.removeEventListener('abort', abortFromOuter)
  }
}

function parseExpiry(session: SetupSession): number | null {
  if (!session.expiresAt) return null
  const time = Date.parse(session.expiresAt)
  return Number.isNaN(time) ? null : time
}
