import { notifyConnectionsChanged } from './connections-events.js'
import { createBrowserEnvironment } from './environment.js'
import type { FlowEnvironment, PopupHandle, TimerId } from './environment.js'
import { ConnectError, toConnectError } from './errors.js'
import { initialState, isActiveStatus, isFinalStatus, transition } from './machine.js'
import type { MachineEvent } from './machine.js'
import { parseSetupSession, parseSetupSessionFor } from './normalize.js'
import { checkTimingOptions, clampDelay, MAX_TIMER_DELAY } from './timing.js'
import { claimCompletion } from './once.js'
import { clearRedirectRecord, readRedirectRecord, writeRedirectRecord } from './redirect-store.js'
import { listenForCallback } from './callback-listener.js'
import { openPopup, popupFeatures, writePlaceholder } from './popup.js'
import { delayFor, pollScheduleFor, RETRY_SCHEDULE } from './schedule.js'
import type { PollSchedule } from './schedule.js'
import { prefersRedirect } from './detect.js'
import { Subscribable } from './subscribable.js'
import { createStateToken, originOf, STATE_PARAM, withStateParam } from './url.js'
import type {
  ConnectBackend,
  PollReason,
  SetupFlowEvent,
  SetupFlowState,
  SetupFlowStatus,
  SetupMode,
  SetupSession,
} from './types.js'

/** The callbacks a flow reports through. All optional; a callback that throws never breaks the flow. */
export interface SetupFlowCallbacks {
  /** The session completed: store `authConfigId` for this user. Fires exactly once per completed session. */
  onConnected?: (authConfigId: string, session: SetupSession) => void
  /** The flow ended in `error`, `failed`, `expired` or `archived`. */
  onError?: (error: ConnectError) => void
  /** Every status change, after the state is updated. */
  onStatusChange?: (status: SetupFlowStatus, state: SetupFlowState) => void
  /** Analytics and debugging. Events never carry the session URL or any secret. */
  onEvent?: (event: SetupFlowEvent) => void
}

export interface SetupFlowOptions extends SetupFlowCallbacks {
  /** Where sessions are created and read. Required. */
  backend: ConnectBackend
  /** The provider to connect, e.g. `'slack'`. Required. */
  providerId: string
  /** Shown in the popup's placeholder ("Connecting to {providerName}…"). Defaults to `providerId`. */
  providerName?: string
  /** Defaults to `'oauth'`. */
  providerAuthMethodId?: string
  /** Defaults to none (the backend's choice). */
  providerDeploymentId?: string
  /**
   * The page the consent page returns to; it should call `completeSetupSession()` from
   * `react-provider-connect/callback` for completion within one round trip. The library adds its
   * `connect_state` parameter. Defaults to none in popup mode (polling only) and to the current
   * page in redirect mode.
   */
  redirectUrl?: string
  /** Sent to the backend with the create call. Defaults to none. */
  metadata?: Record<string, unknown>
  /**
   * `'popup'` opens the consent page in a popup; `'redirect'` navigates the whole page there and
   * resumes on return; `'auto'` picks redirect in in-app browsers and iframes, popup elsewhere.
   * Defaults to `'popup'`.
   */
  mode?: SetupMode
  /** When the popup is blocked, go on in redirect mode instead of offering a new tab. Defaults to `false`. */
  redirectFallback?: boolean
  /** The first delay between two status checks, in ms; later ones grow 1.5× up to `maxPollInterval`, ±20% jitter. Defaults to `1000`. */
  pollInterval?: number
  /** The longest delay between two status checks, in ms. Defaults to `5000`. */
  maxPollInterval?: number
  /**
   * Give up waiting after this many ms (`error` with code `timeout`); a completion seen later still
   * counts. Defaults to none: the flow waits until the session's `expiresAt`, or 30 minutes when the
   * backend sends none.
   */
  timeout?: number
  /** After the popup closes, how long the backend may take to report success before `cancelled`, in ms. Defaults to `2000`. */
  closeGrace?: number
  /** Consecutive transient failures (network, 5xx, 429) tolerated before `error`. Defaults to `5`. */
  maxRetries?: number
  /** After `cancelled` or `error`, the delay between the slow checks that catch a late success, in ms. Defaults to `15000`. */
  watchInterval?: number
  /** The popup's size in CSS pixels. Defaults to `{ width: 500, height: 700 }`. */
  popupSize?: { width: number; height: number }
  /** Replaces parts of the browser (timers, `window.open`, storage, channels): for tests and unusual hosts. */
  environment?: Partial<FlowEnvironment>
}

