/**
 * How the app ends or sets a flow aside: `cancel()` and `reset()`, an options change, a connection
 * removed elsewhere, and losing and regaining the last subscriber. The final statuses themselves
 * and the slow watch for a late success are verbs every phase uses (`verbs.ts`).
 */
import { ask, closePopup, end, release, show } from './draft.js'
import type { Draft } from './draft.js'
import type { FlowEvent } from './model.js'
import { follow, followWatched } from './verbs.js'
import { initialState, isActiveStatus } from './view.js'

/** `cancel()`: final for every session of the flow, earlier ones included; a flow at work shows `cancelled`. */
export function onCancel(draft: Draft): void {
  stopAll(draft)
  if (isActiveStatus(draft.view.status)) show(draft, { ...draft.view, status: 'cancelled', popupBlocked: false })
}

/** `reset()`, or a new `providerId`: back to idle, every session of the flow abandoned. */
export function onReset(draft: Draft, { providerId }: Extract<FlowEvent, { type: 'reset' }>): void {
  stopAll(draft)
  show(draft, initialState(providerId ?? draft.view.providerId, draft.context.settings.mode))
}

/** The options changed the mode of the next click: an idle or ended flow shows it. */
export function onConfigure(draft: Draft): void {
  const { mode } = draft.context.settings
  if (!isActiveStatus(draft.view.status) && draft.view.mode !== mode) show(draft, { ...draft.view, mode })
}

/** A connection removed anywhere on the client: a flow showing it completed goes back to idle. */
export function onConnectionRemoved(draft: Draft, { authConfigId }: Extract<FlowEvent, { type: 'connection_removed' }>): void {
  if (draft.view.status === 'completed' && draft.view.authConfigId === authConfigId) {
    show(draft, initialState(draft.view.providerId, draft.context.settings.mode))
  }
}

/** Ends every run of the flow, earlier ones included: their windows closed, their resources released. */
function stopAll(draft: Draft): void {
  const run = draft.run
  if (run?.mode === 'redirect' && run.sessionId) ask(draft, { type: 'clear_record', providerId: draft.view.providerId })
  for (const each of [run, ...draft.watched]) if (each) end(draft, each)
  draft.run = null
  draft.watched = []
}

/** The last subscriber left: every run lets go of its resources until one comes back. */
export function onPause(draft: Draft): void {
  draft.paused = true
  const run = draft.run
  for (const each of [run, ...draft.watched]) if (each) release(draft, each)
  if (draft.view.status === 'pending' && run?.mode === 'popup' && run.sessionId) {
    // Unmounted while the user is still on the consent page (e.g. the app navigated away): the
    // next flow for this provider picks the session up on mount, as after a redirect.
    const record = { sessionId: run.sessionId, state: run.token, providerId: draft.view.providerId, createdAt: run.createdAt ?? draft.context.now }
    ask(draft, { type: 'save_record', record, returnHere: false })
  }
  if (draft.view.status === 'creating' && run) {
    // The create was just aborted: nothing will ever fill the placeholder popup or end 'creating'.
    closePopup(draft, run)
    draft.run = null
    show(draft, initialState(draft.view.providerId, draft.context.settings.mode))
  }
}

/** A subscriber again: the run on screen and the watched runs are followed again, at once. */
export function onUnpause(draft: Draft): void {
  if (!draft.paused) return
  const run = draft.run
  if (run?.sessionId && (run.watching || (draft.view.status === 'pending' && !run.away))) {
    if (run.mode === 'popup') ask(draft, { type: 'clear_record', providerId: draft.view.providerId, sessionId: run.sessionId })
    follow(draft, run, 'resume')
  }
  // Still away on the consent page (redirect mode): only the back-forward-cache restore matters.
  if (run?.away && draft.view.status === 'pending') ask(draft, { type: 'await_restore', runId: run.id })
  followWatched(draft)
}
