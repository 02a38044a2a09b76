/**
 * Every rule of the connect flow, as one pure function: `transition(model, event, context)` returns
 * the next model and the effects to run (requests, timers, popup, storage, callbacks). The flow
 * (`flow.ts`) runs the effects and feeds their results back as events; it decides nothing itself.
 *
 * The rules, in short:
 * - One click, one session: `start` while creating or pending never creates another.
 * - A session is followed by fast checks, slowing to one per 30 s, and at once on a callback, the
 *   popup closing, focus or visibility (these two at most once per 25 s).
 * - A closed popup is not proof: `cancelled` only once the backend still says pending after the
 *   grace, and the user is back on the page.
 * - After `cancelled` (closed popup) or `error`, slow checks go on through bad answers until the
 *   session expires: a late success is never lost. Starting again keeps every earlier session
 *   watched. `cancel()` and `reset()` end everything, for good.
 * - Deadlines (`expiresAt`, `timeout`) end the wait whatever is in flight, after one last look
 *   that is itself bounded.
 */
import { ConnectError } from './errors.js'
import type { FlowSettings } from './options.js'
import { DEFAULT_MAX_WAIT, EXPIRY_MARGIN, localExpiry } from './deadline.js'
import { pollDelay, pollScheduleFor, WAKE_CHECK_GAP } from './schedule.js'
import { retryDelay } from './request.js'
import type { RedirectRecord } from './protocol.js'
import type { CallbackChannelName, PollReason, SetupFlowEvent, SetupFlowState, SetupSession } from './types.js'
import { expiredError, initialState, isActiveStatus, isFinalStatus, POPUP_BLOCKED, settle } from './view.js'

/** One session followed by the flow (or still being created). */
export interface Run {
  id: number
  mode: 'popup' | 'redirect'
  /** The `connect_state` binding callback signals to this run. */
  token: string
  sessionId: string | null
  startedAt: number
  /** Local time the session was created here; null when resumed from another page load. */
  createdAt: number | null
  /** Local time at which the session expires (see `deadline.ts`). */
  expiresAt: number | null
  timeoutAt: number | null
  popupOpen: boolean
  popupClosedAt: number | null
  polls: number
  failures: number
  reading: boolean
  again: PollReason | null
  /** When the last read was sent, and the delay last scheduled: a wake-up soon after one adds nothing. */
  lastReadAt: number | null
  delay: number
  /** No read before this local time: the backend's `Retry-After`. */
  notBefore: number
  /** Slow checks for a late success, after `cancelled` or `error`. */
  watching: boolean
  /** A deadline passed; the answer to the last look (or its own timer) decides. */
  finalLook: 'expired' | 'timeout' | null
}

export interface FlowModel {
  view: SetupFlowState
  /** The run the view shows. */
  run: Run | null
  /** Earlier runs, still watched for a late success after the user started again. */
  watched: Run[]
  /** Nobody subscribed: resources are released, and `unpause` follows the runs again. */
  paused: boolean
  nextRunId: number
}

export type TimerName = 'poll' | 'expiry' | 'timeout' | 'last_look' | 'grace'

export type FlowEvent =
  | { type: 'start'; mode: 'popup' | 'redirect'; token: string; popup: 'open' | 'blocked' | 'none'; fellBack: boolean }
  | { type: 'created'; runId: number; session: SetupSession; serverNow: number | null }
  | { type: 'create_failed'; runId: number; error: ConnectError }
  | { type: 'read'; runId: number; session: SetupSession; serverNow: number | null }
  | { type: 'read_failed'; runId: number; error: ConnectError }
  | { type: 'timer'; runId: number; name: TimerName }
  | { type: 'check'; reason: PollReason; runId?: number; channel?: CallbackChannelName }
  | { type: 'popup_closed'; runId: number }
  | { type: 'popup_reopened' }
  | { type: 'resume'; record: RedirectRecord }
  | { type: 'cancel' }
  | { type: 'reset'; providerId?: string }
  | { type: 'pause' }
  | { type: 'unpause' }
  | { type: 'connection_removed'; authConfigId: string }

