/**
 * Following a session: when to read it, what a read or a failed read means, a watched session's
 * answers, the popup closing, and each timer (the poll, the grace, the popup watch, the create
 * retry, the deadline with its last look).
 */
import type { ConnectError } from '../errors.js'
import type { SetupSession } from '../types.js'
import { EXPIRY_MARGIN, localExpiry } from './deadline.js'
import { arm, closePopup, disarm, emit, find, isActive, isFollowed, isPending, release } from './draft.js'
import type { Draft } from './draft.js'
import type { FlowEvent, Run } from './model.js'
import { LAST_LOOK_MAX, POPUP_CHECK_INTERVAL, WAKE_CHECK_GAP, retryDelay } from './schedule.js'
import { armDeadline, connect, create, deadlineOf, dropWatched, fail, finish, observe, requestRead, schedule, startWatching, watchEndOf } from './verbs.js'
import { expiredError, timeoutError, viewAfter } from './view.js'

/**
 * What the backend's expiry says on our clock: a server-clock reading wins; a guess never moves the
 * end earlier, and a known end is not dropped for the fallback: an `expiresAt` seen ahead of our
 * clock and now behind it says that time went by, not that the server's clock is behind ours.
 */
function learnExpiry(draft: Draft, run: Run, session: SetupSession, serverNow: number | null): void {
  const known = localExpiry(session, draft.context.now, serverNow, run.createdAt, run.limitAt)
  if (known === null || (run.expiresAt !== null && Math.abs(run.expiresAt - known.at) < EXPIRY_MARGIN)) return
  if (!known.sound && run.expiresAt !== null && (known.skewed || known.at < run.expiresAt)) return
  run.expiresAt = known.at
  armDeadline(draft, run)
}

