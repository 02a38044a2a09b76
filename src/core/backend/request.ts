/** One request to the app's backend, bounded in time: it settles, whatever the backend does. */
import type { FlowEnvironment } from '../browser/environment.js'
import { abortedError, ConnectError, toConnectError } from '../errors.js'
import { clampDelay } from '../engine/timing.js'

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
    const finish = (answer: () => void) => {
      if (done) return
      done = true
      env.clearTimeout(timer)
      signal.removeEventListener('abort', onAbort)
      answer()
    }
    const fail = (error: ConnectError) =>
      finish(() => {
        request.abort()
        reject(error)
      })
    const onAbort = () => fail(abortedError())
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
