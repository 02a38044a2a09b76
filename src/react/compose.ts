import type { Ref, RefCallback, SyntheticEvent } from 'react'

/** Runs the consumer's handler, then ours unless they called `event.preventDefault()`. */
export function composeEventHandlers<E extends SyntheticEvent>(
  theirs: ((event: E) => void) | undefined,
  ours: (event: E) => void,
): (event: E) => void {
  return event => {
    theirs?.(event)
    if (!event.defaultPrevented) ours(event)
  }
}

/** One ref callback that sets every given ref. */
export function composeRefs<T>(...refs: Array<Ref<T> | undefined>): RefCallback<T> {
  return node => {
    for (const ref of refs) {
      if (typeof ref === 'function') ref(node)
      else if (ref) (ref as { current: T | null }).current = node
    }
  }
}
