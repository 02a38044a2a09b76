/** The machine's rules for the world's answers: reads, failures, timers; and for stopping. */
import { ConnectError } from './errors.js'
import { StepBase } from './machine-step.js'
import type { Run, TimerName } from './machine-types.js'
import { retryDelay } from './request.js'
import type { SetupSession } from './types.js'
import { initialState, isActiveStatus, settle } from './view.js'

export class AnswerStep extends StepBase {
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
      // Another session completed meanwhile (or its connection was since removed): this one is a connection too.
      const authConfigId = session.authConfig?.id
      if (authConfigId) this.effects.push({ type: 'connected', session, authConfigId })
      return
    }
    const current = this.run
    if (current && current !== run) {
      this.effects.push({ type: 'close_popup' })
      // The flow shows the earlier success; the session in front may still complete: watch it too.
      if (current.sessionId && !current.watching) {
        current.watching = true
        current.finalLook = null
        this.watched.push(current)
        if (!current.reading) this.schedule(current)
      } else if (!current.sessionId) {
        this.release(current)
      }
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

}
