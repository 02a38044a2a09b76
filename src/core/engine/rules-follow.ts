/**
 * Following a session: when to read it, what a read or a failed read means, the popup and grace
 * timers, and the deadlines (`expiresAt`, `timeout`, the 30-minute limit) with their last look.
 */
import type { ConnectError } from '../errors.js'
import type { PollReason, SetupSession } from '../types.js'
import { EXPIRY_MARGIN, localExpiry } from './deadline.js'
import type { FlowEvent, Run, TimerName } from './model.js'
import { dropWatched, fail, finish, observe, popupClosed, watchedAnswer } from './rules-end.js'
import { create } from './rules-start.js'
import { LAST_LOOK_MAX, POPUP_CHECK_INTERVAL, WAKE_CHECK_GAP, pollDelay, pollScheduleFor, retryDelay } from './schedule.js'
import { arm, disarm, emit, find, isActive, isFollowed, isPending } from './step.js'
import type { Step } from './step.js'
import { expiredError, timeoutError } from './view.js'

/** When active following ends, and why: the session's expiry, else the `timeout` or the 30-minute limit. */
function deadlineOf(run: Run): { at: number; reason: 'expired' | 'timeout' } {
  const expiry = run.expiresAt === null ? null : run.expiresAt + EXPIRY_MARGIN
  const limit = run.timeoutAt ?? (expiry === null ? run.limitAt : null)
  if (expiry !== null && (limit === null || expiry <= limit)) return { at: expiry, reason: 'expired' }
  // Without a known expiry the session did not expire: the wait was given up.
  return { at: limit ?? run.limitAt, reason: 'timeout' }
}

/** A watched run is checked until its session can no longer complete. */
function watchEndOf(run: Run): number {
  return (run.expiresAt ?? run.limitAt) + EXPIRY_MARGIN
}

export function armDeadline(step: Step, run: Run): void {
  const at = run.watching ? watchEndOf(run) : deadlineOf(run).at
  arm(step, run, 'deadline', Math.max(0, at - step.context.now))
}

/** Listeners, the popup watch, the deadline and the first check of a created, resumed or restored session. */
export function follow(step: Step, run: Run, immediate: PollReason | null): void {
  if (run.mode !== 'headless' && !run.listening) {
    run.listening = true
    step.effects.push({ type: 'listen', runId: run.id, token: run.token })
  }
  if (run.popup === 'open' && run === step.run) arm(step, run, 'popup', POPUP_CHECK_INTERVAL)
  armDeadline(step, run)
  if (immediate) requestRead(step, run, immediate)
  else schedule(step, run)
}

export function schedule(step: Step, run: Run, delay?: number): void {
  const { now, random, settings } = step.context
  const wait =
    delay ?? (run.watching ? settings.watchInterval : pollDelay(pollScheduleFor(settings.pollInterval, settings.maxPollInterval), run.polls++, now - run.startedAt, random))
  run.delay = wait
  arm(step, run, 'poll', wait)
}

export function requestRead(step: Step, run: Run, reason: PollReason): void {
  if (!run.sessionId) return
  if (run.reading) {
    run.again = reason
    return
  }
  const { now } = step.context
  if (run.notBefore > now) {
    // The backend asked for a pause (Retry-After): a focus or a callback waits for it too.
    schedule(step, run, run.notBefore - now)
    return
  }
  disarm(step, run, 'poll')
  run.reading = true
  run.lastReadAt = now
  emit(step, { type: 'poll', sessionId: run.sessionId, reason })
  step.effects.push({ type: 'read', runId: run.id, sessionId: run.sessionId })
}

/**
 * What the backend's expiry says on our clock: a server-clock reading wins; a guess never moves the
 * end earlier, and a known end is not dropped for the fallback: an `expiresAt` seen ahead of our
 * clock and now behind it says that time went by, not that the server's clock is behind ours.
 */
export function learnExpiry(step: Step, run: Run, session: SetupSession, serverNow: number | null): void {
  const known = localExpiry(session, step.context.now, serverNow, run.createdAt, run.limitAt)
  if (known === null || (run.expiresAt !== null && Math.abs(run.expiresAt - known.at) < EXPIRY_MARGIN)) return
  if (!known.sound && run.expiresAt !== null && (known.skewed || known.at < run.expiresAt)) return
  run.expiresAt = known.at
  armDeadline(step, run)
}

export function onRead(step: Step, event: Extract<FlowEvent, { type: 'read' }>): void {
  const run = find(step, event.runId)
  if (!run) return
  run.reading = false
  run.failures = 0
  learnExpiry(step, run, event.session, event.serverNow)
  const again = run.again
  run.again = null
  if (run.watching) return watchedAnswer(step, run, event.session)
  if (!isPending(step, run)) return
  observe(step, run, event.session)
  if (!isPending(step, run)) return
  const { now, settings, focused } = step.context
  if (run.finalLook) return reachDeadline(step, run, run.finalLook)
  if (run.popupClosedAt !== null && now - run.popupClosedAt >= settings.closeGrace && focused) {
    return finish(step, run, { ...step.view, status: 'cancelled', popupBlocked: false })
  }
  if (again) requestRead(step, run, again)
  else schedule(step, run)
}

