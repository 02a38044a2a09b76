/**
 * How runs end: the final statuses, the slow watch for a late success after `cancelled` or `error`,
 * the completion handed to the app exactly once, `cancel()` / `reset()`, and losing and regaining
 * the last subscriber.
 */
import type { SetupFlowState, SetupSession } from '../types.js'
import { armDeadline, follow, requestRead, schedule } from './rules-follow.js'
import type { Run } from './model.js'
import { arm, closePopup, disarm, emit, isActive, isPending, release, show } from './step.js'
import type { Step } from './step.js'
import { initialState, isActiveStatus, isFinalStatus, viewAfter } from './view.js'

/** The view after the backend's answer about the run's own session. */
export function observe(step: Step, run: Run, session: SetupSession): void {
  const next = viewAfter(step.view, session)
  if (next.status === 'pending') show(step, next)
  else finish(step, run, next)
}

export function fail(step: Step, error: NonNullable<SetupFlowState['error']>): void {
  const run = step.run
  if (run && isActive(step, run)) finish(step, run, { ...step.view, status: 'error', error })
}

/** Hands a completed session to the app, unless some flow of the client already did. */
function connect(step: Step, session: SetupSession, authConfigId: string): void {
  if (!step.context.claimed(session.id)) step.effects.push({ type: 'connected', session, authConfigId })
  step.effects.push({ type: 'connections_changed' })
}

function startWatching(step: Step, run: Run): void {
  run.watching = true
  run.finalLook = null
  run.failures = 0
  disarm(step, run, 'last_look')
  armDeadline(step, run)
  if (!run.reading) schedule(step, run)
}

/** The view reaches `next`; at a final status, the run is watched for a late success or ends. */
export function finish(step: Step, run: Run, next: SetupFlowState): void {
  const previous = step.view.status
  show(step, next)
  const { status } = next
  if (!isFinalStatus(status)) return
  if (run.sessionId && run.mode !== 'headless') step.effects.push({ type: 'clear_record', providerId: next.providerId, sessionId: run.sessionId })
  // The consent page may still be open after a close that was not one, a timeout, or an error
  // the backend recovers from: keep a slow check (and the popup) until the session expires.
  const watch = (status === 'cancelled' || status === 'error') && run.sessionId !== null && run.mode !== 'headless' && previous === 'pending'
  if (watch) {
    startWatching(step, run)
  } else {
    closePopup(step, run)
    release(step, run)
    if (step.run === run) step.run = null
  }
  if (status === 'completed' && next.authConfigId && next.session) connect(step, next.session, next.authConfigId)
  else if (next.error && status !== 'cancelled') step.effects.push({ type: 'failed', error: next.error })
}

export function dropWatched(step: Step, run: Run): void {
  closePopup(step, run)
  release(step, run)
  run.watching = false
  if (step.run === run) step.run = null
  step.watched = step.watched.filter(item => item !== run)
}

/** A read of a session watched for a late success: only a success changes what the user sees. */
export function watchedAnswer(step: Step, run: Run, session: SetupSession): void {
  if (session.status === 'pending') return schedule(step, run)
  dropWatched(step, run)
  if (session.status !== 'completed') return
  const status = step.view.status
  if (status === 'completed' || status === 'idle') {
    // Another session completed meanwhile (or its connection was since removed): this one is a connection too.
    const authConfigId = session.authConfig?.id
    if (authConfigId) connect(step, session, authConfigId)
    return
  }
  const current = step.run
  if (current && current !== run) {
    closePopup(step, current)
    // The flow shows the earlier success; the session in front may still complete: watch it too.
    if (current.sessionId) {
      if (!current.watching) startWatching(step, current)
      step.watched.push(current)
    } else {
      release(step, current)
    }
  }
  step.run = run
  finish(step, run, viewAfter(step.view, session))
}

/** The popup of the run on screen reads as closed. Not proof: check now, and again after the grace. */
export function popupClosed(step: Step, run: Run): void {
  closePopup(step, run)
  if (!isPending(step, run)) return
  run.popupClosedAt = step.context.now
  emit(step, { type: 'popup_closed', sessionId: run.sessionId ?? undefined })
  arm(step, run, 'grace', step.context.settings.closeGrace)
  requestRead(step, run, 'popup_closed')
}

/** `cancel()` and `reset()`: final for every session of the flow, earlier ones included. */
export function stopAll(step: Step, to: 'cancelled' | 'idle', providerId?: string): void {
  const run = step.run
  const active = isActiveStatus(step.view.status)
  if (run?.mode === 'redirect' && run.sessionId) step.effects.push({ type: 'clear_record', providerId: step.view.providerId })
  for (const each of [run, ...step.watched]) {
    if (!each) continue
    closePopup(step, each)
    release(step, each)
  }
  step.run = null
  step.watched = []
  if (to === 'idle') show(step, initialState(providerId ?? step.view.providerId, step.context.settings.mode))
  else if (active) show(step, { ...step.view, status: 'cancelled', popupBlocked: false })
}

export function pause(step: Step): void {
  step.paused = true
  const run = step.run
  for (const each of [run, ...step.watched]) if (each) release(step, each)
  if (step.view.status === 'pending' && run?.mode === 'popup' && run.sessionId) {
    // Unmounted while the user is still on the consent page (e.g. the app navigated away): the
    // next flow for this provider picks the session up on mount, as after a redirect.
    const record = { sessionId: run.sessionId, state: run.token, providerId: step.view.providerId, createdAt: run.createdAt ?? step.context.now }
    step.effects.push({ type: 'save_record', record, returnHere: false })
  }
  if (step.view.status === 'creating' && run) {
    // The create was just aborted: nothing will ever fill the placeholder popup or end 'creating'.
    closePopup(step, run)
    step.run = null
    show(step, initialState(step.view.providerId, step.context.settings.mode))
  }
}

export function unpause(step: Step): void {
  if (!step.paused) return
  step.paused = false
  const run = step.run
  if (run?.sessionId && (run.watching || (step.view.status === 'pending' && !run.away))) {
    if (run.mode === 'popup') step.effects.push({ type: 'clear_record', providerId: step.view.providerId, sessionId: run.sessionId })
    follow(step, run, 'resume')
  }
  // Still away on the consent page (redirect mode): only the back-forward-cache restore matters.
  if (run?.away && step.view.status === 'pending') step.effects.push({ type: 'await_restore', runId: run.id })
  for (const each of step.watched) follow(step, each, 'resume')
}
