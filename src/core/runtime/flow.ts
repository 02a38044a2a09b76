/**
 * `SetupFlow`: one provider's connect flow. It turns public calls into events, feeds every event
 * to the reducer (`engine/reducer.ts`) one at a time, runs the effects it asks for (`runner.ts`)
 * and tells subscribers. The rules are all in the reducer.
 */
import { createBrowserEnvironment } from '../browser/environment.js'
import { prefersRedirect } from '../browser/detect.js'
import { readRedirectRecord } from '../browser/redirect-store.js'
import { createStateToken } from '../browser/url.js'
import { getDefaultConnectClient } from '../client.js'
import { initialModel } from '../engine/model.js'
import type { FlowEvent, FlowModel } from '../engine/model.js'
import { settingsOf, validateFlowOptions } from '../engine/options.js'
import type { SetupFlowOptions } from '../engine/options.js'
import { reduce } from '../engine/reducer.js'
import type { SetupFlowEvent, SetupFlowState } from '../types.js'
import { runEffect } from './runner.js'
import type { FlowHost } from './runner.js'
import { callSafely, Subscribable } from './subscribable.js'

/**
 * One provider's connect flow: opens the popup, creates the session, follows it to a final status.
 * Framework-agnostic; `useSetupSession` is a thin binding over it. Every method may be called from
 * inside any callback or subscriber: calls made while the flow is busy run right after, in order.
 */
export class SetupFlow extends Subscribable {
  /** What the effects work with: kept out of the public surface. */
  readonly #host: FlowHost
  #model: FlowModel
  #queue: FlowEvent[] = []
  #busy = false
  #stopClientEvents: (() => void) | null = null

  constructor(options: SetupFlowOptions) {
    super()
    validateFlowOptions(options)
    const env = createBrowserEnvironment(options.environment)
    const settings = settingsOf(options, prefersRedirect(env))
    this.#model = initialModel(options.providerId, settings.mode)
    this.#host = {
      options,
      env,
      settings,
      backend: options.backend,
      requestTimeout: settings.requestTimeout,
      client: options.client ?? getDefaultConnectClient(),
      popups: new Map(),
      scopes: new Map(),
      dispatch: event => this.#dispatch(event),
      emit: event => this.#emit(event),
    }
  }

  /** The current state. A new object after every change, the same object otherwise. */
  getState = (): SetupFlowState => this.#model.view

  /** Updates options (callbacks take effect at once). Changing `providerId` resets the flow, abandoning the previous provider's session. */
  setOptions(options: SetupFlowOptions): void {
    const host = this.#host
    const previous = host.options
    host.options = validateFlowOptions(options)
    if (options.environment !== previous.environment) host.env = createBrowserEnvironment(options.environment)
    const mode = host.settings.mode
    host.settings = settingsOf(options, prefersRedirect(host.env))
    host.backend = options.backend
    host.requestTimeout = host.settings.requestTimeout
    const client = options.client ?? getDefaultConnectClient()
    if (client !== host.client) {
      host.client = client
      if (this.#stopClientEvents) this.#listenToClient()
    }
    if (options.providerId !== previous.providerId) this.#dispatch({ type: 'reset', providerId: options.providerId })
    else if (host.settings.mode !== mode) this.#dispatch({ type: 'configure' })
  }

  /**
   * Starts connecting. Call it inside the click handler: the popup opens synchronously. While a
   * session is pending, it brings the consent page back (focuses the popup, tries a blocked one
   * again, or goes there again in redirect mode) instead of creating another session. After a
   * final status it starts over (retry, reconnect).
   */
  start(): void {
    this.#dispatch({ type: 'start', token: createStateToken() })
  }

  /**
   * For the "Continue in a new tab" link of a blocked popup: call it in the link's click handler.
   * Opens the consent page and returns true (then prevent the link's default), or false when the
   * browser refused again (then let the link navigate).
   */
  openInNewTab(): boolean {
    // Called from inside a callback, the tab would open after this returns: let the link do it.
    if (this.#busy || !this.#model.view.popupBlocked) return false
    this.#dispatch({ type: 'open_tab' })
    return !this.#model.view.popupBlocked
  }

  /** Stops: aborts every request and timer, closes the popup, and reports `cancelled` if it was working. Final for every session of this flow. */
  cancel(): void {
    this.#dispatch({ type: 'cancel' })
  }

  /** Back to `idle`, as if nothing happened (a pending session is abandoned like `cancel()`). */
  reset(): void {
    this.#dispatch({ type: 'reset' })
  }

  /** Asks the backend now, e.g. when the app has its own signal that the user is back. */
  check(): void {
    this.#dispatch({ type: 'check', reason: 'manual' })
  }

  /**
   * Picks up a redirect-mode session this provider left in `sessionStorage` before the page
   * navigated to the consent page. Returns true when there was one to follow.
   */
  resume(): boolean {
    const status = this.#model.view.status
    if (status === 'creating' || status === 'pending') return false
    const record = readRedirectRecord(this.#host.env, this.#host.options.providerId)
    if (!record) return false
    this.#dispatch({ type: 'resume', record })
    return true
  }

  protected override onSubscribe(): void {
    if (this.listenerCount() !== 1) return
    this.#listenToClient()
    this.#dispatch({ type: 'unpause' })
  }

  protected override onUnsubscribe(): void {
    if (this.listenerCount() !== 0) return
    this.#stopClientEvents?.()
    this.#stopClientEvents = null
    this.#dispatch({ type: 'pause' })
  }

  #listenToClient(): void {
    this.#stopClientEvents?.()
    this.#stopClientEvents = this.#host.client.subscribeConnectionsChanged(change => {
      if (change.removed) this.#dispatch({ type: 'connection_removed', authConfigId: change.removed })
    })
  }

  /** Feeds `event` to the reducer, then runs its effects. Events dispatched meanwhile wait their turn. */
  #dispatch(event: FlowEvent): void {
    this.#queue.push(event)
    if (this.#busy) return
    this.#busy = true
    try {
      for (let next = this.#queue.shift(); next; next = this.#queue.shift()) this.#step(next)
    } finally {
      this.#busy = false
    }
  }

  #step(event: FlowEvent): void {
    const host = this.#host
    const { env, popups, client } = host
    const previous = this.#model.view
    const { model, effects } = reduce(this.#model, event, {
      now: env.now(),
      random: env.random(),
      hidden: env.isHidden(),
      focused: env.hasFocus(),
      settings: host.settings,
      popupClosed: runId => popups.get(runId)?.closed ?? true,
      claimed: sessionId => client.isClaimed(sessionId),
    })
    this.#model = model
    for (const effect of effects) {
      if (effect.type === 'status_changed') this.#statusChanged(previous)
      // An effect that throws must not leave the others undone: it is reported like a throwing callback.
      else callSafely(() => runEffect(host, effect))
    }
    if (model.view !== previous && model.view.status === previous.status) this.notify()
  }

  #statusChanged(previous: SetupFlowState): void {
    const view = this.#model.view
    this.notify()
    const sessionId = view.session?.id ?? this.#model.run?.sessionId ?? undefined
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