/** What the machine needs from the world besides the event: read, never changed. */
export interface FlowContext {
  now: number
  random: number
  hidden: boolean
  focused: boolean
  settings: FlowSettings
}

export type FlowEffect =
  | { type: 'create'; runId: number; mode: 'popup' | 'redirect'; token: string }
  | { type: 'read'; runId: number; sessionId: string }
  | { type: 'set_timer'; runId: number; name: TimerName; ms: number }
  | { type: 'clear_timer'; runId: number; name: TimerName }
  /** Hear callback signals for the run's token, and focus / visibility. */
  | { type: 'listen'; runId: number; token: string }
  | { type: 'watch_popup'; runId: number }
  | { type: 'navigate_popup'; url: string }
  | { type: 'close_popup' }
  /** Abort the run's requests, clear its timers, stop its listeners. */
  | { type: 'release'; runId: number }
  | { type: 'emit'; event: SetupFlowEvent }
  | { type: 'redirect'; session: SetupSession; token: string; createdAt: number }
  | { type: 'save_record'; providerId: string; sessionId: string; token: string; createdAt: number }
  /** Forget the provider's redirect record; with `sessionId`, only if it is that session's. */
  | { type: 'clear_record'; providerId: string; sessionId?: string }
  | { type: 'drop_state_param'; token: string }
  | { type: 'session_created'; sessionId: string }
  | { type: 'connected'; session: SetupSession; authConfigId: string }
  | { type: 'failed'; error: ConnectError }

export function initialModel(providerId: string): FlowModel {
  return { view: initialState(providerId), run: null, watched: [], paused: false, nextRunId: 1 }
}

const LAST_LOOK_MAX = 5000

/** The next model and the effects to run, for `event` happening to `model`. Never mutates `model`. */
export function transition(model: FlowModel, event: FlowEvent, context: FlowContext): { model: FlowModel; effects: FlowEffect[] } {
  const step = new Step(model, context)
  step.apply(event)
  return { model: step.result(), effects: step.effects }
}

class Step {
  view: SetupFlowState
  run: Run | null
  watched: Run[]
  paused: boolean
  nextRunId: number
  effects: FlowEffect[] = []

  constructor(
    model: FlowModel,
    readonly context: FlowContext,
  ) {
    this.view = model.view
    this.run = model.run && { ...model.run }
    this.watched = model.watched.map(run => ({ ...run }))
    this.paused = model.paused
    this.nextRunId = model.nextRunId
  }

  result(): FlowModel {
    return { view: this.view, run: this.run, watched: this.watched, paused: this.paused, nextRunId: this.nextRunId }
  }

  get providerId(): string {
    return this.view.providerId
  }

  emit(event: SetupFlowEvent): void {
    this.effects.push({ type: 'emit', event })
  }

  find(runId: number | undefined): Run | null {
    if (runId === undefined || this.run?.id === runId) return this.run
    return this.watched.find(run => run.id === runId) ?? null
  }

