/**
 * A value the latest render wrote and that code outside render reads (a request's headers and
 * `fetch`). Like a ref, but a plain object: React's rules forbid handing a ref to code a render
 * calls, and this one is only read per request, after the effect that wrote it.
 */
export interface LatestValue<T> {
  get(): T
  set(value: T): void
}

export function latestValue<T>(initial: T): LatestValue<T> {
  let current = initial
  return {
    get: () => current,
    set: value => {
      current = value
    },
  }
}