/**
 * Worth another read: the network, a 5xx or a 429; and, for `waitForSetupSession`, which has no
 * user to tell and no slow watch after an error, a proxy's hiccup too: a 404, or an answer that is
 * no JSON. An answer that breaks the contract (another session's id, `completed` without an auth
 * config) is not.
 */
function isRetryable(run: Run, error: ConnectError): boolean {
  if (error.transient) return true
  if (run.mode !== 'headless') return false
  return (error.code === 'http' && error.status === 404) || (error.code === 'invalid_response' && error.status !== undefined)
}

export function onReadFailed(step: Step, event: Extract<FlowEvent, { type: 'read_failed' }>): void {
  const run = find(step, event.runId)
  const { error } = event
  if (!run || error.code === 'aborted') return
  run.reading = false
  run.again = null
  const { now, random, settings } = step.context
  if (error.retryAfterMs) run.notBefore = now + error.retryAfterMs
  if (run.watching) {
    // Bad answers do not end the slow checks: a proxy's error page is not the session's end.
    return schedule(step, run, Math.max(settings.watchInterval, error.retryAfterMs ?? 0))
  }
  if (!isPending(step, run)) return
  if (run.finalLook) return reachDeadline(step, run, run.finalLook)
  if (isRetryable(run, error) && run.failures < settings.maxRetries) {
    emit(step, { type: 'poll_failed', sessionId: run.sessionId ?? '', error, attempt: ++run.failures })
    return schedule(step, run, retryDelay(error, run.failures - 1, random))
  }
  fail(step, error)
}

export function onCheck(step: Step, event: Extract<FlowEvent, { type: 'check' }>): void {
  // Unsubscribed: nothing runs until a subscriber comes back (then it checks at once anyway).
  if (step.paused) return
  const run = find(step, event.runId)
  if (!run) return
  if (event.channel) emit(step, { type: 'callback_message', sessionId: run.sessionId ?? undefined, channel: event.channel })
  if (!isFollowed(step, run)) return
  if (event.reason === 'focus' || event.reason === 'visible') {
    // Soon after a read, a wake-up adds nothing; but after the popup closed, the user's return decides.
    const recent = run.lastReadAt !== null && step.context.now - run.lastReadAt < Math.min(WAKE_CHECK_GAP, run.delay)
    if (recent && run.popupClosedAt === null) return
  }
  requestRead(step, run, event.reason)
}

export function onTimer(step: Step, event: Extract<FlowEvent, { type: 'timer' }>): void {
  const run = find(step, event.runId)
  if (!run) return
  const name: TimerName = event.name
  const pending = isPending(step, run)
  switch (name) {
    case 'poll':
      if (!isFollowed(step, run)) return
      // A hidden tab does not read; focus or visibility checks at once instead.
      if (step.context.hidden) return schedule(step, run)
      return requestRead(step, run, run.watching ? 'watch' : 'schedule')
    case 'grace':
      if (pending) requestRead(step, run, 'popup_closed')
      return
    case 'popup':
      if (run.popup !== 'open') return
      if (step.context.popupClosed(run.id)) return popupClosed(step, run)
      return arm(step, run, 'popup', POPUP_CHECK_INTERVAL)
    case 'create_retry':
      if (isActive(step, run) && step.view.status === 'creating') create(step, run)
      return
    case 'deadline':
      return onDeadline(step, run)
    case 'last_look':
      if (pending && run.finalLook) reachDeadline(step, run, run.finalLook)
      return
  }
}

function onDeadline(step: Step, run: Run): void {
  const { now } = step.context
  if (run.watching) {
    if (now >= watchEndOf(run)) dropWatched(step, run)
    else armDeadline(step, run)
    return
  }
  if (!isActive(step, run)) return
  if (step.view.status === 'creating') {
    emit(step, { type: 'timeout' })
    return fail(step, timeoutError())
  }
  const deadline = deadlineOf(run)
  if (now < deadline.at) return armDeadline(step, run)
  lastLook(step, run, deadline.reason)
}

/**
 * One last read before a deadline ends the wait, so a success that just landed is not lost. It is
 * bounded: a read already out counts as the look, for what is left of its share of the time.
 */
function lastLook(step: Step, run: Run, reason: 'expired' | 'timeout'): void {
  if (run.finalLook) return
  run.finalLook = reason
  const { now, settings } = step.context
  const share = Math.min(LAST_LOOK_MAX, settings.requestTimeout)
  if (run.reading) {
    const left = share - (now - (run.lastReadAt ?? now))
    if (left <= 0) return reachDeadline(step, run, reason)
    return arm(step, run, 'last_look', left)
  }
  arm(step, run, 'last_look', share)
  requestRead(step, run, 'manual')
}

function reachDeadline(step: Step, run: Run, reason: 'expired' | 'timeout'): void {
  run.finalLook = null
  disarm(step, run, 'last_look')
  if (reason === 'expired') return finish(step, run, { ...step.view, status: 'expired', error: expiredError() })
  emit(step, { type: 'timeout', sessionId: run.sessionId ?? undefined })
  finish(step, run, { ...step.view, status: 'error', error: timeoutError() })
}
