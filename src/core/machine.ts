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
import { AnswerStep } from './machine-answers.js'
import { DEFAULT_MAX_WAIT, localExpiry } from './deadline.js'
import { newRun } from './machine-types.js'
import type { FlowContext, FlowEffect, FlowEvent, FlowModel } from './machine-types.js'
import { WAKE_CHECK_GAP } from './schedule.js'
import type { RedirectRecord } from './protocol.js'
import type { SetupSession } from './types.js'
import { initialState, isActiveStatus, POPUP_BLOCKED, settle } from './view.js'

export { initialModel } from './machine-types.js'
export type { FlowContext, FlowEffect, FlowEvent, FlowModel, Run, TimerName } from './machine-types.js'

/** The next model and the effects to run, for `event` happening to `model`. Never mutates `model`. */
export function transition(model: FlowModel, event: FlowEvent, context: FlowContext): { model: FlowModel; effects: FlowEffect[] } {
  const step = new Step(model, context)
  step.apply(event)
  const { effects, statusChangedAt } = step
  if (statusChangedAt !== null && step.view.status !== model.view.status) effects.splice(statusChangedAt, 0, { type: 'status_changed' })
  return { model: step.result(), effects }
}

/** The rules for each event; the steps they share live in `machine-step.ts` and `machine-answers.ts`. */
class Step extends AnswerStep {
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
    const providerId = this.providerId
    this.emit({ type: 'start', providerId })
    this.view = { ...initialState(providerId), status: 'creating' }
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
}