  apply(event: FlowEvent): void {
    const { now } = this.context
    switch (event.type) {
      case 'start':
        return this.start(event)
      case 'created':
        return this.created(event.runId, event.session, event.serverNow)
      case 'create_failed': {
        const run = this.run
        if (run?.id !== event.runId || this.view.status !== 'creating') return
        this.effects.push({ type: 'close_popup' })
        return this.fail(event.error)
      }
      case 'read':
        return this.read(event.runId, event.session, event.serverNow)
      case 'read_failed':
        return this.readFailed(event.runId, event.error)
      case 'timer':
        return this.timer(event.runId, event.name)
      case 'check': {
        const run = this.find(event.runId)
        if (!run) return
        if (event.channel) this.emit({ type: 'callback_message', providerId: this.providerId, sessionId: run.sessionId ?? undefined, channel: event.channel })
        if (!this.isFollowed(run)) return
        if (event.reason === 'focus' || event.reason === 'visible') {
          // Soon after a read, a wake-up adds nothing; but after the popup closed, the user's return decides.
          const recent = run.lastReadAt !== null && now - run.lastReadAt < Math.min(WAKE_CHECK_GAP, run.delay)
          if (recent && run.popupClosedAt === null) return
        }
        return this.requestRead(run, event.reason)
      }
      case 'popup_closed': {
        const run = this.run
        if (run?.id !== event.runId || !isActiveStatus(this.view.status)) return
        run.popupOpen = false
        run.popupClosedAt = now
        this.emit({ type: 'popup_closed', providerId: this.providerId, sessionId: run.sessionId ?? undefined })
        this.setTimer(run, 'grace', this.context.settings.closeGrace)
        return this.requestRead(run, 'popup_closed')
      }
      case 'popup_reopened': {
        const run = this.run
        if (!run || this.view.status !== 'pending') return
        run.popupOpen = true
        run.popupClosedAt = null
        this.emit({ type: 'popup_opened', providerId: this.providerId })
        this.effects.push({ type: 'watch_popup', runId: run.id })
        if (this.view.popupBlocked) this.view = { ...this.view, popupBlocked: false, error: this.view.error === POPUP_BLOCKED ? null : this.view.error }
        return
      }
      case 'resume':
        return this.resume(event.record)
      case 'cancel':
        return this.stopAll('cancelled')
      case 'reset':
        return this.stopAll('idle', event.providerId)
      case 'pause':
        return this.pause()
      case 'unpause':
        if (!this.paused) return
        this.paused = false
        if (this.run && this.isFollowed(this.run) && this.run.sessionId) {
          if (this.run.mode === 'popup') this.effects.push({ type: 'clear_record', providerId: this.providerId, sessionId: this.run.sessionId })
          this.follow(this.run, 'resume')
        }
        for (const run of this.watched) this.follow(run, 'resume')
        return
      case 'connection_removed':
        if (this.view.status === 'completed' && this.view.authConfigId === event.authConfigId) this.view = initialState(this.providerId)
        return
    }
  }

  /** The run on screen, pending. */
  isPending(run: Run): boolean {
    return run === this.run && this.view.status === 'pending'
  }

  /** Pending, or watched for a late success: its session is still worth reading. */
  isFollowed(run: Run): boolean {
    return run.watching || (run === this.run && this.view.status === 'pending')
  }

  start(event: Extract<FlowEvent, { type: 'start' }>): void {
    if (isActiveStatus(this.view.status)) return
    const { now, settings } = this.context
    const previous = this.run
    if (previous?.watching) this.watched.push(previous)
    else if (previous) this.release(previous)
    const run = newRun(this.nextRunId++, event.mode, event.token, now)
    run.popupOpen = event.popup === 'open'
    run.timeoutAt = settings.timeout === null ? null : now + settings.timeout
    this.run = run
    this.paused = false
    this.view = { ...initialState(this.providerId), status: 'creating' }
    const providerId = this.providerId
    this.emit({ type: 'start', providerId })
    if (event.popup === 'open') this.emit({ type: 'popup_opened', providerId })
    if (event.fellBack) this.emit({ type: 'redirect_fallback', providerId })
    if (event.popup === 'blocked') {
      this.emit({ type: 'popup_blocked', providerId })
      this.view = { ...this.view, popupBlocked: true, error: POPUP_BLOCKED }
    }
    this.effects.push({ type: 'create', runId: run.id, mode: run.mode, token: run.token })
    if (run.timeoutAt !== null) this.setTimer(run, 'timeout', settings.timeout ?? 0)
  }

  created(runId: number, session: SetupSession, serverNow: number | null): void {
    const run = this.run
    if (run?.id !== runId || this.view.status !== 'creating') return
    const { now } = this.context
    run.sessionId = session.id
    run.createdAt = now
    run.expiresAt = localExpiry(session, now, serverNow, now, now + DEFAULT_MAX_WAIT)?.at ?? now + DEFAULT_MAX_WAIT
    this.effects.push({ type: 'session_created', sessionId: session.id })
    this.emit({ type: 'session_created', providerId: this.providerId, sessionId: session.id })
    if (run.mode === 'redirect' && session.status === 'pending') {
      this.view = settle(this.view, session)
      this.emit({ type: 'redirect', providerId: this.providerId, sessionId: session.id })
      this.release(run)
      this.effects.push({ type: 'redirect', session, token: run.token, createdAt: now })
      return
    }
    this.observe(run, session)
    if (!this.isPending(run)) return
    if (run.popupOpen) this.effects.push({ type: 'navigate_popup', url: session.url })
    this.follow(run, null)
  }