/** How long to wait for a session that has no `expiresAt`. */
const DEFAULT_MAX_WAIT = 30 * 60_000
const POPUP_CHECK_INTERVAL = 500
/** Checks for the session's expiry run this long after `expiresAt`, so the backend has seen it too. */
const EXPIRY_MARGIN = 1000

/** What the flow knows about the session it follows; survives a pause (unmount, StrictMode). */
interface Attempt {
  mode: 'popup' | 'redirect'
  state: string
  callbackOrigin: string | null
  sessionId: string | null
  popup: PopupHandle | null
  popupClosedAt: number | null
  /** Local clock time at which the session expires. */
  expiresAt: number | null
  /** Local clock time at which the session was created: a resumed session learns its expiry from it. */
  createdAt: number | null
  /** Local clock time of the `timeout` option. */
  timeoutAt: number | null
  polls: number
  failures: number
  /** After `cancelled` by a closed popup, or a timeout: slow checks for a late success. */
  watching: boolean
}

/** Timers, listeners and requests of the attempt being followed; all dropped at once. */
interface Resources {
  controller: AbortController
  timers: Set<TimerId>
  cleanups: Array<() => void>
  pollTimer: TimerId | null
  inFlight: boolean
  again: PollReason | null
  /** Local clock time before which no status check is sent: the backend's `Retry-After`. */
  notBefore: number
}

/**
 * One provider's connect flow: opens the popup, creates the session, follows it to a final status.
 * Framework-agnostic; `useSetupSession` is a thin binding over it.
 */
export class SetupFlow extends Subscribable {
  #options: SetupFlowOptions
  #env: FlowEnvironment
  #state: SetupFlowState
  #attempt: Attempt | null = null
  #res: Resources | null = null
  /**
   * An earlier attempt still watched for a late success after the user started another one (its
   * consent page may still be open, e.g. behind a popup that only looked closed).
   */
  #background: { attempt: Attempt; res: Resources } | null = null

  constructor(options: SetupFlowOptions) {
    super()
    this.#options = validate(options)
    this.#env = createBrowserEnvironment(options.environment)
    this.#state = initialState(options.providerId)
  }

  /** The current state. A new object after every change, the same object otherwise. */
  getState = (): SetupFlowState => this.#state

