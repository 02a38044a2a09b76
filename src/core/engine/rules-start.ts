/**
 * How runs begin: what a click does in every status, the popup's opening (or its refusal), the
 * create and its retries, redirect mode leaving and coming back, and `waitForSetupSession`'s run.
 */
import { DEFAULT_MAX_WAIT, localExpiry } from './deadline.js'
import type { FlowEvent, Run } from './model.js'
import { newRun } from './model.js'
import { follow } from './rules-follow.js'
import { fail, observe } from './rules-end.js'
import { CREATE_RETRIES, POPUP_CHECK_INTERVAL, retryDelay } from './schedule.js'
import { arm, closePopup, emit, find, isPending, release, show } from './step.js'
import type { Step } from './step.js'
import { initialState, POPUP_BLOCKED, viewAfter } from './view.js'

/** Asks the runner to create the run's session. */
export function create(step: Step, run: Run): void {
  step.effects.push({ type: 'create', runId: run.id, mode: run.mode === 'redirect' ? 'redirect' : 'popup', token: run.token })
}

/** Runs the user started before this one: watched ones go on being watched, others end. Their windows close. */
function setAside(step: Step, previous: Run | null): void {
  for (const each of [previous, ...step.watched]) if (each) closePopup(step, each)
  if (previous?.watching) step.watched.push(previous)
  else if (previous) release(step, previous)
}

/**
 * The click (`start()`). One click, one session: while creating it does nothing; while pending it
 * brings the consent page back (focus the popup, retry a blocked one, or go there again in
 * redirect mode). Otherwise a new run begins.
 */
export function onStart(step: Step, { token }: Extract<FlowEvent, { type: 'start' }>): void {
  const { view, run, context } = step
  if (view.status === 'creating') return
  if (view.status === 'pending' && run) {
    if (run.mode === 'redirect' && view.session) return leave(step, run, view.session.url)
    if (view.popupBlocked) return onOpenTab(step)
    if (run.popup === 'open') {
      step.effects.push({ type: 'focus_popup', runId: run.id })
      emit(step, { type: 'popup_focused' })
    }
    return
  }
  const { now, settings } = context
  setAside(step, run)
  const next = newRun(step.nextRunId++, settings.mode, token, now, now + DEFAULT_MAX_WAIT)
  next.timeoutAt = settings.timeout === null ? null : now + settings.timeout
  step.run = next
  step.paused = false
  emit(step, { type: 'start' })
  show(step, { ...initialState(view.providerId, settings.mode), status: 'creating' })
  if (settings.timeout !== null) arm(step, next, 'deadline', settings.timeout)
  if (next.mode === 'popup') {
    next.popup = 'opening'
    step.effects.push({ type: 'open_popup', runId: next.id, url: null })
  } else {
    create(step, next)
  }
}

/** "Continue in a new tab": the consent page in a window opened by this fresh click. */
export function onOpenTab(step: Step): void {
  const { run, view } = step
  if (!run || view.status !== 'pending' || !view.session || run.popup !== 'none' || run.mode !== 'popup') return
  run.popup = 'opening'
  step.effects.push({ type: 'open_popup', runId: run.id, url: view.session.url })
}

export function onPopupOpened(step: Step, { runId }: Extract<FlowEvent, { type: 'popup_opened' }>): void {
  const run = find(step, runId)
  if (!run || run.popup !== 'opening' || run !== step.run) return
  run.popup = 'open'
  run.popupClosedAt = null
  const { view } = step
  emit(step, { type: 'popup_opened' })
  if (view.status === 'creating') return create(step, run)
  arm(step, run, 'popup', POPUP_CHECK_INTERVAL)
  if (view.popupBlocked) show(step, { ...view, popupBlocked: false, error: view.error === POPUP_BLOCKED ? null : view.error })
}

export function onPopupRefused(step: Step, { runId }: Extract<FlowEvent, { type: 'popup_refused' }>): void {
  const run = find(step, runId)
  if (!run || run.popup !== 'opening') return
  run.popup = 'none'
  const { view } = step
  if (run !== step.run || view.status !== 'creating') return
  if (step.context.settings.redirectFallback) {
    run.mode = 'redirect'
    emit(step, { type: 'redirect_fallback' })
    show(step, { ...view, mode: 'redirect' })
  } else {
    emit(step, { type: 'popup_blocked' })
    show(step, { ...view, popupBlocked: true, error: POPUP_BLOCKED })
  }
  create(step, run)
}

