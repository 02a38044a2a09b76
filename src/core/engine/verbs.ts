/**
 * The verbs every rule shares, whatever its phase: create a session, follow it (listeners, the
 * schedule, reads, the deadline), and end a run (observe an answer, finish, fail, watch for a late
 * success, drop a watched run). The rules (`rules-*.ts`) import these; this file imports no rule.
 */
import type { PollReason, SetupFlowState, SetupSession } from '../types.js'
import { EXPIRY_MARGIN } from './deadline.js'
import { arm, ask, disarm, emit, end, isActive, show } from './draft.js'
import type { Draft } from './draft.js'
import type { Run } from './model.js'
import { POPUP_CHECK_INTERVAL, pollDelay, pollScheduleFor } from './schedule.js'
import { isFinalStatus, viewAfter } from './view.js'

/** Asks the runner to create the run's session. */
export function create(draft: Draft, run: Run): void {
  ask(draft, { type: 'create', runId: run.id, mode: run.mode === 'redirect' ? 'redirect' : 'popup', token: run.token })
}

/** Listeners, the popup watch, the deadline and the first check of a created, resumed or restored session. */
export function follow(draft: Draft, run: Run, immediate: PollReason | null): void {
  if (run.mode !== 'headless' && !run.listening) {
    run.listening = true
    ask(draft, { type: 'listen', runId: run.id, token: run.token })
  }
  if (run.popup === 'open' && run === draft.run) arm(draft, run, 'popup', POPUP_CHECK_INTERVAL)
  armDeadline(draft, run)
  if (immediate) requestRead(draft, run, immediate)
  else schedule(draft, run)
}

export function schedule(draft: Draft, run: Run, delay?: number): void {
  const { now, random, settings } = draft.context
  const wait =
    delay ?? (run.watching ? settings.watchInterval : pollDelay(pollScheduleFor(settings.pollInterval, settings.maxPollInterval), run.polls++, now - run.startedAt, random))
  run.delay = wait
  arm(draft, run, 'poll', wait)
}

export function requestRead(draft: Draft, run: Run, reason: PollReason): void {
  if (!run.sessionId) return
  if (run.reading) {
    run.again = reason
    return
  }
  const { now } = draft.context
  if (run.notBefore > now) {
    // The backend asked for a pause (Retry-After): a focus or a callback waits for it too.
    schedule(draft, run, run.notBefore - now)
    return
  }
  disarm(draft, run, 'poll')
  run.reading = true
  run.lastReadAt = now
  emit(draft, { type: 'poll', sessionId: run.sessionId, reason })
  ask(draft, { type: 'read', runId: run.id, sessionId: run.sessionId })
}

/** When active following ends, and why: the session's expiry, else the `timeout` or the 30-minute limit. */
export function deadlineOf(run: Run): { at: number; reason: 'expired' | 'timeout' } {
  const expiry = run.expiresAt === null ? null : run.expiresAt + EXPIRY_MARGIN
  const limit = run.timeoutAt ?? (expiry === null ? run.limitAt : null)
  if (expiry !== null && (limit === null || expiry <= limit)) return { at: expiry, reason: 'expired' }
  // Without a known expiry the session did not expire: the wait was given up.
  return { at: limit ?? run.limitAt, reason: 'timeout' }
}

/** A watched run is checked until its session can no longer complete. */
export function watchEndOf(run: Run): number {
  return (run.expiresAt ?? run.limitAt) + EXPIRY_MARGIN
}

export function armDeadline(draft: Draft, run: Run): void {
  const at = run.watching ? watchEndOf(run) : deadlineOf(run).at
  arm(draft, run, 'deadline', Math.max(0, at - draft.context.now))
}

/** The view after the backend's answer about the run's own session. */
export function observe(draft: Draft, run: Run, session: SetupSession): void {
  const next = viewAfter(draft.view, session)
  if (next.status === 'pending') show(draft, next)
  else finish(draft, run, next)
}

export function fail(draft: Draft, error: NonNullable<SetupFlowState['error']>): void {
  const run = draft.run
  if (run && isActive(draft, run)) finish(draft, run, { ...draft.view, status: 'error', error })
}

/** Hands a completed session to the app, unless some flow of the client already did. */
export function connect(draft: Draft, session: SetupSession, authConfigId: string): void {
  if (!draft.context.claimed(session.id)) ask(draft, { type: 'connected', session, authConfigId })
  ask(draft, { type: 'connections_changed' })
}

export function startWatching(draft: Draft, run: Run): void {
  run.watching = true
  run.finalLook = null
  run.failures = 0
  disarm(draft, run, 'last_look')
  armDeadline(draft, run)
  if (!run.reading) schedule(draft, run)
}

/** The view reaches `next`; at a final status, the run is watched for a late success or ends. */
export function finish(draft: Draft, run: Run, next: SetupFlowState): void {
  const previous = draft.view.status
  show(draft, next)
  const { status } = next
  if (!isFinalStatus(status)) return
  if (run.sessionId && run.mode !== 'headless') ask(draft, { type: 'clear_record', providerId: next.providerId, sessionId: run.sessionId })
  // The consent page may still be open after a close that was not one, a timeout, or an error
  // the backend recovers from: keep a slow check (and the popup) until the session expires.
  const watch = (status === 'cancelled' || status === 'error') && run.sessionId !== null && run.mode !== 'headless' && previous === 'pending'
  if (watch) {
    startWatching(draft, run)
  } else {
    end(draft, run)
    if (draft.run === run) draft.run = null
  }
  if (status === 'completed' && next.authConfigId && next.session) connect(draft, next.session, next.authConfigId)
  else if (next.error && status !== 'cancelled') ask(draft, { type: 'failed', error: next.error })
}

export function dropWatched(draft: Draft, run: Run): void {
  end(draft, run)
  run.watching = false
  if (draft.run === run) draft.run = null
  draft.watched = draft.watched.filter(item => item !== run)
}

/** Back from a pause (a subscriber again, or a click with none): every watched run is followed again. */
export function followWatched(draft: Draft): void {
  if (!draft.paused) return
  draft.paused = false
  for (const each of draft.watched) follow(draft, each, 'resume')
}
