import { Children, cloneElement, forwardRef, Fragment, isValidElement, useMemo } from 'react'
import type { ButtonHTMLAttributes, ReactElement, ReactNode, Ref } from 'react'
import { composeRefs } from './compose.js'

type Props = Record<string, unknown>

/** The element's own ref: in its props on React 19, on the element on React 18 (read without warning). */
function refOf(element: ReactElement | null): Ref<HTMLElement> | undefined {
  if (!element) return undefined
  // Where React only warns, the ref is a getter: skip it and read the other place.
  for (const holder of [element.props as Props, element]) {
    const own = Object.getOwnPropertyDescriptor(holder, 'ref')
    if (own && !own.get && own.value != null) return own.value as Ref<HTMLElement>
  }
  return undefined
}

/**
 * `asChild`: the button's props merged onto the consumer's one element. Theirs win, except that
 * event handlers both run (theirs first), `className`, `style` and `aria-describedby` combine, and
 * both refs are set.
 *
 * The merge follows Radix's `Slot` and its `mergeProps` closely (handlers, `style`, `className`,
 * the child's ref read from props or element):
 * https://github.com/radix-ui/primitives/blob/main/packages/react/slot/src/slot.tsx. Our own copy
 * keeps `@radix-ui/react-slot` out of the button's bundle and adds `aria-describedby`, which the
 * button's "opens in a new window" hint must join rather than replace.
 */
export const Slot = /* @__PURE__ */ forwardRef<HTMLElement, ButtonHTMLAttributes<HTMLElement> & { children?: ReactNode }>(function Slot(
  { children, ...ours },
  forwardedRef,
) {
  // A fragment cannot carry a button's props and ref: it counts as more than one element.
  const child = isValidElement(children) && children.type !== Fragment ? children : null
  const childRef = refOf(child)
  // One composed ref per pair of refs, so React does not detach and reattach it every render.
  const ref = useMemo(() => composeRefs(forwardedRef, childRef), [forwardedRef, childRef])
  if (!child) {
    if (Children.count(children) > 0 || isValidElement(children)) throw new Error('`asChild` needs exactly one element as its child, e.g. <a href="…">Add Slack</a>.')
    return null
  }
  const slot = ours as Props
  const theirs = child.props as Props
  const merged: Props = { ...slot, ...theirs, ref }
  for (const key in theirs) {
    const mine = slot[key]
    const their = theirs[key]
    if (mine === undefined) continue
    if (/^on[A-Z]/.test(key) && typeof their === 'function' && typeof mine === 'function') {
      merged[key] = (...args: unknown[]) => {
        const result: unknown = their(...args)
        mine(...args)
        return result
      }
    } else if (key === 'style') merged[key] = { ...(mine as object), ...(their as object) }
    else if (key === 'className') merged[key] = [mine, their].filter(Boolean).join(' ')
    else if (key === 'aria-describedby') merged[key] = [their, mine].filter(Boolean).join(' ')
  }
  return cloneElement(child, merged)
})