export function onCreated(step: Step, event: Extract<FlowEvent, { type: 'created' }>): void {
  const { run, context } = step
  if (run?.id !== event.runId || step.view.status !== 'creating') return
  const { session } = event
  const { now } = context
  run.sessionId = session.id
  run.createdAt = now
  run.expiresAt = localExpiry(session, now, event.serverNow, now, run.limitAt)?.at ?? null
  step.effects.push({ type: 'session_created', sessionId: session.id })
  emit(step, { type: 'session_created', sessionId: session.id })
  if (run.mode === 'redirect' && session.status === 'pending') {
    show(step, viewAfter(step.view, session))
    const record = { sessionId: session.id, state: run.token, providerId: step.view.providerId, createdAt: now }
    step.effects.push({ type: 'save_record', record, returnHere: true })
    return leave(step, run, session.url)
  }
  observe(step, run, session)
  if (!isPending(step, run)) return
  if (run.popup === 'open') step.effects.push({ type: 'navigate_popup', runId: run.id, url: session.url })
  follow(step, run, null)
}

/** A create is retried only where the backend said it did nothing (429, 503): anything else may have made a session. */
export function onCreateFailed(step: Step, event: Extract<FlowEvent, { type: 'create_failed' }>): void {
  const { run } = step
  const { error } = event
  if (run?.id !== event.runId || step.view.status !== 'creating') return
  const safe = error.code === 'http' && (error.status === 429 || error.status === 503)
  if (safe && run.createRetries < CREATE_RETRIES) return arm(step, run, 'create_retry', retryDelay(error, run.createRetries++, step.context.random))
  fail(step, error)
}

/**
 * Redirect mode: the whole page goes to the consent page. Nothing runs while it is away but one
 * listener: a back-forward-cache restore (the user came back with Back) picks the session up.
 */
function leave(step: Step, run: Run, url: string): void {
  run.away = true
  release(step, run)
  step.effects.push({ type: 'await_restore', runId: run.id })
  emit(step, { type: 'redirect', sessionId: run.sessionId ?? '' })
  step.effects.push({ type: 'navigate', url })
}

/** The browser restored this page from its back-forward cache: the user is back, read the session now. */
export function onPageRestored(step: Step): void {
  const { run } = step
  if (step.paused || !run?.away || step.view.status !== 'pending' || !run.sessionId) return
  run.away = false
  release(step, run)
  emit(step, { type: 'resumed', sessionId: run.sessionId })
  follow(step, run, 'resume')
}

/** Back on the app after a redirect (or a remount): follow the session the record names. */
export function onResume(step: Step, { record }: Extract<FlowEvent, { type: 'resume' }>): void {
  const { view, context } = step
  if (view.status === 'creating' || view.status === 'pending') return
  const { now } = context
  setAside(step, step.run)
  const run = newRun(step.nextRunId++, 'redirect', record.state, now, Math.max(record.createdAt + DEFAULT_MAX_WAIT, now))
  run.sessionId = record.sessionId
  run.createdAt = record.createdAt
  step.run = run
  step.paused = false
  show(step, { ...initialState(view.providerId, 'redirect'), status: 'pending' })
  step.effects.push({ type: 'drop_state_param', token: run.token })
  emit(step, { type: 'resumed', sessionId: record.sessionId })
  follow(step, run, 'resume')
}

/** `waitForSetupSession`: the same following, with no page, popup or listeners around it. */
export function onWait(step: Step, event: Extract<FlowEvent, { type: 'wait' }>): void {
  const { now, settings } = step.context
  const run = newRun(step.nextRunId++, 'headless', '', now, now + DEFAULT_MAX_WAIT)
  run.sessionId = event.sessionId
  run.timeoutAt = settings.timeout === null ? null : now + settings.timeout
  if (event.session) run.expiresAt = localExpiry(event.session, now, event.serverNow, null, run.limitAt)?.at ?? null
  step.run = run
  show(step, { ...step.view, status: 'pending', session: event.session })
  follow(step, run, 'manual')
}
