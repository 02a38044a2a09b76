/**
 * How runs begin: what a click does in every status, the popup's opening (or its refusal), the
 * create and its retries, redirect mode leaving and coming back, and `waitForSetupSession`'s run.
 */
import { DEFAULT_MAX_WAIT, localExpiry } from './deadline.js'
import { arm, ask, closePopup, emit, find, isPending, release, show } from './draft.js'
import type { Draft } from './draft.js'
import type { FlowEvent, Run } from './model.js'
import { newRun } from './model.js'
import { CREATE_RETRIES, POPUP_CHECK_INTERVAL, retryDelay } from './schedule.js'
import { create, fail, follow, followWatched, observe } from './verbs.js'
import { initialState, POPUP_BLOCKED, viewAfter } from './view.js'

/**
 * Runs the user started before this one: watched ones go on being watched, others end. Their
 * windows close. A new run starts even with no one subscribed: the watched ones, released at the
 * pause, are followed again too.
 */
function setAside(draft: Draft, previous: Run | null): void {
  for (const each of [previous, ...draft.watched]) if (each) closePopup(draft, each)
  if (previous?.watching) draft.watched.push(previous)
  else if (previous) release(draft, previous)
  followWatched(draft)
}

/**
 * The click (`start()`). One click, one session: while creating it does nothing; while pending it
 * brings the consent page back (focus the popup, retry a blocked one, or go there again in
 * redirect mode). Otherwise a new run begins.
 */
export function onStart(draft: Draft, { token }: Extract<FlowEvent, { type: 'start' }>): void {
  const { view, run, context } = draft
  if (view.status === 'creating') return
  if (view.status === 'pending' && run) {
    if (run.mode === 'redirect' && view.session) return leave(draft, run, view.session.url)
    if (view.popupBlocked) return onOpenTab(draft)
    if (run.popup === 'open') {
      ask(draft, { type: 'focus_popup', runId: run.id })
      emit(draft, { type: 'popup_focused' })
    }
    return
  }
  const { now, settings } = context
  setAside(draft, run)
  const next = newRun(draft.nextRunId++, settings.mode, token, now, now + DEFAULT_MAX_WAIT, settings.timeout)
  draft.run = next
  emit(draft, { type: 'start' })
  show(draft, { ...initialState(view.providerId, settings.mode), status: 'creating' })
  if (settings.timeout !== null) arm(draft, next, 'deadline', settings.timeout)
  if (next.mode === 'popup') {
    next.popup = 'opening'
    ask(draft, { type: 'open_popup', runId: next.id, url: null })
  } else {
    create(draft, next)
  }
}

/** "Continue in a new tab": the consent page in a window opened by this fresh click. */
export function onOpenTab(draft: Draft): void {
  const { run, view } = draft
  if (!run || view.status !== 'pending' || !view.session || run.popup !== 'none' || run.mode !== 'popup') return
  run.popup = 'opening'
  ask(draft, { type: 'open_popup', runId: run.id, url: view.session.url })
}

export function onPopupOpened(draft: Draft, { runId }: Extract<FlowEvent, { type: 'popup_opened' }>): void {
  const run = find(draft, runId)
  if (!run || run.popup !== 'opening' || run !== draft.run) return
  run.popup = 'open'
  run.popupClosedAt = null
  const { view } = draft
  emit(draft, { type: 'popup_opened' })
  if (view.status === 'creating') return create(draft, run)
  arm(draft, run, 'popup', POPUP_CHECK_INTERVAL)
  if (view.popupBlocked) show(draft, { ...view, popupBlocked: false, error: view.error === POPUP_BLOCKED ? null : view.error })
}

export function onPopupRefused(draft: Draft, { runId }: Extract<FlowEvent, { type: 'popup_refused' }>): void {
  const run = find(draft, runId)
  if (!run || run.popup !== 'opening') return
  run.popup = 'none'
  const { view } = draft
  if (run !== draft.run || view.status !== 'creating') return
  if (draft.context.settings.redirectFallback) {
    run.mode = 'redirect'
    emit(draft, { type: 'redirect_fallback' })
    show(draft, { ...view, mode: 'redirect' })
  } else {
    emit(draft, { type: 'popup_blocked' })
    show(draft, { ...view, popupBlocked: true, error: POPUP_BLOCKED })
  }
  create(draft, run)
}