export function onRead(draft: Draft, event: Extract<FlowEvent, { type: 'read' }>): void {
  const run = find(draft, event.runId)
  if (!run) return
  run.reading = false
  run.failures = 0
  learnExpiry(draft, run, event.session, event.serverNow)
  const again = run.again
  run.again = null
  if (run.watching) return watchedAnswer(draft, run, event.session)
  if (!isPending(draft, run)) return
  observe(draft, run, event.session)
  if (!isPending(draft, run)) return
  const { now, settings, focused } = draft.context
  if (run.finalLook) return reachDeadline(draft, run, run.finalLook)
  if (run.popupClosedAt !== null && now - run.popupClosedAt >= settings.closeGrace && focused) {
    return finish(draft, run, { ...draft.view, status: 'cancelled', popupBlocked: false })
  }
  if (again) requestRead(draft, run, again)
  else schedule(draft, run)
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

export function onReadFailed(draft: Draft, event: Extract<FlowEvent, { type: 'read_failed' }>): void {
  const run = find(draft, event.runId)
  const { error } = event
  if (!run || error.code === 'aborted') return
  run.reading = false
  run.again = null
  const { now, random, settings } = draft.context
  if (error.retryAfterMs) run.notBefore = now + error.retryAfterMs
  if (run.watching) {
    // Bad answers do not end the slow checks: a proxy's error page is not the session's end.
    return schedule(draft, run, Math.max(settings.watchInterval, error.retryAfterMs ?? 0))
  }
  if (!isPending(draft, run)) return
  if (run.finalLook) return reachDeadline(draft, run, run.finalLook)
  if (isRetryable(run, error) && run.failures < settings.maxRetries) {
    emit(draft, { type: 'poll_failed', sessionId: run.sessionId ?? '', error, attempt: ++run.failures })
    return schedule(draft, run, retryDelay(error, run.failures - 1, random))
  }
  fail(draft, error)
}

export function onCheck(draft: Draft, event: Extract<FlowEvent, { type: 'check' }>): void {
  // Unsubscribed: nothing runs until a subscriber comes back (then it checks at once anyway).
  if (draft.paused) return
  const run = find(draft, event.runId)
  if (!run) return
  if (event.channel) emit(draft, { type: 'callback_message', sessionId: run.sessionId ?? undefined, channel: event.channel })
  if (!isFollowed(draft, run)) return
  if (event.reason === 'focus' || event.reason === 'visible') {
    // Soon after a read, a wake-up adds nothing; but after the popup closed, the user's return decides.
    const recent = run.lastReadAt !== null && draft.context.now - run.lastReadAt < Math.min(WAKE_CHECK_GAP, run.delay)
    if (recent && run.popupClosedAt === null) return
  }
  requestRead(draft, run, event.reason)
}

/** A read of a session watched for a late success: only a success changes what the user sees. */
function watchedAnswer(draft: Draft, run: Run, session: SetupSession): void {
  if (session.status === 'pending') return schedule(draft, run)
  dropWatched(draft, run)
  if (session.status !== 'completed') return
  const status = draft.view.status
  if (status === 'completed' || status === 'idle') {
    // Another session completed meanwhile (or its connection was since removed): this one is a connection too.
    const authConfigId = session.authConfig?.id
    if (authConfigId) connect(draft, session, authConfigId)
    return
  }
  const current = draft.run
  if (current && current !== run) {
    closePopup(draft, current)
    // The flow shows the earlier success; the session in front may still complete: watch it too.
    if (current.sessionId) {
      if (!current.watching) startWatching(draft, current)
      draft.watched.push(current)
    } else {
      release(draft, current)
    }
  }
  draft.run = run
  finish(draft, run, viewAfter(draft.view, session))
}

/** The popup of the run on screen reads as closed. Not proof: check now, and again after the grace. */
function popupClosed(draft: Draft, run: Run): void {
  closePopup(draft, run)
  if (!isPending(draft, run)) return
  run.popupClosedAt = draft.context.now
  emit(draft, { type: 'popup_closed', sessionId: run.sessionId ?? undefined })
  arm(draft, run, 'grace', draft.context.settings.closeGrace)
  requestRead(draft, run, 'popup_closed')
}

/** The poll timer: the next scheduled read. A hidden tab does not read; focus or visibility checks at once instead. */
export function onPollTimer(draft: Draft, run: Run): void {
  if (!isFollowed(draft, run)) return
  if (draft.context.hidden) return schedule(draft, run)
  requestRead(draft, run, run.watching ? 'watch' : 'schedule')
}

/** The grace after the popup closed has passed: one more read decides between pending and cancelled. */
export function onGraceTimer(draft: Draft, run: Run): void {
  if (isPending(draft, run)) requestRead(draft, run, 'popup_closed')
}

/** The popup watch: is the run's popup still open? */
export function onPopupTimer(draft: Draft, run: Run): void {
  if (run.popup !== 'open') return
  if (draft.context.popupClosed(run.id)) return popupClosed(draft, run)
  arm(draft, run, 'popup', POPUP_CHECK_INTERVAL)
}

/** The pause before retrying a create the backend refused (429, 503) has passed. */
export function onCreateRetryTimer(draft: Draft, run: Run): void {
  if (isActive(draft, run) && draft.view.status === 'creating') create(draft, run)
}

/** The run's deadline: a watched run is dropped at its end; the run on screen gets its last look. */
export function onDeadlineTimer(draft: Draft, run: Run): void {
  const { now } = draft.context
  if (run.watching) {
    if (now >= watchEndOf(run)) dropWatched(draft, run)
    else armDeadline(draft, run)
    return
  }
  if (!isActive(draft, run)) return
  if (draft.view.status === 'creating') {
    emit(draft, { type: 'timeout' })
    return fail(draft, timeoutError())
  }
  const deadline = deadlineOf(run)
  if (now < deadline.at) return armDeadline(draft, run)
  lastLook(draft, run, deadline.reason)
}

/** The last look at a deadline got no answer in time: the deadline ends the wait. */
export function onLastLookTimer(draft: Draft, run: Run): void {
  if (isPending(draft, run) && run.finalLook) reachDeadline(draft, run, run.finalLook)
}

/**
 * One last read before a deadline ends the wait, so a success that just landed is not lost. It is
 * bounded: a read already out counts as the look, for what is left of its share of the time.
 */
function lastLook(draft: Draft, run: Run, reason: 'expired' | 'timeout'): void {
  if (run.finalLook) return
  run.finalLook = reason
  const { now, settings } = draft.context
  const share = Math.min(LAST_LOOK_MAX, settings.requestTimeout)
  if (run.reading) {
    const left = share - (now - (run.lastReadAt ?? now))
    if (left <= 0) return reachDeadline(draft, run, reason)
    return arm(draft, run, 'last_look', left)
  }
  arm(draft, run, 'last_look', share)
  requestRead(draft, run, 'manual')
}

function reachDeadline(draft: Draft, run: Run, reason: 'expired' | 'timeout'): void {
  run.finalLook = null
  disarm(draft, run, 'last_look')
  if (reason === 'expired') return finish(draft, run, { ...draft.view, status: 'expired', error: expiredError() })
  emit(draft, { type: 'timeout', sessionId: run.sessionId ?? undefined })
  finish(draft, run, { ...draft.view, status: 'error', error: timeoutError() })
}