  resume(record: RedirectRecord): void {
    if (isActiveStatus(this.view.status)) return
    const { now } = this.context
    if (this.run) this.release(this.run)
    const run = newRun(this.nextRunId++, 'redirect', record.state, now)
    run.sessionId = record.sessionId
    run.createdAt = record.createdAt
    run.expiresAt = Math.max(record.createdAt + DEFAULT_MAX_WAIT, now)
    this.run = run
    this.paused = false
    this.view = { ...initialState(this.providerId), status: 'pending' }
    this.effects.push({ type: 'drop_state_param', token: run.token })
    this.emit({ type: 'resumed', providerId: this.providerId, sessionId: record.sessionId })
    this.follow(run, 'resume')
  }

  /** Listeners, deadline and the first check of a created (or resumed, or remounted) session. */
  follow(run: Run, immediate: PollReason | null): void {
    const { now } = this.context
    this.effects.push({ type: 'listen', runId: run.id, token: run.token })
    if (run.popupOpen && run === this.run) this.effects.push({ type: 'watch_popup', runId: run.id })
    this.setTimer(run, 'expiry', Math.max(0, (run.expiresAt ?? now + DEFAULT_MAX_WAIT) - now) + EXPIRY_MARGIN)
    if (run.timeoutAt !== null && !run.watching) this.setTimer(run, 'timeout', Math.max(0, run.timeoutAt - now))
    if (immediate) this.requestRead(run, immediate)
    else this.schedule(run)
  }

  schedule(run: Run, delay?: number): void {
    const { now, random, settings } = this.context
    const schedule = pollScheduleFor(settings.pollInterval, settings.maxPollInterval)
    const wait = delay ?? (run.watching ? settings.watchInterval : pollDelay(schedule, run.polls++, now - run.startedAt, random))
    run.delay = wait
    this.setTimer(run, 'poll', wait)
  }

  requestRead(run: Run, reason: PollReason): void {
    if (!run.sessionId) return
    if (run.reading) {
      run.again = reason
      return
    }
    const wait = run.notBefore - this.context.now
    if (wait > 0) {
      // The backend asked for a pause (Retry-After): a focus or a callback waits for it too.
      this.schedule(run, wait)
      return
    }
    this.effects.push({ type: 'clear_timer', runId: run.id, name: 'poll' })
    run.reading = true
    run.lastReadAt = this.context.now
    this.emit({ type: 'poll', providerId: this.providerId, sessionId: run.sessionId, reason })
    this.effects.push({ type: 'read', runId: run.id, sessionId: run.sessionId })
  }

  read(runId: number, session: SetupSession, serverNow: number | null): void {
    const run = this.find(runId)
    if (!run) return
    run.reading = false
    run.failures = 0
    this.learnExpiry(run, session, serverNow)
    const again = run.again
    run.again = null
    if (run.watching) return this.watchedAnswer(run, session)
    if (run !== this.run || this.view.status !== 'pending') return
    this.observe(run, session)
    if (this.view.status !== 'pending' || this.run !== run) return
    const { now, settings, focused } = this.context
    if (run.finalLook) return this.deadline(run, run.finalLook)
    if (run.popupClosedAt !== null && now - run.popupClosedAt >= settings.closeGrace && focused) {
      return this.finish(run, { ...this.view, status: 'cancelled', popupBlocked: false })
    }
    if (again) this.requestRead(run, again)
    else this.schedule(run)
  }

  /** A read of a session watched for a late success: only a success changes what the user sees. */
  watchedAnswer(run: Run, session: SetupSession): void {
    if (session.status === 'pending') return this.schedule(run)
    this.dropWatched(run)
    if (session.status !== 'completed') return
    const status = this.view.status
    if (status === 'completed' || status === 'idle') {
      // Another session completed meanwhile, or the user reset: this one is a connection too.
      const authConfigId = session.authConfig?.id
      if (status === 'completed' && authConfigId) this.effects.push({ type: 'connected', session, authConfigId })
      return
    }
    if (this.run && this.run !== run) {
      this.effects.push({ type: 'close_popup' })
      this.release(this.run)
    }
    this.run = run
    this.finish(run, settle(this.view, session))
  }

