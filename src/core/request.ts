/** One request to the app's backend, bounded in time, and the retry rules shared by every caller. */
import type { FlowEnvironment } from './environment.js'
import { ConnectError, toConnectError } from './errors.js'
import { delayFor, RETRY_SCHEDULE } from './schedule.js'
import { clampDelay } from './timing.js'

type Timers = Pick<FlowEnvironment, 'setTimeout' | 'clearTimeout'>

/**
 * Calls `call` with a signal of its own, and settles at the latest `timeout` ms later (a `network`
 * error) or when `signal` aborts (`aborted`), even if the backend ignores its signal. Every failure
 * is a `ConnectError`.
 */
export function callBackend<T>(env: Timers, signal: AbortSignal, timeout: number, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const request = new AbortController()
    let done = false
    const finish = (settle: () => void) => {
      if (done) return
      done = true
      env.clearTimeout(timer)
      signal.removeEventListener('abort', onAbort)
      settle()
    }
    const fail = (error: ConnectError) =>
      finish(() => {
        request.abort()
        reject(error)
      })
    const onAbort = () => fail(new ConnectError('aborted', 'The request was cancelled.'))
    const timer = env.setTimeout(() => fail(new ConnectError('network', `The backend did not answer within ${timeout} ms.`)), clampDelay(timeout))
    signal.addEventListener('abort', onAbort, { once: true })
    if (signal.aborted) return onAbort()
    let pending: Promise<T>
    try {
      pending = call(request.signal)
    } catch (caught) {
      pending = Promise.reject(caught)
    }
    pending.then(
      value => finish(() => resolve(value)),
      (caught: unknown) => finish(() => reject(toConnectError(caught, request.signal))),
    )
  })
}

/** The delay before the next try after `failures` consecutive failures (0-based), honouring `Retry-After`. */
export function retryDelay(error: ConnectError, failures: number, random: number): number {
  return Math.max(delayFor(RETRY_SCHEDULE, failures, random), error.retryAfterMs ?? 0)
}

/** A create is retried only where the backend said it did nothing (429, 503): anything else may have made a session. */
export function isSafeToRetryCreate(error: ConnectError): boolean {
  return error.code === 'http' && (error.status === 429 || error.status === 503)
}
