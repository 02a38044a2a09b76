/** The machine's shared steps: following a session, scheduling reads, deadlines, and ending a run. */
import { ConnectError } from './errors.js'
import { DEFAULT_MAX_WAIT, EXPIRY_MARGIN, localExpiry } from './deadline.js'
import type { FlowContext, FlowEffect, FlowModel, Run, TimerName } from './machine-types.js'
import { pollDelay, pollScheduleFor } from './schedule.js'
import type { PollReason, SetupFlowEvent, SetupFlowState, SetupSession } from './types.js'
import { expiredError, isActiveStatus, isFinalStatus, settle } from './view.js'

const LAST_LOOK_MAX = 5000

/** One transition in progress: a copy of the model to change, and the effects gathered so far. */
export class StepBase {
  #view: SetupFlowState
  /** Where in `effects` the status first changed: the runner tells the app there, in causal order. */
  statusChangedAt: number | null = null
  run: Run | null
  watched: Run[]
  paused: boolean
  nextRunId: number
  effects: FlowEffect[] = []

  constructor(
    model: FlowModel,
    readonly context: FlowContext,
  ) {
    this.#view = model.view
    this.run = model.run && { ...model.run }
    this.watched = model.watched.map(run => ({ ...run }))
    this.paused = model.paused
    this.nextRunId = model.nextRunId
  }

  result(): FlowModel {
    return { view: this.view, run: this.run, watched: this.watched, paused: this.paused, nextRunId: this.nextRunId }
  }

  get view(): SetupFlowState {
    return this.#view
  }

  set view(next: SetupFlowState) {
    if (this.statusChangedAt === null && next.status !== this.#view.status) this.statusChangedAt = this.effects.length
    this.#view = next
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


  isPending(run: Run): boolean {
    return run === this.run && this.view.status === 'pending'
  }

  /** Pending, or watched for a late success: its session is still worth reading. */
  isFollowed(run: Run): boolean {
    return run.watching || (run === this.run && this.view.status === 'pending')
  }


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

  setTimer(run: Run, name: TimerName, ms: number): void {
    this.effects.push({ type: 'set_timer', runId: run.id, name, ms })
  }

  release(run: Run): void {
    this.effects.push({ type: 'release', runId: run.id })
  }
}