  readFailed(runId: number, error: ConnectError): void {
    const run = this.find(runId)
    if (!run || error.code === 'aborted') return
    run.reading = false
    run.again = null
    const { now, random, settings } = this.context
    if (error.retryAfterMs) run.notBefore = now + error.retryAfterMs
    if (run.watching) {
      // Bad answers do not end the slow checks: a proxy's error page is not the session's end.
      return this.schedule(run, Math.max(settings.watchInterval, error.retryAfterMs ?? 0))
    }
    if (run !== this.run || this.view.status !== 'pending') return
    if (run.finalLook) return this.deadline(run, run.finalLook)
    if (error.transient && run.failures < settings.maxRetries) {
      run.failures++
      this.emit({ type: 'poll_failed', providerId: this.providerId, sessionId: run.sessionId ?? '', error, attempt: run.failures })
      return this.schedule(run, retryDelay(error, run.failures - 1, random))
    }
    this.fail(error)
  }

  timer(runId: number, name: TimerName): void {
    const run = this.find(runId)
    if (!run) return
    const active = run === this.run && isActiveStatus(this.view.status) && !run.watching
    switch (name) {
      case 'poll':
        if (!this.isFollowed(run)) return
        // A hidden tab does not read; focus or visibility checks at once instead.
        if (this.context.hidden) return this.schedule(run)
        return this.requestRead(run, run.watching ? 'watch' : 'schedule')
      case 'grace':
        if (active) this.requestRead(run, 'popup_closed')
        return
      case 'expiry':
        if (run.watching) return this.dropWatched(run)
        if (active) this.lastLook(run, 'expired')
        return
      case 'timeout':
        if (!active) return
        if (this.view.status === 'creating') {
          this.emit({ type: 'timeout', providerId: this.providerId })
          this.effects.push({ type: 'close_popup' })
          return this.fail(new ConnectError('timeout', 'The connection took too long and was stopped.'))
        }
        return this.lastLook(run, 'timeout')
      case 'last_look':
        if (active && run.finalLook) this.deadline(run, run.finalLook)
        return
    }
  }

  /** One last read before a deadline ends the wait, so a success that just landed is not lost; bounded by its own timer. */
  lastLook(run: Run, reason: 'expired' | 'timeout'): void {
    if (run.finalLook) return
    run.finalLook = reason
    this.setTimer(run, 'last_look', Math.min(LAST_LOOK_MAX, this.context.settings.requestTimeout))
    if (!run.reading) this.requestRead(run, 'manual')
  }

  deadline(run: Run, reason: 'expired' | 'timeout'): void {
    run.finalLook = null
    this.effects.push({ type: 'clear_timer', runId: run.id, name: 'last_look' })
    if (reason === 'expired') return this.finish(run, { ...this.view, status: 'expired', error: expiredError() })
    this.emit({ type: 'timeout', providerId: this.providerId, sessionId: run.sessionId ?? undefined })
    this.finish(run, { ...this.view, status: 'error', error: new ConnectError('timeout', 'The connection took too long and was stopped.') })
  }

  fail(error: ConnectError): void {
    const run = this.run
    if (!run || !isActiveStatus(this.view.status)) return
    this.finish(run, { ...this.view, status: 'error', error })
  }

  /** The view after the backend's answer about the run's own session. */
  observe(run: Run, session: SetupSession): void {
    const next = settle(this.view, session)
    if (next.status === 'pending') this.view = next
    else this.finish(run, next)
  }

