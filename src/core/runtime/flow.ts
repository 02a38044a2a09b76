/**
 * `SetupFlow`: one provider's connect flow. It turns public calls into events for the driver
 * (`driver.ts`: the reducer, one event at a time), runs the effects the rules ask for (`runner.ts`)
 * and tells subscribers. The rules are all in the reducer.
 */
import { createBrowserEnvironment } from '../browser/environment.js'
import { prefersRedirect } from '../browser/detect.js'
import { readRedirectRecord } from '../browser/redirect-store.js'
import { createStateToken } from '../browser/url.js'
import { getDefaultConnectClient } from '../client.js'
import { initialModel } from '../engine/model.js'
import { settingsOf } from '../engine/settings.js'
import type { SetupFlowEvent, SetupFlowState } from '../types.js'
import { createDriver } from './driver.js'
import type { Driver } from './driver.js'
import { runEffect } from './runner.js'
import type { FlowHost } from './runner.js'
import { validateFlowOptions } from './options.js'
import type { SetupFlowOptions } from './options.js'
import { callSafely, Subscribable } from './subscribable.js'

/**
 * One provider's connect flow: opens the popup, creates the session, follows it to a final status.
 * Framework-agnostic; `useSetupSession` is a thin binding over it. Every method may be called from
 * inside any callback or subscriber: calls made while the flow is busy run right after, in order.
 */
export class SetupFlow extends Subscribable {
  /** What the effects work with: kept out of the public surface. */
  readonly #host: FlowHost
  readonly #driver: Driver
  #stopClientEvents: (() => void) | null = null

  constructor(options: SetupFlowOptions) {
    super()
    validateFlowOptions(options)
    const env = createBrowserEnvironment(options.environment)
    const settings = settingsOf(options, prefersRedirect(env), env.isFramed())
    const host: FlowHost = (this.#host = {
      options,
      env,
      settings,
      client: options.client ?? getDefaultConnectClient(),
      popups: new Map(),
      scopes: new Map(),
      dispatch: event => this.#driver.dispatch(event),
      emit: event => this.#emit(event),
    })
    const { popups } = host
    this.#driver = createDriver(
      initialModel(options.providerId, settings.mode),
      () => {
        const { env, client } = host
        return {
          now: env.now(),
          random: env.random(),
          hidden: env.isHidden(),
          focused: env.hasFocus(),
          settings: host.settings,
          popupClosed: runId => popups.get(runId)?.closed ?? true,
          claimed: sessionId => client.isClaimed(sessionId),
        }
      },
      (effect, before) => (effect.type === 'status_changed' ? this.#statusChanged(before) : runEffect(host, effect)),
      // A change that kept the status (popupBlocked, the session) is news for subscribers too.
      before => {
        const { view } = this.#driver.model
        if (view !== before && view.status === before.status) this.notify()
      },
    )
  }

  /** The current state. A new object after every change, the same object otherwise. */
  getState = (): SetupFlowState => this.#driver.model.view

  /** Updates options (callbacks take effect at once). Changing `providerId` resets the flow, abandoning the previous provider's session. */
  setOptions(options: SetupFlowOptions): void {
    const host = this.#host
    const previous = host.options
    host.options = validateFlowOptions(options)
    if (options.environment !== previous.environment) host.env = createBrowserEnvironment(options.environment)
    const mode = host.settings.mode
    host.settings = settingsOf(options, prefersRedirect(host.env), host.env.isFramed())
    const client = options.client ?? getDefaultConnectClient()
    if (client !== host.client) {
      host.client = client
      if (this.#stopClientEvents) this.#listenToClient()
    }
    if (options.providerId !== previous.providerId) this.#driver.dispatch({ type: 'reset', providerId: options.providerId })
    else if (host.settings.mode !== mode) this.#driver.dispatch({ type: 'configure' })
  }

  /**
   * Starts connecting. Call it inside the click handler: the popup opens synchronously. While a
   * session is pending, it brings the consent page back (focuses the popup, tries a blocked one
   * again, or goes there again in redirect mode) instead of creating another session. After a
   * final status it starts over (retry, reconnect).
   */
  start(): void {
    this.#driver.dispatch({ type: 'start', token: createStateToken() })
  }

  /**
   * For the "Continue in a new tab" link of a blocked popup: call it in the link's click handler.
   * Opens the consent page and returns true (then prevent the link's default), or false when the
   * browser refused again (then let the link navigate).
   */
  openInNewTab(): boolean {
    // Called from inside a callback, the tab would open after this returns: let the link do it.
    if (this.#driver.busy || !this.getState().popupBlocked) return false
    this.#driver.dispatch({ type: 'open_tab' })
    return !this.getState().popupBlocked
  }

  /** Stops: aborts every request and timer, closes the popup, and reports `cancelled` if it was working. Final for every session of this flow. */
  cancel(): void {
    this.#driver.dispatch({ type: 'cancel' })
  }

  /** Back to `idle`, as if nothing happened (a pending session is abandoned like `cancel()`). */
  reset(): void {
    this.#driver.dispatch({ type: 'reset' })
  }

  /** Asks the backend now, e.g. when the app has its own signal that the user is back. */
  check(): void {
    this.#driver.dispatch({ type: 'check', reason: 'manual' })
  }

  /**
   * Picks up a redirect-mode session this provider left in `sessionStorage` before the page
   * navigated to the consent page. Returns true when there was one to follow.
   */
  resume(): boolean {
    const status = this.getState().status
    if (status === 'creating' || status === 'pending') return false
    const record = readRedirectRecord(this.#host.env, this.#host.options.providerId)
    if (!record) return false
    this.#driver.dispatch({ type: 'resume', record })
    return true
  }

  protected override onSubscribe(): void {
    if (this.listenerCount() !== 1) return
    this.#listenToClient()
    this.#driver.dispatch({ type: 'unpause' })
  }

  protected override onUnsubscribe(): void {
    if (this.listenerCount() !== 0) return
    this.#stopClientEvents?.()
    this.#stopClientEvents = null
    this.#driver.dispatch({ type: 'pause' })
  }

  #listenToClient(): void {
    this.#stopClientEvents?.()
    this.#stopClientEvents = this.#host.client.subscribeConnectionsChanged(change => {
      if (change.removed) this.#driver.dispatch({ type: 'connection_removed', authConfigId: change.removed })
    })
  }

  #statusChanged(previous: SetupFlowState): void {
    const { view, run } = this.#driver.model
    this.notify()
    const sessionId = view.session?.id ?? run?.sessionId ?? undefined
    this.#emit({ type: 'status_changed', providerId: view.providerId, status: view.status, previousStatus: previous.status, sessionId })
    callSafely(() => this.#host.options.onStatusChange?.(view.status, view))
  }

  #emit(event: SetupFlowEvent): void {
    const onEvent = this.#host.options.onEvent
    if (onEvent) callSafely(() => onEvent(event))
  }
}

/** Creates a `SetupFlow`. */
export function createSetupFlow(options: SetupFlowOptions): SetupFlow {
  return new SetupFlow(options)
}
