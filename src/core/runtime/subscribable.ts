/** A set of listeners; `subscribe()` returns the unsubscribe. Subclasses hear the first and last. */

/** Runs an app callback or listener; its exception is reported asynchronously instead of breaking the caller. */
export function callSafely(callback: () => void): void {
  try {
    callback()
  } catch (error) {
    queueMicrotask(() => {
      throw error
    })
  }
}

export class Subscribable {
  #listeners = new Set<() => void>()

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener)
    this.onSubscribe()
    return () => {
      if (!this.#listeners.delete(listener)) return
      this.onUnsubscribe()
    }
  }

  protected listenerCount(): number {
    return this.#listeners.size
  }

  protected notify(): void {
    // A throwing listener is reported, like a throwing callback, but must not stop the others or
    // leave the caller (the flow mid-dispatch) half done.
    for (const listener of [...this.#listeners]) callSafely(listener)
  }

  protected onSubscribe(): void {}

  protected onUnsubscribe(): void {}
}
