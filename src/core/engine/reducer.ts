/**
 * Every rule of the connect flow, found by the event's name: `reduce(model, event, context)` returns
 * the next model and the effects to run (requests, timers, the popup, storage, callbacks). The
 * runners (`runtime/flow.ts`, `runtime/wait.ts`) run the effects and feed the answers back as
 * events; they decide nothing. The rules, in short:
 * - One click, one session: a click while creating does nothing; while pending it brings the
 *   consent page back. Every window the flow opens is one its model accounts for.
 * - A session is followed by fast checks, slowing to one per 30 s, and at once on a callback, the
 *   popup closing, focus, visibility or a back-forward-cache restore.
 * - A closed popup is not proof: `cancelled` only once the backend still says pending after the
 *   grace, and the user is back on the page.
 * - After `cancelled` (closed popup) or `error`, slow checks go on until the session expires: a
 *   late success is never lost. `cancel()` and `reset()` end everything, for good.
 * - Deadlines (`expiresAt`, `timeout`, the 30-minute limit) end the wait whatever is in flight,
 *   after one last look that is itself bounded.
 * - Without a subscriber nothing runs; the next subscriber picks the session up.
 */
import { draft as draftOf, find, outcome } from './draft.js'
import type { Draft } from './draft.js'
import type { FlowContext, FlowEffect, FlowEvent, FlowModel, Run, TimerName } from './model.js'
import { onCancel, onConfigure, onConnectionRemoved, onPause, onReset, onUnpause } from './rules-end.js'
import { onCheck, onCreateRetryTimer, onDeadlineTimer, onGraceTimer, onLastLookTimer, onPollTimer, onPopupTimer, onRead, onReadFailed } from './rules-follow.js'
import { onCreated, onCreateFailed, onOpenTab, onPageRestored, onPopupOpened, onPopupRefused, onResume, onStart, onWait } from './rules-start.js'

type Rule<T extends FlowEvent['type']> = (draft: Draft, event: Extract<FlowEvent, { type: T }>) => void

/** The rule for each of a run's timers, by the timer's name. */
const TIMERS: { [N in TimerName]: (draft: Draft, run: Run) => void } = {
  poll: onPollTimer,
  grace: onGraceTimer,
  popup: onPopupTimer,
  create_retry: onCreateRetryTimer,
  deadline: onDeadlineTimer,
  last_look: onLastLookTimer,
}

/** A timer of a run the flow still knows fired: the timer's own rule decides. */
function onTimer(draft: Draft, { runId, name }: Extract<FlowEvent, { type: 'timer' }>): void {
  const run = find(draft, runId)
  if (run) TIMERS[name](draft, run)
}

/** The rule for each event, by the event's name. */
const RULES: { [T in FlowEvent['type']]: Rule<T> } = {
  start: onStart,
  open_tab: onOpenTab,
  popup_opened: onPopupOpened,
  popup_refused: onPopupRefused,
  created: onCreated,
  create_failed: onCreateFailed,
  read: onRead,
  read_failed: onReadFailed,
  timer: onTimer,
  check: onCheck,
  page_restored: onPageRestored,
  resume: onResume,
  wait: onWait,
  cancel: onCancel,
  reset: onReset,
  pause: onPause,
  unpause: onUnpause,
  configure: onConfigure,
  connection_removed: onConnectionRemoved,
}

/** The next model and the effects to run, for `event` happening to `model`. Never changes `model`. */
export function reduce(model: FlowModel, event: FlowEvent, context: FlowContext): { model: FlowModel; effects: FlowEffect[] } {
  const draft = draftOf(model, context)
  const rule = RULES[event.type] as Rule<FlowEvent['type']>
  rule(draft, event)
  return outcome(draft, model)
}
