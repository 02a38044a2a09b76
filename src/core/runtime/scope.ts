/** The resources of one run (requests, timers, listeners), dropped all at once. */
import type { FlowEnvironment, TimerId } from '../browser/environment.js'
import { clampDelay, MAX_TIMER_DELAY } from '../engine/timing.js'

export class Scope {
  readonly #controller = new AbortController()
  /** Aborted once the run is released: its requests stop. */
  readonly signal = this.#controller.signal
  #timers = new Map<string, TimerId>()
  #cleanups: Array<() => void> = []

  readonly #env: Pick<FlowEnvironment, 'setTimeout' | 'clearTimeout' | 'now'>

  constructor(env: Pick<FlowEnvironment, 'setTimeout' | 'clearTimeout' | 'now'>) {
    this.#env = env
  }

  /** Sets (or replaces) the timer `key`. A delay past the platform maximum is waited in chunks. */
  setTimer(key: string, ms: number, callback: () => void): void {
    this.clearTimer(key)
    if (this.signal.aborted) return
    const due = this.#env.now() + ms
    const id = this.#env.setTimeout(() => {
      if (this.#timers.get(key) !== id) return
      this.#timers.delete(key)
      const left = due - this.#env.now()
      if (left > 0 && ms > MAX_TIMER_DELAY) this.setTimer(key, left, callback)
      else callback()
    }, clampDelay(ms))
    this.#timers.set(key, id)
  }

  clearTimer(key: string): void {
    const id = this.#timers.get(key)
    if (id === undefined) return
    this.#timers.delete(key)
    this.#env.clearTimeout(id)
  }

  onRelease(cleanup: () => void): void {
    if (this.signal.aborted) cleanup()
    else this.#cleanups.push(cleanup)
  }

  release(): void {
    this.#controller.abort()
    for (const id of this.#timers.values()) this.#env.clearTimeout(id)
    this.#timers.clear()
    for (const cleanup of this.#cleanups.splice(0)) cleanup()
  }
}