  /** The view reaches `next`, a final status: watch for a late success, or end the run. */
  finish(run: Run, next: SetupFlowState): void {
    const previous = this.view.status
    this.view = next
    const { status } = next
    if (!isFinalStatus(status)) return
    if (run.sessionId) this.effects.push({ type: 'clear_record', providerId: this.providerId, sessionId: run.sessionId })
    // The consent page may still be open after a close that was not one, a timeout, or an error
    // the backend recovers from: keep a slow check until the session expires.
    const watch = (status === 'cancelled' || status === 'error') && run.sessionId !== null && run.mode === 'popup' && previous === 'pending'
    if (watch) {
      run.watching = true
      run.finalLook = null
      run.failures = 0
      this.effects.push({ type: 'clear_timer', runId: run.id, name: 'timeout' }, { type: 'clear_timer', runId: run.id, name: 'last_look' })
      if (!run.reading) this.schedule(run)
    } else {
      this.release(run)
      if (this.run === run) this.run = null
    }
    if (status !== 'cancelled' && status !== 'error') this.effects.push({ type: 'close_popup' })
    if (status === 'completed' && next.authConfigId && next.session) {
      this.effects.push({ type: 'connected', session: next.session, authConfigId: next.authConfigId })
    } else if (next.error && status !== 'cancelled') {
      this.effects.push({ type: 'failed', error: next.error })
    }
  }

  learnExpiry(run: Run, session: SetupSession, serverNow: number | null): void {
    const { now } = this.context
    const known = localExpiry(session, now, serverNow, run.createdAt, run.startedAt + DEFAULT_MAX_WAIT)
    if (known === null || (run.expiresAt !== null && Math.abs(run.expiresAt - known.at) < EXPIRY_MARGIN)) return
    // A server-clock reading wins; a guess never moves the end earlier.
    if (!known.sound && run.expiresAt !== null && known.at < run.expiresAt) return
    run.expiresAt = known.at
    this.setTimer(run, 'expiry', Math.max(0, known.at - now) + EXPIRY_MARGIN)
  }

  dropWatched(run: Run): void {
    this.release(run)
    run.watching = false
    if (this.run === run) this.run = null
    this.watched = this.watched.filter(item => item !== run)
  }

  /** `cancel()` and `reset()`: final for every session of the flow, earlier ones included. */
  stopAll(to: 'cancelled' | 'idle', providerId?: string): void {
    const run = this.run
    const active = isActiveStatus(this.view.status)
    if (active) this.effects.push({ type: 'close_popup' })
    if (run?.mode === 'redirect' && run.sessionId) this.effects.push({ type: 'clear_record', providerId: this.providerId })
    for (const each of [run, ...this.watched]) if (each) this.release(each)
    this.run = null
    this.watched = []
    if (to === 'idle') this.view = initialState(providerId ?? this.providerId)
    else if (active) this.view = { ...this.view, status: 'cancelled', popupBlocked: false }
  }

  pause(): void {
    this.paused = true
    for (const each of [this.run, ...this.watched]) {
      if (!each) continue
      this.release(each)
      each.reading = false
      each.again = null
    }
    const run = this.run
    if (this.view.status === 'pending' && run?.mode === 'popup' && run.sessionId) {
      // Unmounted while the user is still on the consent page (e.g. the app navigated away): the
      // next flow for this provider picks the session up on mount, as after a redirect.
      this.effects.push({ type: 'save_record', providerId: this.providerId, sessionId: run.sessionId, token: run.token, createdAt: run.createdAt ?? this.context.now })
    }
    if (this.view.status === 'creating') {
      // The create was just aborted: nothing will ever fill the placeholder popup or end 'creating'.
      this.effects.push({ type: 'close_popup' })
      this.run = null
      this.view = initialState(this.providerId)
    }
  }

  setTimer(run: Run, name: TimerName, ms: number): void {
    this.effects.push({ type: 'set_timer', runId: run.id, name, ms })
  }

  release(run: Run): void {
    this.effects.push({ type: 'release', runId: run.id })
  }
}

function newRun(id: number, mode: 'popup' | 'redirect', token: string, now: number): Run {
  return {
    id,
    mode,
    token,
    sessionId: null,
    startedAt: now,
    createdAt: null,
    expiresAt: null,
    timeoutAt: null,
    popupOpen: false,
    popupClosedAt: null,
    polls: 0,
    failures: 0,
    reading: false,
    again: null,
    lastReadAt: null,
    delay: 0,
    notBefore: 0,
    watching: false,
    finalLook: null,
  }
}