  /** Updates options (callbacks take effect at once). Changing `providerId` resets the flow, abandoning the previous provider's session. */
  setOptions(options: SetupFlowOptions): void {
    const previous = this.#options
    this.#options = validate(options)
    if (options.environment !== previous.environment) this.#env = createBrowserEnvironment(options.environment)
    if (options.providerId !== previous.providerId) {
      // The attempt belongs to the previous provider: its completion must not reach this one's callbacks.
      if (isActiveStatus(this.#state.status)) this.#closePopup()
      if (this.#attempt?.mode === 'redirect' && this.#attempt.sessionId) clearRedirectRecord(this.#env, previous.providerId)
      this.#end()
      this.#endBackground()
      this.#attempt = null
      this.#state = initialState(options.providerId)
      this.notify()
    }
  }

  /**
   * Starts connecting. Call it inside the click handler: the popup opens synchronously. While a
   * session is pending, it focuses the open popup (or, if it was blocked, tries again) instead of
   * creating another session. After a final status it starts over (retry, reconnect).
   */
  start(): void {
    const { status } = this.#state
    if (status === 'creating') return
    if (status === 'pending') {
      // A click is a fresh user gesture: where the first popup was blocked, this one may open.
      if (this.#state.popupBlocked) this.openInNewTab()
      else this.#focusPopup()
      return
    }
    this.#keepWatchingInBackground()
    this.#end()
    const options = this.#options
    let mode: 'popup' | 'redirect' = this.#resolveMode()
    let popup: PopupHandle | null = null
    let blocked = false
    let fellBack = false
    if (mode === 'popup') {
      popup = openPopup(this.#env, options.providerId, popupFeatures(this.#env, options.popupSize))
      if (popup) {
        writePlaceholder(popup, options.providerName ?? options.providerId)
      } else if (options.redirectFallback) {
        mode = 'redirect'
        fellBack = true
      } else {
        blocked = true
      }
    }
    const state = createStateToken()
    const redirectBase = options.redirectUrl ?? (mode === 'redirect' ? this.#env.locationHref() ?? undefined : undefined)
    this.#attempt = {
      mode,
      state,
      callbackOrigin: redirectBase ? originOf(redirectBase, this.#env.locationHref() ?? undefined) : null,
      sessionId: null,
      popup,
      popupClosedAt: null,
      expiresAt: null,
      createdAt: null,
      timeoutAt: options.timeout === undefined ? null : this.#env.now() + options.timeout,
      polls: 0,
      failures: 0,
      watching: false,
    }
    const res = this.#acquire()
    this.#emit({ type: 'start', providerId: options.providerId })
    this.#dispatch({ type: 'start' })
    if (popup) this.#emit({ type: 'popup_opened', providerId: options.providerId })
    if (fellBack) this.#emit({ type: 'redirect_fallback', providerId: options.providerId })
    if (blocked) {
      this.#emit({ type: 'popup_blocked', providerId: options.providerId })
      this.#dispatch({ type: 'popup_blocked' })
    }
    void this.#create(this.#attempt, res, redirectBase)
  }

  /**
   * For the "Continue in a new tab" link of a blocked popup: call it in the link's click handler.
   * Opens the consent page and returns true (then prevent the link's default), or false when the
   * browser refused again (then let the link navigate).
   */
  openInNewTab(): boolean {
    const attempt = this.#attempt
    const url = this.#state.session?.url
    if (!attempt || !url || this.#state.status !== 'pending') return false
    const popup = openPopup(this.#env, this.#options.providerId, '', url)
    if (!popup) return false
    attempt.popup = popup
    attempt.popupClosedAt = null
    this.#emit({ type: 'popup_opened', providerId: this.#options.providerId })
    this.#dispatch({ type: 'popup_opened' })
    if (this.#res) this.#watchPopup(attempt, this.#res)
    return true
  }

  /** Stops: aborts every request and timer, closes the popup, and reports `cancelled` if it was working. */
  cancel(): void {
    const attempt = this.#attempt
    this.#closePopup()
    this.#end()
    this.#endBackground()
    if (attempt?.sessionId && attempt.mode === 'redirect') clearRedirectRecord(this.#env, this.#options.providerId)
    this.#dispatch({ type: 'cancel' })
  }

  /** Back to `idle`, as if nothing happened (a pending session is abandoned like `cancel()`). */
  reset(): void {
    if (isActiveStatus(this.#state.status)) this.#closePopup()
    if (this.#attempt?.mode === 'redirect' && this.#attempt.sessionId) clearRedirectRecord(this.#env, this.#options.providerId)
    this.#end()
    this.#endBackground()
    this.#attempt = null
    this.#dispatch({ type: 'reset' })
  }

  /** Asks the backend now, e.g. when the app has its own signal that the user is back. */
  check(): void {
    if (this.#attempt && this.#res) void this.#poll(this.#attempt, this.#res, 'manual')
  }

  /**
   * Picks up a redirect-mode session this provider left in `sessionStorage` before the page
   * navigated to the consent page. Returns true when there was one to follow.
   */
  resume(): boolean {
    if (isActiveStatus(this.#state.status)) return false
    const record = readRedirectRecord(this.#env, this.#options.providerId)
    if (!record) return false
    this.#end()
    this.#attempt = {
      mode: 'redirect',
      state: record.state,
      callbackOrigin: null,
      sessionId: record.sessionId,
      popup: null,
      popupClosedAt: null,
      expiresAt: null,
      createdAt: record.createdAt,
      timeoutAt: null,
      polls: 0,
      failures: 0,
      watching: false,
    }
    this.#dropStateParam(record.state)
    this.#emit({ type: 'resumed', providerId: this.#options.providerId, sessionId: record.sessionId })
    this.#dispatch({ type: 'resume' })
    this.#follow(this.#attempt, this.#acquire(), 'resume')
    return true
  }

  protected override onSubscribe(): void {
    const attempt = this.#attempt
    if (this.listenerCount() !== 1 || this.#res || !attempt?.sessionId) return
    const { status } = this.#state
    if (status !== 'pending' && !attempt.watching) return
    // Remounted before anyone else picked the session up: follow it here again.
    if (attempt.mode === 'popup') clearRedirectRecord(this.#env, this.#options.providerId, attempt.sessionId)
    this.#follow(attempt, this.#acquire(), 'resume')
  }

  protected override onUnsubscribe(): void {
    if (this.listenerCount() !== 0) return
    this.#end()
    this.#endBackground()
    const attempt = this.#attempt
    if (this.#state.status === 'pending' && attempt?.mode === 'popup' && attempt.sessionId) {
      // Unmounted while the user is still on the consent page (e.g. the app navigated away): the
      // next flow for this provider picks the session up on mount, as after a redirect.
      writeRedirectRecord(this.#env, {
        sessionId: attempt.sessionId,
        state: attempt.state,
        providerId: this.#options.providerId,
        returnTo: '',
        createdAt: attempt.createdAt ?? this.#env.now(),
      })
    }
    if (this.#state.status === 'creating') {
      // The create was just aborted: nothing will ever fill the placeholder popup or end 'creating'.
      this.#closePopup()
      this.#attempt = null
      this.#dispatch({ type: 'reset' })
    }
  }

  /** Back from the consent page on the app's own URL: `connect_state` has done its job. */
  #dropStateParam(state: string): void {
    const href = this.#env.locationHref()
    if (!href) return
    try {
      const url = new URL(href)
      if (url.searchParams.get(STATE_PARAM) !== state) return
      url.searchParams.delete(STATE_PARAM)
      this.#env.replaceHref(url.toString())
    } catch {
      // An unreadable address: leave it.
    }
  }

  #resolveMode(): 'popup' | 'redirect' {
    const mode = this.#options.mode ?? 'popup'
    if (mode === 'auto') return prefersRedirect(this.#env) ? 'redirect' : 'popup'
    return mode
  }

  async #create(attempt: Attempt, res: Resources, redirectBase: string | undefined): Promise<void> {
    const options = this.#options
    const href = this.#env.locationHref() ?? undefined
    const input = {
      providerId: options.providerId,
      providerAuthMethodId: options.providerAuthMethodId ?? 'oauth',
      ...(options.providerDeploymentId === undefined ? {} : { providerDeploymentId: options.providerDeploymentId }),
      ...(redirectBase === undefined ? {} : { redirectUrl: withStateParam(redirectBase, attempt.state, href) }),
      ...(options.metadata === undefined ? {} : { metadata: options.metadata }),
    }
    let session: SetupSession
    try {
      session = await this.#withRetry(res, signal => options.backend.createSetupSession(input, { signal }))
    } catch (caught) {
      if (res.controller.signal.aborted || this.#res !== res) return
      this.#closePopup()
      this.#end()
      this.#dispatch({ type: 'failure', error: toConnectError(caught) })
      return
    }
    if (this.#res !== res) return
    attempt.sessionId = session.id
    attempt.createdAt = this.#env.now()
    attempt.expiresAt = localExpiry(session, attempt.createdAt)
    this.#emit({ type: 'session_created', providerId: options.providerId, sessionId: session.id })
    if (attempt.mode === 'redirect') {
      const returnTo = href ?? ''
      writeRedirectRecord(this.#env, {
        sessionId: session.id,
        state: attempt.state,
        providerId: options.providerId,
        returnTo,
        createdAt: attempt.createdAt,
      })
      this.#dispatch({ type: 'created', session })
      this.#emit({ type: 'redirect', providerId: options.providerId, sessionId: session.id })
      this.#end()
      this.#env.navigate(session.url)
      return
    }
    this.#dispatch({ type: 'created', session })
    if (this.#state.status !== 'pending') return
    if (attempt.popup) {
      try {
        attempt.popup.location.replace(session.url)
      } catch {
        // The user closed the placeholder already: the popup watcher reports it.
      }
    }
    this.#follow(attempt, res, null)
  }

  /** Create is retried only where the backend said it did nothing (429, 503), twice at most. */
  async #withRetry(res: Resources, call: (signal: AbortSignal) => Promise<SetupSession>): Promise<SetupSession> {
    for (let attempt = 0; ; attempt++) {
      try {
        return parseSetupSession(await call(res.controller.signal))
      } catch (caught) {
        const error = toConnectError(caught, res.controller.signal)
        const retryable = error.code === 'http' && (error.status === 429 || error.status === 503)
        if (!retryable || attempt >= 2 || res.controller.signal.aborted) throw error
        await this.#sleep(res, Math.max(error.retryAfterMs ?? 0, delayFor(RETRY_SCHEDULE, attempt, this.#env.random())))
      }
    }
  }

  #sleep(res: Resources, ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#timer(res, resolve, ms)
      res.controller.signal.addEventListener('abort', () => reject(new ConnectError('aborted', 'Cancelled.')), { once: true })
    })
  }

  /** Starts following the created session: callback channels, wake-ups, the popup, polls, deadlines. */
  #follow(attempt: Attempt, res: Resources, immediate: PollReason | null): void {
    const env = this.#env
    res.cleanups.push(
      env.onWake(reason => void this.#poll(attempt, res, reason)),
      listenForCallback(env, { state: attempt.state, origin: attempt.callbackOrigin }, channel => {
        this.#emit({ type: 'callback_message', providerId: this.#options.providerId, sessionId: attempt.sessionId ?? undefined, channel })
        void this.#poll(attempt, res, 'callback')
      }),
    )
    if (attempt.popup) this.#watchPopup(attempt, res)
    const now = env.now()
    const endAt = attempt.expiresAt ?? now + DEFAULT_MAX_WAIT
    this.#timer(res, () => void this.#deadline(attempt, res, 'expired'), Math.max(0, endAt - now) + EXPIRY_MARGIN)
    if (attempt.timeoutAt !== null && !attempt.watching) {
      this.#timer(res, () => void this.#deadline(attempt, res, 'timeout'), Math.max(0, attempt.timeoutAt - now))
    }
    if (immediate) void this.#poll(attempt, res, immediate)
    else this.#schedule(attempt, res)
  }

  #schedule(attempt: Attempt, res: Resources, delay?: number): void {
    if (res.pollTimer !== null) this.#env.clearTimeout(res.pollTimer)
    const wait = delay ?? (attempt.watching ? this.#options.watchInterval ?? 15_000 : delayFor(this.#pollSchedule(), attempt.polls++, this.#env.random()))
    res.pollTimer = this.#timer(
      res,
      () => {
        res.pollTimer = null
        // Hidden tabs do not poll; waking up (focus, visibility) checks at once instead.
        if (this.#env.isHidden()) return
        void this.#poll(attempt, res, attempt.watching ? 'watch' : 'schedule')
      },
      wait,
    )
  }

  #pollSchedule(): PollSchedule {
    return pollScheduleFor(this.#options.pollInterval, this.#options.maxPollInterval)
  }

  async #poll(attempt: Attempt, res: Resources, reason: PollReason): Promise<void> {
    const sessionId = attempt.sessionId
    if (!sessionId || !this.#live(res)) return
    if (res.inFlight) {
      res.again = reason
      return
    }
    const wait = res.notBefore - this.#env.now()
    if (wait > 0) {
      // The backend asked for a pause (Retry-After): a focus or a callback hint waits for it too.
      if (res.pollTimer === null) this.#schedule(attempt, res, wait)
      return
    }
    if (res.pollTimer !== null) {
      this.#env.clearTimeout(res.pollTimer)
      res.pollTimer = null
    }
    res.inFlight = true
    this.#emit({ type: 'poll', providerId: this.#options.providerId, sessionId, reason })
    let session: SetupSession | null = null
    let failure: ConnectError | null = null
    try {
      session = parseSetupSessionFor(sessionId, await this.#options.backend.getSetupSession(sessionId, { signal: res.controller.signal }))
    } catch (caught) {
      failure = toConnectError(caught, res.controller.signal)
    } finally {
      res.inFlight = false
    }
    if (!this.#live(res) || res.controller.signal.aborted) return
    if (session) {
      attempt.failures = 0
      if (attempt.expiresAt === null && attempt.createdAt !== null) this.#learnExpiry(attempt, res, session)
      this.#observe(attempt, res, session)
    } else if (failure) {
      this.#failed(attempt, res, failure)
    }
    if (!this.#live(res)) return
    if (res.again) {
      const next = res.again
      res.again = null
      void this.#poll(attempt, res, next)
    } else if (res.pollTimer === null && failure === null && (this.#state.status === 'pending' || attempt.watching)) {
      this.#schedule(attempt, res)
    }
  }

  /** A resumed session's expiry, known from its first read: stop there, not at the default wait. */
  #learnExpiry(attempt: Attempt, res: Resources, session: SetupSession): void {
    const expiresAt = localExpiry(session, attempt.createdAt ?? this.#env.now())
    if (expiresAt === null) return
    attempt.expiresAt = expiresAt
    this.#timer(res, () => void this.#deadline(attempt, res, 'expired'), Math.max(0, expiresAt - this.#env.now()) + EXPIRY_MARGIN)
  }

  #observe(attempt: Attempt, res: Resources, session: SetupSession): void {
    if (attempt.watching) {
      // A late answer after `cancelled` or an error: only a success changes what the user sees.
      if (session.status === 'pending') return
      attempt.watching = false
      const inFront = res === this.#res
      this.#stop(res)
      if (session.status === 'completed') this.#dispatch(inFront ? { type: 'observed', session } : { type: 'adopt', session })
      return
    }
    this.#dispatch({ type: 'observed', session })
    if (this.#state.status !== 'pending' || this.#res !== res) return
    const closedAt = attempt.popupClosedAt
    const grace = this.#options.closeGrace ?? 2000
    // A closed-looking popup is not proof (COOP can make `closed` read true): cancel only once the
    // backend still says pending after the grace, and the user is back on this page.
    if (closedAt !== null && this.#env.now() - closedAt >= grace && this.#env.hasFocus()) {
      this.#dispatch({ type: 'closed' })
    }
  }

  #failed(attempt: Attempt, res: Resources, error: ConnectError): void {
    if (error.code === 'aborted') return
    if (error.retryAfterMs) res.notBefore = this.#env.now() + error.retryAfterMs
    const providerId = this.#options.providerId
    const maxRetries = this.#options.maxRetries ?? 5
    if (error.transient && attempt.failures < maxRetries) {
      attempt.failures++
      this.#emit({ type: 'poll_failed', providerId, sessionId: attempt.sessionId ?? '', error, attempt: attempt.failures })
      const backoff = delayFor(RETRY_SCHEDULE, attempt.failures - 1, this.#env.random())
      this.#schedule(attempt, res, Math.max(backoff, error.retryAfterMs ?? 0))
      return
    }
    if (attempt.watching) {
      if (error.transient) this.#schedule(attempt, res)
      else this.#stop(res)
      return
    }
    this.#dispatch({ type: 'failure', error })
  }

  async #deadline(attempt: Attempt, res: Resources, reason: 'expired' | 'timeout'): Promise<void> {
    if (!this.#live(res)) return
    if (attempt.watching) {
      // Only the session's expiry ends the slow checks: a success may still land until then.
      if (reason === 'expired') this.#stop(res)
      return
    }
    if (this.#state.status !== 'pending' || !attempt.sessionId) return
    // One last look, so a success that landed just now is not reported as a timeout.
    try {
      const session = parseSetupSessionFor(attempt.sessionId, await this.#options.backend.getSetupSession(attempt.sessionId, { signal: res.controller.signal }))
      if (this.#res !== res) return
      this.#dispatch({ type: 'observed', session })
    } catch {
      if (this.#res !== res) return
    }
    if (this.#state.status !== 'pending') return
    if (reason === 'timeout') this.#emit({ type: 'timeout', providerId: this.#options.providerId, sessionId: attempt.sessionId })
    this.#dispatch({ type: 'deadline', reason })
  }

  #watchPopup(attempt: Attempt, res: Resources): void {
    const check = () => {
      const popup = attempt.popup
      if (!popup || !this.#live(res)) return
      if (!popup.closed) {
        this.#timer(res, check, POPUP_CHECK_INTERVAL)
        return
      }
      attempt.popup = null
      attempt.popupClosedAt = this.#env.now()
      this.#emit({ type: 'popup_closed', providerId: this.#options.providerId, sessionId: attempt.sessionId ?? undefined })
      void this.#poll(attempt, res, 'popup_closed')
      this.#timer(res, () => void this.#poll(attempt, res, 'popup_closed'), this.#options.closeGrace ?? 2000)
    }
    this.#timer(res, check, POPUP_CHECK_INTERVAL)
  }

  #focusPopup(): void {
    const popup = this.#attempt?.popup
    if (!popup || popup.closed) return
    try {
      popup.focus()
      this.#emit({ type: 'popup_focused', providerId: this.#options.providerId })
    } catch {
      // Some browsers refuse focus() on a cross-origin window; nothing else to do.
    }
  }

  #closePopup(): void {
    const attempt = this.#attempt
    const popup = attempt?.popup
    if (!attempt || !popup) return
    attempt.popup = null
    try {
      if (!popup.closed) popup.close()
    } catch {
      // Already gone.
    }
  }

  #timer(res: Resources, callback: () => void, ms: number): TimerId {
    // A delay past the platform maximum is waited in chunks, so a 40-day deadline does not fire early.
    const due = this.#env.now() + ms
    const id = this.#env.setTimeout(() => {
      res.timers.delete(id)
      const left = due - this.#env.now()
      if (left > 0 && ms > MAX_TIMER_DELAY) this.#timer(res, callback, left)
      else callback()
    }, clampDelay(ms))
    res.timers.add(id)
    return id
  }

  #acquire(): Resources {
    const res: Resources = { controller: new AbortController(), timers: new Set(), cleanups: [], pollTimer: null, inFlight: false, again: null, notBefore: 0 }
    this.#res = res
    return res
  }

  /** Drops every timer, listener and request of the current attempt. */
  #end(): void {
    const res = this.#res
    if (!res) return
    this.#res = null
    this.#release(res)
  }

  #endBackground(): void {
    const background = this.#background
    if (!background) return
    this.#background = null
    this.#release(background.res)
  }

  /** Stops `res`, whether it is the current attempt's or the background one's. */
  #stop(res: Resources): void {
    if (res === this.#res) this.#end()
    else if (res === this.#background?.res) this.#endBackground()
  }

  /** True while `res` belongs to the current attempt or to the one watched in the background. */
  #live(res: Resources): boolean {
    return res === this.#res || res === this.#background?.res
  }

  #release(res: Resources): void {
    res.controller.abort()
    for (const id of res.timers) this.#env.clearTimeout(id)
    res.timers.clear()
    for (const cleanup of res.cleanups.splice(0)) cleanup()
  }

  /**
   * Starting again while the last attempt is still watched for a late success: keep watching it
   * (one at a time) instead of throwing its success away. The window is the new attempt's now.
   */
  #keepWatchingInBackground(): void {
    const attempt = this.#attempt
    const res = this.#res
    if (!attempt?.watching || !res) return
    this.#endBackground()
    attempt.popup = null
    this.#background = { attempt, res }
    this.#res = null
  }

  #dispatch(event: MachineEvent): void {
    const previous = this.#state
    const next = transition(previous, event)
    if (next === previous) return
    this.#state = next
    this.notify()
    if (next.status !== previous.status) this.#statusChanged(previous.status, next)
  }

  #statusChanged(previous: SetupFlowStatus, state: SetupFlowState): void {
    const options = this.#options
    const attempt = this.#attempt
    const sessionId = state.session?.id ?? attempt?.sessionId ?? undefined
    this.#emit({ type: 'status_changed', providerId: options.providerId, status: state.status, previousStatus: previous, sessionId })
    this.#call(() => options.onStatusChange?.(state.status, state))
    if (!isFinalStatus(state.status) || !attempt) return

    if (attempt.sessionId) clearRedirectRecord(this.#env, options.providerId, attempt.sessionId)
    // The consent page may still be open after a close that was not one, a timeout, or an error
    // the backend recovers from: keep a slow check until the session expires.
    const canWatch = state.status === 'cancelled' || state.status === 'error'
    if (canWatch && this.#res && attempt.sessionId && attempt.mode === 'popup' && previous === 'pending') {
      attempt.watching = true
      this.#schedule(attempt, this.#res)
    } else {
      this.#end()
    }
    if (state.status === 'completed' || state.status === 'failed' || state.status === 'expired' || state.status === 'archived') {
      this.#closePopup()
    }

    if (state.status === 'completed' && state.authConfigId && state.session) {
      const { authConfigId, session } = state
      if (claimCompletion(session.id)) {
        this.#emit({ type: 'connected', providerId: options.providerId, sessionId: session.id, authConfigId })
        this.#call(() => options.onConnected?.(authConfigId, session))
      }
      notifyConnectionsChanged(this.#env)
    } else if (state.error && state.status !== 'cancelled') {
      const error = state.error
      this.#call(() => options.onError?.(error))
    }
  }

  #emit(event: SetupFlowEvent): void {
    const onEvent = this.#options.onEvent
    if (onEvent) this.#call(() => onEvent(event))
  }

  /** Runs an app callback; its exception is reported asynchronously instead of breaking the flow. */
  #call(callback: () => void): void {
    try {
      callback()
    } catch (error) {
      queueMicrotask(() => {
        throw error
      })
    }
  }
}

/** Where the session expires on this machine's clock: skew-proof when the backend sends `createdAt`. */
function localExpiry(session: SetupSession, now: number): number | null {
  if (!session.expiresAt) return null
  const expires = Date.parse(session.expiresAt)
  const created = typeof session.createdAt === 'string' ? Date.parse(session.createdAt) : Number.NaN
  return Number.isNaN(created) ? expires : now + Math.max(0, expires - created)
}

function validate(options: SetupFlowOptions): SetupFlowOptions {
  if (!options || typeof options.providerId !== 'string' || options.providerId === '') {
    throw new ConnectError('invalid_options', 'A setup flow needs a `providerId`, e.g. "slack".')
  }
  if (!options.backend) {
    throw new ConnectError(
      'invalid_options',
      'A setup flow needs a backend: render it inside <ConnectProvider endpoint="/api/connect">, or pass `backend`.',
    )
  }
  checkTimingOptions(options, ['pollInterval', 'maxPollInterval', 'timeout', 'closeGrace', 'watchInterval', 'maxRetries'], ['pollInterval', 'maxPollInterval', 'watchInterval'])
  return options
}

/** Creates a `SetupFlow`. */
export function createSetupFlow(options: SetupFlowOptions): SetupFlow {
  return new SetupFlow(options)
}
