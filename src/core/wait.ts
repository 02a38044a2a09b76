import { DEFAULT_MAX_WAIT, localExpiry, serverDateOf } from './deadline.js'
import type { FlowEnvironment } from './environment.js'
import { ConnectError, toConnectError } from './errors.js'
import { parseSetupSessionFor } from './normalize.js'
import { DEFAULT_REQUEST_TIMEOUT } from './options.js'
import { callBackend, retryDelay } from './request.js'
import { pollDelay, pollScheduleFor } from './schedule.js'
import { checkTimingOptions, clampDelay } from './timing.js'
import type { ConnectBackend, SetupSession } from './types.js'
import { settle, initialState } from './view.js'

export interface WaitForSetupSessionOptions {
  backend: ConnectBackend
  /** The session to wait for: its id, or the session object returned by create. */
  session: string | SetupSession
  /** First delay between two checks, in ms; later ones grow 1.5× up to `maxPollInterval`, then slow to one per 30 s after the first minute. Defaults to `1000`. */
  pollInterval?: number
  /** Longest delay between two checks during the first minute, in ms. Defaults to `5000`. */
  maxPollInterval?: number
  /** Give up after this many ms (rejects with code `timeout`), even while a read is out. Defaults to the session's `expiresAt`, or 30 minutes. */
  timeout?: number
  /** Consecutive failures tolerated (network, 5xx, 429, a 404 or an unreadable answer from a proxy). Defaults to `5`. */
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

/** The last look at a deadline is bounded too. */
const LAST_LOOK_MAX = 5000

/**
 * Without a flow there is no slow check after an error, so a proxy's hiccup (a 404, an HTML page
 * with 200) is retried like a network failure. An answer that breaks the contract is not.
 */
function worthRetrying(error: ConnectError): boolean {
  if (error.transient) return true
  if (error.code === 'http') return error.status === 404
  return error.code === 'invalid_response' && error.status !== undefined
}

/**
 * Waits until a setup session completes and resolves with it. Rejects with a `ConnectError`:
 * `session_failed`, `session_expired` (also when `expiresAt` passes while pending), `session_archived`,
 * `timeout`, `aborted`, or the backend's error after `maxRetries` failures. Every wait ends: a read
 * that never answers is bounded by `requestTimeout`, and the deadline fires whatever is in flight.
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
  const signal = options.signal ?? new AbortController().signal
  const aborted = () => new ConnectError('aborted', 'Stopped waiting for the setup session.')
  const schedule = pollScheduleFor(options.pollInterval, options.maxPollInterval)
  const requestTimeout = options.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT
  const maxRetries = options.maxRetries ?? 5
  const id = typeof options.session === 'string' ? options.session : options.session.id
  const started = env.now()
  const timeoutAt = options.timeout === undefined ? null : started + options.timeout
  const guess = started + DEFAULT_MAX_WAIT
  let expiry = typeof options.session === 'string' ? null : localExpiry(options.session, started, serverDateOf(options.session), null, guess)
  const deadline = () => Math.min(timeoutAt ?? Infinity, expiry?.at ?? (timeoutAt === null ? guess : Infinity))

  const sleep = (ms: number) =>
    new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        env.clearTimeout(timer)
        reject(aborted())
      }
      const timer = env.setTimeout(() => {
        signal.removeEventListener('abort', onAbort)
        resolve()
      }, clampDelay(ms))
      signal.addEventListener('abort', onAbort, { once: true })
    })

  /** One read, bounded by `limit` ms; a final answer resolves or rejects the wait through `verdict`. */
  const read = async (limit: number) => {
    const raw = await callBackend(env, signal, Math.max(1, limit), request => options.backend.getSetupSession(id, { signal: request }))
    const session = parseSetupSessionFor(id, raw)
    const now = env.now()
    const learned = localExpiry(session, now, serverDateOf(raw), null, guess)
    if (learned && (learned.sound || !expiry)) expiry = learned
    return session
  }

  let polls = 0
  let failures = 0
  /** A read was out when the deadline came: it was the last look. */
  let cutShort = false
  for (;;) {
    if (signal.aborted) throw aborted()
    const now = env.now()
    const end = deadline()
    if (now >= end) {
      // One last look, bounded, so a success that landed just now is not reported as a timeout.
      const last = cutShort ? null : await read(Math.min(requestTimeout, LAST_LOOK_MAX)).catch(() => null)
      if (last && last.status !== 'pending') return verdict(last)
      if (signal.aborted) throw aborted()
      if (timeoutAt !== null && end === timeoutAt) throw new ConnectError('timeout', 'Gave up waiting for the setup session.')
      throw new ConnectError('session_expired', 'The setup session expired before it was completed.')
    }
    let delay: number
    try {
      const session = await read(Math.min(requestTimeout, end - now))
      failures = 0
      if (session.status !== 'pending') return verdict(session)
      delay = pollDelay(schedule, polls++, env.now() - started, env.random())
    } catch (caught) {
      const error = toConnectError(caught)
      if (error.code === 'aborted' || signal.aborted) throw aborted()
      cutShort = env.now() >= deadline()
      if (!worthRetrying(error) || failures >= maxRetries) {
        // A read cut short by the deadline is not a failure of the backend: the deadline decides.
        if (env.now() < deadline()) throw error
        continue
      }
      delay = retryDelay(error, failures++, env.random())
    }
    await sleep(Math.max(0, Math.min(delay, deadline() - env.now())))
  }
}

/** Resolves a completed session; rejects with the reason for any other final status. */
function verdict(session: SetupSession): SetupSession {
  const state = settle(initialState(''), session)
  if (state.status === 'completed') return session
  throw state.error ?? new ConnectError('invalid_response', 'The setup session ended without a result.')
}
