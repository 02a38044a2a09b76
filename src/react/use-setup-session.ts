import { useEffect, useMemo, useState, useSyncExternalStore } from 'react'
import { withoutUndefined } from '../core/defined.js'
import { SetupFlow } from '../core/runtime/flow.js'
import type { SetupFlowOptions } from '../core/runtime/options.js'
import type { ConnectBackend, SetupFlowState } from '../core/types.js'
import { useConnectContext } from './context.js'
import { useIsomorphicLayoutEffect } from './use-isomorphic-layout-effect.js'

export interface UseSetupSessionOptions extends Omit<SetupFlowOptions, 'backend'> {
  /** Overrides the `ConnectProvider`'s backend. Defaults to the provider's. */
  backend?: ConnectBackend
  /**
   * On mount, pick up a redirect-mode session this provider left before the page navigated to the
   * consent page. Defaults to `true`.
   */
  resume?: boolean
}

export interface UseSetupSessionResult extends SetupFlowState {
  /** Opens the popup and creates the session. Call it in a click handler. */
  start: () => void
  /** Aborts every request and timer, closes the popup, and reports `cancelled`. */
  cancel: () => void
  /** Back to `idle`. */
  reset: () => void
  /** For a "Continue in a new tab" link when the popup was blocked; true when it opened the page. */
  openInNewTab: () => boolean
  /** Asks the backend for the session's status now. */
  check: () => void
}

/**
 * Connects one provider: `start()` in a click handler, then follow `status` until `completed`
 * (`onConnected(authConfigId)` fires once) or another final status.
 */
export function useSetupSession(options: UseSetupSessionOptions): UseSetupSessionResult {
  const context = useConnectContext()
  // The provider's backend, client, redirectUrl, mode and environment, under the options given (the
  // rest of the context, its locale, is read by the components, never by the flow).
  const flowOptions = { ...context, ...withoutUndefined(options) } as SetupFlowOptions
  const [flow] = useState(() => new SetupFlow(flowOptions))
  // Latest options (and so the latest callbacks) before any event can fire after this render.
  useIsomorphicLayoutEffect(() => {
    flow.setOptions(flowOptions)
  })
  const state = useSyncExternalStore(flow.subscribe, flow.getState, flow.getState)
  const resume = options.resume ?? true
  useEffect(() => {
    if (resume) flow.resume()
  }, [flow, resume])
  const actions = useMemo(
    () => ({
      start: () => flow.start(),
      cancel: () => flow.cancel(),
      reset: () => flow.reset(),
      openInNewTab: () => flow.openInNewTab(),
      check: () => flow.check(),
    }),
    [flow],
  )
  return useMemo(() => ({ ...state, ...actions }), [state, actions])
}