export function onCreated(draft: Draft, event: Extract<FlowEvent, { type: 'created' }>): void {
  const { run, context } = draft
  if (run?.id !== event.runId || draft.view.status !== 'creating') return
  const { session } = event
  const { now } = context
  run.sessionId = session.id
  run.createdAt = now
  run.expiresAt = localExpiry(session, now, event.serverNow, now, run.limitAt)?.at ?? null
  ask(draft, { type: 'session_created', sessionId: session.id })
  emit(draft, { type: 'session_created', sessionId: session.id })
  if (run.mode === 'redirect' && session.status === 'pending') {
    show(draft, viewAfter(draft.view, session))
    const record = { sessionId: session.id, state: run.token, providerId: draft.view.providerId, createdAt: now }
    ask(draft, { type: 'save_record', record, returnHere: true })
    return leave(draft, run, session.url)
  }
  observe(draft, run, session)
  if (!isPending(draft, run)) return
  if (run.popup === 'open') ask(draft, { type: 'navigate_popup', runId: run.id, url: session.url })
  follow(draft, run, null)
}

/** A create is retried only where the backend said it did nothing (429, 503): anything else may have made a session. */
export function onCreateFailed(draft: Draft, event: Extract<FlowEvent, { type: 'create_failed' }>): void {
  const { run } = draft
  const { error } = event
  if (run?.id !== event.runId || draft.view.status !== 'creating') return
  const safe = error.code === 'http' && (error.status === 429 || error.status === 503)
  if (safe && run.createRetries < CREATE_RETRIES) return arm(draft, run, 'create_retry', retryDelay(error, run.createRetries++, draft.context.random))
  fail(draft, error)
}

/**
 * Redirect mode: the whole page goes to the consent page. Nothing runs while it is away but one
 * listener: a back-forward-cache restore (the user came back with Back) picks the session up.
 */
function leave(draft: Draft, run: Run, url: string): void {
  run.away = true
  release(draft, run)
  ask(draft, { type: 'await_restore', runId: run.id })
  emit(draft, { type: 'redirect', sessionId: run.sessionId ?? '' })
  ask(draft, { type: 'navigate', url })
}

/** The browser restored this page from its back-forward cache: the user is back, read the session now. */
export function onPageRestored(draft: Draft): void {
  const { run } = draft
  if (draft.paused || !run?.away || draft.view.status !== 'pending' || !run.sessionId) return
  run.away = false
  release(draft, run)
  emit(draft, { type: 'resumed', sessionId: run.sessionId })
  follow(draft, run, 'resume')
}

/** Back on the app after a redirect (or a remount): follow the session the record names. */
export function onResume(draft: Draft, { record }: Extract<FlowEvent, { type: 'resume' }>): void {
  const { view, context } = draft
  if (view.status === 'creating' || view.status === 'pending') return
  const { now } = context
  setAside(draft, draft.run)
  const run = newRun(draft.nextRunId++, 'redirect', record.state, now, Math.max(record.createdAt + DEFAULT_MAX_WAIT, now))
  run.sessionId = record.sessionId
  run.createdAt = record.createdAt
  draft.run = run
  show(draft, { ...initialState(view.providerId, 'redirect'), status: 'pending' })
  ask(draft, { type: 'drop_state_param', token: run.token })
  emit(draft, { type: 'resumed', sessionId: record.sessionId })
  follow(draft, run, 'resume')
}

/** `waitForSetupSession`: the same following, with no page, popup or listeners around it. */
export function onWait(draft: Draft, event: Extract<FlowEvent, { type: 'wait' }>): void {
  const { now, settings } = draft.context
  const run = newRun(draft.nextRunId++, 'headless', '', now, now + DEFAULT_MAX_WAIT, settings.timeout)
  run.sessionId = event.sessionId
  if (event.session) run.expiresAt = localExpiry(event.session, now, event.serverNow, null, run.limitAt)?.at ?? null
  draft.run = run
  show(draft, { ...draft.view, status: 'pending', session: event.session })
  follow(draft, run, 'manual')
}
