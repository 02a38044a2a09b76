/**
 * One provider's connect flow. The rules live in `machine.ts`; this class turns public calls and
 * the world's answers into events, and runs the effects the machine asks for (`effects.ts`).
 */
import { getDefaultConnectClient } from './client.js'
import { createBrowserEnvironment } from './environment.js'
import { initialModel, transition } from './machine.js'
import type { FlowEvent, FlowModel } from './machine.js'
import { settingsOf, validateFlowOptions } from './options.js'
import type { SetupFlowOptions } from './options.js'
import { openPopup, popupFeatures, writePlaceholder } from './popup.js'
import { prefersRedirect } from './detect.js'
import { readRedirectRecord } from './redirect-store.js'
import { callSafely, runEffect } from './effects.js'
import type { EffectHost } from './effects.js'
import { Subscribable } from './subscribable.js'
import { createStateToken } from './url.js'
import type { SetupFlowEvent, SetupFlowState } from './types.js'

/**
 * One provider's connect flow: opens the popup, creates the session, follows it to a final status.
 * Framework-agnostic; `useSetupSession` is a thin binding over it. Every method may be called from
 * inside any callback or subscriber: calls made while the flow is busy run right after, in order.
 */
export class SetupFlow extends Subscribable {
  /** What the effects work with: kept out of the public surface. */
  readonly #host: EffectHost
  #model: FlowModel
  #queue: Array<() => void> = []
  #busy = false
  #stopClientEvents: (() => void) | null = null

  constructor(options: SetupFlowOptions) {
    super()
    validateFlowOptions(options)
    this.#model = initialModel(options.providerId)
    this.#host = {
      options,
      env: createBrowserEnvironment(options.environment),
      settings: settingsOf(options),
      client: options.client ?? getDefaultConnectClient(),
      popup: null,
      scopes: new Map(),
      dispatch: event => this.#dispatch(event),
      emit: event => this.#emit(event),
      call: callSafely,
    }
  }

  /** The current state. A new object after every change, the same object otherwise. */
  getState = (): SetupFlowState => this.#model.view

  /** Updates options (callbacks take effect at once). Changing `providerId` resets the flow, abandoning the previous provider's session. */
  setOptions(options: SetupFlowOptions): void {
    const host = this.#host
    const previous = host.options
    host.options = validateFlowOptions(options)
    host.settings = settingsOf(options)
    if (options.environment !== previous.environment) host.env = createBrowserEnvironment(options.environment)
    const client = options.client ?? getDefaultConnectClient()
    if (client !== host.client) {
      host.client = client
      if (this.#stopClientEvents) this.#listenToClient()
    }
    if (options.providerId !== previous.providerId) this.#dispatch({ type: 'reset', providerId: options.providerId })
  }

  /**
   * Starts connecting. Call it inside the click handler: the popup opens synchronously. While a
   * session is pending, it focuses the open popup (or, if it was blocked, tries again) instead of
   * creating another session. After a final status it starts over (retry, reconnect).
   */
  start(): void {
    this.#serialize(() => {
      const { status, popupBlocked } = this.#model.view
      if (status === 'creating') return
      if (status === 'pending') {
        // A click is a fresh user gesture: where the first popup was blocked, this one may open.
        if (popupBlocked) this.openInNewTab()
        else this.#focusPopup()
        return
      }
      const { options, env } = this.#host
      let mode = options.mode === 'auto' ? (prefersRedirect(env) ? 'redirect' : 'popup') : (options.mode ?? 'popup')
      let popup: 'open' | 'blocked' | 'none' = 'none'
      let fellBack = false
      if (mode === 'popup') {
        const handle = openPopup(env, options.providerId, popupFeatures(env, options.popupSize))
        if (handle) {
          writePlaceholder(handle, options.providerName ?? options.providerId)
          this.#host.popup = handle
          popup = 'open'
        } else if (options.redirectFallback) {
          mode = 'redirect'
          fellBack = true
        } else {
          popup = 'blocked'
        }
      }
      this.#dispatch({ type: 'start', mode, token: createStateToken(), popup, fellBack })
    })
  }

  /**
   * For the "Continue in a new tab" link of a blocked popup: call it in the link's click handler.
   * Opens the consent page and returns true (then prevent the link's default), or false when the
   * browser refused again (then let the link navigate).
   */
  openInNewTab(): boolean {
    const url = this.#model.view.session?.url
    if (!url || this.#model.view.status !== 'pending' || !this.#model.run) return false
    const popup = openPopup(this.#host.env, this.#host.options.providerId, '', url)
    if (!popup) return false
    this.#host.popup = popup
    this.#dispatch({ type: 'popup_reopened' })
    return true
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

  /** Feeds `event` to the machine, then runs its effects. Re-entrant calls wait their turn. */
  #dispatch(event: FlowEvent): void {
    this.#serialize(() => this.#step(event))
  }

  #serialize(task: () => void): void {
    this.#queue.push(task)
    if (this.#busy) return
    this.#busy = true
    try {
      for (let next = this.#queue.shift(); next; next = this.#queue.shift()) next()
    } finally {
      this.#busy = false
    }
  }

  #step(event: FlowEvent): void {
    const { env, settings } = this.#host
    const previous = this.#model.view
    const { model, effects } = transition(this.#model, event, {
      now: env.now(),
      random: env.random(),
      hidden: env.isHidden(),
      focused: env.hasFocus(),
      settings,
    })
    this.#model = model
    for (const effect of effects) {
      if (effect.type === 'status_changed') this.#statusChanged(previous)
      // An effect that throws must not leave the others undone: it is reported like a throwing callback.
      else callSafely(() => runEffect(this.#host, effect))
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

  #focusPopup(): void {
    const popup = this.#host.popup
    if (!popup || popup.closed) return
    try {
      popup.focus()
      this.#emit({ type: 'popup_focused', providerId: this.#host.options.providerId })
    } catch {
      // Some browsers refuse focus() on a cross-origin window; nothing else to do.
    }
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
